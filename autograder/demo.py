"""`nnkit demo`: the kit's whole loop on the embedded defaults.

1. the reference solution through the tutorial (ascent on the landscape, gradient descent, the MLP on two
   moons, the CNN on the embedded digits), printing where each figure went and the accuracies reached;
2. `nnkit build`: the starter, the student bundle and the grader bundles;
3. `nnkit grade` on the example submissions in examples/submissions/, printing where the gradebook,
   the feedback pages and the TA report are.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import torch

from solutions import cnn, data, optim, plots, train
from solutions.nn import MLP

from .errors import KitError
from .paths import EXAMPLES as EXAMPLE_ROOT

MOONS_STEPS = 100
CNN_STEPS = 300
EXAMPLES = EXAMPLE_ROOT / "submissions"


def save(fig, out: Path, name: str) -> Path:
    path = out / f"{name}.png"
    fig.savefig(path, dpi=80)
    print(f"  figure: {path}")
    return path


def run_optimization(out: Path, seed: int) -> None:
    print("Optimization")
    G = optim.landscape()
    save(plots.landscape_figure(), out, "landscape")
    path = optim.ascend(G, [70.0, 60.0], n_iter=5, rng=np.random.default_rng(seed))
    save(plots.ascent_figure(G, path), out, "ascent")
    print(f"  ascent: reward {optim.reward(G, path[0]):.2f} -> {optim.reward(G, path[-1]):.2f}")
    steps = optim.gradient_descent(optim.cost_function, 15.0)
    save(plots.cost_figure(steps), out, "gradient_descent")
    first, last = steps[0], steps[-1]
    print(f"  gradient descent from x=15: gradient {first[2]:.0f} there, x={last[0]:.4f} after {len(steps)} steps")


def run_moons(out: Path, seed: int) -> float:
    print("MLP on two moons")
    random.seed(seed)
    X, y = train.make_moons(n_samples=100, noise=0.1, seed=seed)
    save(plots.moons_figure(X, y), out, "moons")
    model = MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    history = train.train(model, X, y, n_iter=MOONS_STEPS, learning_rate=1.0)
    save(plots.training_figure(history), out, "moons_training")
    save(plots.decision_boundary_figure(model, X, y), out, "decision_boundary")
    accuracy = history[-1][1]
    print(f"  training accuracy after {MOONS_STEPS} steps: {accuracy:.1%} (loss {history[-1][0]:.4f})")
    return accuracy


def run_cnn(out: Path, seed: int, source: str, root: str) -> float:
    print(f"CNN on handwritten digits ({source})")
    torch.manual_seed(seed)
    train_loader, test_loader = data.digit_loaders(source=source, root=root, seed=seed)
    images, labels = next(iter(test_loader))
    save(plots.digit_grid_figure(images[:32], labels[:32]), out, "digits")
    model = cnn.Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=CNN_STEPS, eta_min=0.01)
    losses = cnn.train(model, "cpu", train_loader, optimizer, scheduler, CNN_STEPS)
    loss, accuracy = cnn.test(model, "cpu", test_loader)
    save(plots.predictions_figure(model, images[:32], labels[:32]), out, "predictions")
    print(f"  train loss {losses[0]:.3f} -> {losses[-1]:.3f}; test loss {loss:.4f}, test accuracy {accuracy:.1%}")
    return accuracy


def run_tutorial(out: Path, seed: int, source: str, root: str) -> dict:
    """The reference through the tutorial; returns the accuracies reached."""
    import matplotlib

    matplotlib.use("Agg")
    out.mkdir(parents=True, exist_ok=True)
    run_optimization(out, seed)
    moons = run_moons(out, seed)
    digits = run_cnn(out, seed, source, root)
    print(f"Figures in {out}/")
    return {"moons_train_accuracy": moons, "cnn_test_accuracy": digits}


def run_build() -> None:
    print("Build: starter, student bundle, grader bundles")
    from .config import load_config
    from .make import make_everything

    made = make_everything(load_config())
    print("\n".join(made.lines))
    if not made.ok:
        raise KitError("nnkit build failed: see the lines above")


def run_grading(out: Path, seed: int) -> None:
    examples = sorted(p for p in EXAMPLES.glob("*") if p.is_dir())
    print(f"Grading the {len(examples)} example submissions of {EXAMPLES}")
    from .config import load_config
    from .grade.run import grade_run

    grade_run(examples, out, config=load_config(), seed=seed, workers=None)


def run_demo(out: str | Path = "out/demo", seed: int = 1337, source: str = "auto", root: str = "data",
             parts: tuple[str, ...] = ("tutorial", "build", "grade")) -> dict:
    """The whole loop; parts picks which of tutorial, build and grade to run."""
    out = Path(out)
    accuracies = run_tutorial(out / "figures", seed, source, root) if "tutorial" in parts else {}
    if "build" in parts:
        run_build()
    if "grade" in parts:
        run_grading(out / "graded", seed)
    return accuracies
