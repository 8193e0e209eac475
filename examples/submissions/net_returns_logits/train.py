"""Training an MLP on two moons with a max-margin loss and plain SGD."""

import numpy as np

from .engine import Value, one_garbage_collection


def make_moons(n_samples=100, noise=0.1, seed=None):
    """Two interleaving half circles: X of shape (n_samples, 2) and labels y in {-1, +1}."""
    from sklearn import datasets  # here, not at the top: it takes two seconds to load, and only this needs it

    X, y = datasets.make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return X, y * 2 - 1


def compute_loss(model, X, y, batch_size=None, alpha=1e-4, rng=None):
    """Mean max-margin loss of model on (X, y) plus alpha times the sum of squared parameters.

    Returns (loss as a Value, the scores as Values, the accuracy as a float in [0, 1]).
    With a batch_size, the batch is rows rng.permutation(len(X))[:batch_size].
    """
    # BEGIN SOLUTION train.compute_loss: pick the batch; wrap each row in Values; scores = model(row); losses relu(1 - yi*score); mean + alpha * sum of p*p; accuracy = share of rows where (yi > 0) == (score > 0)
    if batch_size is None:
        Xb, yb = X, y
    else:
        rng = np.random.default_rng() if rng is None else rng
        rows = rng.permutation(len(X))[:batch_size]
        Xb, yb = X[rows], y[rows]

    inputs = [[Value(float(xi), label=name) for xi, name in zip(row, "XY")] for row in Xb]
    scores = [model(x) for x in inputs]

    losses = [(1 + -float(yi) * score).relu() for yi, score in zip(yb, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss

    correct = [(yi > 0) == (score.data > 0) for yi, score in zip(yb, scores)]
    return loss, scores, float(sum(correct) / len(correct))
    # END SOLUTION


def sgd_step(model, X, y, lr, batch_size=None, rng=None):
    """One step of SGD: zero the gradients, compute the loss, backpropagate, move each parameter by -lr·grad.

    Returns the loss (a number) and the accuracy, both from before the update.
    """
    # BEGIN SOLUTION train.train: model.zero_grad(); loss, _, accuracy = compute_loss(model, X, y, batch_size=batch_size, rng=rng); loss.backward(); p.data -= lr * p.grad for every parameter; return loss.data, accuracy
    model.zero_grad()
    loss, _, accuracy = compute_loss(model, X, y, batch_size=batch_size, rng=rng)
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, accuracy
    # END SOLUTION


def train(model, X, y, n_iter=20, learning_rate=1.0, batch_size=None, rng=None):
    """Train model with SGD; the rate falls linearly from learning_rate to learning_rate - 0.9.

    Returns (loss, accuracy, lr) for every step.
    """
    # BEGIN SOLUTION train.train: for each step k: lr = learning_rate - 0.9*(k+1)/n_iter; loss, accuracy = sgd_step(model, X, y, lr, batch_size, rng); record (loss, accuracy, lr)
    history = []
    for k in range(n_iter):
        lr = learning_rate - 0.9 * (k + 1) / n_iter
        # The step's graph is garbage once sgd_step returns: collect it then (see engine.py).
        with one_garbage_collection():
            loss, accuracy = sgd_step(model, X, y, lr, batch_size=batch_size, rng=rng)
        history.append((loss, accuracy, lr))
    return history
    # END SOLUTION
