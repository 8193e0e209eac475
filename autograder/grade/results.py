"""Rounding scores for results files."""

from __future__ import annotations

import math


def points(x: float) -> float:
    """Scores rounded to 4 decimals, so sums of shares print and compare cleanly."""
    value = round(float(x), 4)
    return 0.0 if not math.isfinite(value) else value
