"""A host user id of its own for each child, when the grader runs as root: never root, never shared.

A child that is host uid 0 can rewrite kernel settings through /proc/sys, whatever its capabilities (the
kernel only checks the writer's uid), and one whose uid another child shares can signal it, read its
files or meet it in the per-user limits. So each child started by a root grader runs as a uid leased from
a range far above real accounts' ids, held (by a lock file) while the child lives: `RLIMIT_NPROC` then
counts that child's processes alone, and when the child ends everything still running under its uid is
killed before the uid is leased again. A grader that is not root runs its children as itself.
"""

from __future__ import annotations

import fcntl
import os
import random
import signal
from dataclasses import dataclass
from pathlib import Path

FIRST_UID = 0x6E6B0000  # 1852506112, far above any real account's id and the usual subordinate-id ranges
SLOTS = 4096
LOCKS = Path("/run/nnkit-uids")


@dataclass
class UidLease:
    """uid (and the gid of the same number) for one child; release() once the child is gone."""

    uid: int
    lock_fd: int

    def release(self) -> None:
        if self.lock_fd >= 0:
            kill_everything_of(self.uid)
            os.close(self.lock_fd)
            self.lock_fd = -1


def lock_folder() -> Path:
    folder = LOCKS if LOCKS.parent.is_dir() and os.access(LOCKS.parent, os.W_OK) else Path("/tmp/nnkit-uids")
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def lease_uid() -> UidLease | None:
    """A free uid for a child (None when the grader is not root: its children run as itself)."""
    if os.geteuid() != 0:
        return None
    folder = lock_folder()
    start = random.randrange(SLOTS)
    for step in range(SLOTS):
        slot = (start + step) % SLOTS
        fd = os.open(folder / str(slot), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        uid = FIRST_UID + slot
        kill_everything_of(uid)  # left over by a grader that died without cleaning up
        return UidLease(uid, fd)
    raise RuntimeError(f"all {SLOTS} child uids are in use")


def kill_everything_of(uid: int) -> None:
    """SIGKILL every process of uid (wherever it is: a process that left its group or session too)."""
    pid = os.fork()
    if pid == 0:  # only system calls between fork and _exit: the grader has threads
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal: its own, except this one
        except OSError:
            pass
        os._exit(0)
    os.waitpid(pid, 0)
