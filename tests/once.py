"""What a test session computes once for all its pytest-xdist workers: in a folder they share, under a lock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from filelock import FileLock


def once(folder: Path, compute: Callable[[Path], object]) -> Path:
    """compute(folder), unless a worker of this session has already done it; the folder, once done.

    A worker that comes while another computes waits for it; a computation that failed is tried again."""
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / "lock")):
        if not (folder / "done").exists():
            compute(folder)
            (folder / "done").touch()
    return folder
