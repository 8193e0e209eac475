"""The words of a failing case, the same in the grader, the student's checks and the otter tests.

Every message that says why a case failed without comparing numbers is made here (the comparisons' own
messages are `compare.py`'s). A message that quotes what student code said comes in three parts, (before,
quote, after), so that the grader can make the quote safe to show (`grade/untrusted.py`) and the bundles can
simply join them. Standard library only: the student bundle and the otter bundle carry a copy.
"""

from __future__ import annotations

import re

# What the starter's stubs raise: "<question id>: <qualified name> is not written yet. <hint>"
NOT_WRITTEN = "not written yet"
STUB = re.compile(r"^(?P<qid>\w+\.\w+): (?P<where>[\w.]+) is not written yet\.\s*(?P<hint>.*)$", re.DOTALL)


def is_stub(message: str) -> bool:
    """Whether message is a stub's own text (the starter's, or written to look like it)."""
    return STUB.match(message) is not None


def at(where: str) -> str:
    """The line that says where an error happened, under its message."""
    return f"\n  at {where}" if where else ""


def checked(what: str, reason: str) -> str:
    """A case that failed for reason, saying first what the case checks."""
    return f"Checked {what}: {reason}"


def missing_module(module: str) -> str:
    return f"{module}.py is missing from the submission."


def forbidden_imports(found: list[str], autodiff_free_modules: list[str]) -> str:
    """Why a module earns nothing: each 'file.py, line N: imports torch' found, and the rule."""
    allowed = ", ".join(f"{m}.py" for m in autodiff_free_modules)
    return (f"{'; '.join(found)}. {allowed} may use only the standard library and numpy: "
            f"an autodiff library earns nothing here.")


def raised(what: str, question: str, kind: str, message: str, where: str, *, by_grader: bool = False
           ) -> tuple[str, str, str]:
    """(before, quote, after) of a case whose run ended in an error of type kind with message, raised at where.

    by_grader: the error is the grader's finding (a time limit, a crash, a result it cannot use), not an
    exception of the student's code.
    """
    if kind == "NotImplementedError":
        if not message:
            return f"Not written yet: {question}", "", at(where)
        return ("" if NOT_WRITTEN in message else "Not written yet: "), message, at(where)
    if by_grader:
        return f"Checked {what}: ", message, "."
    return f"Checked {what}: your code raised {kind}: ", message, at(where)


def not_graded(reason: str) -> str:
    return f"Not graded: {reason}"


def uses_failing(question: str, failing: list[str]) -> str:
    """A question not checked because questions it uses fail their own checks."""
    if len(failing) == 1:
        return (f"{question} uses your {failing[0]}, whose own check fails: fix {failing[0]} first, "
                f"then check {question} again.")
    listed = ", ".join(failing[:-1]) + f" and {failing[-1]}"
    return f"{question} uses your {listed}, whose own checks fail: fix them first, then check {question} again."
