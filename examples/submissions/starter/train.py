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
    # TODO (train.compute_loss): Score every point of the batch (all of X, or the rows the docstring specifies) with the
    #     model, each coordinate turned into a Value. A point with label yᵢ ∈ {−1, +1} and score sᵢ costs the hinge loss
    #     max(0, 1 − yᵢsᵢ): nothing once the score has the right sign with a margin of at least 1, more the further it
    #     falls short. The loss is the mean of these over the batch plus α times the sum of the squares of all
    #     parameters (an L2 penalty that keeps weights small), built from Values so that backpropagation reaches every
    #     parameter. The accuracy is the share of points whose score has the sign of their label. See notebook 03_mlp,
    #     'The max-margin loss', 'The L2 penalty', 'Accuracy' and 'Mini-batches'.
    raise NotImplementedError(
        "train.compute_loss: compute_loss is not written yet. Score every point of the batch (all of X, or the rows "
        "the docstring specifies) with the model, each coordinate turned into a Value. A point with label yᵢ ∈ {−1, "
        "+1} and score sᵢ costs the hinge loss max(0, 1 − yᵢsᵢ): nothing once the score has the right sign with a "
        "margin of at least 1, more the further it falls short. The loss is the mean of these over the batch plus α "
        "times the sum of the squares of all parameters (an L2 penalty that keeps weights small), built from Values "
        "so that backpropagation reaches every parameter. The accuracy is the share of points whose score has the "
        "sign of their label. See notebook 03_mlp, 'The max-margin loss', 'The L2 penalty', 'Accuracy' and "
        "'Mini-batches'."
    )


def sgd_step(model, X, y, lr, batch_size=None, rng=None):
    """One step of SGD: zero the gradients, compute the loss, backpropagate, move each parameter by -lr·grad.

    Returns the loss (a number) and the accuracy, both from before the update.
    """
    # TODO (train.train): One step of stochastic gradient descent: clear the gradients left by the previous step (they
    #     accumulate), compute the loss on the batch, backpropagate from it, then move every parameter against its
    #     gradient, θ ← θ − lr·∂L/∂θ, changing the number the parameter holds. Report the loss as a plain number and the
    #     accuracy, both from before the update. See notebook 03_mlp, 'The SGD step'.
    raise NotImplementedError(
        "train.train: sgd_step is not written yet. One step of stochastic gradient descent: clear the gradients left "
        "by the previous step (they accumulate), compute the loss on the batch, backpropagate from it, then move "
        "every parameter against its gradient, θ ← θ − lr·∂L/∂θ, changing the number the parameter holds. Report the "
        "loss as a plain number and the accuracy, both from before the update. See notebook 03_mlp, 'The SGD step'."
    )


def train(model, X, y, n_iter=20, learning_rate=1.0, batch_size=None, rng=None):
    """Train model with SGD; the rate falls linearly from learning_rate to learning_rate - 0.9.

    Specification: step k (k = 0, 1, ..., n_iter - 1) is one `sgd_step` (with batch_size and rng passed on) at the
    learning rate lr_k = learning_rate - 0.9 * (k + 1) / n_iter, so the first step already uses
    learning_rate - 0.9 / n_iter and the last learning_rate - 0.9. Returns the list of (loss, accuracy, lr) for
    every step, in that order, loss and accuracy as `sgd_step` returns them. Each step should run inside
    `one_garbage_collection()` (engine.py), which frees the step's graph at once and makes training about five
    times faster.
    """
    # TODO (train.train): Run n_iter steps. Before step k (counting from 0) compute its learning rate with the schedule
    #     in the docstring of train, take one SGD step with it, and record that step's loss, accuracy and learning rate.
    #     A falling rate takes big steps while far from a minimum and smaller ones to settle near it. See notebook
    #     03_mlp, 'The learning-rate schedule'.
    raise NotImplementedError(
        "train.train: train is not written yet. Run n_iter steps. Before step k (counting from 0) compute its "
        "learning rate with the schedule in the docstring of train, take one SGD step with it, and record that "
        "step's loss, accuracy and learning rate. A falling rate takes big steps while far from a minimum and "
        "smaller ones to settle near it. See notebook 03_mlp, 'The learning-rate schedule'."
    )
