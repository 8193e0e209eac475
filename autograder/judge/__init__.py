"""The trusted judge: compares what a probe reported for the student with what it reported for the reference.

It runs only in the grader's own process (and, for public cases, in the student's checks, where nothing
is at stake). `compare.py` needs nothing but the standard library, so the student bundle can carry it.
"""

from .compare import Verdict, judge_case

__all__ = ["Verdict", "judge_case"]
