"""What student code says about a failing case, made fit for students to read.

The child reports a failing case as a type, a message and a place (`probes/runner.py`): claims of untrusted
code, which can read the reference's stand-ins in its work folder and try to send them back through its
feedback. What a student reads of them:

- the message: its first line, control characters stripped, cut to MAX_QUOTE characters, redacted (the
  caller passes `reference_redactor().redact`); the starter's own stub messages are public, shown whole;
- the type: shown if it is a builtin exception or a name in the student's own module, else "an exception";
- the place: the child names files and lines; only a line of the graded module is taken, and its text is
  read from the grader's copy of that module, the function holding it from that copy's syntax tree;
- within a results file, the quoted messages share QUOTE_BUDGET characters, and a message quoted already
  for a question is not quoted again for it (`limit_quotes`).
"""

from __future__ import annotations

import builtins
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..build.markers import function_at
from ..results import TestResult

MAX_QUOTE = 160  # characters of one message
MAX_SOURCE_LINE = 200  # characters of the student's source line shown under a message
QUOTE_BUDGET = 4000  # characters of quoted messages per results file
BUILTIN_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                               if isinstance(value, type) and issubclass(value, BaseException))
FRAME = re.compile(r"([\w.-]{1,100}\.py), line (\d{1,9})")
NEWLINE = re.compile(r"\r\n|\r|\n")  # what ends a line for Python, so line numbers agree with tracebacks


class Feedback(str):
    """A case's message whose untrusted parts are safe already (not to be redacted again as a whole).

    `quote` is where in it the text quoted from student code is, (start, end, may be said once per question),
    or None if it quotes nothing.
    """

    quote: tuple[int, int, bool] | None = None


def feedback(before: str, quote: str, after: str, *, once: bool) -> Feedback:
    """before + quote + after, quote being what student code said (made safe by `quoted`)."""
    text = Feedback(before + quote + after)
    if quote:
        text.quote = (len(before), len(before) + len(quote), once)
    return text


def printable(text: str) -> str:
    """text without control or format characters (bidirectional overrides, zero-width ones); tabs as spaces."""
    return "".join(ch for ch in text.replace("\t", " ") if unicodedata.category(ch)[0] != "C")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def quoted(message: str, redact: Callable[[str], str]) -> str:
    """What a student is shown of a message from their code: its first line, printable, cut, redacted."""
    lines = message.strip().splitlines()
    return redact(cut(printable(lines[0]).strip(), MAX_QUOTE)) if lines else ""


def shown_type(kind: str, source: str | None) -> str:
    """The exception's type name if it is a builtin one or a name in the student's module, else 'an exception'."""
    if kind in BUILTIN_EXCEPTIONS:
        return kind
    if source and kind.isidentifier() and re.search(rf"(?<!\w){re.escape(kind)}(?!\w)", source):
        return kind
    return "an exception"


@lru_cache(maxsize=8)
def _read(path: str, stamp: tuple[int, int]) -> str:
    return Path(path).read_bytes().decode("utf-8", "replace")


def read_source(path: Path) -> str | None:
    """The text of the grader's copy of a student's module, or None if there is none."""
    try:
        stat = path.stat()
        return _read(str(path), (stat.st_mtime_ns, stat.st_size))
    except OSError:
        return None


def trusted_where(claim: str, module: str, source: str | None) -> str:
    """'module.py, line N, in function: text' for the first line of the graded module that claim names (the
    child lists the innermost frame first), text and function taken from source; '' if there is none."""
    if not source:
        return ""
    lines = NEWLINE.split(source)
    for name, number in FRAME.findall(claim):
        line = int(number)
        if name == f"{module}.py" and 1 <= line <= len(lines):
            function = function_at(source, line)
            within = "" if function is None else f", in {function or '<module>'}"
            return f"{name}, line {line}{within}: {cut(printable(lines[line - 1]).strip(), MAX_SOURCE_LINE)}"
    return ""


def limit_quotes(tests: list[TestResult], budget: int = QUOTE_BUDGET) -> list[TestResult]:
    """tests with each quote said once per question (where it may be) and at most budget characters quoted in
    all; forgets the quotes' places that case_test left in them."""
    used = 0
    first: dict[tuple[str, str], str] = {}  # (question, quote) -> the case that said it
    for test in tests:
        place, test.quote = test.quote, None
        if not place:
            continue
        start, end, once = place
        output, question = test.output, test.question
        quote = output[start:end]
        if once and (question, quote) in first:
            instead = f'(the same message as in case "{first[question, quote]}")'
        elif used + len(quote) > budget:
            instead = f"(message withheld: this results file quotes {used} characters of what your code said already)"
        else:
            used += len(quote)
            first.setdefault((question, quote), test.case)
            continue
        test.output = output[:start] + instead + output[end:]
    return tests
