"""A run's report settings (roster, Canvas column, hidden cases shown) survive re-runs and `nnkit report`,
through the real `nnkit`: nothing given again is lost, and a setting given differently is said."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nnkit_cli import engine_only, grade_engines, nnkit

from autograder.paths import SOLUTIONS, STARTER

SEED = 78
ROSTER = ("Student,ID,SIS User ID,SIS Login ID,Section,Homework 3 (12345)\n"
          "    Points Possible,,,,,60\n"
          "\"Chen, Alice\",101,S-1,alice,Sec A,\n"
          "\"Okafor, Bob\",102,S-2,bob,Sec A,\n"
          "\"Nosub, Dana\",103,S-3,dana,Sec B,\n")


def canvas_rows(out: Path) -> list[list[str]]:
    with open(out / "canvas.csv", newline="") as f:
        return list(csv.reader(f))


def test_settings_are_kept_for_reruns_and_a_change_is_said(tmp_path):
    subs = tmp_path / "subs"
    engine_only(subs / "alice", (SOLUTIONS / "engine.py").read_text())
    engine_only(subs / "bob", (STARTER / "engine.py").read_text())
    engine_only(subs / "carol", (STARTER / "engine.py").read_text())
    (tmp_path / "roster.csv").write_text(ROSTER)
    out = tmp_path / "graded"
    done = grade_engines("subs", out, SEED, "--workers", 1, "--roster", "roster.csv", "--canvas-assignment",
                         "Homework 3 (12345)", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # Roster names hold commas: the summary keeps three people three.
    assert "in the roster but without a submission: Nosub, Dana" in done.stdout
    assert "not in the roster (their submission name stands as SIS Login ID): carol" in done.stdout
    first = canvas_rows(out)
    assert first[0][-1] == "Homework 3 (12345)"
    assert {row[1] for row in first[2:]} == {"101", "102", ""}  # Canvas ids from the roster; carol has none
    recorded = json.loads((out / "run.json").read_text())["report"]
    assert recorded == {"roster": str(tmp_path / "roster.csv"), "assignment": "Homework 3 (12345)",
                        "include_hidden": False}

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()  # the recorded roster's path is absolute: found from any folder
    for again in (("report", out), ("grade", subs, "--out", out, "--resume")):
        done = nnkit(*again, cwd=elsewhere)
        assert done.returncode == 0, done.stderr
        assert "changed" not in done.stderr
        assert canvas_rows(out) == first

    done = nnkit("report", out, "--canvas-assignment", "Homework 3b", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert "changed --canvas-assignment: 'Homework 3b' (the run in" in done.stderr
    assert "had 'Homework 3 (12345)')" in done.stderr
    assert canvas_rows(out)[0][-1] == "Homework 3b"
    assert json.loads((out / "run.json").read_text())["report"]["assignment"] == "Homework 3b"

    done = nnkit("report", out, "--roster", "", cwd=elsewhere)
    assert "changed --roster: none" in done.stderr
    assert {row[1] for row in canvas_rows(out)[2:]} == {""}


def test_a_roster_that_is_not_one_is_refused_before_grading(tmp_path):
    engine_only(tmp_path / "subs" / "alice", (SOLUTIONS / "engine.py").read_text())
    engine_only(tmp_path / "subs" / "bob", (STARTER / "engine.py").read_text())
    (tmp_path / "emails.csv").write_text("name,email\nalice,alice@example.org\n")
    done = nnkit("grade", "subs", "--out", "graded", "--roster", "emails.csv", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "emails.csv: not a Canvas gradebook export" in done.stderr
    assert not (tmp_path / "graded").exists()
