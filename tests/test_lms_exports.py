"""LMS exports graded as they come, through the real `nnkit`: a Canvas "Download Submissions" folder and a
Gradescope "Export Submissions" folder, each laid out as the LMS writes it (docs/cluster.md), grade to the
right students with their submission times, and a roster gives canvas.csv a Canvas id for every student."""

from __future__ import annotations

import csv
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from nnkit_cli import grade_engines

from autograder.grade.lms import canvas_download, gradescope_export
from autograder.paths import SOLUTIONS, STARTER

SEED = 80
REFERENCE = (SOLUTIONS / "engine.py").read_text()
STUB = (STARTER / "engine.py").read_text()
ROSTER = ("Student,ID,SIS User ID,SIS Login ID,Section,Homework 3 (12345)\n"
          "    Points Possible,,,,,60\n"
          "\"Chen, Alice\",101,S-1,achen,Sec A,\n"
          "\"Okafor, Bob\",102,S-2,bokafor,Sec A,\n"
          "\"Zhou, Dana\",103,S-3,dz,Sec B,\n")
ON_TIME = datetime(2026, 10, 1, 21, 4, 5, tzinfo=UTC)
LATE = datetime(2026, 10, 3, 8, 0, 0, tzinfo=UTC)


def canvas_folder(root: Path) -> Path:
    """What unzipping Canvas's submissions.zip gives: one flat folder, every file named by Canvas."""
    folder = root / "submissions"
    folder.mkdir()
    files = {"chenalice_101_5001_engine.py": (REFERENCE, ON_TIME),
             "okaforbob_late_102_5002_engine.py": (STUB, LATE),
             "okaforbob_late_102_5003_nn.py": ((STARTER / "nn.py").read_text(), LATE),
             "zhoudana_103_5004_engine.py": (STUB, ON_TIME),
             "zhoudana_103_5009_engine-1.py": (REFERENCE, ON_TIME)}  # uploaded again: Canvas adds -1
    for name, (text, when) in files.items():
        (folder / name).write_text(text)
        os.utime(folder / name, (when.timestamp(), when.timestamp()))
    (folder / "grading notes.txt").write_text("remember bob's extension\n")
    return folder


METADATA = """\
submission_1001:
  :submitters:
  - :name: Alice Chen
    :sid: S-1
    :email: achen@uni.example
  :created_at: 2026-10-01 14:04:05.123456000 -07:00
  :score: !ruby/object:BigDecimal 18:0.0
  :history: []
submission_1002:
  :submitters:
  - :name: Bob Okafor
    :sid: S-2
    :email: bokafor@uni.example
  - :name: Dana Zhou
    :sid: ''
    :email: dz@uni.example
  :created_at: 2026-10-03 08:00:00.000000000 +00:00
  :score:
  :history: []
"""


def gradescope_folder(root: Path) -> Path:
    """What unzipping Gradescope's export gives: a folder per submission and submission_metadata.yml."""
    folder = root / "assignment_4242_export"
    (folder / "submission_1001").mkdir(parents=True)
    (folder / "submission_1001" / "engine.py").write_text(REFERENCE)
    (folder / "submission_1002").mkdir()
    with zipfile.ZipFile(folder / "submission_1002" / "submission.zip", "w") as zf:
        zf.writestr("nnlab/engine.py", STUB)
    (folder / "submission_metadata.yml").write_text(METADATA)
    return folder


