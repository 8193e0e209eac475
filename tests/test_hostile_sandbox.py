"""Attacks on the sandbox and on the grader's resources, graded through `nnkit grade` as root and as an
unprivileged user: escaping as host root (a kernel setting), a relay between children through the kernel
keyring, reading earlier questions' stand-ins without bubblewrap, and exhausting the grader (a source that
takes the parser gigabytes, huge reports, forked memory, extra files). None may raise a score, change a
host setting, leave a key behind or fail the grader. The in-sandbox checks come first: the child is never
host uid 0, /proc/sys takes no writes, the keyring and ptrace are refused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hostile import (
    SYSCTL,
    extra_files,
    forget_relay_key,
    join_fresh_session_keyring,
    make,
    nested_source,
    relay_key_present,
)
from partial_expected import cache_expected

from autograder.config import DEFAULT_PATH, load_config
from autograder.hidden import public_cases
from autograder.paths import STARTER
from autograder.sandbox import BwrapLauncher, bwrap_works, direct_launcher
from autograder.sandbox import bwrap as bwrap_module

pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")

SEED = 11
LIMITS = load_config().limits
UNPRIVILEGED_GRADER = 0x6E6A0001  # a uid of no account: the grader run as an ordinary user

INSIDE = """
import ctypes, os, platform, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
calls = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
writable = []
for folder, _, files in os.walk("/proc/sys"):
    for name in files:
        try:
            os.close(os.open(os.path.join(folder, name), os.O_WRONLY))
            writable.append(name)
        except OSError:
            pass
print("writable_sysctls=" + ",".join(writable))
print(f"add_key={libc.syscall(calls[0], b'user', b'probe', b'x', 1, -3)}")
print(f"keyctl={libc.syscall(calls[1], 0, -3, 0)}")
print(f"ptrace_traceme={libc.ptrace(0, 0, 0, 0)}")
print(f"ptrace_attach={libc.ptrace(16, os.getppid(), 0, 0)}")
print("ready=1", flush=True)
import time; time.sleep(1.5)
"""


def host_uids(process: subprocess.Popen) -> set[int]:
    """The host uids of the child's whole process tree (from its control group, or its own pid)."""
    group = process.confinement.group
    pids = group.pids() if group else {process.pid}
    uids = set()
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        uids.add(int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1]))
    return uids


@pytest.mark.parametrize("make_launcher", [direct_launcher, BwrapLauncher], ids=["direct", "bwrap"])
def test_inside_the_child_no_host_root_no_sysctl_no_keyring_no_ptrace(tmp_path, make_launcher):
    launcher = make_launcher(LIMITS)
    runner = tmp_path / "work" / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True)
    runner.write_text(textwrap.dedent(INSIDE))
    process = launcher.start(tmp_path / "work", runner)
    try:
        said = list(iter(process.stdout.readline, b"ready=1\n"))
        uids = host_uids(process)
        _, err = process.communicate(timeout=60)
    finally:
        launcher.kill(process)
    seen = dict(line.decode().strip().split("=", 1) for line in said)
    assert process.returncode == 0, err
    if os.geteuid() == 0:
        assert uids and 0 not in uids, uids  # seen from the host: not root, whatever the child's own view
    assert seen == {"writable_sysctls": "", "add_key": "-1", "keyctl": "-1", "ptrace_traceme": "-1",
                    "ptrace_attach": "-1"}


def world_readable_folder() -> Path:
    """A folder that an unprivileged grader can read and write (tmp_path is under a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="nnkit-hostile-", dir="/tmp"))
    folder.chmod(0o777)
    return folder


def tight_config(folder: Path) -> Path:
    """The kit's configuration with limits that make the attacks quick to meet (1.5 GiB per child)."""
    text = DEFAULT_PATH.read_text()
    for key, value in (("memory_mb", "1536"), ("case_timeout_s", "20.0"), ("question_timeout_s", "40.0")):
        text = "\n".join(f"{key} = {value}" if line.startswith(f"{key} =") else line for line in text.splitlines())
    path = folder / "tight.toml"
    path.write_text(text + "\n")
    return path


DRIVER = """
import resource, sys
from autograder.cli import main
if sys.argv[1] == "direct":
    import autograder.sandbox.bwrap as bwrap
    bwrap.bwrap_works = lambda: False
rc = main(sys.argv[3:])
sys.path.insert(0, sys.argv[2])
from hostile import relay_key_present
print(f"grader_peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} key_left={relay_key_present()}")
sys.exit(rc)
"""


