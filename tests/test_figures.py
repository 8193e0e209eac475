"""Every figure of the tutorial renders headlessly; the tutorial's slips are fixed; draw_dot renders with dot."""

import shutil

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from solutions import cnn, data, optim, plots
from solutions.engine import Value
from solutions.nn import MLP
from solutions.train import make_moons
from solutions.viz import draw_dot

matplotlib.use("Agg")


def figures():
    G = optim.landscape()
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    model = MLP(2, [4, 1], activations=["ReLU", "Linear"])
    images, labels = next(iter(data.digit_loaders(test_batch_size=16, source="digits")[1]))
    torch.manual_seed(0)
    return {
        "landscape": plots.landscape_figure(),
        "ascent": plots.ascent_figure(G, optim.ascend(G, [70.0, 60.0], rng=np.random.default_rng(0))),
        "cost": plots.cost_figure(optim.gradient_descent(optim.cost_function, 15.0)),
        "moons": plots.moons_figure(X, y),
        "training": plots.training_figure([(1.0, 0.5, 0.9), (0.5, 0.8, 0.5)]),
        "boundary": plots.decision_boundary_figure(model, X, y, resolution=0.5),
        "digits": plots.digit_grid_figure(images, labels),
        "predictions": plots.predictions_figure(cnn.Net(), images, labels),
    }


def test_every_figure_renders_to_png(tmp_path):
    for name, fig in figures().items():
        assert isinstance(fig, Figure), name
        path = tmp_path / f"{name}.png"
        fig.savefig(path, dpi=50)
        assert path.stat().st_size > 2000, name


def test_moons_limits_come_from_the_points_not_the_labels():
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    ax = plots.moons_figure(X, y).axes[0]
    assert ax.get_ylim() == pytest.approx((X[:, 1].min() - 1, X[:, 1].max() + 1))


def test_ascent_titles_read_the_landscape_at_row_y_column_x():
    G = optim.landscape()
    path = np.array([[10.0, 80.0], [12.0, 81.0]])
    title = plots.ascent_figure(G, path).axes[0].get_title()
    assert title.endswith(f"{G[81, 12]:.2f}")


def test_points_off_the_grid_are_clipped():
    G = optim.landscape()
    assert optim.reward(G, [-5.0, 150.0]) == G[99, 0]
    g = optim.estimate_gradient(G, [0.5, 99.0], sigma=10, rng=np.random.default_rng(0))
    assert np.all(np.isfinite(g))


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")
def test_draw_dot_renders_svg():
    x = Value(2.0, label="x")
    y = (x * x + 1).tanh()
    y.backward()
    svg = draw_dot(y).pipe(format="svg").decode()
    assert "<svg" in svg and "grad" in svg
