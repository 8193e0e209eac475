"""Probes of train.py: the loss on a given model and data, and training from given weights."""

import numpy as np

from .nn import set_mlp
from .plain import probe


def model_with(pkg, nouts, activations, weights):
    model = pkg.nn.MLP(2, nouts, activations=activations)
    set_mlp(model, weights)
    return model


@probe
def compute_loss(pkg, nouts, activations, weights, X, y, alpha, batch_size=None, seed=None):
    model = model_with(pkg, nouts, activations, weights)
    rng = None if seed is None else np.random.default_rng(seed)
    loss, scores, accuracy = pkg.train.compute_loss(model, np.array(X), np.array(y), batch_size=batch_size,
                                                    alpha=alpha, rng=rng)
    loss.backward()
    return {
        "loss": loss.data,
        "scores": [s.data for s in scores],
        "accuracy": accuracy,
        "parameter grads": [p.grad for p in model.parameters()],
    }


@probe
def train_history(pkg, nouts, activations, weights, X, y, n_iter, learning_rate, batch_size=None, seed=None):
    model = model_with(pkg, nouts, activations, weights)
    rng = None if seed is None else np.random.default_rng(seed)
    history = pkg.train.train(model, np.array(X), np.array(y), n_iter=n_iter, learning_rate=learning_rate,
                              batch_size=batch_size, rng=rng)
    return {
        "history": [[float(v) for v in step] for step in history],
        "final parameters": [p.data for p in model.parameters()],
    }


@probe
def train_parameters(pkg, nouts, activations, weights, X, y, n_iter, learning_rate):
    """Train on (X, y); the judge measures the held-out accuracy of the parameters reported."""
    model = model_with(pkg, nouts, activations, weights)
    pkg.train.train(model, np.array(X), np.array(y), n_iter=n_iter, learning_rate=learning_rate)
    return {"trained parameters": [p.data for p in model.parameters()]}
