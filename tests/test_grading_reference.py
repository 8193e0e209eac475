"""The reference earns every point, the starter none (each stub named); a broken or missing module, or a missing
class, costs only the questions that need it; and a regrade with the recorded seed is byte for byte."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from graded_class import CONFIG, SEED

from autograder.config import QUESTION_IDS
from autograder.grade.grader import grade_submission
from autograder.paths import SOLUTIONS

TIMINGS = re.compile(r'("execution_time": |"graded_at": |"seconds": )("[^"]*"|[-0-9.e+]+)')


def lost_questions(result: dict) -> set[str]:
    questions = result["extra_data"]["questions"]
    return {qid for qid, q in questions.items() if q["score"] < q["max_score"]}


@pytest.mark.slow
def test_the_reference_scores_full_marks(graded):
    _, results = graded
    reference = results["reference"]
    assert reference["score"] == CONFIG.total_points
    assert all(t["status"] == "passed" for t in reference["tests"])
    assert {t["extra_data"]["question"] for t in reference["tests"]} == set(QUESTION_IDS)


@pytest.mark.slow
def test_the_starter_scores_zero_and_names_each_stub(graded):
    _, results = graded
    starter = results["starter"]
    assert starter["score"] == 0
    assert all(q["score"] == 0 for q in starter["extra_data"]["questions"].values())
    for test in starter["tests"]:
        assert test["status"] == "failed"
        assert "not written yet" in test["output"] and test["extra_data"]["question"] in test["output"]


@pytest.mark.slow
def test_a_syntax_error_in_nn_costs_nn_only_and_names_the_file_and_line(graded):
    _, results = graded
    result = results["syntax_error_in_nn"]
    line = len((SOLUTIONS / "nn.py").read_text().splitlines()) + 2  # the appended `def broken(:`
    nn = {qid for qid in QUESTION_IDS if qid.startswith("nn.")}
    assert lost_questions(result) == nn
    assert all(result["extra_data"]["questions"][qid]["score"] == 0 for qid in nn)
    for test in result["tests"]:
        if test["extra_data"]["question"] in nn:
            assert test["status"] == "failed"
            assert "SyntaxError" in test["output"] and f"nn.py, line {line}" in test["output"], test["output"]
        else:
            assert test["status"] == "passed"


@pytest.mark.slow
def test_a_missing_module_costs_its_questions_only(graded):
    _, results = graded
    result = results["optim_missing"]
    optim = {qid for qid in QUESTION_IDS if qid.startswith("optim.")}
    assert lost_questions(result) == optim
    assert all(result["extra_data"]["questions"][qid]["score"] == 0 for qid in optim)
    for test in result["tests"]:
        if test["extra_data"]["question"] in optim:
            assert "optim.py is missing" in test["output"]


@pytest.mark.slow
def test_a_missing_class_costs_only_what_needs_it(graded):
    _, results = graded
    result = results["mlp_class_missing"]
    assert lost_questions(result) == {"nn.mlp"}  # nn.neuron and nn.layer still run on the same nn.py
    assert result["extra_data"]["questions"]["nn.mlp"]["score"] == 0
    for test in result["tests"]:
        if test["extra_data"]["question"] == "nn.mlp":
            assert "has no attribute 'MLP'" in test["output"]


@pytest.mark.slow
def test_results_follow_gradescopes_schema(graded):
    _, results = graded
    for result in results.values():
        assert {"score", "execution_time", "output", "tests"} <= set(result)
        for test in result["tests"]:
            assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
            assert test["name"].startswith(test["extra_data"]["question"] + ": ")
            assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def without_timings(text: str) -> str:
    """The results file's text with every timing field's value blanked."""
    return TIMINGS.sub(r"\1null", text)


@pytest.mark.slow
def test_a_regrade_with_the_recorded_seed_is_identical(graded, tmp_path):
    out, results = graded
    again = tmp_path / "again"
    (again / ".cache").mkdir(parents=True)
    for expected in (out / ".cache").glob("expected-*.json"):  # the reference's outputs; no run is reused
        shutil.copy(expected, again / ".cache")
    shutil.copytree(SOLUTIONS, tmp_path / "reference")
    seed = results["reference"]["extra_data"]["seed"]
    assert seed == SEED
    regraded = grade_submission(tmp_path / "reference", again, config=CONFIG, seed=seed, name="reference")
    first = (out / "results" / "reference.json").read_text()
    second = (again / "results" / "reference.json").read_text()
    assert json.loads(second) == regraded
    assert len(TIMINGS.findall(first)) == 2 + len(regraded["tests"])
    assert without_timings(first) == without_timings(second)
