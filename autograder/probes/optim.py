"""Probes of optim.py: the estimated gradient with a seeded generator, the ascent path, gradient descent."""

import numpy as np

from .plain import probe


@probe
def estimate_gradient(pkg, resolution, w, sigma, n_samples, seed):
    G = pkg.optim.landscape(resolution)
    g = pkg.optim.estimate_gradient(G, np.array(w, dtype=float), sigma=sigma, n_samples=n_samples,
                                    rng=np.random.default_rng(seed))
    return {"gradient": np.asarray(g, dtype=float).tolist()}


@probe
def ascend(pkg, resolution, w0, n_iter, alpha, sigma, n_samples, seed):
    G = pkg.optim.landscape(resolution)
    path = pkg.optim.ascend(G, np.array(w0, dtype=float), n_iter=n_iter, alpha=alpha, sigma=sigma,
                            n_samples=n_samples, rng=np.random.default_rng(seed))
    return {"path": np.asarray(path, dtype=float).tolist()}


@probe
def gradient_descent(pkg, function, x0, alpha, num_iterations):
    """function is "cost" (x² − 4x + 3) or a quadratic given as [a, b, c]: a x² + b x + c."""
    if function == "cost":
        f = pkg.optim.cost_function
    else:
        a, b, c = function

        def f(x):
            return a * x**2 + b * x + c

    steps = pkg.optim.gradient_descent(f, x0, alpha=alpha, num_iterations=num_iterations)
    return {"steps": [[float(v) for v in step] for step in steps]}
