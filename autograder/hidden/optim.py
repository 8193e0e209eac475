"""Cases for optim.*: the sampled gradient with a seeded generator, ascent paths, gradient descent."""

from __future__ import annotations

import numpy as np

from .case import Case
from .engine import num


def cases(rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    """published: the student bundle's public cases, which keep the notebook's step size 0.3."""
    out = []
    starts = [[70.0, 60.0]] if public else [[float(rng.uniform(5, 95)), float(rng.uniform(5, 95))] for _ in range(2)]
    for w in starts:
        out.append(Case("optim.estimate_gradient", f"at ({w[0]:.0f}, {w[1]:.0f})", "optim.estimate_gradient",
                        {"resolution": 100, "w": w, "sigma": 3, "n_samples": 200, "seed": int(rng.integers(1 << 31))},
                        "estimate_gradient(G, w, sigma=3, n_samples=200, rng=np.random.default_rng(seed))",
                        public=public))
    out.append(Case("optim.estimate_gradient", "near the edge", "optim.estimate_gradient",
                    {"resolution": 100, "w": [1.0, 98.5], "sigma": 5, "n_samples": 100,
                     "seed": int(rng.integers(1 << 31))},
                    "samples that fall off the grid are clipped to it", public=public))

    for alpha in (0.03, -0.03):
        w0 = [70.0, 60.0] if public else [float(rng.uniform(10, 90)), float(rng.uniform(10, 90))]
        out.append(Case("optim.ascend", "ascent" if alpha > 0 else "descent (negative alpha)", "optim.ascend",
                        {"resolution": 100, "w0": w0, "n_iter": 5, "alpha": alpha, "sigma": 3, "n_samples": 200,
                         "seed": int(rng.integers(1 << 31))},
                        f"the {6} points visited by ascend(G, w0, n_iter=5, alpha={alpha})", public=public))

    # The same walk from 15 as in the notebook; graded, with a step size drawn from the seed, so that its numbers
    # cannot be known in advance.
    alpha = 0.3 if published else round(float(rng.uniform(0.1, 0.45)), 3)
    out.append(Case("optim.gradient_descent", "x² − 4x + 3 from 15", "optim.gradient_descent",
                    {"function": "cost", "x0": 15.0, "alpha": alpha, "num_iterations": 10},
                    "the (x, f(x), df/dx) of each of 10 steps from x = 15", public=public))
    if not public:
        coeffs = [num(rng, 0.5, 2.0), num(rng, -3, 3), num(rng, -3, 3)]
        out.append(Case("optim.gradient_descent", "another quadratic", "optim.gradient_descent",
                        {"function": coeffs, "x0": num(rng, -5, 5), "alpha": 0.1, "num_iterations": 8},
                        "the (x, f(x), df/dx) of each step on a quadratic you have not seen", public=public))
    return out
