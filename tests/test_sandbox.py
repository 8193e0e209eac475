"""The launchers themselves: what the child can see, reach and start, its limits, and how the choice is made.

Each test starts a child with a script of its own in place of the probe runner (the launcher's contract
is `start(workdir, runner, blocked_imports)`; the runner gets the work folder and the site folders as
arguments) and reads what the script prints.
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder.config import load_config
from autograder.paths import REPO
from autograder.sandbox import (
    BwrapLauncher,
    Launcher,
    SandboxUnavailable,
    bwrap_works,
    default_launcher,
    direct_launcher,
    launcher_for,
)
from autograder.sandbox import bwrap as bwrap_module
from autograder.sandbox import launch as launch_module

LIMITS = load_config().limits
KIT_FILES = [str(REPO / "solutions" / "engine.py"), str(REPO / "autograder" / "grade" / "grader.py")]
needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")


def run_script(launcher: Launcher, workdir: Path, code: str, blocked: tuple[str, ...] = (),
               timeout: float = 60) -> tuple[int, str, str]:
    runner = workdir / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True, exist_ok=True)
    runner.write_text(textwrap.dedent(code))
    process = launcher.start(workdir, runner, list(blocked))
    try:
        out, err = process.communicate(b"", timeout=timeout)
    finally:
        launcher.kill(process)
    return process.returncode, out.decode(), err.decode()


def lines(out: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


@needs_bwrap
def test_the_repository_and_other_folders_are_invisible(tmp_path):
    (tmp_path / "out" / "results").mkdir(parents=True)
    (tmp_path / "other_submission").mkdir()
    code = f"""
    import glob, os, sys
    sys.path[:0] = [sys.argv[1], *sys.argv[2:]]
    for path in {[str(REPO / "solutions"), str(REPO / "autograder"), str(REPO / "tests"),
                  str(tmp_path / "out"), str(tmp_path / "other_submission"), str(tmp_path)]!r}:
        print(f"{{path}}={{os.path.exists(path)}}")
    print("engine_files=" + repr(glob.glob("/*/*/solutions/engine.py") + glob.glob("/tmp/**/*.py", recursive=True)))
    for finder in glob.glob(sys.argv[2] + "/__editable__*finder.py"):  # what the skipped .pth would run
        __import__(os.path.basename(finder)[:-3]).install()
    for name in ("solutions", "autograder", "solutions.engine"):
        try:
            __import__(name)
            print(f"import {{name}}=ok")
        except ImportError as e:
            print(f"import {{name}}=" + type(e).__name__)
    print(f"uid={{os.getuid()}}")
    print(f"cwd={{os.getcwd()}}")
    """
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "work", code)
    seen = lines(out)
    assert rc == 0, err
    assert seen.pop("engine_files") == "[]"
    assert all(seen[k] == "ModuleNotFoundError" for k in seen if k.startswith("import ")), seen
    assert all(seen[str(p)] == "False" for p in (REPO / "solutions", REPO / "autograder", tmp_path)), seen
    assert seen["cwd"] == "/job"
    assert seen["uid"] == "65534"


@needs_bwrap
def test_the_work_folder_and_root_are_read_only_and_tmp_is_private(tmp_path):
    code = """
    import os
    for path in ("/job/planted.py", "/job/nnkit_probes/runner.py", "/planted", "/tmp/scratch"):
        try:
            with open(path, "a") as f:
                f.write("x")
            print(f"{path}=written")
        except OSError as e:
            print(f"{path}=refused")
    """
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "work", code)
    seen = lines(out)
    assert rc == 0, err
    assert seen == {"/job/planted.py": "refused", "/job/nnkit_probes/runner.py": "refused",
                    "/planted": "refused", "/tmp/scratch": "written"}
    assert sorted(os.listdir(tmp_path / "work")) == ["nnkit_probes"]
    assert not Path("/tmp/scratch").exists() or Path("/tmp/scratch").read_text() != "x"


@needs_bwrap
def test_there_is_no_network(tmp_path):
    code = """
    import socket
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2)
        print("net=reached")
    except OSError as e:
        print("net=" + type(e).__name__)
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        print("socket=made")
    except OSError as e:
        print("socket=" + type(e).__name__)
    """
    for launcher in (BwrapLauncher(LIMITS), direct_launcher(LIMITS)):  # the seccomp filter: no socket but Unix ones
        rc, out, err = run_script(launcher, tmp_path / launcher.name, code)
        assert rc == 0, err
        assert lines(out) == {"net": "OSError", "socket": "OSError"}


@needs_bwrap
@pytest.mark.slow
def test_blocked_libraries_are_gone_and_torch_loads_within_the_memory_limit(tmp_path):
    code = """
    import os, resource, sys
    sys.path[:0] = [sys.argv[1], *sys.argv[2:]]
    print(f"as={resource.getrlimit(resource.RLIMIT_AS)[0]}")
    print("torch_dir=" + ",".join(sorted(os.listdir(os.path.join(sys.argv[2], "torch")))[:3]))
    for attempt in ("import torch", "__import__('tor' + 'ch')", "import torch.nn"):
        try:
            exec(attempt)
            print(f"{attempt}=ok " + __import__("torch").__version__)
        except ImportError as e:
            print(f"{attempt}=" + str(e))
    """
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "blocked", code, blocked=("torch", "jax"))
    seen = lines(out)
    assert rc == 0, err
    assert seen["torch_dir"] == "__init__.py"
    assert all("not allowed" in seen[a] for a in ("import torch", "__import__('tor' + 'ch')", "import torch.nn"))
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "free", code)
    seen = lines(out)
    assert rc == 0, err
    assert int(seen["as"]) == LIMITS.memory_mb * 1024 * 1024
    assert seen["import torch"].startswith("ok"), err[-2000:]


@needs_bwrap
def test_file_size_and_memory_limits_reach_the_child(tmp_path):
    limits = dataclasses.replace(LIMITS, file_size_mb=1, memory_mb=512)
    code = """
    import signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        open("/tmp/big", "wb").write(b"x" * (2 * 1024 * 1024))
        print("big=written")
    except OSError as e:
        print("big=refused")
    try:
        hog = bytearray(1024 * 1024 * 1024)
        print("hog=allocated")
    except MemoryError:
        print("hog=MemoryError")
    """
    rc, out, err = run_script(BwrapLauncher(limits), tmp_path / "work", code)
    assert rc == 0, err
    assert lines(out) == {"big": "refused", "hog": "MemoryError"}


def alive(mark: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if mark.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            pass
    return found


@needs_bwrap
def test_detached_processes_die_with_the_sandbox(tmp_path):
    mark = "876.54321"
    code = f"""
    import os, time
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "{mark}"])
        os._exit(0)
    time.sleep(0.5)
    print("started=yes", flush=True)
    time.sleep(60)
    """
    launcher = BwrapLauncher(LIMITS)
    runner = tmp_path / "work" / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True)
    runner.write_text(textwrap.dedent(code))
    process = launcher.start(tmp_path / "work", runner)
    assert process.stdout.readline() == b"started=yes\n"
    assert alive(mark)
    launcher.kill(process)
    deadline = time.monotonic() + 5
    while alive(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(mark)


def test_the_direct_child_cannot_import_the_kit(tmp_path):
    code = """
    for name in ("autograder", "solutions"):
        try:
            __import__(name)
            print(f"{name}=ok")
        except ImportError:
            print(f"{name}=refused")
    """
    rc, out, err = run_script(Launcher(LIMITS), tmp_path / "work", code)
    assert rc == 0, err
    assert lines(out) == {"autograder": "refused", "solutions": "refused"}


FORKS = """
import os, time
started = 0
for _ in range(60):
    try:
        if os.fork() == 0:
            time.sleep(3); os._exit(0)
        started += 1
    except OSError:
        break
