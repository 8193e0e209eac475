"""Grading a class with grade_all: parallel workers, failures, --resume, a killed run, and --shard."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from class_results import CONFIG, calls, fake_grade, make_submission, make_zip

from autograder.grade import batch
from autograder.grade.batch import grade_all, jobs_for, parse_shard, shard_of

TESTS = Path(__file__).resolve().parent


def grades(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


def result(out: Path, name: str) -> dict:
    return json.loads((out / "results" / f"{name}.json").read_text(encoding="utf-8"))


def test_parallel_grading_writes_results_gradebooks_and_reports(tmp_path, capsys):
    subs = [make_submission(tmp_path / "in", "alice"), make_submission(tmp_path / "in", "bob", "HALF"),
            make_submission(tmp_path / "in", "Zoë 王"), make_zip(tmp_path / "in", "carol.smith")]
    out = tmp_path / "out"
    summary = grade_all(subs, out, config=CONFIG, seed=7, workers=2, grade_fn=fake_grade)
    names = ["Zoë 王", "alice", "bob", "carol.smith"]
    assert sorted(p.stem for p in (out / "results").glob("*.json")) == names
    book = grades(out)
    assert sorted(book) == names
    assert book["bob"]["total"] == "30" and book["alice"]["total"] == "60" and book["carol.smith"]["max"] == "60"
    assert result(out, "alice")["extra_data"]["seed"] == 7
    for path in ("canvas.csv", "ta_report.html", "feedback/Zoë 王.html", "feedback/carol.smith.md"):
        assert (out / path).is_file(), path
    assert [o.name for o in summary.outcomes] == names
    captured = capsys.readouterr()
    assert "graded 4 submission(s)" in captured.out and "0 could not be graded" in captured.out
    assert "4/4" in captured.err and "<" in captured.err  # tqdm: done/total [elapsed<remaining]


def test_a_grader_that_raises_gives_a_zero_with_the_reason(tmp_path):
    subs = [make_submission(tmp_path / "in", "alice"), make_submission(tmp_path / "in", "mallory", "RAISE")]
    out = tmp_path / "out"
    summary = grade_all(subs, out, config=CONFIG, seed=1, workers=1, grade_fn=fake_grade, progress=False)
    bad = result(out, "mallory")
    assert bad["score"] == 0 and "fake grader exploded on mallory" in bad["extra_data"]["error"]
    assert {t["name"] for t in bad["tests"]} == set(CONFIG.questions)
    assert grades(out)["mallory"]["total"] == "0" and grades(out)["alice"]["total"] == "60"
    assert "1 could not be graded" in summary.line()


def test_a_worker_that_dies_costs_only_its_own_submission(tmp_path):
    others = [f"s{i}" for i in range(8)]
    subs = [make_submission(tmp_path / "in", n, "SLEEP 0.1") for n in others]
    subs.append(make_submission(tmp_path / "in", "a-dies", "DIE"))  # sorted first: dies while others wait
    out = tmp_path / "out"
    grade_all(subs, out, config=CONFIG, seed=1, workers=2, grade_fn=fake_grade, progress=False)
    assert "grading process died" in result(out, "a-dies")["extra_data"]["error"]
    assert grades(out)["a-dies"]["total"] == "0"
    assert all(grades(out)[n]["total"] == "60" for n in others)
    log = calls(out)
    assert log.count("a-dies") == 2  # once in the shared pool, once alone
    # Only a job that was running beside it is graded twice; the waiting ones go to a fresh pool once.
    assert sum(log.count(n) - 1 for n in others) <= 1


def test_resume_grades_only_what_changed(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    subs = [make_submission(folder, n) for n in ("alice", "bob", "carol")]
    out = tmp_path / "out"
    run = dict(config=CONFIG, seed=1, workers=1, grade_fn=fake_grade, progress=False, resume=True)
    grade_all(subs, out, **run)
    assert sorted(calls(out)) == ["alice", "bob", "carol"]
    summary = grade_all(subs, out, **run)
    assert len(calls(out)) == 3 and all(o.skipped for o in summary.outcomes)
    make_submission(folder, "bob", "HALF")  # bob resubmits
    grade_all(subs, out, **run)
    assert calls(out)[3:] == ["bob"] and grades(out)["bob"]["total"] == "30"
    grade_all(subs, out, **{**run, "resume": False})
    assert len(calls(out)) == 7
    monkeypatch.setattr(batch, "__version__", "9.9.9")  # a new kit version grades everyone again
    grade_all(subs, out, **run)
    assert len(calls(out)) == 10


def test_resume_retries_a_grader_failure(tmp_path):
    sub = make_submission(tmp_path / "in", "flaky", "RAISE")
    out = tmp_path / "out"
    run = dict(config=CONFIG, seed=1, workers=1, grade_fn=fake_grade, progress=False, resume=True)
    grade_all([sub], out, **run)
    make_submission(tmp_path / "in", "flaky", "RAISE")
    grade_all([sub], out, **run)
    assert calls(out) == ["flaky", "flaky"]


KILLED_RUN = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from class_results import CONFIG, fake_grade
from autograder.grade.batch import grade_all
subs = sorted(Path({folder!r}).iterdir())
grade_all(subs, Path({out!r}), config=CONFIG, seed=1, workers=2, grade_fn=fake_grade, progress=False)
"""


