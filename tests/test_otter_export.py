"""The otter-grader bundle: its test files carry the config's points and visibility, and `otter run` on a
notebook that writes the package gives each question the points `nnkit grade` gives the same code.

otter's tests use the student's own modules for every dependency (no reference stands in), so the buggy
submissions here are ones whose bug reaches no other question.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from graded_class import CONFIG, SEED

from autograder.config import QUESTION_IDS
from autograder.export.otter import submission_notebook, write_otter_bundle

OTTER = Path(sys.executable).with_name("otter")
SUBMISSIONS = ("reference", "starter", "exp_uses_the_input", "descent_records_after_the_step",
               "ascent_without_the_start")

# Loads every test file with otter's own loader, in a fresh process, beside nnkit_otter/ as otter lays it out.
LOAD = """
import json, sys
from pathlib import Path
from otter.test_files import ExceptionTestFile
out = {}
for path in sorted(Path("tests").glob("*.py")):
    tf = ExceptionTestFile.from_file(str(path))
    out[tf.name] = [[tc.name, tc.points, tc.hidden] for tc in tf.test_cases]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def bundle(graded, tmp_path_factory):
    out, _ = graded  # its cache holds the reference's outputs for SEED
    return write_otter_bundle(CONFIG, tmp_path_factory.mktemp("dist") / "otter_autograder.zip", SEED, out / ".cache")


def loaded_tests(bundle: Path, where: Path) -> dict:
    """{question id: [[test name, points, hidden], ...]} as otter reads the bundle's test files."""
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(where)
    shutil.copytree(where / "files" / "nnkit_otter", where / "nnkit_otter")
    run = subprocess.run([sys.executable, "-c", LOAD], cwd=where, capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def test_one_test_file_per_question_with_the_configured_points_and_visibility(bundle, tmp_path):
    names = zipfile.ZipFile(bundle).namelist()
    assert {f"tests/{qid}.py" for qid in QUESTION_IDS} <= set(names)
    assert {"otter_config.json", "files/nnkit_otter/__init__.py", "files/nnkit_otter/compare.py"} <= set(names)
    assert not any("solutions" in n or n.startswith("starter") for n in names)
    settings = json.loads(zipfile.ZipFile(bundle).read("files/nnkit_otter/settings.json"))
    assert settings["seed"] == SEED
    tests = loaded_tests(bundle, tmp_path)
    assert set(tests) == set(QUESTION_IDS)
    for qid, cases in tests.items():
        assert sum(points for _, points, _ in cases) == pytest.approx(CONFIG.question(qid).points)
        public = [hidden for name, _, hidden in cases if name.endswith("(public)")]
        secret = [hidden for name, _, hidden in cases if not name.endswith("(public)")]
        assert public and secret, qid
        assert all(h == (CONFIG.question(qid).public_visibility != "visible") for h in public)
        assert all(h == (CONFIG.question(qid).visibility != "visible") for h in secret)


def test_the_submission_notebook_writes_the_package(tmp_path):
    from autograder.paths import SOLUTIONS

    notebook = submission_notebook(SOLUTIONS)
    writes = [c.source.splitlines()[0] for c in notebook.cells if c.source.startswith("%%writefile")]
    assert "%%writefile nnlab/engine.py" in writes and "%%writefile nnlab/__init__.py" in writes
    engine = next(c.source for c in notebook.cells if c.source.startswith("%%writefile nnlab/engine.py"))
    assert engine.split("\n", 1)[1] == (SOLUTIONS / "engine.py").read_text()


def otter_scores(bundle: Path, package: Path, where: Path) -> dict[str, float]:
    """{question id: score} from a real `otter run` of a notebook that writes package."""
    where.mkdir()
    nbformat.write(submission_notebook(package), where / "submission.ipynb")
    env = {**os.environ, "PATH": f"{OTTER.parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([str(OTTER), "run", "-a", str(bundle), "-o", str(where), "--no-logo",
                          str(where / "submission.ipynb")], capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    tests = json.loads((where / "results.json").read_text())["tests"]
    return {t["name"]: t["score"] for t in tests if t["name"] in QUESTION_IDS}


@pytest.mark.slow
@pytest.mark.parametrize("name", SUBMISSIONS)
def test_otter_run_agrees_with_nnkit_grade_per_question(bundle, graded, tmp_path, name):
    out, results = graded
    scores = otter_scores(bundle, out.parent / "submissions" / name, tmp_path / "run")
    assert set(scores) == set(QUESTION_IDS)
    nnkit = {qid: q["score"] for qid, q in results[name]["extra_data"]["questions"].items()}
    assert scores == pytest.approx(nnkit, abs=1e-4)  # nnkit rounds points to 4 decimals, otter to 5
    if name != "reference":
        assert sum(scores.values()) < CONFIG.total_points  # the bug costs something in both