print(f"started={started}")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the child a uid of its own")
@pytest.mark.parametrize("make", [direct_launcher, BwrapLauncher], ids=["direct", "bwrap"])
def test_a_child_cannot_start_many_processes(tmp_path, make):
    """The child's uid is its own, so RLIMIT_NPROC (and the control group's count) bite, also for a root grader."""
    if make is BwrapLauncher and not bwrap_works():
        pytest.skip("bubblewrap cannot run here")
    rc, out, err = run_script(make(dataclasses.replace(LIMITS, processes=8)), tmp_path / "work", FORKS)
    assert rc == 0, err
    assert int(lines(out)["started"]) < 8


def test_without_bwrap_the_grader_warns_loudly_or_refuses(monkeypatch, capsys):
    monkeypatch.setattr(bwrap_module, "bwrap_works", lambda: False)
    bwrap_module.warn.cache_clear()
    launcher = default_launcher(LIMITS)
    assert type(launcher) is Launcher and launcher.name == "direct"
    assert "WARNING: bubblewrap (bwrap) is not available" in capsys.readouterr().err
    with pytest.raises(SandboxUnavailable):
        default_launcher(LIMITS, require_sandbox=True)
    with pytest.raises(SandboxUnavailable):
        launcher_for("bwrap", LIMITS)
    assert launcher_for("direct", LIMITS).name == "direct"
    with pytest.raises(ValueError):
        launcher_for("docker", LIMITS)
    bwrap_module.warn.cache_clear()


