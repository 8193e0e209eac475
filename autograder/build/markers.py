"""Finding the bodies students write: the `# BEGIN SOLUTION <id>` ... `# END SOLUTION` blocks, and their hints.

A block sits inside a function. Its BEGIN line names the question id; the comment lines right after it hold
the hints, in three levels, each a label and its text (continued on lines that start with '#' and three
spaces):

    # BEGIN SOLUTION engine.add
    # hint: what to compute and why, in words and math, and the notebook section that teaches it
    # nudge: a nudge tied to the typical failure, shown by the public check after a failed case
    # walkthrough: the detailed walkthrough, in the stub only where assignment.toml turns it on
    <the reference's body>
    # END SOLUTION

Every block has a hint; nudge and walkthrough are optional per block. The body, the lines after the hints,
is what the starter replaces with a stub and the leak check keeps out of the student bundle. `find_blocks`
also names the function a block lives in (`Value.__add__._backward`) from the module's syntax tree, so a
stub can tell the student exactly what to write.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION (?P<qid>[\w.]+)[ \t]*$")
END = re.compile(r"^(?P<indent>[ \t]*)# END SOLUTION[ \t]*$")
LEVELS = ("hint", "nudge", "walkthrough")
LEVEL = re.compile(r"^[ \t]*# (?P<level>hint|nudge|walkthrough): (?P<text>.*?)[ \t]*$")
CONTINUED = re.compile(r"^[ \t]*#   (?P<text>\S.*?)[ \t]*$")


class MarkerError(ValueError):
    """The markers of a file are malformed; the message names the file and line."""


@dataclass(frozen=True)
class SolutionBlock:
    """One marked body. Line numbers count from 1, as in an editor."""

    qid: str
    hint: str  # level 1: shipped in the stub
    begin: int  # the BEGIN SOLUTION line
    end: int  # the END SOLUTION line
    indent: str  # the indentation of the markers, which the stub keeps
    qualname: str  # the enclosing functions and classes, e.g. "Value.__add__._backward"
    nudge: str = ""  # level 2: shown by the public check after a failed case
    walkthrough: str = ""  # level 3: in the stub only where the configuration turns it on
    body_start: int = 0  # the first line after the hints (0: the line after BEGIN)

    @property
    def header(self) -> range:
        """The line numbers of the hints, between BEGIN and the body."""
        return range(self.begin + 1, self.body_start or self.begin + 1)

    @property
    def body(self) -> range:
        """The line numbers of the reference's code: after the hints, before END SOLUTION."""
        return range(self.body_start or self.begin + 1, self.end)


def _scopes(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, outermost first."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                found.append((child.lineno, child.end_lineno, name))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _enclosing_function(scopes: list[tuple[int, int, str]], line: int) -> str:
    """The qualified name of the innermost scope holding `line`, or '' at module level."""
    holding = [(first, name) for first, last, name in scopes if first < line <= last]
    return max(holding)[1] if holding else ""


@lru_cache(maxsize=8)
def _parsed_scopes(source: str) -> tuple[tuple[int, int, str], ...] | None:
    try:
        return tuple(_scopes(ast.parse(source)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def function_at(source: str, line: int) -> str | None:
    """The qualified name of the function or class holding line of source ('' at module level), or None if
    source does not parse."""
    scopes = _parsed_scopes(source)
    return None if scopes is None else _enclosing_function(list(scopes), line)


def read_hints(lines: list[str], first: int, where: str) -> tuple[dict[str, str], int]:
    """The hints that open a block whose first line after BEGIN is lines[first] (0-based): {level: text}, and
    the index of the body's first line."""
    hints: dict[str, str] = {}
    current = None
    at = first
    while at < len(lines):
        level, more = LEVEL.match(lines[at]), CONTINUED.match(lines[at])
        if level:
            current = level["level"]
            if current in hints:
                raise MarkerError(f"{where}:{at + 1}: a second '# {current}:' in one block")
            if LEVELS.index(current) < max((LEVELS.index(k) for k in hints), default=-1):
                raise MarkerError(f"{where}:{at + 1}: the hints go in the order {', '.join(LEVELS)}")
            hints[current] = level["text"]
        elif more and current:
            hints[current] += " " + more["text"]
        else:
            break
        at += 1
    return hints, at


def find_blocks(
    source: str, filename: str = "<source>", known_ids: Collection[str] | None = None
) -> list[SolutionBlock]:
    """Every solution block of a module's source, in order; MarkerError if the markers are malformed."""
    blocks: list[SolutionBlock] = []
    scopes = _scopes(ast.parse(source, filename))
    opened: re.Match | None = None
    opened_at = 0
    lines = source.splitlines()
    hints: dict[str, str] = {}
    body_start = 0
    for number, text in enumerate(lines, start=1):
        where = f"{filename}:{number}"
        begin, end = BEGIN.match(text), END.match(text)
        looks_like_marker = re.match(r"\s*#\s*(BEGIN|END)\b.*SOLUTION", text)
        if looks_like_marker and not (begin or end):
            expected = "'# BEGIN SOLUTION <question id>' or '# END SOLUTION'"
            raise MarkerError(f"{where}: a marker must read {expected}")
        if begin:
            if opened:
                raise MarkerError(f"{where}: BEGIN SOLUTION inside the block opened at line {opened_at}")
            if known_ids is not None and begin["qid"] not in known_ids:
                raise MarkerError(f"{where}: unknown question id {begin['qid']!r}")
            opened, opened_at = begin, number
            hints, first_body = read_hints(lines, number, filename)
            if not hints.get("hint"):
                raise MarkerError(f"{where}: the block has no '# hint: <what to compute and why>' after its BEGIN")
            body_start = first_body + 1
        elif end:
            if not opened:
                raise MarkerError(f"{where}: END SOLUTION without a BEGIN SOLUTION")
            if end["indent"] != opened["indent"]:
                raise MarkerError(f"{where}: END SOLUTION is not indented like its BEGIN (line {opened_at})")
            if number <= body_start:
                raise MarkerError(f"{where}: the block opened at line {opened_at} has no code")
            qualname = _enclosing_function(scopes, opened_at + 1)
            if not qualname:
                raise MarkerError(f"{filename}:{opened_at}: a solution block must be inside a function")
            blocks.append(SolutionBlock(opened["qid"], hints["hint"], opened_at, number, opened["indent"], qualname,
                                        hints.get("nudge", ""), hints.get("walkthrough", ""), body_start))
            opened = None
    if opened:
        raise MarkerError(f"{filename}:{opened_at}: BEGIN SOLUTION is never closed by END SOLUTION")
    return blocks
