"""Late work, an extension and a TA's adjustments, through the real `nnkit`: grades.csv, canvas.csv, the
feedback pages and the TA report show the same final numbers, and a regrade (with --resume, and in full)
keeps them."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest
from nnkit_cli import grade_engines, nnkit

from autograder.config import DEFAULT_PATH, ConfigError, parse_config
from autograder.paths import SOLUTIONS, STARTER
from autograder.report.final import days_late

SEED = 81
REFERENCE = (SOLUTIONS / "engine.py").read_text()
STUB = (STARTER / "engine.py").read_text()
LATE_POLICY = """
[late]
due = "2026-10-01T23:59:00+00:00"
grace_minutes = 10
penalty_per_day = 0.1
max_penalty = 0.5
last_day = 5
"""
# Who handed in what, and when (Gradescope's :created_at:).
STUDENTS = {
    "alice": (REFERENCE, "2026-10-02 00:05:00 +00:00"),  # within the grace minutes: on time
    "bob": (REFERENCE, "2026-10-03 08:00:00 +00:00"),  # 2 days late: 20% off
    "carol": (REFERENCE, "2026-10-02 12:00:00 +00:00"),  # 1 day late, but a 1-day extension: on time
    "dana": (REFERENCE, "2026-10-08 00:00:00 +00:00"),  # 6 days late, past the last day (5): not accepted
    "erin": (STUB, "2026-10-01 12:00:00 +00:00"),  # on time; the TA adds points on engine.add
    "fay": (REFERENCE, "2026-10-01 12:00:00 +00:00"),  # excused
}
ADJUSTMENTS = ("submission,extra_days,question,points,reason,excused\n"
               "carol,1,,,,\n"
               "erin,,engine.add,1,\"regrade: your add case was right, the check was too strict\",\n"
               "bob,,,-1,\"<script>alert(1)</script> used a friend's helper, as agreed\",\n"
               "fay,,,,medical leave,true\n"
               "zed,,,5,a student who handed in nothing,\n")


def with_late_policy() -> str:
    """The kit's assignment.toml with the late policy above in place of its own (off) one."""
    return DEFAULT_PATH.read_text().split("\n[late]")[0] + LATE_POLICY


def gradescope_export(root: Path) -> Path:
    folder = root / "export"
    metadata = []
    for name, (source, when) in STUDENTS.items():
        (folder / f"submission_{name}").mkdir(parents=True)
        (folder / f"submission_{name}" / "engine.py").write_text(source)
        metadata.append(f"submission_{name}:\n  :submitters:\n  - :name: {name.title()}\n    :sid: {name}\n"
                        f"    :email: {name}@uni.example\n  :created_at: {when}\n")
    (folder / "submission_metadata.yml").write_text("".join(metadata))
    return folder