def test_without_the_seccomp_filter_the_grader_warns_or_refuses(monkeypatch, capsys):
    monkeypatch.setattr(bwrap_module.seccomp, "filter_program", lambda: None)
    bwrap_module.warn.cache_clear()
    default_launcher(LIMITS)
    assert "WARNING: libseccomp is not available" in capsys.readouterr().err
    with pytest.raises(SandboxUnavailable, match="libseccomp"):
        default_launcher(LIMITS, require_sandbox=True)
    bwrap_module.warn.cache_clear()


@needs_bwrap
def test_auto_picks_bwrap_here():
    assert launcher_for("auto", LIMITS).name == "bwrap"
    assert direct_launcher(LIMITS).name == "direct"


def test_require_sandbox_travels_from_the_command_line_to_each_worker(monkeypatch, tmp_path):
    from autograder import cli
    from autograder.grade import batch, run

    captured = {}
    monkeypatch.setattr(run, "expected_outputs", lambda *a, **k: None)
    monkeypatch.setattr(run, "suite", lambda seed: [])  # the hidden cases are not needed here
    monkeypatch.setattr(batch, "grade_all", lambda *a, **k: captured.update(k) or SimpleNamespace(outcomes=[1]))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "engine.py").write_text("x = 1\n")
    for flag, name in (([], "auto"), (["--require-sandbox"], "bwrap")):
        monkeypatch.setattr(bwrap_module, "bwrap_works", lambda: True)
        cli.main(["grade", str(tmp_path / "sub"), "--out", str(tmp_path / "out"), "--seed", "1", *flag])
        assert captured["grade_fn"].keywords == {"launcher_name": name}
    monkeypatch.setattr(bwrap_module, "bwrap_works", lambda: False)
    with pytest.raises(SystemExit, match="require-sandbox"):
        cli.main(["grade", str(tmp_path / "sub"), "--out", str(tmp_path / "out"), "--seed", "1",
                  "--require-sandbox"])


def test_the_bwrap_command_mounts_only_what_python_needs(tmp_path):
    command = BwrapLauncher(LIMITS).command(tmp_path, tmp_path / "nnkit_probes" / "runner.py", ["torch"])
    binds = [command[i + 1] for i, a in enumerate(command) if a == "--ro-bind"]
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"):
        assert flag in command
    assert str(tmp_path) in binds
    assert not any(Path(b) == REPO or Path(b) in REPO.parents for b in binds)
    assert not any(Path(b).is_relative_to(REPO) and not Path(b).is_relative_to(REPO / ".venv") for b in binds)


@needs_bwrap
def test_the_child_has_no_capabilities_and_no_more_user_namespaces(tmp_path):
    """No capabilities (CAP_DAC_READ_SEARCH alone would let the child open any file of the disk by handle), and
    no nested user namespace, which would give them back."""
    code = """
    import ctypes, os
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    print("caps=" + ",".join(status[k].strip() for k in ("CapEff", "CapPrm", "CapAmb")))
    libc = ctypes.CDLL(None, use_errno=True)
    print(f"nested_userns={libc.unshare(0x10000000)}")  # CLONE_NEWUSER: -1 when refused
    """
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "work", code)
    assert rc == 0, err
    seen = lines(out)
    assert seen["caps"] == ",".join(["0000000000000000"] * 3)
    assert seen["nested_userns"] == "-1"


