"""Each buggy submission loses points on exactly the questions its bug touches, and keeps every other."""

import pytest
from mutations import MUTATIONS

from autograder.config import QUESTION_IDS


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_a_bug_costs_exactly_its_questions(graded, mutation):
    _, results = graded
    questions = results[mutation.name]["extra_data"]["questions"]
    lost = {qid for qid in QUESTION_IDS if questions[qid]["score"] < questions[qid]["max_score"]}
    assert lost == set(mutation.costs)
    for test in results[mutation.name]["tests"]:
        if test["status"] == "failed":
            assert test["extra_data"]["question"] in mutation.costs
            assert test["output"].strip() and test["score"] == 0


@pytest.mark.slow
def test_a_syntax_error_is_reported_with_file_and_line(graded):
    _, results = graded
    failed = [t for t in results["syntax_error_in_nn"]["tests"] if t["status"] == "failed"]
    assert failed and all("nn.py, line" in t["output"] and "SyntaxError" in t["output"] for t in failed)


@pytest.mark.slow
def test_a_missing_module_or_class_is_named(graded):
    _, results = graded
    assert all("optim.py is missing" in t["output"] for t in results["optim_missing"]["tests"]
               if t["status"] == "failed")
    assert any("MLP" in t["output"] for t in results["mlp_class_missing"]["tests"] if t["status"] == "failed")


@pytest.mark.slow
def test_the_recursive_backward_loses_only_the_deep_graph(graded):
    _, results = graded
    failed = [t["name"] for t in results["backward_recursive_like_the_tutorial"]["tests"] if t["status"] == "failed"]
    assert failed == ["engine.backward: deep graph"]
