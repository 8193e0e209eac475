"""Every figure of the tutorial, each as a function that returns a matplotlib Figure."""

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .engine import Value
from .optim import cost_function, gaussian_bumps, landscape, reward


def landscape_figure(resolution=100):
    """The four Gaussians and their sum G, on a common colour scale."""
    fig = Figure(figsize=(20, 4.5), layout="constrained")
    axes = fig.subplots(1, 5)
    grids = gaussian_bumps(resolution) + [landscape(resolution)]
    for ax, g, title in zip(axes, grids, ["G1", "G2", "G3", "G4", "G = G1 + G2 - G3 - G4"]):
        image = ax.imshow(g, vmin=-1, vmax=1, cmap="jet")
        ax.set(title=title)
    fig.colorbar(image, ax=axes[-1])
    return fig


def ascent_figure(G, path, samples=None):
    """One panel per step: the landscape, the samples drawn there, the path so far and the step taken.

    path is ascend()'s output, shape (n_steps+1, 2) of (x, y) points; samples, if given, one array of
    sampled points per step.
    """
    path = np.asarray(path)
    n_steps = len(path) - 1
    fig = Figure(figsize=(4 * n_steps, 4.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, n_steps))
    for step, ax in enumerate(axes):
        ax.imshow(G, vmin=-1, vmax=1, cmap="jet")
        if samples is not None:
            ax.scatter(samples[step][:, 0], samples[step][:, 1], 4, "k")
        ax.plot(path[: step + 1, 0], path[: step + 1, 1], "wo-")
        dx, dy = path[step + 1] - path[step]
        ax.arrow(*path[step], dx, dy, head_width=3, head_length=5, fc="w", ec="w")
        ax.set(title=f"Iteration {step + 1} | Reward {reward(G, path[step + 1]):.2f}")
    return fig


def cost_figure(steps=None, xs=np.linspace(-7, 15, 100)):
    """f(x) = x² − 4x + 3, and the path of gradient descent (steps from gradient_descent) on it."""
    fig = Figure(figsize=(10, 5), layout="constrained")
    ax = fig.subplots()
    ax.plot(xs, cost_function(xs))
    if steps:
        path = np.array([(x, fx) for x, fx, _ in steps])
        ax.plot(path[:, 0], path[:, 1], "r.-")
        # Label the steps far enough apart to read: those near the minimum would print on top of each other.
        labelled_x = None
        for x, fx in path:
            if labelled_x is None or abs(x - labelled_x) > 0.06 * np.ptp(xs):
                ax.annotate(f"{fx:.2f}", (x, fx), textcoords="offset points", xytext=(0, 6), ha="center")
                labelled_x = x
    ax.set(xlabel="x", ylabel="f(x)", title="$f(x) = x^2 - 4x + 3$")
    return fig


def moons_figure(X, y):
    """The two moons, coloured by label."""
    fig = Figure(figsize=(5, 5), layout="constrained")
    ax = fig.subplots()
    ax.scatter(X[:, 0], X[:, 1], c=y, s=20, cmap="Spectral")
    ax.set(xlabel="x", ylabel="y", xlim=(X[:, 0].min() - 1, X[:, 0].max() + 1), ylim=(X[:, 1].min() - 1, X[:, 1].max() + 1))
    return fig


def training_figure(history):
    """Loss, accuracy and learning rate per step, from train()'s (loss, accuracy, lr) history."""
    data = np.asarray(history, dtype=float)
    fig = Figure(figsize=(15, 4), layout="constrained")
    for ax, column, title in zip(fig.subplots(1, 3), data.T, ["Loss", "Accuracy", "Learning rate"]):
        ax.plot(np.arange(1, len(column) + 1), column)
        ax.set(title=title, xlabel="step")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def decision_boundary_figure(model, X, y, resolution=0.25):
    """Where the model scores positive (one colour) or not (the other), with the data on top."""
    x_min, x_max = X[:, 0].min() - 1, X[:, 0].max() + 1
    y_min, y_max = X[:, 1].min() - 1, X[:, 1].max() + 1
    xx, yy = np.meshgrid(np.arange(x_min, x_max, resolution), np.arange(y_min, y_max, resolution))
    scores = [model([Value(float(a)), Value(float(b))]) for a, b in zip(xx.ravel(), yy.ravel())]
    Z = np.array([s.data > 0 for s in scores]).reshape(xx.shape)
    # Each region in the colour of its class's points (label -1 and +1 are the two ends of the colour map).
    minus, plus = colormaps["Spectral"]([0.0, 1.0])
    fig = Figure(figsize=(6, 5), layout="constrained")
    ax = fig.subplots()
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], colors=[minus, plus], alpha=0.5)
    ax.scatter(X[:, 0], X[:, 1], c=np.where(np.asarray(y) > 0, 1, 0), s=40, cmap="Spectral", vmin=0, vmax=1,
               edgecolors="k")
    ax.set(xlabel="x", ylabel="y", xlim=(xx.min(), xx.max()), ylim=(yy.min(), yy.max()))
    return fig


def digit_grid_figure(images, labels=None, ncols=8):
    """A grid of digit images (N×1×H×W tensors or arrays), titled with their labels if given."""
    images = np.asarray(images)[:, 0]
    nrows = int(np.ceil(len(images) / ncols))
    fig = Figure(figsize=(1.2 * ncols, 1.3 * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i < len(images):
            ax.imshow(images[i], cmap="gray")
            if labels is not None:
                ax.set_title(str(int(labels[i])), fontsize=9)
    return fig


def predictions_figure(model, images, labels, ncols=8):
    """Test digits titled with the model's prediction, in red where it is wrong."""
    import torch

    model.eval()
    with torch.no_grad():
        predicted = model(torch.as_tensor(images)).argmax(dim=1).numpy()
    fig = digit_grid_figure(images, ncols=ncols)
    for ax, guess, truth in zip(fig.axes, predicted, np.asarray(labels)):
        ax.set_title(f"{guess} ({truth})" if guess != truth else str(guess), color="red" if guess != truth else "black", fontsize=9)
    return fig