def table(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    key = rows[0].index("submission") if "submission" in rows[0] else 0
    return {row[key]: dict(zip(rows[0], row)) for row in rows[1:] if row[key] != "    Points Possible"}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("late")
    export = gradescope_export(root)
    (root / "assignment.toml").write_text(with_late_policy())
    out = root / "graded"
    out.mkdir()
    (out / "adjustments.csv").write_text(ADJUSTMENTS)
    done = grade_engines(export, out, SEED, "--workers", 2, "--config", "assignment.toml", cwd=root)
    assert done.returncode == 0, done.stderr
    return root, out


def test_every_page_shows_the_same_final_numbers(run):
    root, out = run
    grades = table(out / "grades.csv")
    engine = float(grades["alice"]["total"])  # the reference's engine: every engine question
    assert engine > 0 and float(grades["erin"]["total"]) == 0
    expected = {  # final, late days, penalty, adjustment
        "alice": (engine, 0, 0, 0),
        "bob": ((engine - 1) * 0.8, 2, (engine - 1) * 0.2, -1),
        "carol": (engine, 0, 0, 0),
        "dana": (0, 6, engine, 0),
        "erin": (1, 0, 0, 1),
    }
    for name, (final, late, penalty, adjustment) in expected.items():
        row = grades[name]
        assert float(row["final"]) == pytest.approx(final, abs=1e-4), name
        assert int(row["late_days"]) == late and float(row["late_penalty"]) == pytest.approx(penalty, abs=1e-4)
        assert float(row["adjustment"]) == pytest.approx(adjustment), name
    assert grades["fay"]["final"] == "EX" and grades["fay"]["excused"] == "true"
    canvas = {row["SIS Login ID"]: row for row in table(out / "canvas.csv").values()}
    column = next(c for c in canvas["alice"] if c.startswith("Neural"))
    for name in expected:
        assert canvas[name][column] == grades[name]["final"], name
    assert canvas["fay"][column] == "EX"  # Canvas's mark for excused
    report = (out / "ta_report.html").read_text()
    for name in ("bob", "dana", "erin", "fay"):
        row = re.search(rf"<tr><td>{name}</td>.*?</tr>", report.split("Late work and adjustments")[1])
        assert row and f"<td class=\"num\">{grades[name]['final']}</td>" in row.group(0), name
    bob = (out / "feedback" / "bob.html").read_text()
    assert f"Final score: {grades['bob']['final']} / " in bob
    assert "Late by 2 day(s): 20% of the points taken" in bob
    assert "&lt;script&gt;alert(1)&lt;/script&gt; used a friend&#39;s helper" in bob and "<script>" not in bob
    assert "engine.add: +1 points by the course staff: regrade: your add case was right" in \
        (out / "feedback" / "erin.md").read_text()
    assert "Not accepted: handed in 6 day(s) late" in (out / "feedback" / "dana.html").read_text()
    assert "Extension: 1 day(s)" in (out / "feedback" / "carol.html").read_text()


def test_a_regrade_keeps_the_adjustments(run):
    root, out = run
    before = {name: (out / name).read_text() for name in ("grades.csv", "canvas.csv")}
    # The run recorded its configuration: re-runs without --config keep its late policy.
    for again in (("grade", root / "export", "--out", out, "--workers", 2, "--resume"),
                  ("grade", root / "export", "--out", out, "--workers", 2), ("report", out)):
        done = nnkit(*again, cwd=root / "export")
        assert done.returncode == 0, done.stderr
        assert "changed" not in done.stderr
        assert "in adjustments.csv but without a submission (not applied): zed" in done.stdout
        assert {name: (out / name).read_text() for name in before} == before
    # Editing the policy is said.
    (root / "assignment.toml").write_text(with_late_policy().replace("grace_minutes = 10", "grace_minutes = 20"))
    done = nnkit("report", out, cwd=root)
    assert "changed [late] grace_minutes: 20 (the run in" in done.stderr and "had 10)" in done.stderr, done.stderr
    (root / "assignment.toml").write_text(with_late_policy())
    assert nnkit("report", out, cwd=root).returncode == 0
    # An adjustment changed afterwards is told apart from a regrade.
    (root / "before").mkdir()
    for name in ("results", "adjustments.csv"):
        src = out / name
        if src.is_dir():
            (root / "before" / name).mkdir()
            for f in src.iterdir():
                (root / "before" / name / f.name).write_bytes(f.read_bytes())
        else:
            (root / "before" / name).write_bytes(src.read_bytes())
    (out / "adjustments.csv").write_text(ADJUSTMENTS + "alice,,engine.mul,-1,\"pair work, not said\",\n")
    done = nnkit("report", "--compare", root / "before", out, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "alice:" in done.stdout and "an adjustment, not a regrade" in done.stdout
    assert "pair work, not said" in done.stdout and "bob" not in done.stdout


def test_days_late_and_the_policy_settings():
    from datetime import datetime

    due = datetime.fromisoformat("2026-10-01T23:59:00+00:00")
    assert days_late("2026-10-02T00:05:00+00:00", due, 10) == 0
    assert days_late("2026-10-02T00:10:00+00:00", due, 10) == 1  # a minute past the grace: a day late
    assert days_late("2026-10-03T00:09:00+00:00", due, 10) == 1
    assert days_late("2026-10-03T00:09:01+00:00", due, 10) == 2
    assert days_late(None, due, 10) == 0
    settings = tomllib.loads(with_late_policy())
    assert parse_config(settings).late.penalty_per_day == 0.1
    for bad in ({"due": "next friday"}, {"due": "2026-10-01T23:59:00"}, {"penalty_per_day": 1.5},
                {"max_penalty": 2}):
        with pytest.raises(ConfigError, match="late"):
            parse_config({**settings, "late": {**settings["late"], **bad}})


def test_an_adjustment_that_names_no_question_of_the_assignment_is_refused(tmp_path):
    from autograder.config import load_config
    from autograder.report.final import AdjustmentError, read_adjustments

    (tmp_path / "adjustments.csv").write_text("submission,question,points\nalice,engine.mull,1\n")
    with pytest.raises(AdjustmentError, match="line 2: no question 'engine.mull'"):
        read_adjustments(tmp_path, load_config())
    (tmp_path / "adjustments.csv").write_text("submission,points,grade\nalice,one,\n")
    with pytest.raises(AdjustmentError, match="unknown: grade"):
        read_adjustments(tmp_path, load_config())