def become(uid: int | None):
    """preexec: stay, or become uid with the Python installation in reach (as a TA's account would)."""
    if uid is None:
        return None
    from autograder.sandbox import reach

    plan = reach.plan_mounts(uid, [Path(r) for r in bwrap_module.python_roots()], fresh=())

    def enter():
        reach.apply(plan)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return enter


def grade(submissions: list[Path], out: Path, config: Path, uid: int | None, launcher: str = "auto") -> dict:
    """`nnkit grade` in a process of its own (as uid, if given), in a fresh session keyring; its grader's peak."""
    command = [sys.executable, "-c", DRIVER, launcher, str(Path(__file__).parent), "grade", *map(str, submissions),
               "--out", str(out), "--seed", str(SEED), "--workers", "1", "--config", str(config)]
    enter = become(uid)

    def prepare():
        join_fresh_session_keyring()
        if enter:
            enter()
        forget_relay_key()  # what an earlier run left in the grader's user keyring is not this run's
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200, preexec_fn=prepare,
                          env={**os.environ, "HOME": "/tmp"})
    assert done.returncode == 0, done.stderr[-3000:]
    said = dict(item.split("=") for item in done.stdout.strip().splitlines()[-1].split())
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    return {"peak_kb": int(said["grader_peak_kb"]), "key_left": said["key_left"] == "True", "results": results}


def engine_points(result: dict) -> float:
    return sum(q["score"] for qid, q in result["extra_data"]["questions"].items() if qid.startswith("engine."))


@pytest.fixture(scope="module")
def sysctl_before():
    value = SYSCTL.read_text()
    yield value
    if SYSCTL.read_text() != value and os.geteuid() == 0:  # an escaped attack: put the host back as it was
        SYSCTL.write_text(value)


def the_other_attacks(folder: Path) -> dict[str, Path]:
    """One submission for each attack class of the other hostile suites, for this class: reading the reference
    out through messages (4), replaying the public cases (5), poisoning the run cache (7), crashing the judge (8)."""
    from test_hostile_feedback import JUNK, TRAIN, hostile_sources
    from test_hostile_replay import colliding_pair, package, replay_table, replaying_package

    module, source = hostile_sources()["nn_message_whole"]
    made = {"leaks_the_reference": package(folder / "leaks_the_reference", {f"{module}.py": source})}
    train = (STARTER / "train.py").read_text() + TRAIN.replace("JUNK", JUNK["huge_int"])
    made["crashes_the_judge"] = package(folder / "crashes_the_judge", {"train.py": train})
    public = [c for c in public_cases() if c.question.split(".")[0] in ("engine", "optim")]
    made["replays_public_cases"] = replaying_package(folder / "replays_public_cases", replay_table(public))
    crafted, honest = colliding_pair(folder / "pair")[::-1]
    made["poison_a_crafted"] = crafted.rename(folder / "poison_a_crafted")
    made["poison_b_honest"] = honest.rename(folder / "poison_b_honest")
    return made


def output_folder(folder: Path, uid: int | None) -> Path:
    """An output folder the grader (uid, if given) owns, with the reference's outputs already in it."""
    out = folder / "out"
    cache_expected(out, SEED, ("engine", "nn", "optim", "train"))
    if uid is not None:
        for path in [out, *out.rglob("*")]:
            os.chown(path, uid, uid)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("uid", [None, UNPRIVILEGED_GRADER], ids=["as_root", "as_unprivileged_user"])
