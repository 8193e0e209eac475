"""Grader bundles for where courses grade: Gradescope's autograder zip and otter-grader's.

Both bundles record one seed, drawn here once per build (or given), and the reference's outputs for it,
computed once and shared by both. otter's grades every notebook on that seed's cases. Gradescope's grades
each submission on a seed of its own, derived from a secret drawn at build time and the submission's
files, so a regrade of the same files reproduces its grade and no submission's cases are another's.
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
