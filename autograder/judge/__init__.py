"""The trusted judge: compares what a probe reported for the student with what it reported for the reference.

It runs only in the grader's own process (and, for public cases, in the student's checks, where nothing
is at stake). `compare.py` needs nothing but the standard library, so the student bundle can carry it;
`measure.py` scores the models that training cases report, on data the child never sees.
"""

from .compare import Verdict, judge_case
from .measure import MeasureError, measured

__all__ = ["MeasureError", "Verdict", "judge_case", "measured"]
