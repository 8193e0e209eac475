"""The reference earns every point; the starter none, each stub named; broken files cost only their module's
questions and say where; a regrade with the recorded seed reproduces the results file byte for byte.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from graded_class import CONFIG, SEED
from mutations import BY_NAME

from autograder.config import QUESTION_IDS
from autograder.grade.grader import grade_submission
from autograder.paths import SOLUTIONS, STARTER

# The fields of a results file that time the grading; everything else must be reproduced byte for byte.
TIMINGS = re.compile(r'("execution_time": )[-0-9.eE+]+|("graded_at": )"[^"]*"|("seconds": )[-0-9.eE+]+')
STUB = re.compile(r"[\"'](\w+\.\w+): ([\w.]+) is not written yet")


def scores(results: dict) -> dict[str, tuple[float, float]]:
    return {qid: (q["score"], q["max_score"]) for qid, q in results["extra_data"]["questions"].items()}


def full_marks_except(results: dict, lost: set[str]) -> None:
    for qid, (score, best) in scores(results).items():
        if qid in lost:
            assert score == 0, f"{qid}: {score}/{best}, should be 0"
        else:
            assert score == best > 0, f"{qid}: {score}/{best}, should be full marks"


@pytest.mark.slow
def test_the_reference_scores_full_marks(graded):
    reference = graded[1]["reference"]
    assert reference["score"] == CONFIG.total_points == reference["extra_data"]["max_score"]
    assert list(scores(reference)) == list(QUESTION_IDS)
    full_marks_except(reference, set())
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in reference["tests"])
    assert reference["extra_data"]["error"] is None and not reference["extra_data"]["grader_failed"]


@pytest.mark.slow
def test_the_starter_scores_zero_and_names_each_stub(graded):
    stubs = {match.groups() for path in STARTER.glob("*.py") for match in STUB.finditer(path.read_text())}
    assert {qid for qid, _ in stubs} == set(QUESTION_IDS)  # the starter has a stub for every question
    starter = graded[1]["starter"]
    assert starter["score"] == 0
    full_marks_except(starter, set(QUESTION_IDS))
    for test in starter["tests"]:
        assert test["status"] == "failed", test["name"]
        qid = test["extra_data"]["question"]
        named = re.match(rf"{re.escape(qid)}: ([\w.]+) is not written yet", test["output"])
        assert named and (qid, named.group(1)) in stubs, test["output"]


@pytest.mark.slow
def test_a_syntax_error_costs_its_module_and_names_the_file_and_line(graded):
    mutation = BY_NAME["syntax_error_in_nn"]
    line = mutation.source("nn").splitlines().index("def broken(:") + 1
    results = graded[1][mutation.name]
    full_marks_except(results, {"nn.neuron", "nn.layer", "nn.mlp"})
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert {t["extra_data"]["question"] for t in failed} == {"nn.neuron", "nn.layer", "nn.mlp"}
    for test in failed:
        assert "SyntaxError" in test["output"] and f"nn.py, line {line}" in test["output"], test["output"]


@pytest.mark.slow
def test_a_missing_module_costs_only_its_questions(graded):
    results = graded[1]["optim_missing"]
    optim = {"optim.estimate_gradient", "optim.ascend", "optim.gradient_descent"}
    full_marks_except(results, optim)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert {t["extra_data"]["question"] for t in failed} == optim
    assert all("optim.py is missing from the submission" in t["output"] for t in failed)


@pytest.mark.slow
@pytest.mark.parametrize("name, qid, missing", [("ascend_function_missing", "optim.ascend", "ascend"),
                                                ("mlp_class_missing", "nn.mlp", "MLP")])
def test_a_missing_function_or_class_costs_its_question_and_is_named(graded, name, qid, missing):
    results = graded[1][name]
    full_marks_except(results, {qid})
    named = f"has no attribute '{missing}'"
    tests = [t for t in results["tests"] if t["extra_data"]["question"] == qid]
    assert all(t["status"] == "failed" for t in tests) and named in tests[0]["output"], tests[0]["output"]
    for test in tests[1:]:  # a message repeated within a question is said once
        assert named in test["output"] or "(the same message as in case" in test["output"], test["output"]


@pytest.mark.slow
def test_results_follow_gradescopes_schema(graded):
    for name, result in graded[1].items():
        assert {"score", "execution_time", "output", "tests"} <= set(result), name
        assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]), abs=1e-3)
        for test in result["tests"]:
            assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
            assert test["name"].startswith(test["extra_data"]["question"] + ": ")
            assert test["status"] in ("passed", "failed") and test["output"].strip()
            assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def without_timings(text: str) -> str:
    return TIMINGS.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "TIMING", text)


@pytest.mark.slow
def test_a_regrade_with_the_recorded_seed_is_identical_but_for_timings(graded, tmp_path):
    out, results = graded
    seed = results["reference"]["extra_data"]["seed"]
    assert seed == SEED
    again = tmp_path / "again"  # a new out dir: only the reference's expected outputs are copied, no run
    (again / ".cache").mkdir(parents=True)
    for expected in (out / ".cache").glob("expected-*.json"):
        shutil.copy(expected, again / ".cache")
    shutil.copytree(SOLUTIONS, tmp_path / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    grade_submission(tmp_path / "reference", again, config=CONFIG, seed=seed, name="reference")
    first = (out / "results" / "reference.json").read_text()
    second = (again / "results" / "reference.json").read_text()
    n_tests = len(results["reference"]["tests"])
    assert len(TIMINGS.findall(first)) == len(TIMINGS.findall(second)) == n_tests + 2
    assert without_timings(first) == without_timings(second)
    assert json.loads(second)["extra_data"]["seed"] == seed
