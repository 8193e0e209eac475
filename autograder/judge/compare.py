"""Comparing probe outputs: tolerances in the spirit of CS231n's gradient check, and messages a student can act on.

A case passes when every judged output is within its rule of the reference's. The message says what was
checked; for public cases also what was expected and what came back; for hidden cases how far off, never
the reference's numbers. Numbers are printed to 6 significant digits, so messages are reproducible.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

MAX_SHOWN = 6
MAX_CHARS = 40  # of a string
MAX_DEPTH = 4  # of nested lists: the reference's outputs nest 3 deep at most
LARGEST = sys.float_info.max


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str


@dataclass(frozen=True)
class Mismatch:
    """The first place where an output differs from the reference's."""

    where: str
    expected: object
    got: object
    relative_error: float | None = None
    note: str = ""
    absolute_error: float | None = None  # instead of the relative error, where the expected number is 0

    def describe(self, show_expected: bool) -> str:
        if self.note:
            return f"{self.where}: {self.note}"
        if show_expected:
            text = f"{self.where}: expected {fmt(self.expected)}, got {fmt(self.got)}"
            if self.absolute_error is not None:
                return text + f" (absolute error {self.absolute_error:.1e})"
            return text + (f" (relative error {self.relative_error:.1e})" if self.relative_error is not None else "")
        if self.absolute_error is not None:
            return f"{self.where}: off by an absolute error of {self.absolute_error:.1e}"
        if self.relative_error is not None:
            return f"{self.where}: off by a relative error of {self.relative_error:.1e}"
        return f"{self.where}: got {fmt(self.got)}, which is not what the reference gives"


def fmt(value, depth: int = 0) -> str:
    """A value for a message: numbers to 6 significant digits, long lists shortened, long strings cut.

    A student's code chooses the strings and lists it returns: a string shows at most MAX_CHARS characters
    (its first), a list or dict at most MAX_SHOWN items, nested at most MAX_DEPTH deep.
    """
    if isinstance(value, str):
        return repr(value) if len(value) <= MAX_CHARS else f"{value[:MAX_CHARS]!r}… ({len(value)} characters)"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int) and not -LARGEST <= value <= LARGEST:
        return "an integer too large for a float"
    if isinstance(value, (int, float)):
        return f"{value:.6g}"
    if isinstance(value, (list, dict)) and depth >= MAX_DEPTH:
        return f"{type(value).__name__} of {len(value)} items, nested too deep to show"
    if isinstance(value, list):
        shown = ", ".join(fmt(v, depth + 1) for v in value[:MAX_SHOWN])
        if len(value) > MAX_SHOWN:
            return f"[{shown}, …] ({len(value)} items)"
        return f"[{shown}]"
    if isinstance(value, dict):
        items = list(value.items())[:MAX_SHOWN]
        return "{" + ", ".join(f"{str(k)[:MAX_CHARS]}: {fmt(v, depth + 1)}" for k, v in items) + "}"
    return type(value).__name__


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def is_finite_number(x) -> bool:
    """A number within float's range: an untrusted child may send an int of thousands of digits."""
    return is_number(x) and -LARGEST <= x <= LARGEST


def first_mismatch(expected, got, rtol: float, atol: float, where: str) -> Mismatch | None:
    """None if got matches expected within |got - expected| <= atol + rtol·|expected|, else the first mismatch."""
    if is_number(expected):
        if not is_number(got):
            return Mismatch(where, expected, got, note=f"expected a number, got {fmt(got)}")
        if not is_finite_number(got):
            return Mismatch(where, expected, got, note=f"got {fmt(got) if isinstance(got, int) else got}")
        if abs(got - expected) <= atol + rtol * abs(expected):
            return None
        if expected == 0:  # no relative error to speak of
            return Mismatch(where, expected, got, absolute_error=abs(got - expected))
        return Mismatch(where, expected, got, abs(got - expected) / abs(expected))
    if isinstance(expected, list):
        if not isinstance(got, list):
            return Mismatch(where, expected, got, note=f"expected a list of {len(expected)}, got {fmt(got)}")
        if len(got) != len(expected):
            return Mismatch(where, expected, got, note=f"expected {len(expected)} items, got {len(got)}")
        for i, (e, g) in enumerate(zip(expected, got)):
            found = first_mismatch(e, g, rtol, atol, f"{where}[{i}]")
            if found:
                return found
        return None
    if got != expected or type(got) is not type(expected):
        return Mismatch(where, expected, got)
    return None


def judge_output(key: str, rule: str, expected, got, tolerances) -> Mismatch | None:
    """None if this output passes under its rule (see hidden/case.py), else how it fails."""
    if rule.startswith("at_least:"):
        margin = getattr(tolerances, rule.split(":", 1)[1])
        if is_finite_number(got) and got >= expected - margin:
            return None
        bar = f"below the bar of {fmt(expected - margin)} (the reference's {fmt(expected)} minus {fmt(margin)})"
        return Mismatch(key, expected, got, note=f"{fmt(got)}, {bar}")
    if rule == "exact":
        rtol = atol = 0.0
    elif rule == "torch":
        rtol, atol = tolerances.torch_rtol, tolerances.torch_atol
    else:
        rtol, atol = tolerances.rtol, tolerances.atol
    return first_mismatch(expected, got, rtol, atol, key)


def judge_case(case, expected: dict, got: dict, tolerances, show_expected: bool) -> Verdict:
    """Compare every judged output of the case with the reference's."""
    problems = []
    for key in case.keys or list(expected):  # the case's keys, or every output of the reference
        if key not in got:
            problems.append(f"{key}: not reported")
            continue
        mismatch = judge_output(key, case.rules.get(key, "close"), expected[key], got[key], tolerances)
        if mismatch:
            problems.append(mismatch.describe(show_expected))
    if not problems:
        return Verdict(True, f"Checked {case.checked}: correct.")
    return Verdict(False, f"Checked {case.checked}.\n" + "\n".join(f"- {p}" for p in problems))
