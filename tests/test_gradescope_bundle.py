"""The Gradescope bundle, run in a fake /autograder tree, grades exactly as `nnkit grade` does.

Every submission of the graded class (the reference, the starter, each mutation) goes through the bundle's
`run_autograder`. Four run from scratch, with only the reference's outputs the bundle ships. For the others
the bundle also finds `nnkit grade`'s question runs in its cache (the children's reports, keyed by every
byte of the assembled code), so their children are not run again: what these check is the bundle's own
copy of the kit, its configuration and seed, its judge and the results.json it writes. So that its grades
can be compared with one `nnkit grade` run, this bundle grades every submission with its build's seed
(`seed_per_submission=False`); tests/test_hostile_replay.py checks the seed each submission gets otherwise.
"""

import json
import shutil
import zipfile

import pytest
from fake_gradescope import lay_out, run_autograder
from graded_class import CONFIG, SEED
from mutations import MUTATIONS, UNCATALOGUED_NAMES

from autograder.export.gradescope import write_gradescope_bundle

RUN_IN_FULL = ("reference", "starter", "add_assigns_instead_of_adding", "neuron_without_bias")
SUBMISSIONS = RUN_IN_FULL + tuple(m.name for m in MUTATIONS if m.name not in RUN_IN_FULL + tuple(UNCATALOGUED_NAMES))
SPEC_FIELDS = {"score", "execution_time", "output", "tests"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "visibility"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return write_gradescope_bundle(CONFIG, tmp_path_factory.mktemp("dist") / "autograder.zip", seed=SEED,
                                   seed_per_submission=False)


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
def test_run_autograder_agrees_with_nnkit_grade(bundle, graded, tmp_path, name):
    out, results = graded
    root = lay_out(bundle, tmp_path / "autograder")
    if name not in RUN_IN_FULL:  # the question runs and the misconceptions' outcomes of the class's grading
        shutil.copytree(out / ".cache" / "runs", root / "source" / "nnkit" / "cache" / "runs")
        for outcomes in (out / ".cache").glob("misconceptions-*.json"):
            shutil.copy(outcomes, root / "source" / "nnkit" / "cache" / outcomes.name)
    shutil.copytree(out.parent / "submissions" / name, root / "submission", dirs_exist_ok=True)
    gradescope = run_autograder(root)
    assert SPEC_FIELDS <= set(gradescope)
    assert all(TEST_FIELDS <= set(test) for test in gradescope["tests"])
    assert comparable(gradescope) == comparable(results[name])
