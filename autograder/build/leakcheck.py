"""The leak check: nothing of a solution body, a hidden test or a reference value may reach the student bundle.

What counts as secret:

- solution lines: each line of a solution body (inside a BEGIN/END SOLUTION block of solutions/, after its
  hints) that says something (at least MIN_TOKENS names, literals and operators, so `return out` or `else:`
  do not count) and is not public already, i.e. does not occur in any line of solutions/ outside the blocks
  nor in a walkthrough the configuration releases (the hints and nudges are shipped, so they are looked in,
  not trusted);
- hidden lines: the same for the Python files of the hidden tests (everything under autograder/hidden/,
  and whatever has "hidden" in its path under autograder/probes/), with a higher bar (MIN_HIDDEN_TOKENS
  and MIN_HIDDEN_CHARS), "public" meaning also the public checks' sources (autograder/checks/ and the rest
  of autograder/probes/);
- reference values: numbers with a decimal point or exponent and at least MIN_DIGITS significant digits in
  the hidden files, unless they occur in the public sources too;
- the hidden files themselves, byte for byte, whatever their type;
- any output stored in a notebook, which could carry values computed with the reference.

Two exceptions, both deliberate: COMMON_IDIOMS, solution lines so generic that any code may hold them; and
the public cases file (PUBLIC_CASES), whose inputs and reference outputs are public by design, so hidden
lines and values are not looked for in it (solution lines still are).

Lines are compared with all whitespace removed, and a secret is found wherever it occurs in a line of the
bundle, so a solution line pasted into a markdown cell, a stub or a comment is caught as well.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tokenize
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .markers import find_blocks

MIN_TOKENS = 3
MIN_HIDDEN_TOKENS = 5
MIN_HIDDEN_CHARS = 25  # whitespace aside: `@dataclass(frozen=True)` is common, not a hidden test
MIN_DIGITS = 6
MIN_FILE_BYTES = 32  # smaller hidden files (an empty __init__.py) are too common to count as copies

TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\"[^\"]*\"|'[^']*'|[-+*/%@<>=!&|^~]+")
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")
SKIPPED = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache")
PUBLIC_CASES = "nnkit_checks/cases/"  # the public cases: their inputs and expected outputs are public
COMMON_IDIOMS = ("for p in model.parameters():",)


@dataclass(frozen=True)
class Leak:
    """Something secret found in the bundle: the file, where in it, and what it is."""

    path: str
    where: str  # "line 12", or "cell 4, line 2" in a notebook
    what: str

    def __str__(self) -> str:
        return f"{self.path} ({self.where}): {self.what}"


@dataclass
class Secrets:
    """What must not reach the bundle, each with a description of where it comes from."""

    lines: dict[str, str] = field(default_factory=dict)  # whitespace-free line -> origin
    hidden_lines: set[str] = field(default_factory=set)  # those of lines that come from the hidden tests
    numbers: dict[str, str] = field(default_factory=dict)  # canonical number -> origin
    files: dict[str, str] = field(default_factory=dict)  # sha256 -> hidden file

    def line_pattern(self, hidden: bool = True) -> re.Pattern | None:
        """One regex for the secret lines (without the hidden ones if not hidden), longest first so that the
        report names the most specific one."""
        wanted = [s for s in self.lines if hidden or s not in self.hidden_lines]
        if not wanted:
            return None
        return re.compile("|".join(re.escape(s) for s in sorted(wanted, key=len, reverse=True)))


def squeeze(text: str) -> str:
    """text without any whitespace: the form in which lines are compared."""
    return "".join(text.split())


def without_comment(line: str) -> str:
    """A line of Python without its trailing comment (the line as it is if it does not tokenize)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.COMMENT:
                return line[: token.start[1]]
    except (tokenize.TokenError, SyntaxError):  # a fragment of a longer statement, e.g. `self.w = [`
        pass
    return line


def says_something(code: str, min_tokens: int) -> bool:
    """Whether a line of code has at least min_tokens names, literals and operators (brackets, dots, commas
    and colons do not count)."""
    return len(TOKEN.findall(code)) >= min_tokens


def canonical_number(text: str) -> str | None:
    """repr(float) of a number written with MIN_DIGITS significant digits or more, else None."""
    mantissa = re.split(r"[eE]", text.lstrip("+-"))[0]
    digits = mantissa.replace(".", "").lstrip("0")
    if "." in mantissa:
        digits = digits.rstrip("0")
    return repr(float(text)) if len(digits) >= MIN_DIGITS else None


def numbers_in(text: str) -> set[str]:
    return {n for n in map(canonical_number, NUMBER.findall(text)) if n}


def _files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not set(SKIPPED) & set(p.parts) and p.suffix != ".pyc")


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def hidden_files(repo: Path) -> list[Path]:
    """The hidden tests and data: autograder/hidden/, and paths under autograder/probes/ naming "hidden"."""
    probes = repo / "autograder" / "probes"
    in_probes = [p for p in _files(probes) if "hidden" in str(p.relative_to(probes)).lower()]
    return _files(repo / "autograder" / "hidden") + in_probes


