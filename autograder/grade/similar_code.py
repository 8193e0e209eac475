"""The run's similarity step: each submission's code read again, the class compared (`autograder/similarity.py`).

Runs in the trusted grader before grading, over the whole class: with `--shard K/N` every shard is given
every submission, so shard 1 compares them all and the other shards skip the step.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..config import Config, Limits
from ..contract import MODULES
from ..similarity import Pair, compare_class, find_pairs
from .submission import SubmissionError, open_submission, submission_name


def student_code(package_dir: Path) -> dict[str, str]:
    """The modules students write that the package holds: file name -> text."""
    paths = [package_dir / f"{module}.py" for module in MODULES]
    return {p.name: p.read_text(encoding="utf-8", errors="replace") for p in paths if p.is_file()}


def submitted_code(submissions: Iterable[Path | tuple[str, Path]], limits: Limits) -> dict[str, dict[str, str]]:
    """{submission name: its modules' texts}: each submission (a path, or a name and its path) opened again.

    A submission that cannot be opened has nothing to compare (its results file says why).
    """
    code = {}
    with tempfile.TemporaryDirectory(prefix="nnkit-similar-") as scratch:
        for i, item in enumerate(submissions):
            name, path = item if isinstance(item, tuple) else (submission_name(Path(item)), Path(item))
            try:
                code[name] = student_code(open_submission(Path(path), Path(scratch) / str(i), limits).package_dir)
            except (SubmissionError, OSError):
                continue
    return code


def similar_pairs(submissions: Iterable[Path | tuple[str, Path]], config: Config) -> list[Pair]:
    """The flagged pairs of the class: its code compared, nothing written."""
    return find_pairs(submitted_code(submissions, config.limits), config.similarity.threshold)


def check_similarity(submissions: Iterable[Path | tuple[str, Path]], out_dir: Path, config: Config,
                     shard: tuple[int, int] | None = None) -> list[Pair] | None:
    """The run's step; None when it does not run (`[similarity] enabled = false`, or a shard but the first)."""
    if not config.similarity.enabled or (shard and shard[0] != 1):
        return None
    return compare_class(submitted_code(submissions, config.limits), out_dir, config)
