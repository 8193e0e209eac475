"""Starting the child that runs student code, with resource limits, in its own session; killing it whole.

This is the plain launcher: rlimits, a new session, a minimal environment, `python -I -S`. It is what runs
where bubblewrap cannot (see bwrap.py for the sandbox, which subclasses it).
"""

from __future__ import annotations

import os
import pwd
import resource
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits


def site_dirs() -> list[str]:
    """Where the child finds numpy, torch and the rest (the venv's site-packages), without .pth processing."""
    paths = sysconfig.get_paths()
    return sorted({paths["purelib"], paths["platlib"]})


def child_env() -> dict[str, str]:
    """A minimal environment: no secrets of the grader's, single-threaded math libraries."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp",
    }


def tasks_of(uid: int) -> int:
    """How many processes and threads uid runs now (RLIMIT_NPROC counts them all, per user)."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                status = Path(entry.path, "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("Uid", "").split()[:1] == [str(uid)]:
                count += int(fields.get("Threads", "1").strip() or 1)
    return count


def process_limit(limits: Limits, user: str | None) -> int | None:
    """RLIMIT_NPROC for the child: what its user already runs plus limits.processes (None where it cannot bite).

    The kernel counts every process and thread of the user, not of the child, and exempts root: the limit
    is set above what the user runs now, and only for an unprivileged child.
    """
    uid = pwd.getpwnam(user).pw_uid if user else os.geteuid()
    if uid == 0 or not Path("/proc/self/status").exists():
        return None
    return tasks_of(uid) + limits.processes


def set_limits(limits: Limits, nproc: int | None = None) -> None:
    """In the child, before exec: memory, CPU time, file size and (where it bites) process count."""
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    size = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if nproc is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def prepare_child(limits: Limits, user: str | None, nproc: int | None = None) -> None:
    """In the child, before exec: the limits, then (if given) the unprivileged user."""
    set_limits(limits, nproc)
    if user:
        account = pwd.getpwnam(user)
        os.setgroups([])
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)


def child_user() -> str | None:
    """The unprivileged user for student code, from NNKIT_CHILD_USER (Gradescope's run_autograder sets it)."""
    return os.environ.get("NNKIT_CHILD_USER") or None


@dataclass
class Launcher:
    """Starts `python runner.py` for a work folder. Subclasses wrap the command in a sandbox."""

    limits: Limits
    name: str = "none"
    user: str | None = None  # run the child as this unprivileged user (the grader must be root)

    def command(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()) -> list[str]:
        """The child's command line (the plain child relies on the runner's import blocker alone)."""
        return [sys.executable, "-I", "-S", str(runner), str(workdir), *site_dirs()]

    def start(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()) -> subprocess.Popen:
        """Start runner for workdir; blocked_imports are libraries the job must not reach."""
        nproc = process_limit(self.limits, self.user)
        return subprocess.Popen(
            self.command(workdir, runner, blocked_imports),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=child_env(),
            start_new_session=True,
            preexec_fn=lambda: prepare_child(self.limits, self.user, nproc),
        )

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """Kill the child's whole process group (and so what it started), then reap it."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.kill()
        except ProcessLookupError:
            pass
        process.wait()


def plain_launcher(limits: Limits) -> Launcher:
    """The unsandboxed child: limits, own session, minimal environment; as NNKIT_CHILD_USER if set."""
    return Launcher(limits, user=child_user())
