"""For a root grader: a private mount namespace in which the child's own uid reaches what it needs, and no more.

A child runs as an unprivileged uid of its own (identity.py), but what it needs may lie where that uid
cannot go: the Python installation under /root (mode 0700), its work folder inside the grader's scratch
folder (0700, so that no other child can look in). Before dropping root, the child enters a mount
namespace of its own, covers each such folder with an empty tmpfs, and binds back, read-only, exactly the
paths it needs; /proc/sys and the other settings under /proc are made read-only. The same covers hide
the kit (its repository, the reference) and give the child fresh /tmp, /var/tmp and /dev/shm, so nothing
it writes there meets another child. The host's mounts are never touched: the namespace ends with the
child.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
FRESH = ("/tmp", "/var/tmp", "/dev/shm")
READ_ONLY = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus")  # kernel settings: see bwrap.py
TMPFS_OPTIONS = b"mode=0755,size=64m"


def traversable(path: Path, uid: int) -> bool:
    """Whether uid (with gid uid and no other group) may pass through the folder path."""
    try:
        info = path.stat()
    except OSError:
        return False
    if info.st_uid == uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid == uid:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def first_closed_ancestor(path: Path, uid: int) -> Path | None:
    """The outermost folder on the way to path (path's parents) that uid cannot pass, or None."""
    for folder in reversed(path.parents):
        if not traversable(folder, uid):
            return folder
    return None


@dataclass(frozen=True)
class MountPlan:
    """Folders to cover with an empty tmpfs, and paths to bind back read-only, in the order to do it."""

    steps: tuple[tuple[str, str], ...]  # ("cover" | "bind" | "freeze", path), parents before children

    @property
    def binds(self) -> list[str]:
        return [path for kind, path in self.steps if kind == "bind"]


def depth(path: str) -> int:
    return len(Path(path).parts)


def plan_mounts(uid: int, needed: Sequence[Path], hidden: Sequence[Path] = (), fresh: Sequence[str] = FRESH,
                freeze: Sequence[str] = READ_ONLY) -> MountPlan:
    """What uid needs covered and bound back to reach `needed` while `hidden` stays out of sight; `freeze`
    made read-only (not under bubblewrap: the kernel lets no new /proc be mounted over a covered one)."""
    needed = sorted({str(Path(p).resolve()) for p in needed})
    covers = {str(p) for p in hidden if Path(p).is_dir()} | {p for p in fresh if Path(p).is_dir()}
    for path in needed:
        closed = first_closed_ancestor(Path(path), uid)
        if closed is not None:
            covers.add(str(closed))
    binds = [p for p in needed if any(p == c or p.startswith(c.rstrip("/") + "/") for c in covers)]
    steps = sorted([("cover", c) for c in covers] + [("bind", b) for b in binds],
                   key=lambda step: (depth(step[1]), step[0] == "bind"))
    steps += [("freeze", p) for p in freeze if os.path.exists(p)]
    return MountPlan(tuple(steps))


_libc = ctypes.CDLL(None, use_errno=True)


def check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: bytes | None, target: str, kind: bytes | None, flags: int, options: bytes | None = None) -> None:
    check(_libc.mount(source, target.encode(), kind, flags, options), f"mount {target}")


def apply(plan: MountPlan) -> None:
    """In the child, as root, before it drops root: a mount namespace of its own, laid out by plan."""
    check(_libc.unshare(CLONE_NEWNS), "unshare")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    sources = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in plan.binds}  # before covers hide them
    for kind, path in plan.steps:
        if kind == "cover":
            if os.path.isdir(path):  # a folder inside an earlier cover is gone already
                mount(b"tmpfs", path, b"tmpfs", MS_NOSUID | MS_NODEV, TMPFS_OPTIONS)
            continue
        if kind == "freeze":
            mount(path.encode(), path, None, MS_BIND | MS_REC)
            mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
            continue
        if os.path.isdir(f"/proc/self/fd/{sources[path]}"):
            os.makedirs(path, mode=0o755, exist_ok=True)
        elif not os.path.exists(path):
            os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
            open(path, "wb").close()
        mount(f"/proc/self/fd/{sources[path]}".encode(), path, None, MS_BIND | MS_REC)
        mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    for fd in sources.values():
        os.close(fd)
