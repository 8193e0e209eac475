"""Starting the child that runs student code, confined; and ending it with everything it started.

Every child, direct or under bubblewrap, is confined the same way before it runs anything of a student's:
- a uid of its own, never root, when the grader is root (identity.py), in a mount namespace of its own
  that reaches only what it needs (reach.py);
- a control group for its whole process tree where one can be had (cgroup.py), and rlimits on each
  process (address space, CPU, file size, no core files, a process count for its own uid);
- the seccomp filter (seccomp.py): the direct child installs it itself, bubblewrap loads it;
- its own session, a minimal environment, `python -I -S`.
This module is the direct launcher (bwrap.py subclasses it to add the sandbox's namespaces and mounts).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Limits
from ..paths import PACKAGE, REPO
from . import reach, seccomp
from .cgroup import ChildGroup
from .identity import UidLease, lease_uid


def site_dirs() -> list[str]:
    """Where the child finds numpy, torch and the rest (the venv's site-packages), without .pth processing."""
    paths = sysconfig.get_paths()
    return sorted({paths["purelib"], paths["platlib"]})


def python_roots() -> list[str]:
    """The folders the interpreter needs: the venv and the installation it was made from."""
    roots = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}
    return sorted(r for r in roots if r and not r.startswith("/usr"))


KIT_PACKAGES = ("autograder", "solutions")  # never in a child's reach, even when installed into site-packages


def kit_folders() -> list[Path]:
    """The kit's own folders (the reference and the grader), wherever they are installed: never in reach."""
    found = [REPO / "solutions", PACKAGE]
    for site in site_dirs():
        found += [Path(site) / name for name in KIT_PACKAGES]
    return [f for f in found if f.is_dir()]


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


def set_limits(limits: Limits, own_uid: bool) -> None:
    """In the child, before exec: memory, CPU time, file size, no core files, and (for a uid of its own)
    the process count: the kernel counts per uid, so with a shared uid the limit would count strangers."""
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 5))
    size = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if own_uid:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


@dataclass
class Confinement:
    """What confines one child, made before it starts and undone when it ends."""

    limits: Limits
    lease: UidLease | None = None
    group: ChildGroup | None = None
    mounts: reach.MountPlan | None = None
    filter_program: bytes | None = None  # the direct child installs the seccomp filter itself; bwrap loads it
    pass_fds: list[int] = field(default_factory=list)

    @property
    def uid(self) -> int | None:
        return self.lease.uid if self.lease else None

    @classmethod
    def make(cls, limits: Limits, needed: Sequence[Path], sandboxed: bool) -> Confinement:
        """The confinement of a direct child, or (sandboxed) of bubblewrap, which does part of it itself."""
        lease = lease_uid()
        program = None if sandboxed else seccomp.filter_program()  # made here: the child cannot write /tmp
        confinement = cls(limits, lease, ChildGroup.create(limits), filter_program=program)
        if lease:
            freeze = () if sandboxed else reach.READ_ONLY
            confinement.mounts = reach.plan_mounts(lease.uid, needed, hidden=kit_folders(), freeze=freeze)
        return confinement

    def enter(self) -> None:
        """In the child, between fork and exec, in this order: group, mounts, limits, keyring, uid, filter."""
        if self.group:
            self.group.join()
        if self.mounts:
            reach.apply(self.mounts)
        set_limits(self.limits, own_uid=self.lease is not None)
        seccomp.join_fresh_session_keyring()
        if self.lease:
            os.setgroups([])
            os.setgid(self.lease.uid)
            os.setuid(self.lease.uid)
        if self.filter_program:
            seccomp.install(self.filter_program)

    def end(self) -> None:
        """Kill whatever is left of the child (its group, its uid) and give back what it held."""
        if self.group:
            self.group.kill()
        if self.lease:
            self.lease.release()
        if self.group:
            self.group.remove()
        for fd in self.pass_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        self.pass_fds = []


@dataclass
class Launcher:
    """Starts `python runner.py` for a work folder, confined. Subclasses wrap the command in a sandbox."""

    limits: Limits
    name: str = "direct"

    def command(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = (),
                confinement: Confinement | None = None) -> list[str]:
        """The child's command line (the direct child relies on the runner's import blocker alone)."""
        return [sys.executable, "-I", "-S", str(runner), str(workdir), *site_dirs()]

    def needed(self, workdir: Path) -> list[Path]:
        """What the child's uid must reach: the Python installation and its work folder."""
        return [*map(Path, python_roots()), workdir]

    def confine(self, workdir: Path) -> Confinement:
        return Confinement.make(self.limits, self.needed(workdir), sandboxed=False)

    def start(self, workdir: Path, runner: Path, blocked_imports: Sequence[str] = ()) -> subprocess.Popen:
        """Start runner for workdir; blocked_imports are libraries the job must not reach."""
        confinement = self.confine(workdir)
        return self.spawn(self.command(workdir, runner, blocked_imports, confinement), workdir, confinement)

    @staticmethod
    def spawn(command: list[str], workdir: Path, confinement: Confinement, *, stdin=subprocess.PIPE,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE) -> subprocess.Popen:
        """Run command in workdir under confinement, which ends with the process (`kill`)."""
        try:
            process = subprocess.Popen(
                command,
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
                cwd=workdir,
                env=child_env(),
                start_new_session=True,
                pass_fds=confinement.pass_fds,
                preexec_fn=confinement.enter,
            )
        except BaseException:
            confinement.end()
            raise
        process.confinement = confinement
        for fd in confinement.pass_fds:  # the child has its copies
            os.close(fd)
        confinement.pass_fds = []
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """Kill the child's whole process group, then everything of its group and uid; reap it."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.kill()
        except ProcessLookupError:
            pass
        process.wait()
        confinement = getattr(process, "confinement", None)
        if confinement:
            confinement.end()


def direct_launcher(limits: Limits) -> Launcher:
    """The unsandboxed child: confined as above, without bubblewrap's namespaces."""
    return Launcher(limits)
