"""Each buggy submission of the catalogue loses points on exactly the questions its bug touches, and says why.

Every mutation is graded once per session (see graded_class.py) with a fixed seed into one out dir, so the
reference's expected outputs and each unchanged module's question runs are computed once.
"""

from __future__ import annotations

import pytest
from graded_class import SEED
from mutations import MUTATIONS, Mutation

from autograder.config import QUESTION_IDS
from autograder.hidden import suite
from autograder.hidden.case import Case

CASES = {(c.question, c.name, c.public): c for c in suite(SEED)}


def case_of(test: dict) -> Case:
    extra = test["extra_data"]
    return CASES[(extra["question"], extra["case"], extra["public"])]


def failures(results: dict, qid: str) -> list[str]:
    return [f"{t['name']}: {t['output']}" for t in results["tests"]
            if t["extra_data"]["question"] == qid and t["status"] == "failed"]


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_bug_costs_exactly_its_questions(graded, mutation: Mutation):
    results = graded[1][mutation.name]
    assert results["extra_data"]["error"] is None and results["extra_data"]["seed"] == SEED
    questions = results["extra_data"]["questions"]
    assert list(questions) == list(QUESTION_IDS)
    for qid in QUESTION_IDS:
        score, best = questions[qid]["score"], questions[qid]["max_score"]
        if qid in mutation.costs:
            assert score < best, f"{mutation.name} should cost {qid} but scored {score}/{best}"
        else:
            assert score == best, f"{mutation.name} must keep {qid} ({score}/{best}): {failures(results, qid)}"
    assert results["score"] < sum(q["max_score"] for q in questions.values())


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_each_failing_case_says_what_was_checked_and_what_went_wrong(graded, mutation: Mutation):
    results = graded[1][mutation.name]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed
    for test in results["tests"]:
        if test["status"] == "passed":
            assert test["score"] == test["max_score"] > 0
            continue
        assert test["status"] == "failed" and test["score"] == 0 < test["max_score"]
        assert test["extra_data"]["question"] in mutation.costs
        said = f"Checked {case_of(test).checked}"
        assert test["output"].startswith(said), test["output"]
        assert len(test["output"].strip()) > len(said) + 2, f"{test['name']} does not say what went wrong"


@pytest.mark.slow
def test_the_recursive_backward_loses_only_the_deep_graph(graded):
    results = graded[1]["backward_recursive_like_the_tutorial"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["engine.backward: deep graph (public)", "engine.backward: deep graph"]
    assert all("RecursionError" in t["output"] for t in failed)


@pytest.mark.slow
def test_an_assignment_instead_of_a_sum_is_caught_by_the_accumulation_case(graded):
    results = graded[1]["mul_assigns_instead_of_adding"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert "engine.mul: adds to existing gradients" in [t["name"] for t in failed]
    assert all("(+=, not =)" in t["output"] for t in failed if t["extra_data"]["case"] == "adds to existing gradients")
