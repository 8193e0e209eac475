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
from ..results import Results
from .load import fmt_points, question_scores

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
DEFAULT_ASSIGNMENT = "Neural networks from scratch"
# Columns of a roster tried in turn to find a submission's student (Canvas's own order is by ID first).
ROSTER_KEYS = ("SIS Login ID", "SIS User ID", "ID", "Student")


def grades_header(config: Config) -> list[str]:
    return ["submission", *config.questions, "total", "max"]


def grades_rows(results: list[Results], config: Config) -> list[list[str]]:
    """One row per results dict: the submission, each question's score, total and maximum."""
    rows = []
    for result in sorted(results, key=lambda r: r.submission):
        scores = question_scores(result, config)
        rows.append([result.submission, *(fmt_points(scores[q][0]) for q in config.questions),
                     fmt_points(result.score), fmt_points(result.max_score)])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def grades_csv(results: list[Results], config: Config) -> str:
    """The text of grades.csv."""
    return to_csv([grades_header(config), *grades_rows(results, config)])


@dataclass
class CanvasExport:
    """The rows of canvas.csv, and the names that a roster could not place (to tell the TA)."""

    rows: list[list[str]]
    unmatched: list[str] = field(default_factory=list)  # submissions with no roster student
    missing: list[str] = field(default_factory=list)  # roster students with no submission

    def text(self) -> str:
        return to_csv(self.rows)


def read_roster(path: Path) -> list[dict[str, str]]:
    """The students of a Canvas gradebook export (its Points Possible and muted rows left out)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if rows and "Student" not in rows[0]:
        raise ValueError(f"{path}: not a Canvas gradebook export (no 'Student' column)")
    return [r for r in rows if "Points Possible" not in (r.get("Student") or "") and (r.get("ID") or r.get("Student"))]


def _roster_index(roster: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for key in reversed(ROSTER_KEYS):  # earlier keys win: written last
        for student in roster:
            value = (student.get(key) or "").strip()
            if value:
                index[value.casefold()] = student
    return index


def canvas_export(results: list[Results], config: Config, *, assignment: str = DEFAULT_ASSIGNMENT,
                  roster: list[dict[str, str]] | None = None) -> CanvasExport:
    """A Canvas gradebook import: one assignment column holding each submission's total.

    `assignment` is the column's title; write it as `Title (12345)` with the Canvas assignment id to fill an
    existing assignment rather than create one.
    """
    rows = [[*CANVAS_STUDENT_COLUMNS, assignment], [POINTS_POSSIBLE, "", "", "", "", fmt_points(config.total_points)]]
    index = _roster_index(roster or [])
    export = CanvasExport(rows)
    placed = set()
    for result in sorted(results, key=lambda r: r.submission):
        name = result.submission
        student = index.get(name.strip().casefold())
        if student is None:
            if roster is not None:
                export.unmatched.append(name)
            student = {"Student": name, "SIS Login ID": name}
        placed.add(id(student))
        rows.append([*(student.get(c, "") or "" for c in CANVAS_STUDENT_COLUMNS), fmt_points(result.score)])
    export.missing = [s.get("Student", "") for s in roster or [] if id(s) not in placed]
    return export
