"""Generating starter/ from solutions/: each solution block becomes a TODO comment and a stub that raises.

    def _backward():
        # TODO (engine.add): <the block's level-1 hint>
        raise NotImplementedError("engine.add: Value.__add__._backward is not written yet. <the hint>")

For a question whose walkthrough the configuration releases (`walkthrough = true` in assignment.toml), the
TODO comment goes on with the block's level-3 walkthrough. Every line outside the blocks is kept as it is, so the starter imports cleanly and its functions raise only
when called. The one other change: the package docstring of `__init__.py` speaks to students instead of
describing the markers.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Collection
from pathlib import Path

from ..config import QUESTION_IDS, Config
from .markers import SolutionBlock, find_blocks

LINE_LENGTH = 120

STUDENT_PACKAGE_DOC = '''"""Your package for the nnkit assignment: the autograd engine, the networks and their training.

Each body you write is marked `# TODO (<question id>): <hint>` and raises NotImplementedError until you
replace the `raise` statement with your code. The notebooks check each question with `check("<question id>")`,
and `python submit.py` packs this folder for upload.
"""
'''


def stub_message(block: SolutionBlock) -> str:
    """What the stub raises, e.g. 'engine.add: Value.__add__._backward is not written yet. <hint>'."""
    message = f"{block.qid}: {block.qualname} is not written yet."
    return f"{message} {block.hint}" if block.hint else message


def _string_literal(text: str, quote: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


def _raise_lines(message: str, indent: str) -> list[str]:
    """`raise NotImplementedError("...")` on one line, or with the message split over several if too long."""
    # Double quotes as in the rest of the kit, unless the message itself holds some and no single ones.
    quote = "'" if '"' in message and "'" not in message else '"'
    one_line = f"{indent}raise NotImplementedError({_string_literal(message, quote)})"
    if len(one_line) <= LINE_LENGTH:
        return [one_line]
    inner = indent + " " * 4
    width = LINE_LENGTH - len(inner) - 2
    # Implicitly concatenated pieces; each ends in the space before the next word, so they join back exactly.
    pieces, current = [], ""
    for word in message.split(" "):
        candidate = f"{current}{word} "
        if current and len(_string_literal(candidate, quote)) > width:
            pieces.append(current)
            current = f"{word} "
        else:
            current = candidate
    pieces.append(current[:-1])
    return [f"{indent}raise NotImplementedError(", *(inner + _string_literal(p, quote) for p in pieces), f"{indent})"]


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=LINE_LENGTH, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#     ",
                         break_long_words=False, break_on_hyphens=False)


def stub_lines(block: SolutionBlock, walkthrough: bool = False) -> list[str]:
    """The lines that replace a block: the TODO comment (wrapped), the walkthrough if released, and the raise,
    at the block's indentation."""
    comment = _comment(f"TODO ({block.qid}): {block.hint}", block.indent)
    if walkthrough and block.walkthrough:
        comment += _comment(f"Walkthrough: {block.walkthrough}", block.indent)
    return comment + _raise_lines(stub_message(block), block.indent)


def walkthroughs(config: Config | None) -> frozenset[str]:
    """The questions whose walkthrough the configuration releases into the stubs."""
    return frozenset(q.id for q in config.questions.values() if q.walkthrough) if config else frozenset()


def _replace_docstring(source: str, docstring: str) -> str:
    """source with its module docstring (which must exist) replaced by the given one."""
    first = ast.parse(source).body[0]
    lines = source.splitlines(keepends=True)
    return docstring + "".join(lines[first.end_lineno :])


def starter_source(source: str, filename: str = "<source>", released: Collection[str] = ()) -> str:
    """The starter version of one solutions module; released: the questions whose walkthrough its stubs carry."""
    blocks = find_blocks(source, filename, known_ids=QUESTION_IDS)
    lines = source.splitlines(keepends=True)
    for block in reversed(blocks):  # from the bottom up, so earlier line numbers stay valid
        newline = "\r\n" if lines[block.begin - 1].endswith("\r\n") else "\n"
        lines[block.begin - 1 : block.end] = [line + newline for line in stub_lines(block, block.qid in released)]
    starter = "".join(lines)
    if Path(filename).name == "__init__.py":
        starter = _replace_docstring(starter, STUDENT_PACKAGE_DOC)
    return starter


def generate(solutions: Path, config: Config | None = None) -> dict[str, str]:
    """File name -> starter text, for every module of solutions/ (walkthroughs as the configuration says)."""
    released = walkthroughs(config)
    return {path.name: starter_source(path.read_text(), str(path), released)
            for path in sorted(solutions.glob("*.py"))}


def _existing(starter: Path) -> set[str]:
    """Files at the top of starter/ (generated or stale); caches are not ours to judge."""
    if not starter.is_dir():
        return set()
    return {p.name for p in starter.iterdir() if p.is_file() and p.suffix != ".pyc"}


def differences(solutions: Path, starter: Path, config: Config | None = None) -> list[str]:
    """Files of starter/ that are not what `generate` makes: changed, missing or stale. Empty if up to date."""
    expected = generate(solutions, config)
    found = []
    for name, text in expected.items():
        path = starter / name
        if not path.exists():
            found.append(f"{path} is missing")
        elif path.read_text() != text:
            found.append(f"{path} differs from what solutions/{name} generates")
    stale = sorted(_existing(starter) - set(expected))
    found += [f"{starter / name} has no counterpart in solutions/" for name in stale]
    return found


def write(solutions: Path, starter: Path, config: Config | None = None) -> dict[str, str]:
    """Regenerate starter/ from solutions/ (stale files removed); returns what was written."""
    files = generate(solutions, config)
    starter.mkdir(parents=True, exist_ok=True)
    for name in _existing(starter) - set(files):
        (starter / name).unlink()
    for name, text in files.items():
        path = starter / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return files
