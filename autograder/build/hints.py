"""The hints of every question, read from the reference solution's markers, by level.

Each body students write opens with its hints in `solutions/` (build/markers.py): level 1, the hint, rides in
the stub; level 2, the nudge, is shown by the public check after a failed case and on the feedback page of
a question that lost points; level 3, the walkthrough, only where the configuration releases it. One
source, so stubs, checks and feedback never disagree. Each hint is named by the function it belongs to, as
the stub names it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..paths import SOLUTIONS
from .markers import find_blocks


def hints_in(source: str, module: str, level: str = "hint") -> dict[str, list[str]]:
    """{question id: ["`module.function`: text", ...]} for one level of the markers of one module's source."""
    found: dict[str, list[str]] = {}
    for block in find_blocks(source, f"{module}.py"):
        text = getattr(block, level).strip()
        if text:
            found.setdefault(block.qid, []).append(f"`{module}.{block.qualname}`: {text}")
    return found


@cache
def all_hints(level: str = "hint", folder: Path = SOLUTIONS) -> dict[str, tuple[str, ...]]:
    """Every question's hints of one level from the reference modules in folder; empty if the folder is absent."""
    hints: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.py")):
        for qid, texts in hints_in(path.read_text(encoding="utf-8"), path.stem, level).items():
            hints.setdefault(qid, []).extend(texts)
    return {qid: tuple(texts) for qid, texts in hints.items()}


def hints_for(qid: str, level: str = "hint") -> tuple[str, ...]:
    return all_hints(level).get(qid, ())
