"""Hints for feedback, read from the reference solution's markers.

Each body students write is marked `# BEGIN SOLUTION <question id>: <hint>` in `solutions/`, and the
starter keeps the hint beside the stub. Feedback repeats that hint, with the function it belongs to (as the
stub names it), for every question a submission lost points on: one source, so hints and stubs never
disagree. The markers are read by `build/markers.py`, as for the starter.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..build.markers import find_blocks
from ..paths import SOLUTIONS


def hints_in(source: str, module: str) -> dict[str, list[str]]:
    """{question id: ["`module.function`: hint", ...]} for the markers of one module's source."""
    found: dict[str, list[str]] = {}
    for block in find_blocks(source, f"{module}.py"):
        if block.hint.strip():
            found.setdefault(block.qid, []).append(f"`{module}.{block.qualname}`: {block.hint.strip()}")
    return found


@cache
def all_hints(folder: Path = SOLUTIONS) -> dict[str, tuple[str, ...]]:
    """Every question's hints from the reference modules in folder; empty if the folder is absent."""
    hints: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.py")):
        for qid, texts in hints_in(path.read_text(encoding="utf-8"), path.stem).items():
            hints.setdefault(qid, []).extend(texts)
    return {qid: tuple(texts) for qid, texts in hints.items()}


def hints_for(qid: str) -> tuple[str, ...]:
    return all_hints().get(qid, ())
