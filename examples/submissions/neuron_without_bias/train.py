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
    With a batch_size, the batch is rows rng.permutation(len(X))[:batch_size] (a new default_rng if rng is None).

    Specification: each row of the batch becomes a list of two Values, labelled "X" and "Y", and its score s_i is
    the model's output on it. With B rows and labels y_i in {-1, +1}, the loss is
    (1/B) * sum_i max(0, 1 - y_i * s_i) + alpha * sum_p p**2 over all the model's parameters p, and the accuracy is
    the share of rows where (s_i > 0) and (y_i > 0) agree. The scores are in the order of the batch's rows.
    """
    # BEGIN SOLUTION train.compute_loss
    # hint: Score every point of the batch (all of X, or the rows the docstring specifies) with the model, each
    #   coordinate turned into a Value. A point with label yᵢ ∈ {−1, +1} and score sᵢ costs the hinge loss max(0, 1 −
    #   yᵢsᵢ): nothing once the score has the right sign with a margin of at least 1, more the further it falls short.
    #   The loss is the mean of these over the batch plus α times the sum of the squares of all parameters (an L2
    #   penalty that keeps weights small), built from Values so that backpropagation reaches every parameter. The
    #   accuracy is the share of points whose score has the sign of their label. See notebook 03_mlp, 'The max-margin
    #   loss', 'The L2 penalty', 'Accuracy' and 'Mini-batches'.
    # nudge: Keep the loss a Value: compute it from the score Values (relu of a Value, sums of Values), not from their
    #   `.data`, or backward() reaches no parameter. Take the mean of the hinge terms, not their sum; the penalty uses
    #   every parameter of the model; the accuracy is a float in [0, 1] from the scores' plain numbers.
    # walkthrough: Pick the batch: all rows if batch_size is None, else rows = rng.permutation(len(X))[:batch_size]
    #   (with rng = np.random.default_rng() when none is given), Xb, yb = X[rows], y[rows]. Wrap each row in Values:
    #   [Value(float(xi), label=name) for xi, name in zip(row, "XY")]; scores = [model(x) for x in inputs]. Losses
    #   relu(1 - yi*score): (1 + -float(yi) * score).relu() for each pair; data_loss = sum(losses) * (1.0 /
    #   len(losses)); reg_loss = alpha * sum(p * p for p in model.parameters()); loss = data_loss + reg_loss. Accuracy =
    #   share of rows where (yi > 0) == (score.data > 0), as float(sum(correct) / len(correct)). Return loss, scores,
    #   accuracy.
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
    # BEGIN SOLUTION train.train
    # hint: One step of stochastic gradient descent: clear the gradients left by the previous step (they accumulate),
    #   compute the loss on the batch, backpropagate from it, then move every parameter against its gradient, θ ← θ −
    #   lr·∂L/∂θ, changing the number the parameter holds. Report the loss as a plain number and the accuracy, both from
    #   before the update. See notebook 03_mlp, 'The SGD step'.
    # nudge: Without zeroing the gradients first, every step adds to the last one's and training diverges. Change each
    #   parameter's `.data` in place (the model holds those Values), with a minus sign, and pass batch_size and rng on.
    # walkthrough: model.zero_grad(); loss, _, accuracy = compute_loss(model, X, y, batch_size=batch_size, rng=rng);
    #   loss.backward(); then p.data -= lr * p.grad for every parameter p of model.parameters(); return loss.data,
    #   accuracy.
    model.zero_grad()
    loss, _, accuracy = compute_loss(model, X, y, batch_size=batch_size, rng=rng)
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data, accuracy
    # END SOLUTION


def train(model, X, y, n_iter=20, learning_rate=1.0, batch_size=None, rng=None):
    """Train model with SGD; the rate falls linearly from learning_rate to learning_rate - 0.9.

    Specification: step k (k = 0, 1, ..., n_iter - 1) is one `sgd_step` (with batch_size and rng passed on) at the
    learning rate lr_k = learning_rate - 0.9 * (k + 1) / n_iter, so the first step already uses
    learning_rate - 0.9 / n_iter and the last learning_rate - 0.9. Returns the list of (loss, accuracy, lr) for
    every step, in that order, loss and accuracy as `sgd_step` returns them. Each step should run inside
    `one_garbage_collection()` (engine.py), which frees the step's graph at once and makes training about five
    times faster.
    """
    # BEGIN SOLUTION train.train
    # hint: Run n_iter steps. Before step k (counting from 0) compute its learning rate with the schedule in the
    #   docstring of train, take one SGD step with it, and record that step's loss, accuracy and learning rate. A
    #   falling rate takes big steps while far from a minimum and smaller ones to settle near it. See notebook 03_mlp,
    #   'The learning-rate schedule'.
    # nudge: The schedule uses k + 1, not k: the first step already has a lower rate (0.955 with the defaults) and the
    #   last one has learning_rate - 0.9. Record (loss, accuracy, lr) in that order, one tuple per step.
    # walkthrough: history = []; for k in range(n_iter): lr = learning_rate - 0.9 * (k + 1) / n_iter; then, inside `with
    #   one_garbage_collection():` (about five times faster, see engine.py), loss, accuracy = sgd_step(model, X, y, lr,
    #   batch_size=batch_size, rng=rng); record history.append((loss, accuracy, lr)). Return history.
    history = []
    for k in range(n_iter):
        lr = learning_rate - 0.9 * (k + 1) / n_iter
        # The step's graph is garbage once sgd_step returns: collect it then (see engine.py).
        with one_garbage_collection():
            loss, accuracy = sgd_step(model, X, y, lr, batch_size=batch_size, rng=rng)
        history.append((loss, accuracy, lr))
    return history
    # END SOLUTION
