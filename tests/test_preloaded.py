"""Children forked from a preloaded server (sandbox/preloaded.py): what one question's child leaves for the next.

The server forks the children of one submission one after another in one sandbox. Each test runs a child
with a runner of its own (the job's files carry `nnkit_probes/runner.py`, whose `run` the forked child calls)
and reads what it prints. An attacking child plants what it can in the places a later child could reach
(files, shared memory, a process left running, the server itself); the next child looks for it.
"""

from __future__ import annotations

import pickle
import secrets
import shutil
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from autograder.config import load_config
from autograder.grade.child import work_files
from autograder.sandbox import BwrapLauncher, bwrap_works, launch
from autograder.sandbox import bwrap as bwrap_module
from autograder.sandbox.preloaded import ForkedChild, PreloadedChildren, preloaded_libraries

LIMITS = load_config().limits
pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")

RUNNER = """
import os, sys, traceback

def run(workdir, job):
    try:
{body}
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
"""


def run_child(children: PreloadedChildren, workdir: Path, body: str, blocked: tuple[str, ...] = (),
              timeout: float = 180) -> tuple[int | None, str, str]:
    """Fork a child whose runner runs body; its return code, stdout and stderr."""
    runner = workdir / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True, exist_ok=True)
    runner.write_text(RUNNER.format(body=textwrap.indent(textwrap.dedent(body), " " * 8)))
    process = children.start(workdir, runner, list(blocked))
    assert isinstance(process, ForkedChild), "the server did not start: a child was started afresh"
    process.stdin.write(pickle.dumps({"files": work_files(workdir)}))
    process.stdin.close()
    deadline = time.monotonic() + timeout
    out = process.stdout.read()
    err = process.stderr.read()
    assert time.monotonic() < deadline
    process.wait(timeout=30)
    children.kill(process)
    return process.returncode, out.decode(), err.decode()


