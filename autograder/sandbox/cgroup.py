"""A control group for each child's whole process tree: one memory limit and one process count for all of it.

`RLIMIT_AS` bounds each process, so three forked children of 1.4 GB each pass a 4 GiB limit together; a
control group counts them together. Where the grader may make control groups (root, with cgroup v1's
memory and pids hierarchies or cgroup v2 with those controllers), each child gets a group below the
grader's own, joined before the child runs anything; the group also tells the child's peak memory, and
everything in it is killed when the child ends. Elsewhere `create` returns None and the per-process limits
are all there is.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits

_serial = itertools.count()


def mounts() -> dict[str, Path]:
    """Where each cgroup hierarchy is mounted: 'memory', 'pids' (v1) and 'unified' (v2)."""
    found: dict[str, Path] = {}
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        _, where, kind, options, *_ = line.split()
        if kind == "cgroup2":
            found.setdefault("unified", Path(where))
        elif kind == "cgroup":
            for controller in ("memory", "pids"):
                if controller in options.split(","):
                    found.setdefault(controller, Path(where))
    return found


def own_paths() -> dict[str, str]:
    """This process's group in each hierarchy ('' for v2), from /proc/self/cgroup."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


@dataclass
class ChildGroup:
    """The groups (one per hierarchy) of one child, and the file that tells its peak memory."""

    folders: list[Path]
    peak_file: Path

    @classmethod
    def create(cls, limits: Limits) -> ChildGroup | None:
        """A new group with the limits, or None where none can be made here."""
        if os.geteuid() != 0:
            return None
        try:
            return cls.create_v1(limits) or cls.create_v2(limits)
        except OSError:
            return None

    @classmethod
    def create_v1(cls, limits: Limits) -> ChildGroup | None:
        where, own = mounts(), own_paths()
        if "memory" not in where or "pids" not in where:
            return None
        name = f"nnkit-{os.getpid()}-{next(_serial)}"
        memory = where["memory"] / own.get("memory", "/").lstrip("/") / name
        pids = where["pids"] / own.get("pids", "/").lstrip("/") / name
        group = cls([memory, pids], memory / "memory.max_usage_in_bytes")
        try:
            memory.mkdir()
            pids.mkdir()
            write(memory / "memory.limit_in_bytes", str(limits.memory_mb * 1024 * 1024))
            write(pids / "pids.max", str(limits.processes))
        except OSError:
            group.remove()
            return None
        return group

    @classmethod
    def create_v2(cls, limits: Limits) -> ChildGroup | None:
        where, own = mounts(), own_paths()
        if "unified" not in where:
            return None
        parent = where["unified"] / own.get("", "/").lstrip("/")
        if not {"memory", "pids"} <= set((parent / "cgroup.subtree_control").read_text().split()):
            return None
        folder = parent / f"nnkit-{os.getpid()}-{next(_serial)}"
        group = cls([folder], folder / "memory.peak")
        try:
            folder.mkdir()
            write(folder / "memory.max", str(limits.memory_mb * 1024 * 1024))
            write(folder / "memory.swap.max", "0")
            write(folder / "pids.max", str(limits.processes))
        except OSError:
            group.remove()
            return None
        return group

    def join(self) -> None:
        """Move the calling process into the group (in the child, before it drops root)."""
        for folder in self.folders:
            write(folder / "cgroup.procs", str(os.getpid()))

    def peak_bytes(self) -> int | None:
        try:
            return int(self.peak_file.read_text())
        except (OSError, ValueError):
            return None

    def pids(self) -> set[int]:
        found = set()
        for folder in self.folders:
            try:
                found.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return found

    def kill(self) -> None:
        """SIGKILL everything in the group until it is empty (a process may fork while it is being killed)."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        for folder in self.folders:
            for _ in range(100):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # still busy: the last processes are being reaped
                    time.sleep(0.01)