def public_files(repo: Path) -> list[Path]:
    """Sources that are public on purpose: the public checks and probes (hidden ones excluded)."""
    hidden = set(hidden_files(repo))
    public = _files(repo / "autograder" / "checks") + _files(repo / "autograder" / "probes")
    return [p for p in public if p not in hidden]


def solution_lines(repo: Path, released: Collection[str] = ()) -> tuple[dict[str, str], str]:
    """The secret lines of repo/solutions (whitespace-free line -> origin), and its public lines as one text;
    released: the questions whose walkthrough the stubs carry, which is public then."""
    public_lines: list[str] = []
    found: list[tuple[str, str]] = []
    for path in sorted((repo / "solutions").glob("*.py")):
        source = path.read_text()
        name = path.relative_to(repo)
        blocks = find_blocks(source, str(name))
        qid_of = {n: block.qid for block in blocks for n in block.body}
        hints = {n for block in blocks for n in block.header}
        public_lines += [squeeze(b.walkthrough) for b in blocks if b.qid in released]
        for number, line in enumerate(source.splitlines(), start=1):
            if number in hints:
                continue
            if number in qid_of:
                code = without_comment(line)
                if says_something(code, MIN_TOKENS):
                    origin = f"a line of the solution to {qid_of[number]} ({name}:{number})"
                    found.append((squeeze(code), origin))
            else:
                public_lines.append(squeeze(line))
    public = "\n".join(public_lines + [squeeze(idiom) for idiom in COMMON_IDIOMS])
    return {s: origin for s, origin in found if s not in public}, public


def collect(repo: Path, released: Collection[str] = ()) -> Secrets:
    """Every secret of the repository at repo (its solutions/ and autograder/); released as for solution_lines."""
    secrets = Secrets()
    lines, public = solution_lines(repo, released)
    secrets.lines.update(lines)

    public_texts = [t for t in map(_text, public_files(repo)) if t is not None]
    public = "\n".join([public, *(squeeze(line) for t in public_texts for line in t.splitlines())])
    public_numbers = set().union(*map(numbers_in, public_texts)) if public_texts else set()
    for path in hidden_files(repo):
        name = path.relative_to(repo)
        content = path.read_bytes()
        if len(content) >= MIN_FILE_BYTES:
            secrets.files[hashlib.sha256(content).hexdigest()] = f"a copy of the hidden file {name}"
        text = _text(path)
        if text is None:
            continue
        for number in numbers_in(text) - public_numbers:
            secrets.numbers.setdefault(number, f"a value from the hidden file {name}")
        if path.suffix == ".py":
            for number, line in enumerate(text.splitlines(), start=1):
                code = squeeze(without_comment(line))
                significant = len(code) >= MIN_HIDDEN_CHARS and says_something(code, MIN_HIDDEN_TOKENS)
                if significant and code not in public and code not in secrets.lines:
                    secrets.lines[code] = f"a line of the hidden tests ({name}:{number})"
                    secrets.hidden_lines.add(code)
    return secrets


def _notebook_lines(notebook: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """(where, text) of every source line, and the cells that store outputs."""
    lines, with_outputs = [], []
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines += [(f"cell {index}, line {n}", text) for n, text in enumerate(source.splitlines(), start=1)]
        if cell.get("outputs"):
            with_outputs.append(f"cell {index}")
    return lines, with_outputs


def scan(bundle: Path, secrets: Secrets) -> list[Leak]:
    """Every leak in the folder bundle, in file order."""
    patterns = {True: secrets.line_pattern(hidden=True), False: secrets.line_pattern(hidden=False)}
    leaks = []
    for path in _files(bundle):
        name = path.relative_to(bundle).as_posix()
        public_cases = name.startswith(PUBLIC_CASES) and name.endswith(".json")
        pattern = patterns[not public_cases]
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest in secrets.files:
            leaks.append(Leak(name, "whole file", secrets.files[digest]))
        text = _text(path)
        if text is None:
            continue
        if path.suffix == ".ipynb":
            lines, with_outputs = _notebook_lines(json.loads(text))
            stored = "stored outputs, which may hold reference values: clear them"
            leaks += [Leak(name, cell, stored) for cell in with_outputs]
        else:
            lines = [(f"line {n}", line) for n, line in enumerate(text.splitlines(), start=1)]
        for where, line in lines:
            found = pattern.search(squeeze(line)) if pattern else None
            if found:
                leaks.append(Leak(name, where, f"{secrets.lines[found.group()]}: {line.strip()}"))
            for number in set() if public_cases else numbers_in(line) & secrets.numbers.keys():
                leaks.append(Leak(name, where, f"{secrets.numbers[number]}: {number}"))
    return leaks


def check(bundle: Path, repo: Path, released: Collection[str] = ()) -> list[Leak]:
    """The leaks of bundle with respect to the secrets of repo."""
    return scan(bundle, collect(repo, released))
