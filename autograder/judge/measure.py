"""Measurements the judge makes itself: a model trained by the student's code, scored on data the child never saw.

The child reports numbers, and a hostile child can write any report it likes. For most cases that does not
matter: a forged number must equal the reference's, which never enters the sandbox. But "the accuracy
after training" is a bar, not a number to match, and claiming 1.0 is as easy as claiming anything. So the
probes of those cases report the trained parameters instead, and the judge loads them into the
reference's model (its own copy, in trusted code) and measures the accuracy on held-out data that the
case keeps out of the child (`Case.withheld`).

A case names its measurement in `Case.measure`; `measured` turns the child's output into the outputs that
are judged. Like `compare.py` this needs no other module of the kit (numpy, and torch for the CNN), so the
otter bundle carries a copy, where the student's own model classes stand in for the reference's.
"""

from __future__ import annotations

import base64
import sys

import numpy as np

PARAMETERS = "trained parameters"
NOT_FINITE = "a trained parameter is not a finite number (NaN or inf: training diverged?)"
LARGEST = sys.float_info.max


class MeasureError(ValueError):
    """The reported parameters cannot be used (wrong count, not numbers, not finite)."""


def is_finite_float(value) -> bool:
    """A number that a float holds and that is neither NaN nor infinite (an int may have thousands of digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return -LARGEST <= value <= LARGEST  # False for NaN, without converting an int to float


def finite_floats(values, count: int) -> list[float]:
    if not isinstance(values, list) or len(values) != count:
        got = f"{len(values)} numbers" if isinstance(values, list) else type(values).__name__
        raise MeasureError(f"the trained model has {count} parameters, the report gave {got}")
    if not all(map(is_finite_float, values)):
        raise MeasureError(NOT_FINITE)
    return [float(v) for v in values]


def moons_accuracy(pkg, output: dict, nouts: list, activations: list, X_test: list, y_test: list) -> dict:
    """The accuracy on (X_test, y_test) of the MLP with the reported parameters (in `parameters()` order)."""
    model = pkg.nn.MLP(2, nouts, activations=activations)
    parameters = model.parameters()
    for p, v in zip(parameters, finite_floats(output.get(PARAMETERS), len(parameters))):
        p.data = v
    Value = pkg.engine.Value
    scores = [model([Value(float(a)), Value(float(b))]).data for a, b in X_test]
    return {"held-out accuracy": float(np.mean([(s > 0) == (t > 0) for s, t in zip(scores, y_test)]))}


def unpack_floats(text, count: int) -> np.ndarray:
    """count float32 numbers from the base64 text of probes/cnn.py's `packed`."""
    if not isinstance(text, str):
        raise MeasureError(f"the trained parameters were not reported (got {type(text).__name__})")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise MeasureError("the trained parameters are not valid base64") from None
    if len(raw) != 4 * count:
        raise MeasureError(f"the trained model has {count} parameters, the report gave {len(raw) / 4:g}")
    values = np.frombuffer(raw, dtype="<f4")
    if not np.isfinite(values).all():
        raise MeasureError(NOT_FINITE)
    return values


def digits_accuracy(pkg, output: dict, test_images: list, test_labels: list) -> dict:
    """The test accuracy of a fresh `Net` holding the reported parameters (in `parameters()` order)."""
    import torch

    model = pkg.cnn.Net()
    parameters = list(model.parameters())
    values = unpack_floats(output.get(PARAMETERS), sum(p.numel() for p in parameters))
    with torch.no_grad():
        start = 0
        for p in parameters:
            p.copy_(torch.from_numpy(values[start : start + p.numel()].copy()).reshape(p.shape))
            start += p.numel()
        model.eval()
        predicted = model(torch.as_tensor(np.asarray(test_images, dtype=np.float32))).argmax(dim=1).numpy()
    return {"test accuracy": float(np.mean(predicted == np.asarray(test_labels)))}


MEASURES = {"moons_accuracy": moons_accuracy, "digits_accuracy": digits_accuracy}


def measured(case, pkg, output: dict) -> dict:
    """The outputs judged for case: the probe's own, or what the case's measurement makes of them.

    pkg supplies the model classes (the reference's when grading). Raises MeasureError if the report
    cannot be measured, whatever it holds: parameters so large that the model's arithmetic overflows
    count as unusable too.
    """
    if not case.measure:
        return output
    if not isinstance(output, dict):
        raise MeasureError(f"the report is not a set of named outputs (got {type(output).__name__})")
    try:
        return MEASURES[case.measure](pkg, output, **case.withheld)
    except MeasureError:
        raise
    except (ArithmeticError, ValueError, TypeError) as e:  # e.g. OverflowError from math.exp of a huge score
        raise MeasureError(f"the trained model cannot be evaluated with these parameters ({type(e).__name__})") from e