def graded(tmp_path: Path, folder: Path) -> tuple[dict[str, dict], list[list[str]], dict[str, dict]]:
    out = tmp_path / "graded"
    (tmp_path / "roster.csv").write_text(ROSTER)
    done = grade_engines(folder, out, SEED, "--workers", 1, "--roster", "roster.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out / "grades.csv", newline="") as f:
        grades = {row["submission"]: row for row in csv.DictReader(f)}
    with open(out / "canvas.csv", newline="") as f:
        canvas = list(csv.reader(f))
    students = {p.stem: json.loads(p.read_text())["extra_data"].get("student")
                for p in (out / "results").glob("*.json")}
    return grades, canvas, students


def test_a_canvas_download_grades_each_student_with_their_files(tmp_path):
    folder = canvas_folder(tmp_path)
    grades, canvas, students = graded(tmp_path, folder)
    assert sorted(grades) == ["chenalice", "okaforbob", "zhoudana"]
    assert float(grades["chenalice"]["engine.add"]) > 0 and float(grades["okaforbob"]["engine.add"]) == 0
    assert float(grades["zhoudana"]["engine.add"]) > 0  # the file uploaded again is the one graded
    assert students["okaforbob"] == {"source": "canvas", "id": "102", "name": "okaforbob", "email": "",
                                     "submitted_at": LATE.isoformat(), "late": True}
    assert students["chenalice"]["late"] is False and students["chenalice"]["submitted_at"] == ON_TIME.isoformat()
    # The roster round trip: every student's Canvas id, SIS ids and name, found by the Canvas user id.
    rows = {row[1]: row for row in canvas[2:]}
    assert sorted(rows) == ["101", "102", "103"]
    assert rows["101"][:4] == ["Chen, Alice", "101", "S-1", "achen"]
    assert float(rows["101"][5]) > float(rows["102"][5])
    # Canvas's files are never moved or changed.
    assert sorted(p.name for p in folder.iterdir())[0] == "chenalice_101_5001_engine.py"
    assert (folder / "okaforbob_late_102_5003_nn.py").read_text() == (STARTER / "nn.py").read_text()


def test_a_gradescope_export_grades_each_submitter_with_the_submission_time(tmp_path):
    folder = gradescope_folder(tmp_path)
    grades, canvas, students = graded(tmp_path, folder)
    assert sorted(grades) == ["S-1", "S-2", "dz"]  # the group of two: one row each
    assert float(grades["S-1"]["engine.add"]) > 0 and grades["S-2"]["total"] == grades["dz"]["total"]
    assert students["S-1"] == {"source": "gradescope", "id": "S-1", "name": "Alice Chen",
                               "email": "achen@uni.example", "submitted_at": "2026-10-01T21:04:05+00:00",
                               "late": None}
    assert students["dz"]["submitted_at"] == LATE.isoformat()
    rows = {row[1]: row for row in canvas[2:]}
    assert sorted(rows) == ["101", "102", "103"]  # by SIS User ID, and by e-mail for the one without
    assert rows["103"][0] == "Zhou, Dana"


def test_what_is_not_the_lms_own_is_skipped(tmp_path):
    folder = canvas_folder(tmp_path)
    with zipfile.ZipFile(folder / "leeevan_104_5011_submission.zip", "w") as zf:
        zf.writestr("nnlab/engine.py", REFERENCE)
    handed, others = canvas_download(folder, tmp_path / "staging")
    assert [p.name for p in others] == ["grading notes.txt"]
    assert next(h.path for h in handed if h.name == "leeevan") == folder / "leeevan_104_5011_submission.zip"
    assert sorted((tmp_path / "staging" / "okaforbob").iterdir()) == [tmp_path / "staging" / "okaforbob" / "engine.py",
                                                                      tmp_path / "staging" / "okaforbob" / "nn.py"]
    folder = gradescope_folder(tmp_path / "gs")
    (folder / "stray").mkdir()
    handed, others = gradescope_export(folder)
    assert [p.name for p in others] == ["stray"]
    assert [h.path.name for h in handed] == ["submission_1001", "submission.zip", "submission.zip"]


def test_names_that_would_leave_their_folder_are_never_used(tmp_path):
    """File names and metadata come from students: none may name a folder outside the run's own."""
    folder = canvas_folder(tmp_path)
    for name in (".._103_5020_engine.py", "zhoudana_103_5021_..", "mallory_105_5022_.hidden.py"):
        (folder / name).write_text(REFERENCE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the TA's own file")
    handed, others = canvas_download(folder, out / ".lms")
    assert {p.name for p in others} >= {".._103_5020_engine.py", "zhoudana_103_5021_.."}
    assert all(h.path.is_relative_to(out / ".lms") for h in handed if h.path.is_dir())
    assert (out / "keep.txt").read_text() == "the TA's own file"
    export = gradescope_folder(tmp_path / "gs")
    (export.parent / "outside").mkdir()
    (export.parent / "outside" / "engine.py").write_text(REFERENCE)
    (export / "submission_metadata.yml").write_text(
        METADATA + "../outside:\n  :submitters:\n  - :sid: ../../etc\n    :email: x@y\n  :created_at:\n"
        "submission_1003:\n  :submitters:\n  - :sid: ../../etc\n    :email: ../evil@y\n  :created_at:\n")
    (export / "submission_1003").mkdir()
    handed, _ = gradescope_export(export)
    assert all(h.path.is_relative_to(export) for h in handed)
    assert [h.name for h in handed if h.path.name == "submission_1003"] == ["submission_1003"]
