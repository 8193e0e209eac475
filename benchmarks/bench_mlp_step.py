"""One training step of the reference MLP on two moons, against the tutorial's own code run the same way.

Same data (100 moons, noise 0.1), same initial weights copied into both 2-16-16-1 models, the tutorial's
learning-rate schedule, default interpreter settings; one warm-up step, then the median of STEPS steps.
The loss and accuracy histories of the two must agree (equal results). Also printed, for transparency:
both with Python's garbage collector off (and the reference's step without its one collection), which
shows the engines' own speed.

    .venv/bin/python benchmarks/bench_mlp_step.py
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tutorial_baseline as tutorial  # noqa: E402

from solutions.nn import MLP  # noqa: E402
from solutions.train import make_moons, sgd_step, train  # noqa: E402

STEPS = 5


def copy_weights(source, target) -> None:
    for p, q in zip(source.parameters(), target.parameters(), strict=True):
        q.data = p.data


def tutorial_step(model, X, y, lr):
    """The tutorial's loop body: zero-grad, loss, backward, SGD."""
    model.zero_grad()
    loss, _, accuracy = tutorial.compute_loss(model, X, y)
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return float(loss.data), float(accuracy)


def reference_step(model, X, y, lr):
    # train(n_iter=1, learning_rate=lr + 0.9) takes one step at rate lr, as the schedule gives it.
    loss, accuracy, _ = train(model, X, y, n_iter=1, learning_rate=lr + 0.9)[0]
    return loss, accuracy


def engine_step(model, X, y, lr):
    """The reference's step without its garbage collection: for the run with the collector off."""
    return sgd_step(model, X, y, lr)


def timed(step, model, X, y, n_iter):
    history, seconds = [], []
    for k in range(n_iter):
        lr = 1.0 - 0.9 * (k + 1) / n_iter
        start = time.perf_counter()
        history.append(step(model, X, y, lr))
        seconds.append(time.perf_counter() - start)
    return history, statistics.median(seconds[1:])


def run(gc_enabled: bool) -> tuple[float, float]:
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    random.seed(1337)
    ours = MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    theirs = tutorial.MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    copy_weights(ours, theirs)
    if not gc_enabled:
        gc.disable()
    try:
        their_history, their_time = timed(tutorial_step, theirs, X, y, STEPS + 1)
        our_history, our_time = timed(reference_step if gc_enabled else engine_step, ours, X, y, STEPS + 1)
    finally:
        gc.enable()
    for (l1, a1), (l2, a2) in zip(our_history, their_history, strict=True):
        assert abs(l1 - l2) <= 1e-9 * abs(l2) and a1 == a2, "the two implementations disagree"
    return their_time, our_time


def main() -> None:
    print(f"One training step, MLP 2-16-16-1 on 100 moons (median of {STEPS} after a warm-up); equal results checked")
    for label, enabled in (("default interpreter settings", True), ("garbage collector off, engine only", False)):
        theirs, ours = run(enabled)
        print(f"  {label:36} tutorial {theirs:6.3f} s   reference {ours:6.3f} s   {theirs / ours:4.1f}x faster")


if __name__ == "__main__":
    main()
