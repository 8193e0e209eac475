"""Each buggy submission loses points on exactly the questions its bug touches, and keeps every other."""

from __future__ import annotations

import pytest
from mutations import MUTATIONS, Mutation

from autograder.config import QUESTION_IDS


def test_the_catalogue_covers_every_question_and_applies_cleanly(tmp_path):
    assert set(QUESTION_IDS) <= {qid for m in MUTATIONS for qid in m.costs}
    for mutation in MUTATIONS:
        assert mutation.costs <= set(QUESTION_IDS), mutation.name
        mutation.write(tmp_path)  # asserts each `old` occurs exactly once in solutions/


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_bug_costs_exactly_its_questions(graded, mutation: Mutation):
    _, results = graded
    result = results[mutation.name]
    questions = result["extra_data"]["questions"]
    lost = {qid for qid in QUESTION_IDS if questions[qid]["score"] < questions[qid]["max_score"]}
    assert lost == set(mutation.costs)
    assert result["extra_data"]["error"] is None
    by_question: dict[str, list[dict]] = {qid: [] for qid in QUESTION_IDS}
    for test in result["tests"]:
        by_question[test["extra_data"]["question"]].append(test)
    for qid, tests in by_question.items():
        assert tests, f"no case for {qid}"
        if qid in mutation.costs:
            assert any(t["status"] == "failed" for t in tests), f"{qid}: points lost but no case failed"
        else:
            assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in tests), qid
    for test in result["tests"]:
        if test["score"] < test["max_score"]:
            assert test["status"] == "failed"
        if test["status"] == "failed":
            assert test["score"] == 0
            assert test["output"].startswith("Checked ") and len(test["output"]) > len("Checked "), test["output"]


@pytest.mark.slow
def test_the_recursive_backward_loses_only_the_deep_graph(graded):
    _, results = graded
    failed = [t["name"] for t in results["backward_recursive_like_the_tutorial"]["tests"] if t["status"] == "failed"]
    assert failed == ["engine.backward: deep graph"]
    message = next(t["output"] for t in results["backward_recursive_like_the_tutorial"]["tests"]
                   if t["status"] == "failed")
    assert "RecursionError" in message


@pytest.mark.slow
def test_a_backward_in_breadth_first_order_fails_where_paths_meet(graded):
    _, results = graded
    failed = {t["extra_data"]["case"] for t in results["backward_in_breadth_first_order"]["tests"]
              if t["status"] == "failed"}
    assert "diamond" in failed and "chain" not in failed  # on a chain BFS order is a topological order
