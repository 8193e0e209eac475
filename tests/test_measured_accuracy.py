"""Accuracy bars are measured by the judge: a child that forges its report cannot claim an accuracy it did not earn.

The child reports the trained parameters; the judge loads them into the reference's model and scores them on
held-out data that never enters the sandbox (autograder/judge/measure.py).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from forgery import forged_lines

from autograder.atomic import write_json_atomic
from autograder.config import load_config
from autograder.grade.grader import grade_submission
from autograder.grade.reference import compute_expected, kit_fingerprint, reference_package
from autograder.hidden import suite
from autograder.judge import MeasureError, judge_case, measured
from autograder.paths import SOLUTIONS
from autograder.probes import run_probe
from autograder.probes.cnn import packed as pack_tensors
from autograder.sandbox import bwrap_works

SEED = 11
CONFIG = load_config()


@cache
def measured_case(question: str):
    return next(c for c in suite(SEED) if c.question == question and c.measure)


def test_measured_cases_keep_their_held_out_data_from_the_child():
    for question, held_out in (("train.train", {"X_test", "y_test"}), ("cnn.train", {"test_images", "test_labels"})):
        case = measured_case(question)
        assert held_out <= set(case.withheld)
        assert not held_out & set(case.inputs)


def test_the_reference_training_passes_its_own_bar():
    case = measured_case("train.train")
    pkg = reference_package()
    report = run_probe(case.probe, pkg, case.inputs)
    assert len(report["trained parameters"]) == 337
    outputs = measured(case, pkg, report)
    assert outputs["held-out accuracy"] >= 0.85
    assert judge_case(case, outputs, outputs, CONFIG.tolerances, show_expected=False).passed


def test_untrained_parameters_fall_below_the_bar():
    case = measured_case("train.train")
    pkg = reference_package()
    expected = measured(case, pkg, run_probe(case.probe, pkg, case.inputs))
    untrained = measured(case, pkg, {"trained parameters": [0.0] * 337})
    assert untrained["held-out accuracy"] <= 0.6
    verdict = judge_case(case, expected, untrained, CONFIG.tolerances, show_expected=False)
    assert not verdict.passed and "below the bar" in verdict.message


@pytest.mark.parametrize(("report", "words"), [
    ({"trained parameters": [0.0] * 336}, "337 parameters, the report gave 336 numbers"),
    ({"trained parameters": [float("nan")] * 337}, "not a finite number"),
    ({"trained parameters": "1.0"}, "the report gave str"),
    ({"held-out accuracy": 1.0}, "the report gave NoneType"),
])
def test_unusable_moons_reports_say_why(report, words):
    with pytest.raises(MeasureError, match=words):
        measured(measured_case("train.train"), reference_package(), report)


def packed(values: np.ndarray) -> str:
    import torch

    return pack_tensors([torch.from_numpy(values.astype(np.float32))])


@pytest.mark.parametrize(("text", "words"), [
    (packed(np.zeros(10)), "1199882 parameters, the report gave 10"),
    (packed(np.full(1_199_882, np.inf)), "not a finite number"),
    ("not base64!", "not valid base64"),
    (None, "were not reported"),
])
def test_unusable_cnn_reports_say_why(text, words):
    with pytest.raises(MeasureError, match=words):
        measured(measured_case("cnn.train"), reference_package(), {"trained parameters": text})


def test_an_untrained_net_scores_near_chance():
    import torch

    torch.manual_seed(0)
    net = reference_package().cnn.Net()
    values = np.concatenate([p.detach().numpy().ravel() for p in net.parameters()])
    accuracy = measured(measured_case("cnn.train"), reference_package(),
                        {"trained parameters": packed(values)})["test accuracy"]
    assert accuracy < 0.3


# train.py of the reference, preceded by code that reports, for every case, an accuracy of 1.0 and parameters
# of its choosing, before the runner reports anything.
FORGER = forged_lines('{"output": {"held-out accuracy": 1.0, "test accuracy": 1.0, "trained parameters": PARAMETERS}}')


@pytest.mark.slow
@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")
@pytest.mark.parametrize(("parameters", "words"), [("[0.0] * 337", "below the bar"),
                                                   ("'garbage'", "the report gave str")])
def test_a_forged_accuracy_earns_nothing(tmp_path, parameters, words):
    cases = suite(SEED)
    train = [c for c in cases if c.question == "train.train"]
    expected_train = iter(compute_expected(train))
    expected = [next(expected_train) if c.question == "train.train" else {} for c in cases]
    write_json_atomic(tmp_path / "out" / ".cache" / f"expected-{SEED}-{kit_fingerprint()}.json", expected)

    source = FORGER.replace("PARAMETERS", parameters) + (SOLUTIONS / "train.py").read_text()
    submission = tmp_path / "forger"
    submission.mkdir()
    (submission / "train.py").write_text(source)
    results = grade_submission(submission, tmp_path / "out", config=CONFIG, seed=SEED, launcher_name="bwrap").to_json()
    test = next(t for t in results["tests"] if t["name"] == "train.train: held-out accuracy")
    assert test["score"] == 0 and words in test["output"], test["output"]
    assert results["extra_data"]["questions"]["train.train"]["score"] == 0
    # The control: judged as the child reported it, the forged accuracy would have passed the bar.
    case = next(c for c in train if c.measure)
    assert judge_case(case, expected[cases.index(case)], {"held-out accuracy": 1.0}, CONFIG.tolerances,
                      show_expected=False).passed
    assert json.dumps(results).count("trained parameters") == 0  # the results never carry the report itself
