"""The Gradescope bundle, run in a fake /autograder tree, grades exactly as `nnkit grade` does.

Every submission of the graded class (the reference, the starter, each mutation) goes through the bundle.
Three run from scratch through the bundle's `run_autograder`, with only the reference's outputs the bundle
ships. The others are graded by one process of the bundle's own copy of the kit (`gradescope_run.main`, what
`run_autograder` runs), each in a fake tree of its own whose cache also holds `nnkit grade`'s question runs
(the children's reports, keyed by every byte of the assembled code), so their children are not run again:
what these check is the bundle's kit, its configuration and seed, its judge and the results.json it writes.
So that its grades can be compared with one `nnkit grade` run, this bundle grades every submission with its
build's seed (`seed_per_submission=False`); tests/test_hostile_replay.py checks the seed each submission gets
otherwise.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fake_gradescope import lay_out, run_autograder
from graded_class import CONFIG, SEED
from mutations import MUTATIONS, UNCATALOGUED_NAMES
from once import once

from autograder.export.gradescope import write_gradescope_bundle

RUN_IN_FULL = ("reference", "starter", "add_assigns_instead_of_adding")
SUBMISSIONS = RUN_IN_FULL + tuple(m.name for m in MUTATIONS if m.name not in RUN_IN_FULL + tuple(UNCATALOGUED_NAMES))
SPEC_FIELDS = {"score", "execution_time", "output", "tests"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "visibility"}


# Grades each fake /autograder tree named on the command line, with the kit on PYTHONPATH (the bundle's).
GRADE_EACH = """
import sys
from pathlib import Path
import autograder
from autograder.export import gradescope_run
assert Path(autograder.__file__).is_relative_to(Path.cwd()), autograder.__file__  # the bundle's copy
for root in sys.argv[1:]:
    assert gradescope_run.main(Path(root)) == 0, root
"""


@pytest.fixture(scope="module")
def bundle(graded, tmp_path_factory):
    out, _ = graded  # its cache holds the reference's outputs for SEED
    return write_gradescope_bundle(CONFIG, tmp_path_factory.mktemp("dist") / "autograder.zip", seed=SEED,
                                   cache=out / ".cache", seed_per_submission=False)


def fake_tree(bundle: Path, graded_out: Path, name: str, root: Path, with_runs: bool) -> Path:
    """A fake /autograder tree holding the bundle and the submission name (and the class's question runs)."""
    lay_out(bundle, root)
    if with_runs:  # the question runs and the misconceptions' outcomes of the class's grading
        shutil.copytree(graded_out / ".cache" / "runs", root / "source" / "nnkit" / "cache" / "runs")
        for outcomes in (graded_out / ".cache").glob("misconceptions-*.json"):
            shutil.copy(outcomes, root / "source" / "nnkit" / "cache" / outcomes.name)
    shutil.copytree(graded_out.parent / "submissions" / name, root / "submission", dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def from_the_class_runs(bundle, graded, session_folder) -> dict[str, dict]:
    """{name: its results.json} for every submission not run in full; graded once per session."""
    out, _ = graded
    names = [n for n in SUBMISSIONS if n not in RUN_IN_FULL]

    def grade_each(folder: Path) -> None:
        roots = [fake_tree(bundle, out, name, folder / name, with_runs=True) for name in names]
        kit = roots[0] / "source" / "nnkit"
        run = subprocess.run([sys.executable, "-c", GRADE_EACH, *map(str, roots)], cwd=kit, capture_output=True,
                             text=True, timeout=1200, env={**os.environ, "PYTHONPATH": str(kit)})
        assert run.returncode == 0, run.stderr[-3000:]

    folder = once(session_folder / "gradescope-from-runs", grade_each)
    return {name: json.loads((folder / name / "results" / "results.json").read_text()) for name in names}


def test_the_bundle_holds_the_grader_and_the_reference_only(bundle):
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder", "nnkit/bundle.json", "nnkit/solutions/engine.py"} <= set(names)
    assert any(n.startswith("nnkit/autograder/grade/") for n in names)
    assert not any(n.startswith(("nnkit/starter", "nnkit/tests", "nnkit/assignments")) for n in names)
    assert json.loads(zipfile.ZipFile(bundle).read("nnkit/bundle.json"))["seed"] == SEED


def comparable(results: dict) -> dict:
    results = json.loads(json.dumps(results))
    results.pop("execution_time")
    for key in ("graded_at", "submission"):
        results["extra_data"].pop(key)
    results["output"] = results["output"].split(":", 1)[1]  # the first line names the submission
    for test in results["tests"]:
        test["extra_data"].pop("seconds")
    return results


@pytest.mark.slow
@pytest.mark.parametrize("name", SUBMISSIONS)
def test_the_bundle_grades_as_nnkit_grade(bundle, graded, tmp_path, request, name):
    out, results = graded
    if name in RUN_IN_FULL:
        gradescope = run_autograder(fake_tree(bundle, out, name, tmp_path / "autograder", with_runs=False))
    else:
        gradescope = request.getfixturevalue("from_the_class_runs")[name]
    assert SPEC_FIELDS <= set(gradescope)
    assert all(TEST_FIELDS <= set(test) for test in gradescope["tests"])
    assert comparable(gradescope) == comparable(results[name])