def test_a_killed_run_loses_no_finished_grade(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    names = [f"s{i}" for i in range(8)]
    for name in names:
        make_submission(folder, name, "SLEEP 0.6")
    script = KILLED_RUN.format(tests=str(TESTS), folder=str(folder), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "results").glob("*.json"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers: a job killed by the scheduler
        proc.wait()
    finished = {p.stem for p in (out / "results").glob("*.json")}
    assert 3 <= len(finished) < len(names)
    for name in finished:
        assert result(out, name)["score"] == 60  # whole files only
    before = len(calls(out))
    grade_all([folder / n for n in names], out, config=CONFIG, seed=1, workers=1, grade_fn=fake_grade,
              progress=False, resume=True)
    assert sorted(calls(out)[before:]) == sorted(set(names) - finished)
    assert sorted(grades(out)) == names
    uninterrupted = tmp_path / "uninterrupted"
    grade_all([folder / n for n in names], uninterrupted, config=CONFIG, seed=1, workers=2, grade_fn=fake_grade,
              progress=False)
    assert (out / "grades.csv").read_text() == (uninterrupted / "grades.csv").read_text()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_workers_end_when_the_run_is_killed_alone(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    for i in range(8):
        make_submission(folder, f"s{i}", "SLEEP 0.6")
    script = KILLED_RUN.format(tests=str(TESTS), folder=str(folder), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list((out / "results").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = children_of(proc.pid)
        assert len(workers) >= 2
        proc.kill()  # the main process only, as `kill -9 PID` would
        proc.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_shards_are_disjoint_complete_and_stable(tmp_path):
    paths = [tmp_path / f"student{i:02d}" for i in range(40)] + [tmp_path / "late.zip"]
    shards = [[j.name for j in jobs_for(paths, (k, 3))] for k in (1, 2, 3)]
    assert sorted(sum(shards, [])) == sorted(p.name.removesuffix(".zip") for p in paths)
    assert all(s == sorted(s) and s for s in shards)
    # The same split from a different order of arguments; a new submission moves no other one.
    assert [[j.name for j in jobs_for(reversed(paths), (k, 3))] for k in (1, 2, 3)] == shards
    fewer = [[j.name for j in jobs_for(paths[:-1], (k, 3))] for k in (1, 2, 3)]
    assert [[n for n in s if n != "late"] for s in shards] == fewer
    # Pinned: another machine, Python or PYTHONHASHSEED gives the same shards (hash() would not).
    assert [shard_of(n, 8) for n in ("alice", "bob", "Zoë 王", "student07")] == [8, 3, 1, 1]


def test_sharded_grading_covers_the_class_once(tmp_path):
    subs = [make_submission(tmp_path / "in", f"s{i}") for i in range(6)]
    graded = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}"
        summary = grade_all(subs, out, config=CONFIG, seed=1, workers=1, grade_fn=fake_grade, progress=False,
                            shard=(k, 2))
        assert summary.line().startswith(f"shard {k}/2: ")
        graded += calls(out)
    assert sorted(graded) == [f"s{i}" for i in range(6)]


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_bad_shards_are_refused(text):
    with pytest.raises(ValueError, match="--shard"):
        parse_shard(text)


def test_two_submissions_with_one_name_are_refused(tmp_path):
    with pytest.raises(ValueError, match="two submissions are named 'alice'"):
        jobs_for([tmp_path / "alice", tmp_path / "x" / "alice.zip"])
