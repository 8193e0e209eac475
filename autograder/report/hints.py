"""Hints for feedback, read from the reference solution's markers.

Each body students write is marked `# BEGIN SOLUTION <question id>: <hint>` in `solutions/`, and the
starter keeps the hint beside the stub. Feedback repeats that hint, with the function it belongs to, for
every question a submission lost points on: one source, so hints and stubs never disagree.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from ..paths import SOLUTIONS

MARKER = re.compile(r"#\s*BEGIN SOLUTION\s+(?P<qid>[\w.]+)\s*:\s*(?P<hint>.+)$")


def _enclosing_functions(tree: ast.AST) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function, outer ones first."""
    spans = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    spans.append((child.lineno, child.end_lineno or child.lineno, name))
                visit(child, f"{name}.")

    visit(tree, "")
    return spans


def hints_in(source: str, module: str) -> dict[str, list[str]]:
    """{question id: ["`module.function`: hint", ...]} for the markers of one module's source."""
    spans = _enclosing_functions(ast.parse(source))
    found: dict[str, list[str]] = {}
    for lineno, line in enumerate(source.splitlines(), start=1):
        match = MARKER.search(line)
        if not match:
            continue
        # The outermost function: a `_backward` closure is named by the operator that defines it.
        where = next((name for first, last, name in spans if first <= lineno <= last), "")
        prefix = f"`{module}.{where}`: " if where else ""
        found.setdefault(match["qid"], []).append(prefix + match["hint"].strip())
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
