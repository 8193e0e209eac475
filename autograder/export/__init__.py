"""Grader bundles for where courses grade: Gradescope's autograder zip and otter-grader's.

Both bundles grade the same cases: the public ones and the hidden ones of one seed, drawn here once per
build (or given) and recorded in each bundle, so every student meets the same hidden cases and a regrade
reproduces each grade. The reference's outputs for that seed are computed once and shared by both.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from ..config import Config
from .gradescope import write_gradescope_bundle
from .otter import write_otter_bundle

GRADESCOPE = "autograder.zip"
OTTER = "otter_autograder.zip"


def build_grader_bundles(config: Config, dist: Path, seed: int | None = None) -> list[Path]:
    """dist/autograder.zip (Gradescope) and dist/otter_autograder.zip, for seed (default: a fresh one)."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    dist = Path(dist)
    with tempfile.TemporaryDirectory(prefix="nnkit-bundles-") as cache:
        return [write_gradescope_bundle(config, dist / GRADESCOPE, seed=seed, cache=Path(cache)),
                write_otter_bundle(config, dist / OTTER, seed, cache=Path(cache))]
