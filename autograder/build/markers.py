"""Finding the bodies students write: the `# BEGIN SOLUTION <id>: <hint>` ... `# END SOLUTION` blocks.

A block sits inside a function. Its BEGIN line names the question id and a hint; everything between the
markers is the reference's body, which the starter replaces with a stub and the leak check keeps out of
the student bundle. `find_blocks` also names the function a block lives in (`Value.__add__._backward`)
from the module's syntax tree, so a stub can tell the student exactly what to write.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION (?P<qid>[\w.]+)(?::[ \t]*(?P<hint>.*?))?[ \t]*$")
END = re.compile(r"^(?P<indent>[ \t]*)# END SOLUTION[ \t]*$")


class MarkerError(ValueError):
    """The markers of a file are malformed; the message names the file and line."""


@dataclass(frozen=True)
class SolutionBlock:
    """One marked body. Line numbers count from 1, as in an editor."""

    qid: str
    hint: str
    begin: int  # the BEGIN SOLUTION line
    end: int  # the END SOLUTION line
    indent: str  # the indentation of the markers, which the stub keeps
    qualname: str  # the enclosing functions and classes, e.g. "Value.__add__._backward"

    @property
    def body(self) -> range:
        """The line numbers strictly between the markers."""
        return range(self.begin + 1, self.end)


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


def find_blocks(
    source: str, filename: str = "<source>", known_ids: Collection[str] | None = None
) -> list[SolutionBlock]:
    """Every solution block of a module's source, in order; MarkerError if the markers are malformed."""
    blocks: list[SolutionBlock] = []
    scopes = _scopes(ast.parse(source, filename))
    opened: re.Match | None = None
    opened_at = 0
    for number, text in enumerate(source.splitlines(), start=1):
        where = f"{filename}:{number}"
        begin, end = BEGIN.match(text), END.match(text)
        looks_like_marker = re.match(r"\s*#\s*(BEGIN|END)\b.*SOLUTION", text)
        if looks_like_marker and not (begin or end):
            expected = "'# BEGIN SOLUTION <question id>: <hint>' or '# END SOLUTION'"
            raise MarkerError(f"{where}: a marker must read {expected}")
        if begin:
            if opened:
                raise MarkerError(f"{where}: BEGIN SOLUTION inside the block opened at line {opened_at}")
            if known_ids is not None and begin["qid"] not in known_ids:
                raise MarkerError(f"{where}: unknown question id {begin['qid']!r}")
            opened, opened_at = begin, number
        elif end:
            if not opened:
                raise MarkerError(f"{where}: END SOLUTION without a BEGIN SOLUTION")
            if end["indent"] != opened["indent"]:
                raise MarkerError(f"{where}: END SOLUTION is not indented like its BEGIN (line {opened_at})")
            if number == opened_at + 1:
                raise MarkerError(f"{where}: the block opened at line {opened_at} is empty")
            qualname = _enclosing_function(scopes, opened_at + 1)
            if not qualname:
                raise MarkerError(f"{filename}:{opened_at}: a solution block must be inside a function")
            blocks.append(
                SolutionBlock(opened["qid"], opened["hint"] or "", opened_at, number, opened["indent"], qualname)
            )
            opened = None
    if opened:
        raise MarkerError(f"{filename}:{opened_at}: BEGIN SOLUTION is never closed by END SOLUTION")
    return blocks