@needs_bwrap
def test_tmp_and_shm_are_small_and_dev_is_read_only(tmp_path, monkeypatch):
    """tmpfs is memory that RLIMIT_AS does not count: /tmp and /dev/shm are capped, /dev takes no new files."""
    if "--size" not in bwrap_module.bwrap_options():
        pytest.skip("this bwrap cannot size a tmpfs")
    monkeypatch.setattr(bwrap_module, "SCRATCH_BYTES", 1024 * 1024)
    code = """
    for path in ("/tmp/a", "/tmp/b", "/dev/shm/a", "/dev/shm/b", "/dev/planted"):
        try:
            with open(path, "wb") as f:
                f.write(b"x" * (700 * 1024))
            print(f"{path}=written")
        except OSError as e:
            print(f"{path}=" + type(e).__name__)
    with open("/dev/null", "w") as f:
        print("devnull=" + str(f.write("fine")))
    """
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "work", code)
    assert rc == 0, err
    assert lines(out) == {"/tmp/a": "written", "/tmp/b": "OSError", "/dev/shm/a": "written", "/dev/shm/b": "OSError",
                          "/dev/planted": "OSError", "devnull": "4"}


@needs_bwrap
def test_the_kit_installed_into_site_packages_stays_out_of_reach(tmp_path, monkeypatch):
    """`pip install .` (the Gradescope bundle) puts solutions/ into site-packages, which the child must see."""
    site = tmp_path / "site"
    for package in ("solutions", "autograder", "numpyish"):
        (site / package).mkdir(parents=True)
        (site / package / "__init__.py").write_text("SECRET = 'the reference'\n")
    real_sites, real_roots = bwrap_module.site_dirs(), bwrap_module.python_roots()
    for module in (bwrap_module, launch_module):
        monkeypatch.setattr(module, "site_dirs", lambda: [*real_sites, str(site)])
        monkeypatch.setattr(module, "python_roots", lambda: [*real_roots, str(site)])
    assert bwrap_module.hidden_libraries([]) == [str(site / "autograder"), str(site / "solutions")]
    code = """
    import sys
    sys.path[:0] = sys.argv[2:]
    for name in ("solutions", "autograder", "numpyish"):
        try:
            print(f"{name}=" + __import__(name).SECRET)
        except ImportError as e:
            print(f"{name}=" + str(e))
    """
    command = BwrapLauncher(LIMITS).command(tmp_path / "work", tmp_path / "work" / "nnkit_probes" / "runner.py")
    assert command[-1] == str(site)
    rc, out, err = run_script(BwrapLauncher(LIMITS), tmp_path / "work", code)
    assert rc == 0, err
    seen = lines(out)
    assert "not allowed" in seen["solutions"] and "not allowed" in seen["autograder"], seen
    assert seen["numpyish"] == "the reference"  # the rest of site-packages stays as it is


@needs_bwrap
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start the child as another user")
def test_a_root_grader_s_child_reaches_python_under_root_as_its_own_uid(tmp_path):
    assert (REPO / "solutions" / "engine.py").exists()
    """The Python installation may lie where no other user can go (/root is 0700 here): the child's own mount
    namespace covers such folders and binds back just what it needs, so bubblewrap runs as the child's uid."""
    code = """
    import os, sys
    sys.path[:0] = sys.argv[2:]
    import numpy
    print(f"python={sys.executable}")
    print("root=" + ",".join(sorted(os.listdir("/root"))) if os.path.isdir("/root") else "root=none")
    print("kit=" + ",".join(str(p) for p in KIT_FILES if os.path.exists(p)))
    """
    for launcher in (direct_launcher(LIMITS), BwrapLauncher(LIMITS)):
        rc, out, err = run_script(launcher, tmp_path / launcher.name, code.replace("KIT_FILES", repr(KIT_FILES)))
        assert rc == 0, err
        seen = lines(out)
        assert seen["python"] and seen["kit"] == "", seen  # the reference and the grader: covered, or not mounted


def test_the_first_child_of_a_fresh_grader_can_be_a_direct_one(tmp_path):
    """The seccomp program is made by the grader before the child drops root (the child can no longer write a
    temporary file to make it), also when no earlier launcher made it."""
    code = textwrap.dedent(f"""
    from pathlib import Path
    from autograder.config import load_config
    from autograder.sandbox import direct_launcher
    work = Path({str(tmp_path / "work")!r})
    (work / "nnkit_probes").mkdir(parents=True)
    (work / "nnkit_probes" / "runner.py").write_text("print('child=ran')")
    launcher = direct_launcher(load_config().limits)
    process = launcher.start(work, work / "nnkit_probes" / "runner.py")
    out, err = process.communicate(b"", timeout=60)
    launcher.kill(process)
    print(out.decode().strip(), err.decode()[-300:])
    """)
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "child=ran" in done.stdout, done.stderr[-2000:]
