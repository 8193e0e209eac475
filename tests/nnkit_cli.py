"""Running the real `nnkit` command in a test, laying out a one-module submission for it, and grading a class
of such submissions cheaply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from partial_expected import cache_expected


def nnkit(*args: str | Path | int, cwd: Path) -> subprocess.CompletedProcess:
    """`nnkit ARGS...` run from cwd, as a TA would type it; its exit status and output."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def engine_only(folder: Path, source: str | bytes, module: str = "engine") -> Path:
    """A submission folder holding one module with this source."""
    folder.mkdir(parents=True)
    (folder / f"{module}.py").write_bytes(source if isinstance(source, bytes) else source.encode())
    return folder


def grade_engines(submissions: str | Path, out: Path, seed: int, *options: str | Path | int,
                  cwd: Path) -> subprocess.CompletedProcess:
    """`nnkit grade SUBMISSIONS --out OUT --seed SEED OPTIONS...` for a class whose submissions hold engine.py
    only: the reference's outputs for the engine's cases are written first where grading finds them, so no
    network of the reference is trained."""
    cache_expected(Path(cwd) / out, seed, ("engine",))
    return nnkit("grade", submissions, "--out", out, "--seed", seed, *options, cwd=cwd)
