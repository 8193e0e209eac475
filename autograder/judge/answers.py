"""A wrong answer's fingerprint: the outputs a failed case got, to five significant digits, hashed.

Two students whose failed case returned the same numbers (to well within the comparison's tolerance for
float32, and the same values however they are printed) get the same fingerprint, so the TA report can show
who made one mistake together (`report/groups.py`) whether or not the catalogue of misconceptions knows it.
"""

from __future__ import annotations

import hashlib
import json
import math

DIGITS = 5
MAX_ITEMS = 10_000  # a container's items fingerprinted; a report holding more is told by its length beyond them
MAX_DEPTH = 8


def _plain(value, depth: int = 0):
    """value with every number rounded to DIGITS significant digits, containers kept; what student code chose
    to return (an integer too large for a float, a string of megabytes, nesting without end) is summed up."""
    if depth > MAX_DEPTH:
        return "nested too deep"
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return value[:1000] + (f"... ({len(value)})" if len(value) > 1000 else "")
    if isinstance(value, int) and abs(value) > 2**1000:
        return f"an integer of {value.bit_length()} bits"
    if isinstance(value, (int, float)):
        x = float(value)
        return x if not math.isfinite(x) or x == 0 else float(f"{x:.{DIGITS - 1}e}")
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value[:MAX_ITEMS]] + ([len(value)] if len(value) > MAX_ITEMS else [])
    if isinstance(value, dict):
        items = sorted(((str(k)[:100], v) for k, v in list(value.items())[:MAX_ITEMS]), key=lambda kv: kv[0])
        return {k: _plain(v, depth + 1) for k, v in items}
    return type(value).__name__


def answer_key(case_name: str, got: dict, keys: list[str]) -> str | None:
    """The fingerprint of what a case got for the outputs it judges (12 hex digits); None if what it got cannot
    be fingerprinted. It runs in the grader on what a child reported: it must never fail the submission."""
    try:
        shown = {key: _plain(got.get(key)) for key in keys}
        text = json.dumps([case_name, shown], sort_keys=True, allow_nan=True)
    except Exception:  # noqa: BLE001 - whatever the report holds, no fingerprint rather than a failed grade
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:12]