def seen(out: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


PLANT = """
import ctypes, os, signal, socket, time
secret = open("secret.txt").read()
for name in os.listdir("/tmp"):  # the folders bubblewrap made to mount the Python installation, if under /tmp
    if name != "job":
        try:
            with open(f"/tmp/{name}/relay.txt", "w") as f:
                f.write(secret)
            print(f"planted beside a mount=/tmp/{name}", flush=True)
        except OSError:
            pass
for folder in ("/tmp", "/dev/shm"):
    with open(folder + "/relay.txt", "w") as f:
        f.write(secret)
    os.makedirs(folder + "/locked/deeper", exist_ok=True)
    with open(folder + "/locked/deeper/relay.txt", "w") as f:
        f.write(secret)
    os.chmod(folder + "/locked/deeper", 0)
    os.chmod(folder + "/locked", 0)
libc = ctypes.CDLL(None, use_errno=True)
print("shmget=" + str(libc.shmget(0x6E6E6B, 4096, 0o1666)), flush=True)
print("mq_open=" + str(libc.mq_open(b"/relay", 0o100 | 2, 0o666, None)), flush=True)
for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
    try:
        os.kill(1, sig)
        print(f"signal {sig.name}=sent", flush=True)
    except OSError as e:
        print(f"signal {sig.name}=" + type(e).__name__, flush=True)
for name in ("mem", "environ"):
    try:
        open("/proc/1/" + name, "rb").read(1)
        print(f"/proc/1/{name}=read", flush=True)
    except OSError as e:
        print(f"/proc/1/{name}=" + type(e).__name__, flush=True)
if os.fork() == 0:  # a daemon that would hand the secret to whoever asks
    os.setsid()
    os.closerange(0, 3)
    server = socket.socket(socket.AF_UNIX)
    server.bind("\\0nnkit-relay")
    server.listen()
    while True:
        connection, _ = server.accept()
        connection.sendall(secret.encode())
        connection.close()
time.sleep(0.5)
print("planted=yes", flush=True)
"""

LOOK = """
import os, socket
first, second = open("needle.txt").read().split()

def sandboxs_own(path):  # a mount of bubblewrap's (the Python installation, if under /tmp), or a folder to one
    return os.path.ismount(path) or (os.path.isdir(path) and not os.path.islink(path) and os.listdir(path) != []
                                     and all(sandboxs_own(os.path.join(path, n)) for n in os.listdir(path)))

left = [n for n in os.listdir("/tmp") if n != "job" and not sandboxs_own("/tmp/" + n)]  # job: this child's
print("files=" + repr(sorted(left) + os.listdir("/dev/shm")))
try:
    client = socket.socket(socket.AF_UNIX)
    client.connect("\\0nnkit-relay")
    print("daemon=" + client.recv(100).decode())
except OSError as e:
    print("daemon=" + type(e).__name__)
found = 0  # the secret whole anywhere in this process's memory: the first half followed by the second
with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb") as memory:
    for line in maps:
        span, perms = line.split()[:2]
        if "r" not in perms or line.rstrip().endswith(("[vvar]", "[vsyscall]", "[vvar_vclock]")):
            continue
        start, end = (int(x, 16) for x in span.split("-"))
        try:
            memory.seek(start)
            data = memory.read(end - start)
        except (OSError, OverflowError, ValueError):
            continue
        at = data.find(first.encode())
        while at >= 0:
            found += data[at + len(first): at + len(first) + len(second)] == second.encode()
            at = data.find(first.encode(), at + 1)
print(f"in memory={found}")
print("server alive=" + str(os.path.exists("/proc/1")))
"""


@pytest.fixture(params=["kit_elsewhere", "kit_under_tmp"])
def kit_place(request, monkeypatch) -> str:
    """Where the Python installation lies: as it is, or also under /tmp (a clone in /tmp with its .venv), which
    bubblewrap then mounts below folders of its own in the sandbox's /tmp."""
    if request.param == "kit_under_tmp":
        installation = Path(tempfile.mkdtemp(prefix="nnkit-kit-", dir="/tmp"))
        installation.chmod(0o755)  # as a clone's folder is: the child's uid reaches it
        (installation / "venv").mkdir()
        (installation / "venv" / "python.txt").write_text("an installation\n")
        roots = [*bwrap_module.python_roots(), str(installation / "venv")]
        for module in (launch, bwrap_module):  # the confinement keeps it in reach; bubblewrap mounts it
            monkeypatch.setattr(module, "python_roots", lambda: roots)
        request.addfinalizer(lambda: shutil.rmtree(installation, ignore_errors=True))
    return request.param


def test_a_childs_files_processes_and_job_are_gone_before_the_next_child(tmp_path, kit_place):
    secret = "nnkit-canary-" + secrets.token_hex(24)
    children = PreloadedChildren(BwrapLauncher(LIMITS))
    try:
        first = tmp_path / "first"
        first.mkdir()
        (first / "secret.txt").write_text(secret)  # only in the first child's job
        rc, out, err = run_child(children, first, PLANT)
        planted = seen(out)
        assert planted.get("planted") == "yes", err
        assert planted["shmget"] == "-1" and planted["mq_open"] == "-1", planted  # refused by the filter
        assert planted["/proc/1/mem"] == "PermissionError" and planted["/proc/1/environ"] == "PermissionError"
        assert kit_place == "kit_elsewhere" or "planted beside a mount" in planted, planted
        server = next(iter(children.servers.values()))

        second = tmp_path / "second"
        second.mkdir()
        half = len(secret) // 2
        (second / "needle.txt").write_text(f"{secret[:half]} {secret[half:]}")
        rc, out, err = run_child(children, second, LOOK)
        found = seen(out)
        assert found.get("files") == "[]", (found, err)
        assert found["daemon"] == "ConnectionRefusedError", found
        assert found.get("in memory") == "0", (found, err)
        assert found["server alive"] == "True"
        assert list(children.servers.values()) == [server] and server.alive, "the server was replaced"
    finally:
        children.close()


def test_the_memory_scan_finds_a_secret_that_is_there(tmp_path):
    """The scan above can fail: a child that holds the secret finds it."""
    secret = "nnkit-canary-" + secrets.token_hex(24)
    children = PreloadedChildren(BwrapLauncher(LIMITS))
    try:
        work = tmp_path / "work"
        work.mkdir()
        half = len(secret) // 2
        (work / "needle.txt").write_text(f"{secret[:half]} {secret[half:]}")
        (work / "secret.txt").write_text(secret)
        rc, out, err = run_child(children, work, "held = open('secret.txt').read()\n" + LOOK)
        assert int(seen(out)["in memory"]) >= 1, (out, err)
    finally:
        children.close()


def test_a_hanging_child_is_ended_and_the_server_forks_the_next(tmp_path):
    children = PreloadedChildren(BwrapLauncher(LIMITS))
    try:
        work = tmp_path / "work"
        work.mkdir()
        runner = work / "nnkit_probes" / "runner.py"
        runner.parent.mkdir()
        runner.write_text("import os\ndef run(workdir, job):\n    os.fork()\n    print('looping', flush=True)\n"
                          "    while True:\n        pass\n")
        process = children.start(work, runner)
        process.stdin.write(pickle.dumps({"files": work_files(work)}))
        process.stdin.close()
        assert process.stdout.readline() == b"looping\n"
        assert process.poll() is None
        started = time.monotonic()
        children.kill(process)
        assert process.returncode == -9 and time.monotonic() - started < 5
        server = next(iter(children.servers.values()))
        assert server.alive
        (tmp_path / "next").mkdir()
        _, out, _ = run_child(children, tmp_path / "next", "print('pids=' + ' '.join(p for p in os.listdir('/proc') "
                                                          "if p.isdigit()))")
        pids = seen(out)["pids"].split()
        assert len(pids) == 2 and "1" in pids, out  # the server and this child: the looping ones are gone
        assert list(children.servers.values()) == [server]
    finally:
        children.close()


def test_children_find_the_libraries_loaded_and_the_blocked_ones_unreachable(tmp_path):
    assert {"numpy", "torch"} <= set(preloaded_libraries())
    children = PreloadedChildren(BwrapLauncher(LIMITS))
    body = """
    import importlib, sys
    print("loaded=" + repr(sorted(m for m in ("numpy", "torch", "sklearn") if m in sys.modules)))
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "Blocker"]
    try:
        importlib.import_module("torch")
        print("torch=imported")
    except ImportError:
        print("torch=refused")
    """
    try:
        (tmp_path / "open").mkdir()
        (tmp_path / "blocked").mkdir()
        _, out, err = run_child(children, tmp_path / "open", body)
        assert seen(out) == {"loaded": "['numpy', 'torch']", "torch": "imported"}, err
        _, out, err = run_child(children, tmp_path / "blocked", body, blocked=("torch",))
        assert seen(out) == {"loaded": "['numpy']", "torch": "refused"}, err
        assert len(children.servers) == 2
    finally:
        children.close()
