"""The gradebooks: `grades.csv` (a column per question) and `canvas.csv`, ready for Canvas's gradebook import.

Canvas reads an import file the way it writes its own export (`lib/gradebook_importer.rb` in canvas-lms):
a header row whose first columns are `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one
column per assignment named `Title` (a new assignment) or `Title (canvas id)` (an existing one); then an
optional row whose first cell is `Points Possible`. Canvas finds each student by ID, else SIS User ID,
else SIS Login ID, else name; a roster (a Canvas gradebook export) supplies those, and without one the
submission name stands in as SIS Login ID.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..errors import KitError
from ..results import Results
from .final import Final, final_grades
from .load import fmt_points, question_scores

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
DEFAULT_ASSIGNMENT = "Neural networks from scratch"
# Columns of a roster tried in turn to find a submission's student (Canvas's own order is by ID first).
ROSTER_KEYS = ("SIS Login ID", "SIS User ID", "ID", "Student")
FINAL_COLUMNS = ("late_days", "late_penalty", "adjustment", "final", "excused")


def grades_header(config: Config) -> list[str]:
    return ["submission", *config.questions, "total", "max", *FINAL_COLUMNS]


def final_cell(final: Final) -> str:
    """The grade that counts, as Canvas reads it: the points, or EX for an excused student."""
    return "EX" if final.final is None else fmt_points(final.final)


def grades_rows(results: list[Results], config: Config, finals: dict[str, Final]) -> list[list[str]]:
    """One row per results: the submission, each question's score, total and maximum as graded, then the
    late days, the late penalty, the TA's adjustment and the final grade (EX if excused)."""
    rows = []
    for result in sorted(results, key=lambda r: r.submission):
        scores = question_scores(result, config)
        final = finals[result.submission]
        rows.append([result.submission, *(fmt_points(scores[q][0]) for q in config.questions),
                     fmt_points(result.score), fmt_points(result.max_score), str(final.days_late),
                     fmt_points(final.penalty), fmt_points(final.adjustment), final_cell(final),
                     "true" if final.excused else ""])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def grades_csv(results: list[Results], config: Config, finals: dict[str, Final] | None = None) -> str:
    """The text of grades.csv (finals: each submission's final grade; none: as graded, nothing adjusted)."""
    finals = finals or final_grades(results, config, [])
    return to_csv([grades_header(config), *grades_rows(results, config, finals)])


@dataclass
class CanvasExport:
    """The rows of canvas.csv, and the names that a roster could not place (to tell the TA)."""

    rows: list[list[str]]
    unmatched: list[str] = field(default_factory=list)  # submissions with no roster student
    missing: list[str] = field(default_factory=list)  # roster students with no submission

    def text(self) -> str:
        return to_csv(self.rows)


class RosterError(KitError, ValueError):
    """The roster given is not a Canvas gradebook export."""


def read_roster(path: Path) -> list[dict[str, str]]:
    """The students of a Canvas gradebook export (its Points Possible and muted rows left out)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise RosterError(f"{path}: the roster cannot be read ({e})") from None
    if rows and "Student" not in rows[0]:
        raise RosterError(f"{path}: not a Canvas gradebook export (no 'Student' column)")
    return [r for r in rows if "Points Possible" not in (r.get("Student") or "") and (r.get("ID") or r.get("Student"))]


def _by_column(roster: list[dict[str, str]], column: str) -> dict[str, dict[str, str]]:
    return {value.casefold(): s for s in roster if (value := (s.get(column) or "").strip())}


def find_student(result: Results, columns: dict[str, dict[str, dict[str, str]]]) -> dict[str, str] | None:
    """The roster's row of a submission: by the id its LMS export gave (a Canvas download's user id is the
    roster's ID; Gradescope's student id its SIS User ID, its e-mail's local part the SIS Login ID), else by
    the submission's name in any of ROSTER_KEYS."""
    lms = result.student or {}
    tries = []
    if lms.get("source") == "canvas":
        tries.append(("ID", lms.get("id")))
    elif lms.get("source") == "gradescope":
        tries += [("SIS User ID", lms.get("id")), ("SIS Login ID", (lms.get("email") or "").split("@")[0])]
    for column, value in tries:
        if value and (found := columns[column].get(str(value).strip().casefold())):
            return found
    name = result.submission.strip().casefold()
    return next((columns[key][name] for key in ROSTER_KEYS if name in columns[key]), None)


def canvas_export(results: list[Results], config: Config, *, assignment: str = DEFAULT_ASSIGNMENT,
                  roster: list[dict[str, str]] | None = None, finals: dict[str, Final] | None = None) -> CanvasExport:
    """A Canvas gradebook import: one assignment column holding each submission's final grade (EX: excused).

    `assignment` is the column's title; write it as `Title (12345)` with the Canvas assignment id to fill an
    existing assignment rather than create one.
    """
    rows = [[*CANVAS_STUDENT_COLUMNS, assignment], [POINTS_POSSIBLE, "", "", "", "", fmt_points(config.total_points)]]
    finals = finals or final_grades(results, config, [])
    columns = {column: _by_column(roster or [], column) for column in ROSTER_KEYS}
    export = CanvasExport(rows)
    placed = set()
    for result in sorted(results, key=lambda r: r.submission):
        name = result.submission
        student = find_student(result, columns)
        if student is None:
            if roster is not None:
                export.unmatched.append(name)
            student = {"Student": name, "SIS Login ID": name}
        placed.add(id(student))
        rows.append([*(student.get(c, "") or "" for c in CANVAS_STUDENT_COLUMNS), final_cell(finals[name])])
    export.missing = [s.get("Student", "") for s in roster or [] if id(s) not in placed]
    return export
