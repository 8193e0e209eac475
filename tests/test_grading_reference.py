"""The reference earns every point, the starter none (each stub named), and a regrade is byte for byte."""

import json
import shutil

import pytest
from graded_class import CONFIG, SEED

from autograder.config import QUESTION_IDS
from autograder.grade.grader import grade_submission
from autograder.paths import SOLUTIONS

TIMINGS = ("execution_time",)


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
    for test in starter["tests"]:
        assert test["status"] == "failed"
        assert "not written yet" in test["output"] and test["extra_data"]["question"] in test["output"]


@pytest.mark.slow
def test_results_follow_gradescopes_schema(graded):
    _, results = graded
    for result in results.values():
        assert {"score", "execution_time", "output", "tests"} <= set(result)
        for test in result["tests"]:
            assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
            assert test["name"].startswith(test["extra_data"]["question"] + ": ")
            assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def without_timings(results: dict) -> dict:
    results = json.loads(json.dumps(results))
    results.pop("execution_time")
    results["extra_data"].pop("graded_at")
    for test in results["tests"]:
        test["extra_data"].pop("seconds")
    return results


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
    assert without_timings(json.loads(first)) == without_timings(json.loads(second)) == without_timings(regraded)
