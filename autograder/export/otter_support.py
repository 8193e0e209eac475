"""Support for the otter-grader test files: run one case on the student's `nnlab`, raise if it fails.

This file becomes `nnkit_otter/__init__.py` in the otter bundle's files/ (otter copies files/ into the
submission folder); `local.py` beside it runs the cases as the student bundle's checks do (see there), on
the public and hidden cases of the bundle's seed. It runs inside the student's notebook kernel, so it
imports nothing of the kit's.

Unlike `nnkit grade`, the student's own modules serve as every dependency here (no reference stands in),
and nothing is sandboxed: otter runs the tests in the same process as the student's code.
"""

from __future__ import annotations

from pathlib import Path

from .contract import PACKAGE
from .local import Checker

_checker: list[Checker] = []


def checker() -> Checker:
    """The one round of checks of this process, on nnlab/ in the working folder (the submission folder)."""
    if not _checker:
        _checker.append(Checker(Path.cwd() / PACKAGE, f"_nnkit_otter_{PACKAGE}"))
    return _checker[0]


def run_case(qid: str, index: int) -> None:
    """Run case index of question qid on the student's package; AssertionError with the message if it fails."""
    outcome = checker().case(qid, index)
    if not outcome.passed:
        raise AssertionError(outcome.message)
