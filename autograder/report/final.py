"""Each submission's final grade: what grading gave, then the TA's adjustments, then the late policy.

They are applied here and only here, after grading and from files a regrade does not touch: the results
(with the submission time an LMS export gave, `grade/lms.py`), `[late]` of assignment.toml, and
OUT/adjustments.csv, which a TA edits. So a regrade, a `--resume` or `nnkit report` recomputes the same
final grade from the new results, and never loses an extension or a correction.

adjustments.csv has a header and one row per adjustment (a student may have several):

    submission,extra_days,question,points,reason,excused
    alice,2,,,,                          # an extension: her due date moves two days
    bob,,engine.mul,1.5,"regrade: your a*a case was right",
    carol,,,-3,"late-night help from a friend, as agreed",
    dana,,,,"medical leave",true         # excused: no grade (Canvas: EX)

Points on a question keep its score between 0 and its points; points on no question go to the total,
kept between 0 and the maximum. The late policy then takes its share of what remains: for each day (or
part of a day) after the due date, its grace minutes and the student's extra days, `penalty_per_day`, at
most `max_penalty`; a submission more than `last_day` days late is not accepted (0). A submission without a
time (not from an LMS export) is on time.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..config import Config, Late
from ..errors import KitError
from ..results import Results
from .load import fmt_points, question_scores

ADJUSTMENTS = "adjustments.csv"
COLUMNS = ("submission", "extra_days", "question", "points", "reason", "excused")


class AdjustmentError(KitError):
    """adjustments.csv cannot be read as it is; the message names the line."""


@dataclass(frozen=True)
class Adjustment:
    submission: str
    extra_days: float = 0.0
    question: str = ""
    points: float = 0.0
    reason: str = ""
    excused: bool = False


def _number(text: str, where: str) -> float:
    try:
        value = float(text) if text.strip() else 0.0
    except ValueError:
        raise AdjustmentError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise AdjustmentError(f"{where}: {text!r} is not a finite number")
    return value


def read_adjustments(out_dir: Path, config: Config) -> list[Adjustment]:
    """The adjustments of OUT/adjustments.csv ([] if there is no such file)."""
    path = Path(out_dir) / ADJUSTMENTS
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        unknown = set(reader.fieldnames or []) - set(COLUMNS)
        if "submission" not in (reader.fieldnames or []) or unknown:
            raise AdjustmentError(f"{path}: the header must name some of {', '.join(COLUMNS)} (submission first)"
                                  + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""))
        found = []
        for line, row in enumerate(reader, start=2):
            where = f"{path}, line {line}"
            name = (row.get("submission") or "").strip()
            if not name:
                continue
            question = (row.get("question") or "").strip()
            if question and question not in config.questions:
                raise AdjustmentError(f"{where}: no question {question!r} in this assignment")
            excused = (row.get("excused") or "").strip().lower()
            if excused not in ("", "true", "false", "yes", "no", "1", "0"):
                raise AdjustmentError(f"{where}: excused is true or false, not {excused!r}")
            found.append(Adjustment(name, _number(row.get("extra_days") or "", where), question,
                                    _number(row.get("points") or "", where), (row.get("reason") or "").strip(),
                                    excused in ("true", "yes", "1")))
    return found


@dataclass
class Final:
    """One submission's grade from graded to final, and the lines its student reads about the difference."""

    submission: str
    graded: float  # the total grading gave
    max_score: float
    questions: dict[str, tuple[float, float]]  # question id -> (score after the TA's adjustments, max)
    adjustment: float = 0.0  # points the TA's adjustments changed, after keeping scores in bounds
    submitted_at: str | None = None
    due: datetime | None = None  # the student's own: the due date, plus their extra days
    days_late: int = 0
    accepted: bool = True
    penalty: float = 0.0  # points the late policy took
    excused: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def final(self) -> float | None:
        """The grade that counts; None if the student is excused."""
        if self.excused:
            return None
        return max(0.0, self.graded + self.adjustment - self.penalty)

    @property
    def changed(self) -> bool:
        return bool(self.adjustment or self.penalty or self.excused or self.notes)


def days_late(submitted_at: str | None, due: datetime | None, grace_minutes: float) -> int:
    """Whole days (a part of a day counts as one) after due and its grace; 0 if on time or without a time."""
    if not submitted_at or due is None:
        return 0
    over = datetime.fromisoformat(submitted_at) - (due + timedelta(minutes=grace_minutes))
    return max(0, math.ceil(over / timedelta(days=1)))


def final_grade(result: Results, config: Config, adjustments: list[Adjustment]) -> Final:
    """The final grade of one submission, given the adjustments that name it."""
    done = Final(result.submission, result.score, result.max_score, question_scores(result, config),
                 submitted_at=(result.student or {}).get("submitted_at"))
    total_change = 0.0
    for a in adjustments:
        if a.excused:
            done.excused = True
            done.notes.append(f"Excused{': ' + a.reason if a.reason else ''}.")
        if a.question and a.points:
            score, top = done.questions[a.question]
            new = min(top, max(0.0, score + a.points))
            done.questions[a.question] = (new, top)
            done.adjustment += new - score
            done.notes.append(f"{a.question}: {_signed(new - score)} points by the course staff"
                              f"{': ' + a.reason if a.reason else ''}.")
        elif a.points:
            total_change += a.points
            done.notes.append(f"{_signed(a.points)} points on the total by the course staff"
                              f"{': ' + a.reason if a.reason else ''}.")
    if total_change:
        before = done.graded + done.adjustment
        done.adjustment += min(done.max_score, max(0.0, before + total_change)) - before
    apply_late_policy(done, config.late, sum(a.extra_days for a in adjustments))
    return done


def apply_late_policy(done: Final, late: Late, extra_days: float) -> None:
    if not late.due:
        return
    done.due = datetime.fromisoformat(late.due) + timedelta(days=extra_days)
    if extra_days:
        done.notes.append(f"Extension: {fmt_points(extra_days)} day(s), due {done.due.isoformat()}.")
    done.days_late = days_late(done.submitted_at, done.due, late.grace_minutes)
    if not done.days_late:
        return
    earned = done.graded + done.adjustment
    if late.last_day and done.days_late > late.last_day:
        done.accepted, done.penalty = False, earned
        done.notes.append(f"Not accepted: handed in {done.days_late} day(s) late, and work is accepted up to "
                          f"{late.last_day} day(s) late.")
        return
    share = min(late.max_penalty, late.penalty_per_day * done.days_late)
    done.penalty = earned * share
    done.notes.append(f"Late by {done.days_late} day(s): {share:.0%} of the points taken "
                      f"({fmt_points(done.penalty)}).")


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "") + fmt_points(x)


def final_grades(results: list[Results], config: Config, adjustments: list[Adjustment]) -> dict[str, Final]:
    """{submission: Final} for every results; the adjustments that name no submission are left out."""
    by_name: dict[str, list[Adjustment]] = {}
    for a in adjustments:
        by_name.setdefault(a.submission, []).append(a)
    return {r.submission: final_grade(r, config, by_name.get(r.submission, [])) for r in results}


def unmatched_adjustments(results: list[Results], adjustments: list[Adjustment]) -> list[str]:
    """The names adjustments.csv gives that no submission has (a typo, or a student who handed in nothing)."""
    names = {r.submission for r in results}
    return sorted({a.submission for a in adjustments} - names)
