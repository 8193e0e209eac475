"""Every figure of the tutorial renders headlessly; the tutorial's slips are fixed; draw_dot renders with dot."""

import shutil

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from solutions import cnn, data, optim, plots
from solutions.engine import Value
from solutions.nn import MLP
from solutions.train import make_moons
from solutions.viz import draw_dot, trace

matplotlib.use("Agg")


def figures() -> dict[str, Figure]:
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
    made = figures()
    public = {name for name in dir(plots) if name.endswith("_figure")}
    assert public == {f"{name}_figure" for name in ("landscape", "ascent", "cost", "moons", "training",
                                                   "decision_boundary", "digit_grid", "predictions")}
    assert len(made) == len(public)
    for name, fig in made.items():
        assert isinstance(fig, Figure), name
        path = tmp_path / f"{name}.png"
        fig.savefig(path, dpi=50)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 2000, name


def test_moons_limits_come_from_the_points_not_the_labels():
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    ax = plots.moons_figure(X, y).axes[0]
    assert ax.get_xlim() == pytest.approx((X[:, 0].min() - 1, X[:, 0].max() + 1))
    assert ax.get_ylim() == pytest.approx((X[:, 1].min() - 1, X[:, 1].max() + 1))


def test_ascent_titles_read_the_landscape_at_row_y_column_x():
    G = optim.landscape()
    path = np.array([[10.0, 80.0], [12.0, 81.0], [30.0, 5.0]])
    titles = [ax.get_title() for ax in plots.ascent_figure(G, path).axes]
    assert titles == [f"Iteration 1 | Reward {G[81, 12]:.2f}", f"Iteration 2 | Reward {G[5, 30]:.2f}"]
    assert f"{G[81, 12]:.2f}" != f"{G[12, 81]:.2f}"  # the tutorial's G[x, y] would read another height


def test_an_ascent_that_samples_off_the_grid_still_draws():
    G = optim.landscape()
    path = optim.ascend(G, [1.0, 98.0], n_iter=3, sigma=10, rng=np.random.default_rng(0))
    fig = plots.ascent_figure(G, path)
    assert len(fig.axes) == 3 and all("Reward" in ax.get_title() for ax in fig.axes)


def test_cost_figure_labels_do_not_overlap():
    fig = plots.cost_figure(optim.gradient_descent(optim.cost_function, 15.0, num_iterations=10))
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in fig.axes[0].texts]
    assert len(boxes) >= 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_training_figure_plots_the_history():
    history = [(1.0, 0.5, 0.9), (0.5, 0.8, 0.5), (0.25, 0.9, 0.1)]
    axes = plots.training_figure(history).axes
    assert [ax.get_title() for ax in axes] == ["Loss", "Accuracy", "Learning rate"]
    for ax, column in zip(axes, zip(*history)):
        assert list(ax.lines[0].get_ydata()) == list(column)


def test_predictions_are_red_where_wrong():
    images, labels = next(iter(data.digit_loaders(test_batch_size=8, source="digits")[1]))
    torch.manual_seed(0)
    model = cnn.Net()
    with torch.no_grad():
        guesses = model(images).argmax(dim=1)
    axes = plots.predictions_figure(model, images, labels).axes
    for ax, guess, truth in zip(axes, guesses, labels):
        assert (ax.title.get_color() == "red") == (guess != truth)


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")
def test_draw_dot_renders_svg():
    x = Value(2.0, label="x")
    y = (x * x + 1).tanh()
    y.backward()
    dot = draw_dot(y)
    nodes, edges = trace(y)
    assert len(nodes) == 5 and len(edges) == 4  # x, x*x, the constant 1, the sum, the tanh
    svg = dot.pipe(format="svg").decode()
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in svg
    assert "data 2.0000" in svg and f"grad {x.grad:.4f}" in svg and "Tanh" in svg


def test_decision_regions_take_the_colour_of_their_class():
    """A region where the model says +1 is drawn in the colour of the +1 points, and likewise for -1."""
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    model = MLP(2, [4, 1], activations=["ReLU", "Linear"])
    for neuron, bias in zip(model.layers[0].neurons, (0.0, 0.0, 0.0, 0.0)):
        neuron.b.data = bias
    out = model.layers[-1].neurons[0]
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].w[1].data = 0.0, -1.0  # relu(-y)
    out.w[0].data, out.w[1].data, out.w[2].data, out.w[3].data, out.b.data = 1.0, 0.0, 0.0, 0.0, -0.25
    fig = plots.decision_boundary_figure(model, X, y, resolution=0.1)
    FigureCanvasAgg(fig).draw()
    regions, points = fig.axes[0].collections
    # The model says +1 below y = -0.25 and -1 above it.
    minus_region, plus_region = (tuple(c[:3]) for c in regions.get_facecolor())
    colours = [tuple(c[:3]) for c in points.get_facecolor()]
    assert {c for c, label in zip(colours, y) if label == -1} == {minus_region}
    assert {c for c, label in zip(colours, y) if label == 1} == {plus_region}
    assert minus_region != plus_region


def test_training_figure_steps_are_whole_numbers():
    axes = plots.training_figure([(1.0, 0.5, 0.9), (0.5, 0.8, 0.5)]).axes
    for ax in axes:
        assert all(float(t).is_integer() for t in ax.get_xticks())
