"""One training step of the reference MLP on two moons, against the tutorial's own code run the same way.

Same data (100 moons, noise 0.1), same initial weights copied into both 2-16-16-1 models, the tutorial's
learning-rate schedule, default interpreter settings; one warm-up step, then the median of STEPS steps.
The loss and accuracy histories of the two must agree (equal results). Also printed, for transparency:
both with Python's garbage collector off (the reference's step without its one collection, and each
step's graph freed after its timer stops), which shows the engines' own speed.

    .venv/bin/python benchmarks/bench_mlp_step.py
"""

from __future__ import annotations

import gc
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tutorial_baseline as tutorial  # noqa: E402

from solutions.nn import MLP  # noqa: E402
from solutions.train import make_moons, sgd_step, train  # noqa: E402

STEPS = 5
REQUIRED_SPEEDUP = 1.5  # the reference's step must be at least this much faster, default settings both ways


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


class Timing(NamedTuple):
    wall: float  # median seconds of a step, by the clock on the wall
    cpu: float  # median seconds of a step, of this process's CPU time (less moved by other work on the machine)


def timed(step, model, X, y, n_iter: int, collect_between: bool = False) -> tuple[list, Timing]:
    """Run n_iter steps with the tutorial's schedule; the history, and the median times of all but the first.

    collect_between frees each step's graph after its timer stops, for the runs with the collector off.
    """
    history, wall, cpu = [], [], []
    for k in range(n_iter):
        lr = 1.0 - 0.9 * (k + 1) / n_iter
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        history.append(step(model, X, y, lr))
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
        if collect_between:
            gc.collect()
    return history, Timing(statistics.median(wall[1:]), statistics.median(cpu[1:]))


def run(gc_enabled: bool) -> tuple[Timing, Timing]:
    """(tutorial, reference) timings of one step, after checking that both computed the same histories."""
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    random.seed(1337)
    ours = MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    theirs = tutorial.MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    copy_weights(ours, theirs)
    if not gc_enabled:
        gc.disable()
    try:
        their_history, their_time = timed(tutorial_step, theirs, X, y, STEPS + 1, collect_between=not gc_enabled)
        our_step = reference_step if gc_enabled else engine_step
        our_history, our_time = timed(our_step, ours, X, y, STEPS + 1, collect_between=not gc_enabled)
    finally:
        gc.enable()
    for (l1, a1), (l2, a2) in zip(our_history, their_history, strict=True):
        if not (abs(l1 - l2) <= 1e-9 * abs(l2) and a1 == a2):
            raise SystemExit(f"the two implementations disagree: loss {l1} vs {l2}, accuracy {a1} vs {a2}")
    return their_time, our_time


def main() -> None:
    print(f"One training step, MLP 2-16-16-1 on 100 moons (median of {STEPS} after a warm-up), Python "
          f"{platform.python_version()}; loss and accuracy histories checked equal (1e-9 relative)")
    print(f"  {'':36} {'tutorial':>17} {'reference':>17} {'ratio':>12}")
    print(f"  {'':36} {'wall':>8} {'cpu':>8} {'wall':>8} {'cpu':>8} {'wall':>6}{'cpu':>6}")
    speedup = None
    for label, enabled in (("default interpreter settings", True), ("garbage collector off, engine only", False)):
        theirs, ours = run(enabled)
        print(f"  {label:36} {theirs.wall:7.3f}s {theirs.cpu:7.3f}s {ours.wall:7.3f}s {ours.cpu:7.3f}s "
              f"{theirs.wall / ours.wall:5.1f}x{theirs.cpu / ours.cpu:5.1f}x")
        if enabled:
            # CPU time: on a shared machine the wall clock also counts other processes' work.
            speedup = theirs.cpu / ours.cpu
    if speedup < REQUIRED_SPEEDUP:
        raise SystemExit(f"the reference is only {speedup:.2f}x faster (CPU time), less than {REQUIRED_SPEEDUP}x")
    print(f"reference faster than the tutorial by {speedup:.1f}x (CPU time, default settings) >= {REQUIRED_SPEEDUP}x")


if __name__ == "__main__":
    main()
