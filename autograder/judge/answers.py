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


def _plain(value, depth: int = 0):
    """value with every float rounded to DIGITS significant digits; containers kept, at most 8 deep."""
    if depth > 8:
        return "…"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        x = float(value)
        return x if not math.isfinite(x) or x == 0 else float(f"{x:.{DIGITS - 1}e}")
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    return type(value).__name__


def answer_key(case_name: str, got: dict, keys: list[str]) -> str:
    """The fingerprint of what a case got for the outputs it judges (12 hex digits)."""
    shown = {key: _plain(got.get(key)) for key in keys}
    text = json.dumps([case_name, shown], sort_keys=True, allow_nan=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
