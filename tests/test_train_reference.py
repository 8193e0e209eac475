"""Training the reference MLP with the tutorial's settings reaches the accuracies the course promises."""

import gc
import random

import numpy as np
import pytest

from solutions.engine import Value
from solutions.nn import MLP
from solutions.train import compute_loss, make_moons, train


def tutorial_model(seed: int) -> MLP:
    random.seed(seed)
    return MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])


def test_moons_labels_are_plus_minus_one():
    X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    assert X.shape == (100, 2) and set(np.unique(y)) == {-1, 1}


def test_loss_is_max_margin_plus_l2():
    X, y = make_moons(n_samples=20, noise=0.1, seed=1)
    model = tutorial_model(1)
    with_l2, scores, accuracy = compute_loss(model, X, y, alpha=1e-2)
    without, _, _ = compute_loss(model, X, y, alpha=0.0)
    margin = np.mean([max(0.0, 1 - yi * s.data) for yi, s in zip(y, scores)])
    assert without.data == pytest.approx(margin)
    assert with_l2.data - without.data == pytest.approx(1e-2 * sum(p.data**2 for p in model.parameters()))
    assert accuracy == pytest.approx(np.mean([(yi > 0) == (s.data > 0) for yi, s in zip(y, scores)]))


def test_batches_come_from_the_generator():
    X, y = make_moons(n_samples=30, noise=0.1, seed=2)
    model = tutorial_model(2)
    _, scores, _ = compute_loss(model, X, y, batch_size=7, rng=np.random.default_rng(5))
    rows = np.random.default_rng(5).permutation(30)[:7]
    _, expected, _ = compute_loss(model, X[rows], y[rows])
    assert [s.data for s in scores] == [s.data for s in expected]


def test_learning_rate_schedule():
    X, y = make_moons(n_samples=10, noise=0.1, seed=3)
    history = train(tutorial_model(3), X, y, n_iter=4, learning_rate=1.0)
    assert [lr for _, _, lr in history] == pytest.approx([1 - 0.9 * k / 4 for k in range(1, 5)])


def test_a_step_moves_each_parameter_by_minus_lr_times_its_gradient():
    X, y = make_moons(n_samples=30, noise=0.1, seed=4)
    manual = tutorial_model(4)
    loss, _, accuracy = compute_loss(manual, X, y)
    loss.backward()
    lr = 1.45 - 0.9  # the rate of train()'s single step with learning_rate=1.45
    expected = [p.data - lr * p.grad for p in manual.parameters()]
    model = tutorial_model(4)
    [(step_loss, step_accuracy, step_lr)] = train(model, X, y, n_iter=1, learning_rate=1.45)
    assert (step_loss, step_accuracy, step_lr) == (pytest.approx(loss.data, rel=1e-12), accuracy, lr)
    assert [p.data for p in model.parameters()] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_training_frees_each_steps_graph():
    X, y = make_moons(n_samples=30, noise=0.1, seed=5)
    model = tutorial_model(5)
    gc.collect()
    before = sum(type(o) is Value for o in gc.get_objects())
    history = train(model, X, y, n_iter=3)
    after = sum(type(o) is Value for o in gc.get_objects())
    assert len(history) == 3
    assert after - before < 50  # a step makes about 4,000 Values here; none of them outlive it


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_90_percent_after_20_steps(seed):
    # Seeds 0-7 reach 97, 97, 92, 94, 97, 92, 91 and 89%: 90% in 20 steps is typical, not certain.
    X, y = make_moons(n_samples=100, noise=0.1, seed=seed)
    history = train(tutorial_model(seed), X, y, n_iter=20, learning_rate=1.0)
    assert history[-1][1] >= 0.90


@pytest.mark.slow
def test_97_percent_after_100_steps():
    X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
    history = train(tutorial_model(1337), X, y, n_iter=100, learning_rate=1.0)
    assert history[-1][1] >= 0.97
    assert history[-1][0] < history[0][0]
