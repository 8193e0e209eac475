"""grades.csv and the Canvas export: columns, values, quoting, and what Canvas's importer requires."""

from __future__ import annotations

import csv
import io
import re

import pytest
from class_results import CONFIG, make_result, typed

from autograder.config import QUESTION_IDS
from autograder.report.gradebook import canvas_export, grades_csv, read_roster

CANVAS_TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # canvas-lms Assignment.title_and_id


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def canvas_accepts(rows: list[list[str]]) -> list[str]:
    """The checks canvas-lms's GradebookImporter makes on a file, reduced to what our export uses.

    Header: column 0 contains 'Student', column 1 'ID'; 'SIS User ID' then 'SIS Login ID' at 2 and 3; the last
    student column contains 'Section'; then assignment columns. A row whose first cell contains
    'Points Possible' gives each assignment's points. Returns the assignment headers.
    """
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]
    assert re.match(r"SIS\s+User\s+ID", header[2]) and re.match(r"SIS\s+Login\s+ID", header[3])
    assert "Section" in header[4]
    assignments = header[5:]
    assert assignments
    points = next(r for r in rows[1:] if "Points Possible" in r[0])
    for column in range(5, len(header)):
        float(points[column])
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            continue
        assert len(row) == len(header)
        assert row[0] or row[1] or row[2] or row[3], "Canvas needs a name or an id to find the student"
        for column in range(5, len(header)):
            assert 0 <= float(row[column]) <= float(points[column])
    return assignments


def test_grades_csv_has_the_contract_columns_and_one_row_per_submission():
    results = [make_result("bob", earned={"engine.mul": 0.5}), make_result("alice", default=0.0),
               make_result("carol", error="the .zip cannot be read")]
    rows = rows_of(grades_csv(typed(results), CONFIG))
    # The contract's columns first; then what the late policy and the TA's adjustments made of the total.
    assert rows[0] == ["submission", *QUESTION_IDS, "total", "max", "late_days", "late_penalty", "adjustment",
                       "final", "excused"]
    assert [r[0] for r in rows[1:]] == ["alice", "bob", "carol"]
    bob = dict(zip(rows[0], rows[2]))
    assert bob["engine.mul"] == "1"  # half of 2 points
    assert bob["engine.add"] == "2"
    assert float(bob["total"]) == CONFIG.total_points - 1
    assert bob["max"] == "60"
    assert bob["final"] == bob["total"] and bob["late_days"] == "0" and bob["adjustment"] == "0"
    carol = dict(zip(rows[0], rows[3]))
    assert carol["total"] == "0" and all(carol[q] == "0" for q in QUESTION_IDS)


def test_grades_csv_keeps_odd_names_exactly():
    names = ["Zoë Ångström", "王小明", 'o"brien, jr', "=1+1"]
    rows = rows_of(grades_csv(typed([make_result(n) for n in names]), CONFIG))
    assert sorted(r[0] for r in rows[1:]) == sorted(names)


def test_fractional_scores_are_written_without_float_noise():
    result = make_result("x")
    result["extra_data"]["questions"]["engine.mul"]["score"] = 2 / 3
    result["score"] = 0.1 + 0.2
    row = dict(zip(*rows_of(grades_csv(typed([result]), CONFIG))))
    assert row["engine.mul"] == "0.6667" and row["total"] == "0.3"


def test_canvas_export_passes_the_importers_checks():
    results = [make_result("alice"), make_result("bob", default=0.5)]
    export = canvas_export(typed(results), CONFIG, assignment="Homework 3 (12345)")
    rows = rows_of(export.text())
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas_accepts(rows) == ["Homework 3 (12345)"]
    assert CANVAS_TITLE_AND_ID.match(rows[0][5]).groups() == ("Homework 3", "12345")
    assert rows[1] == ["Points Possible", "", "", "", "", "60"]
    # With no roster, the submission name stands as SIS Login ID (Canvas's third way to find a student).
    assert rows[2] == ["alice", "", "", "alice", "", "60"]
    assert rows[3][3] == "bob" and rows[3][5] == "30"


def test_canvas_export_takes_ids_from_a_roster(tmp_path):
    roster_csv = tmp_path / "export.csv"
    roster_csv.write_text(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Homework 3 (12345)\n"
        "    Points Possible,,,,,60\n"
        "\"Lovelace, Ada\",101,S-1,ada,Sec A,\n"
        "\"Turing, Alan\",102,S-2,aturing,Sec B,\n"
        "\"Hopper, Grace\",103,S-3,ghopper,Sec A,\n", encoding="utf-8")
    roster = read_roster(roster_csv)
    assert [s["ID"] for s in roster] == ["101", "102", "103"]
    results = [make_result("ada"), make_result("S-2", default=0.5), make_result("stranger")]
    export = canvas_export(typed(results), CONFIG, roster=roster)
    rows = rows_of(export.text())
    canvas_accepts(rows)
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["Lovelace, Ada"] == ["Lovelace, Ada", "101", "S-1", "ada", "Sec A", "60"]
    assert by_name["Turing, Alan"][1] == "102" and by_name["Turing, Alan"][5] == "30"
    assert by_name["stranger"][3] == "stranger"
    assert export.unmatched == ["stranger"]
    assert export.missing == ["Hopper, Grace"]


def test_a_file_that_is_not_a_canvas_export_is_refused(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("name,email\nada,ada@example.org\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a Canvas gradebook export"):
        read_roster(bad)
