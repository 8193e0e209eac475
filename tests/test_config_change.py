"""One question's points changed in a copy of assignment.toml change every output that shows points.

The grader's results, grades.csv, the Gradescope bundle's results, the otter test files' points and the
student bundle's README all follow the file passed as the configuration; nothing reads the default behind it.
"""

import csv
import shutil

import pytest
from fake_gradescope import lay_out, run_autograder
from graded_class import CONFIG, SEED
from test_otter_export import loaded_tests

from autograder.build.student_bundle import build_bundle
from autograder.config import DEFAULT_PATH, load_config
from autograder.export.gradescope import write_gradescope_bundle
from autograder.export.otter import write_otter_bundle
from autograder.grade.grader import grade_submission
from autograder.paths import ASSIGNMENTS, SOLUTIONS, STARTER
from autograder.report.finish import finish

QID, OLD, NEW = "engine.mul", 2, 7


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    text = DEFAULT_PATH.read_text()
    old = f'[questions."{QID}"]\npoints = {OLD}\n'
    assert text.count(old) == 1, "assignment.toml no longer gives engine.mul 2 points"
    path = tmp_path_factory.mktemp("config") / "assignment.toml"
    path.write_text(text.replace(old, f'[questions."{QID}"]\npoints = {NEW}\n'))
    config = load_config(path)
    assert config.question(QID).points == NEW and config.total_points == CONFIG.total_points + NEW - OLD
    return config


@pytest.fixture(scope="module")
def cache(graded, tmp_path_factory):
    """A copy of the graded class's cache: the reference's outputs and runs for SEED (points play no part)."""
    out, _ = graded
    copy = tmp_path_factory.mktemp("cache") / ".cache"
    shutil.copytree(out / ".cache", copy)
    return copy


def mul_tests(results: dict) -> list[dict]:
    return [t for t in results["tests"] if t["name"].startswith(f"{QID}:")]


@pytest.mark.slow
def test_grader_results_and_grades_csv_follow_the_config(changed, cache, graded, tmp_path):
    _, before = graded
    out = tmp_path / "out"
    shutil.copytree(cache, out / ".cache")
    results = grade_submission(SOLUTIONS, out, config=changed, seed=SEED, name="reference").to_json()
    questions = results["extra_data"]["questions"]
    assert questions[QID] == {"score": NEW, "max_score": NEW}
    assert results["extra_data"]["max_score"] == changed.total_points
    assert results["score"] == before["reference"]["score"] + NEW - OLD
    assert sum(t["max_score"] for t in mul_tests(results)) == pytest.approx(NEW)
    unchanged = {q: v for q, v in questions.items() if q != QID}
    assert unchanged == {q: v for q, v in before["reference"]["extra_data"]["questions"].items() if q != QID}

    finish(out, changed)
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert len(rows) == 1
    assert float(rows[0][QID]) == NEW
    assert float(rows[0]["max"]) == changed.total_points
    assert float(rows[0]["total"]) == results["score"]


@pytest.mark.slow
def test_gradescope_bundle_results_follow_the_config(changed, cache, tmp_path):
    # The build's seed for every submission: its reference outputs are in the cache, none is computed again.
    bundle = write_gradescope_bundle(changed, tmp_path / "autograder.zip", seed=SEED, cache=cache,
                                     seed_per_submission=False)
    root = lay_out(bundle, tmp_path / "autograder")
    # engine.py alone: the other modules are missing and cost their questions without running anything.
    for name in ("__init__.py", "engine.py"):
        shutil.copyfile(SOLUTIONS / name, root / "submission" / name)
    results = run_autograder(root)
    assert sum(t["max_score"] for t in mul_tests(results)) == pytest.approx(NEW)
    engine = sum(q.points for q in changed.questions.values() if q.module == "engine")
    assert results["score"] == pytest.approx(engine)


@pytest.mark.slow
def test_otter_test_files_follow_the_config(changed, cache, tmp_path):
    bundle = write_otter_bundle(changed, tmp_path / "otter_autograder.zip", SEED, cache)
    tests = loaded_tests(bundle, tmp_path / "unpacked")
    assert sum(points for _, points, _ in tests[QID]) == pytest.approx(NEW)
    assert sum(points for cases in tests.values() for _, points, _ in cases) == pytest.approx(changed.total_points)


@pytest.mark.slow
def test_student_readme_follows_the_config(changed, tmp_path):
    build_bundle(tmp_path / "student", STARTER, ASSIGNMENTS, changed)
    readme = (tmp_path / "student" / "README.md").read_text()
    assert f"| `{QID}` | {NEW} |" in readme
    assert f"| total | {changed.total_points:g} |" in readme
