"""Grader bundles for where courses grade: Gradescope's autograder zip (and, later, otter-grader's)."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from .gradescope import write_gradescope_bundle


def build_grader_bundles(config: Config, dist: Path, seed: int | None = None) -> list[Path]:
    """Every grader bundle into dist; returns their paths."""
    return [write_gradescope_bundle(config, Path(dist) / "autograder.zip", seed=seed)]