def test_the_hostile_class_steals_nothing_and_harms_nothing(sysctl_before, uid):
    if uid is not None and os.geteuid() != 0:
        pytest.skip("needs root to become another user")
    from test_hostile_feedback import leaks, student_facing

    folder = world_readable_folder()
    try:
        names = ("sysctl_writer", "relay_a_store", "relay_b_use", "huge_reports", "fork_memory")
        if uid is not None:  # the grader reads every line in bounded pieces whoever it runs as, and these 60
            names = tuple(n for n in names if n != "huge_reports")  # reports of 12.5 MB cost a minute to make
        submissions = [make(name, folder / "class") for name in names]
        submissions += [nested_source(folder / "class"), extra_files(folder / "class")]
        others = the_other_attacks(folder / "class")
        submissions += list(others.values())
        for path in (folder / "class").rglob("*"):
            path.chmod(0o777 if path.is_dir() else 0o644)
        config = tight_config(folder)
        run = grade(submissions, output_folder(folder / "bwrap", uid), config, uid)
        direct = grade([make("scratch_reader", folder / "direct")], output_folder(folder / "direct", uid), config, uid,
                      launcher="direct")

        results = run["results"] | direct["results"]
        assert SYSCTL.read_text() == sysctl_before, "a child changed a kernel setting of the host"
        assert not relay_key_present() and not run["key_left"], "a key outlived the children that made it"
        stealers = [*names, "nested_source", "scratch_reader", "leaks_the_reference", "crashes_the_judge",
                    "replays_public_cases", "poison_a_crafted"]
        for name in stealers:
            assert results[name]["score"] == 0, (name, results[name]["output"])
        for name in results:
            assert not results[name]["extra_data"]["grader_failed"], (name, results[name]["extra_data"]["error"])
        assert engine_points(results["extra_files"]) == 18, results["extra_files"]["output"]
        assert engine_points(results["poison_b_honest"]) == 18, results["poison_b_honest"]["output"]
        nested = [t["output"] for t in results["nested_source"]["tests"] if t["name"].startswith("engine.")]
        assert all("too large or too deeply nested" in message for message in nested), nested[:1]
        found = {where: leaks(text) for where, text in student_facing(folder / "bwrap" / "out",
                                                                       "leaks_the_reference").items()}
        assert not any(found.values()), {where: pieces[:2] for where, pieces in found.items() if pieces}
        assert run["peak_kb"] < 1.5 * 1024 * 1024, run["peak_kb"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@as_root
def test_forked_children_share_one_memory_limit(tmp_path):
    """Three forked children of 600 MB each fit one 1 GiB RLIMIT_AS each, not one 1 GiB group together."""
    import dataclasses

    limits = dataclasses.replace(LIMITS, memory_mb=1024)
    launcher = BwrapLauncher(limits)
    runner = tmp_path / "work" / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True)
    runner.write_text(textwrap.dedent("""
    import os, time
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            block = bytearray(600 * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(5)
            os._exit(0)
        children.append(pid)
    print("statuses=" + ",".join(str(os.waitpid(pid, 0)[1]) for pid in children))
    """))
    process = launcher.start(tmp_path / "work", runner)
    group = process.confinement.group
    if group is None:
        launcher.kill(process)
        pytest.skip("no control group can be made here")
    try:
        out, err = process.communicate(timeout=60)
        peak = group.peak_bytes()
    finally:
        launcher.kill(process)
    statuses = out.decode().split("statuses=")[1].split(",")
    assert any(int(s) != 0 for s in statuses), "all three held their memory at once"
    assert peak is not None and peak <= 1024 * 1024 * 1024


def test_only_the_contract_modules_reach_a_work_folder(tmp_path):
    from autograder.grade.assemble import assemble
    from autograder.grade.submission import open_submission

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    submission = open_submission(extra_files(tmp_path, count=20, size=1000), scratch, LIMITS)
    assemble(submission, "engine.mul", scratch / "engine.mul", {"engine_ops.local_backward"})
    files = sorted(p.name for p in (scratch / "engine.mul" / "submission").iterdir())
    assert not any(name.startswith("padding_") for name in files), files


def test_without_the_filter_a_child_still_gets_a_fresh_empty_session_keyring(tmp_path, monkeypatch):
    """Where libseccomp is missing, the keyring cannot be refused: the grader's own session keyring (and what a
    child put there) must still not reach the next child."""
    from hostile import libc_syscall

    from autograder.sandbox import seccomp

    monkeypatch.setattr(seccomp, "filter_program", lambda: None)
    join_fresh_session_keyring()
    grader_ring = libc_syscall("keyctl", 0, -3, 0)  # KEYCTL_GET_KEYRING_ID of the session keyring
    runner = tmp_path / "work" / "nnkit_probes" / "runner.py"
    runner.parent.mkdir(parents=True)
    runner.write_text(textwrap.dedent("""
    import ctypes, platform
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    number = {"x86_64": 250, "aarch64": 219}[platform.machine()]
    print(f"ring={libc.syscall(number, 0, -3, 0)}")
    """))
    launcher = direct_launcher(LIMITS)
    process = launcher.start(tmp_path / "work", runner)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        launcher.kill(process)
    child_ring = int(out.decode().split("ring=")[1])
    assert grader_ring > 0 and child_ring > 0 and child_ring != grader_ring, err
