"""Starting the child that runs student code, with resource limits, in its own session; killing it whole."""

from __future__ import annotations

import os
import pwd
import resource
import signal
import subprocess
import sys
import sysconfig
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


def set_limits(limits: Limits) -> None:
    """In the child, before exec: memory, CPU time, file size and process count."""
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    size = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def prepare_child(limits: Limits, user: str | None) -> None:
    """In the child, before exec: the limits, then (if given) the unprivileged user."""
    set_limits(limits)
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

    def with_blocked(self, blocked_imports: list[str]) -> Launcher:
        """This launcher for a job that blocks these imports (the plain child relies on the runner's blocker)."""
        return self

    def command(self, workdir: Path, runner: Path) -> list[str]:
        return [sys.executable, "-I", "-S", str(runner), str(workdir), *site_dirs()]

    def start(self, workdir: Path, runner: Path) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(workdir, runner),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=workdir,
            env=child_env(),
            start_new_session=True,
            preexec_fn=lambda: prepare_child(self.limits, self.user),
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
    return Launcher(limits, user=child_user())
