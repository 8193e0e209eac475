"""The hint check: a level-1 hint, the one every stub ships, says what and why, never the code.

A hint that shares a run of RUN_TOKENS or more tokens with its own block's body hands the student a fragment
of the reference (`model.eval()` is five tokens: model . eval ( )), so the build stops, naming the question,
the line and the run. Tokens are names, numbers and every other single character that is not a space, in the
hint and in the body alike. Shapes and signatures that the assignment specifies belong in the docstrings
outside the blocks, which are specification and not checked here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .markers import SolutionBlock, find_blocks

RUN_TOKENS = 5
TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|\S")


@dataclass(frozen=True)
class HintLeak:
    """A hint that gives away code: where it is, its question and the run of tokens it shares with the body."""

    path: str
    line: int
    qid: str
    run: str

    def __str__(self) -> str:
        return (f"{self.path}:{self.line}: the hint of {self.qid} shares `{self.run}` with its solution body; "
                "say what to compute and why, not the code")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def shared_run(hint: str, body: str, length: int = RUN_TOKENS) -> str | None:
    """The first run of `length` consecutive tokens of hint that also occurs in body, or None."""
    body_tokens = tokens(body)
    runs = {tuple(body_tokens[i:i + length]) for i in range(len(body_tokens) - length + 1)}
    hint_tokens = tokens(hint)
    for i in range(len(hint_tokens) - length + 1):
        if tuple(hint_tokens[i:i + length]) in runs:
            return " ".join(hint_tokens[i:i + length])
    return None


def block_body(lines: list[str], block: SolutionBlock) -> str:
    return "\n".join(lines[number - 1] for number in block.body)


def hint_leaks(source: str, path: str) -> list[HintLeak]:
    """Every block of one module whose hint shares a run of tokens with its body."""
    lines = source.splitlines()
    found = []
    for block in find_blocks(source, path):
        run = shared_run(block.hint, block_body(lines, block))
        if run:
            found.append(HintLeak(path, block.begin + 1, block.qid, run))
    return found


def check_hints(solutions: Path) -> list[HintLeak]:
    """The hint leaks of every module of solutions/."""
    return [leak for path in sorted(solutions.glob("*.py"))
            for leak in hint_leaks(path.read_text(), f"solutions/{path.name}")]
