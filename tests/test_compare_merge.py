"""`nnkit report --compare` (whose grade changed, and why) and `--merge` (shards joined = one run)."""

from __future__ import annotations

from datetime import datetime

import pytest
from class_results import CONFIG, fake_grade, make_result, make_submission, typed, write_run

from autograder.cli import main
from autograder.grade import batch
from autograder.grade.batch import grade_all
from autograder.report.compare import compare_results, format_changes
from autograder.report.merge import MergeError, merge


def test_compare_lists_changed_students_with_reasons_question_by_question():
    old = [make_result("alice", earned={"engine.mul": 0.5}, submission_hash="a" * 64),
           make_result("bob", earned={"nn.mlp": 0.0}),
           make_result("dave", error="the .zip cannot be read"),
           make_result("erin"),
           make_result("frank")]
    new = [make_result("alice", submission_hash="b" * 64),
           make_result("bob", earned={"nn.mlp": 0.0}),
           make_result("carol"),
           make_result("dave", earned={"cnn.test": 0.5}, seed=99),
           make_result("frank", earned={"cnn.test": 0.5},
                       outputs={"cnn.test": "accuracy 0.31, expected at least 0.93\nthe rest"})]
    changes = {c.name: c for c in compare_results(typed(old), typed(new), CONFIG)}
    assert sorted(changes) == ["alice", "carol", "dave", "erin", "frank"]  # bob did not change
    alice = changes["alice"]
    assert (alice.old_total, alice.new_total, alice.delta) == (59, 60, 1)
    assert "the submission changed (new files)" in alice.reasons
    [mul] = alice.questions
    assert (mul.qid, mul.old, mul.new) == ("engine.mul", (1, 2), (2, 2))
    assert mul.cases == ["engine.mul: public case: failed -> passed"]
    dave = changes["dave"]
    assert any(r.startswith("graded now; before it could not be") for r in dave.reasons)
    assert "seed 1234 -> 99" in dave.reasons
    assert len(dave.questions) == len(CONFIG.questions)  # 0 everywhere before
    [cnn] = [q for q in dave.questions if q.qid == "cnn.test"]
    assert (cnn.old, cnn.new, cnn.cases) == ((0, 4), (2, 4), ["cnn.test: hidden case: failed -> passed"])
    [cnn] = changes["frank"].questions
    assert cnn.cases == ["cnn.test: public case: passed -> failed (accuracy 0.31, expected at least 0.93)"]
    assert changes["frank"].reasons == ["same files, kit version and seed: the checks themselves gave another result"]
    assert changes["carol"].reasons == ["only in NEW"] and changes["erin"].reasons == ["only in OLD"]
    text = format_changes(list(changes.values()), 6)
    assert text.splitlines()[0] == "5 of 6 submissions changed (2 up, 1 down, 2 in one run only)."
    assert "alice: 59 -> 60 (+1)  [the submission changed (new files)]" in text
    assert "  engine.mul: 1/2 -> 2/2" in text


def test_compare_from_the_command_line(tmp_path, capsys):
    write_run(tmp_path / "old", [make_result("alice", default=0.5), make_result("bob")])
    write_run(tmp_path / "new", [make_result("alice"), make_result("bob")])
    assert main(["report", "--compare", str(tmp_path / "old"), str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 of 2 submissions changed (1 up, 0 down, 0 in one run only).")
    assert "alice: 30 -> 60 (+30)" in out and "bob" not in out


REPORT_FILES = ("grades.csv", "canvas.csv", "ta_report.html")


class FrozenClock(datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime(2024, 5, 1, 12, 0, tzinfo=tz)


def test_merged_shards_give_the_same_gradebook_and_reports_as_one_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "datetime", FrozenClock)  # the RAISE case's results are stamped by the batch
    behaviours = ["FULL", "HALF", "ZERO", "RAISE", "UNGRADABLE the .zip cannot be read", "FULL"]
    subs = [make_submission(tmp_path / "in", name, b) for name, b in zip(["ann", "bo", "cy", "di", "Éva", "王"],
                                                                         behaviours)]
    run = dict(config=CONFIG, seed=5, workers=1, grade_fn=fake_grade, progress=False)
    grade_all(subs, tmp_path / "single", **run)
    shards = [tmp_path / f"shard{k}" for k in (1, 2, 3)]
    for k, shard in enumerate(shards, start=1):
        grade_all(subs, shard, shard=(k, 3), **run)
    assert main(["report", "--merge", *map(str, shards), "--out", str(tmp_path / "merged")]) == 0
    assert "reports for 6 submissions" in capsys.readouterr().out
    single, merged = tmp_path / "single", tmp_path / "merged"
    for name in REPORT_FILES:
        assert (merged / name).read_bytes() == (single / name).read_bytes(), name
    pages = sorted(p.relative_to(single) for p in (single / "feedback").iterdir())
    assert len(pages) == 12
    assert pages == sorted(p.relative_to(merged) for p in (merged / "feedback").iterdir())
    for page in pages:
        assert (merged / page).read_bytes() == (single / page).read_bytes(), page


def test_merge_refuses_two_different_grades_for_one_submission(tmp_path):
    write_run(tmp_path / "a", [make_result("alice")])
    write_run(tmp_path / "b", [make_result("alice", default=0.5)])
    with pytest.raises(MergeError, match="alice: different results"):
        merge([tmp_path / "a", tmp_path / "b"], tmp_path / "out", CONFIG)
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_merge_refuses_a_folder_that_is_not_a_run(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(MergeError, match="no results/ folder"):
        merge([tmp_path / "empty"], tmp_path / "out", CONFIG)

