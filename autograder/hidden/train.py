"""Cases for train.*: the loss of a given model on given moons, and training from given weights."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_moons

from .case import Case
from .nn import mlp_weights

NOUTS, ACTS = [16, 16, 1], ["ReLU", "ReLU", "Linear"]
SMALL, SMALL_ACTS = [8, 8, 1], ["ReLU", "ReLU", "Linear"]


def moons(rng: np.random.Generator, n: int) -> tuple[list, list]:
    X, y = make_moons(n_samples=n, noise=0.1, random_state=int(rng.integers(1 << 31)))
    return np.round(X, 6).tolist(), (y * 2 - 1).tolist()


def turned(rng: np.random.Generator, *sets: list) -> list[list]:
    """The point sets turned by one angle drawn from rng, and mirrored or not, about the moons' centre (0.5, 0.25).

    Moons always lie the same way: parameters trained once, in advance, would pass the held-out bar of every run.
    Turned, they score about as well as a coin, unless the angle happens to be small; trained here, as well as ever.
    """
    angle = rng.uniform(0.0, 2 * np.pi)
    mirror = np.diag([1.0, -1.0 if rng.random() < 0.5 else 1.0])
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ mirror
    centre = np.array([0.5, 0.25])
    return [np.round((np.asarray(X) - centre) @ turn.T + centre, 6).tolist() for X in sets]


def init_weights(rng: np.random.Generator, nouts: list[int]) -> list:
    """Weights uniform in [-1, 1] and biases 0, as Neuron initialises them."""
    return [[w[:-1] + [0.0] for w in layer] for layer in mlp_weights(rng, 2, nouts)]


def cases(rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    """published (the student bundle's public cases): the held-out accuracy case trains on fewer points."""
    out = []
    model = {"nouts": NOUTS, "activations": ACTS}
    X, y = moons(rng, 40)
    weights = mlp_weights(rng, 2, NOUTS)
    for name, alpha, checked in (
        ("loss, scores and accuracy", 1e-4, "compute_loss(model, X, y): the loss, every score and the accuracy"),
        ("L2 term", 0.05, "with alpha=0.05 the loss includes alpha times the sum of squared parameters"),
    ):
        out.append(Case("train.compute_loss", name, "train.compute_loss",
                        {**model, "weights": weights, "X": X, "y": y, "alpha": alpha}, checked
                        + "; and the gradients of every parameter after loss.backward()", public=public))
    out.append(Case("train.compute_loss", "mini-batch", "train.compute_loss",
                    {**model, "weights": weights, "X": X, "y": y, "alpha": 1e-4, "batch_size": 10,
                     "seed": int(rng.integers(1 << 31))},
                    "with batch_size=10 the batch is rows rng.permutation(len(X))[:10]", public=public))

    small = {"nouts": SMALL, "activations": SMALL_ACTS}
    Xs, ys = moons(rng, 30)
    out.append(Case("train.train", "loss history", "train.train_history",
                    {**small, "weights": init_weights(rng, SMALL), "X": Xs, "y": ys, "n_iter": 5, "learning_rate": 1.0},
                    "train(model, X, y, n_iter=5) from given weights: each step's (loss, accuracy, lr), and the "
                    "final parameters", public=public))
    out.append(Case("train.train", "mini-batches", "train.train_history",
                    {**small, "weights": init_weights(rng, SMALL), "X": Xs, "y": ys, "n_iter": 4,
                     "learning_rate": 0.5, "batch_size": 12, "seed": int(rng.integers(1 << 31))},
                    "train(..., batch_size=12, rng=rng): the history with batches drawn by compute_loss",
                    public=public))
    # Public too, at full length: fewer steps let a model trained for another run (or a training loop that
    # stops early) pass. The student bundle's copy trains on fewer points, so that a check takes seconds; the
    # graded public case trains on as many as the hidden one (with 40, a loop without zero_grad passes it).
    n_train, n_held_out, n_iter = (40 if published else 100), 200, 20
    Xt, yt = moons(rng, n_train)
    Xh, yh = moons(rng, n_held_out)
    Xt, Xh = turned(rng, Xt, Xh)
    out.append(Case("train.train", "held-out accuracy", "train.train_parameters",
                    {**model, "weights": init_weights(rng, NOUTS), "X": Xt, "y": yt, "n_iter": n_iter,
                     "learning_rate": 1.0},
                    f"accuracy on {n_held_out} new moons after train(model, X, y, n_iter={n_iter}) (X, y and the new "
                    "moons all turned, and maybe mirrored, about their centre)",
                    rules={"held-out accuracy": "at_least:moons_accuracy_margin"}, public=public,
                    measure="moons_accuracy", withheld={**model, "X_test": Xh, "y_test": yh}))
    return out
