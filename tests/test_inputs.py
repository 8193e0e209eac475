"""A TA's mistakes on the command line never become grades: each is refused, through the real `nnkit`, with a
message naming the path, a non-zero exit and the gradebook left as it was; stray files are skipped, not graded."""

from __future__ import annotations

import csv
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from nnkit_cli import engine_only, grade_engines, nnkit

from autograder.grade.inputs import InputError, find_submissions
from autograder.paths import SOLUTIONS, STARTER

SEED = 77
EARLIER_GRADES = "submission,total\nalice,60\n"


@pytest.fixture
def earlier_run(tmp_path: Path) -> Path:
    """An output folder a run already wrote a gradebook into: a refused command must leave it as it is."""
    out = tmp_path / "graded"
    out.mkdir()
    (out / "grades.csv").write_text(EARLIER_GRADES)
    return out


def refused(done: subprocess.CompletedProcess, out: Path, *phrases: str) -> None:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, done.stderr
    assert (out / "grades.csv").read_text() == EARLIER_GRADES
    assert not (out / "results").exists() and not (out / "run.json").exists()


def test_a_path_that_does_not_exist_is_refused(tmp_path, earlier_run):
    (tmp_path / "submissions").mkdir()
    done = nnkit("grade", "submissions/clas", "--out", earlier_run, cwd=tmp_path)
    refused(done, earlier_run, "submissions/clas: no such file or folder")


def test_a_roster_given_as_a_submission_is_refused(tmp_path, earlier_run):
    (tmp_path / "roster.csv").write_text("Student,ID,SIS Login ID\n")
    done = nnkit("grade", "roster.csv", "--out", earlier_run, cwd=tmp_path)
    refused(done, earlier_run, "no submission to grade (skipped: roster.csv: not a .zip or a folder)", "--roster")


def test_two_submissions_with_one_name_are_refused_before_grading(tmp_path, earlier_run):
    subs = tmp_path / "subs"
    engine_only(subs / "alice", (SOLUTIONS / "engine.py").read_text())
    engine_only(subs / "bob", (STARTER / "engine.py").read_text())
    with zipfile.ZipFile(subs / "alice.zip", "w") as zf:
        zf.writestr("nnlab/engine.py", (STARTER / "engine.py").read_text())
    done = nnkit("grade", "subs", "--out", earlier_run, cwd=tmp_path)
    refused(done, earlier_run, "two submissions are both named 'alice'", "subs/alice and subs/alice.zip")


def test_an_empty_class_folder_is_refused(tmp_path, earlier_run):
    (tmp_path / "subs").mkdir()
    refused(nnkit("grade", "subs", "--out", earlier_run, cwd=tmp_path), earlier_run, "subs: an empty folder")


def test_a_report_of_a_folder_that_is_not_a_run_is_refused(tmp_path):
    done = nnkit("report", "no/such/folder", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "no/such/folder does not exist" in done.stderr
    assert not (tmp_path / "no").exists()
    (tmp_path / "empty").mkdir()
    done = nnkit("report", "empty", cwd=tmp_path)
    assert done.returncode != 0 and "empty holds no results/*.json" in done.stderr
    assert list((tmp_path / "empty").iterdir()) == []


def test_stray_entries_of_a_class_folder_are_skipped_not_graded(tmp_path):
    subs = tmp_path / "subs"
    engine_only(subs / "alice", (SOLUTIONS / "engine.py").read_text())
    engine_only(subs / "bob" / "nnlab", (STARTER / "engine.py").read_text())  # the package one folder down
    (subs / "__MACOSX" / "alice").mkdir(parents=True)
    (subs / "__MACOSX" / "alice" / "._engine.py").write_bytes(b"\x00\x05\x16\x07")
    (subs / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (subs / "notes.txt").write_text("bob asked for an extension\n")
    (subs / "syllabus.pdf").write_bytes(b"%PDF-1.4\n")
    out = tmp_path / "graded"
    done = grade_engines("subs", out, SEED, "--workers", 1, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for line in ("subs/__MACOSX: macOS archive metadata", "subs/.DS_Store: a hidden file",
                 "subs/notes.txt: not a .zip or a folder", "subs/syllabus.pdf: not a .zip or a folder"):
        assert line in done.stderr
    with open(out / "grades.csv", newline="") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == ["alice", "bob"]
    assert float(rows["alice"]["engine.add"]) > 0 and float(rows["bob"]["engine.add"]) == 0
    assert "notes" not in (out / "canvas.csv").read_text()
    recorded = json.loads((out / "run.json").read_text())["skipped"]
    assert [Path(path).name for path, _ in recorded] == [".DS_Store", "__MACOSX", "notes.txt", "syllabus.pdf"]


def test_what_is_a_class_folder_and_what_is_one_student(tmp_path):
    alice = engine_only(tmp_path / "alice" / "nnlab", (SOLUTIONS / "engine.py").read_text()).parent
    (alice / "README.txt").write_text("my submission\n")
    assert find_submissions([alice]).submissions == [alice]  # one student, package a folder down
    course = tmp_path / "course"
    engine_only(course / "alice" / "nnlab", (SOLUTIONS / "engine.py").read_text())
    engine_only(course / "bob", (STARTER / "engine.py").read_text())
    (course / "carol").mkdir()  # a student who handed in nothing is still a student
    (course / "carol" / "report.pdf").write_bytes(b"%PDF")
    assert sorted(p.name for p in find_submissions([course]).submissions) == ["alice", "bob", "carol"]
    (course / "graded" / "results").mkdir(parents=True)  # the run's own output, inside the class folder
    found = find_submissions([course], out_dir=course / "graded")
    assert "graded" not in [p.name for p in found.submissions]
    assert [(s.path.name, s.reason) for s in found.skipped] == [("graded", "the output folder of this run")]
    with pytest.raises(InputError, match="both named 'alice'"):
        find_submissions([course, alice])
    zips = tmp_path / "zips"
    zips.mkdir()
    with zipfile.ZipFile(zips / "dana.zip", "w") as zf:
        zf.writestr("nnlab/engine.py", "x = 1\n")
    (zips / "grades.xlsx").write_bytes(b"PK")
    found = find_submissions([zips])
    assert found.submissions == [zips / "dana.zip"] and [s.path.name for s in found.skipped] == ["grades.xlsx"]
    assert find_submissions([zips / "dana.zip", zips / "dana.zip"]).submissions == [zips / "dana.zip"]
    named = find_submissions(sorted(zips.iterdir()))  # a shell's zips/* names the stray file too
    assert named.submissions == [zips / "dana.zip"] and named.skipped == found.skipped
