"""Optimization two ways: sampled-gradient ascent on a landscape, and gradient descent with autograd."""

import numpy as np

from .engine import Value

# Each bump of the landscape: centre x, centre y, sharpness, and whether it is a hill (+1) or a valley (-1).
BUMPS = ((0.3, -0.3, 4, +1), (-0.3, 0.3, 2, +1), (0.6, 0.6, 2, -1), (-0.4, -0.2, 3, -1))


def gaussian_bumps(resolution=100):
    """The four Gaussians G1..G4 on a resolution x resolution grid over [-1, 1]²."""
    X, Y = np.meshgrid(np.linspace(-1, 1, resolution), np.linspace(-1, 1, resolution))
    return [np.exp(-((X - mux) ** 2 + (Y - muy) ** 2) / 2.0 * sigma**2) for mux, muy, sigma, _ in BUMPS]


def landscape(resolution=100):
    """G = G1 + G2 - G3 - G4: two hills and two valleys. G[row, col] is the height at (x=col, y=row)."""
    return sum(sign * g for (*_, sign), g in zip(BUMPS, gaussian_bumps(resolution)))


def reward(G, points):
    """Heights of G at points given as (x, y) grid coordinates, clipped to the grid."""
    points = np.asarray(points, dtype=float)
    rows = np.clip(points[..., 1], 0, G.shape[0] - 1).astype(int)
    cols = np.clip(points[..., 0], 0, G.shape[1] - 1).astype(int)
    return G[rows, cols]


def estimate_gradient(G, w, sigma=3, n_samples=200, rng=None):
    """Estimate the direction of steepest ascent of G at w from n_samples noisy samples around it."""
    rng = np.random.default_rng() if rng is None else rng
    # BEGIN SOLUTION optim.estimate_gradient: noise = rng.standard_normal((n_samples, 2)); read the rewards R at w + sigma*noise (use reward()); standardize R; return R @ noise
    noise = rng.standard_normal((n_samples, 2))
    R = reward(G, np.asarray(w, dtype=float) + sigma * noise)
    R = (R - R.mean()) / R.std()
    return R @ noise
    # END SOLUTION


def ascend(G, w0, n_iter=5, alpha=0.03, sigma=3, n_samples=200, rng=None):
    """Climb G from w0 with estimated gradients; returns the n_iter+1 points visited, shape (n_iter+1, 2).

    A negative alpha descends instead (the try-it-out: find the bluest point).
    """
    rng = np.random.default_rng() if rng is None else rng
    # BEGIN SOLUTION optim.ascend: start at w0 (as floats); n_iter times step w by alpha * estimate_gradient(G, w, sigma, n_samples, rng); return every point, the start included
    path = [np.asarray(w0, dtype=float)]
    for _ in range(n_iter):
        w = path[-1]
        path.append(w + alpha * estimate_gradient(G, w, sigma, n_samples, rng))
    return np.array(path)
    # END SOLUTION


def cost_function(x):
    """f(x) = x² − 4x + 3, lowest at x = 2."""
    return x**2 - 4 * x + 3


def gradient_descent(f, x0, alpha=0.3, num_iterations=10):
    """Minimise f from x0; returns (x, f(x), df/dx) before each step."""
    # BEGIN SOLUTION optim.gradient_descent: each step make x a fresh Value, y = f(x), y.backward(), record (x.data, y.data, x.grad), then x <- x - alpha * grad
    steps = []
    x = float(x0)
    for _ in range(num_iterations):
        xv = Value(x, label="x")
        y = f(xv)
        y.backward()
        steps.append((xv.data, y.data, xv.grad))
        x = xv.data - alpha * xv.grad
    return steps
    # END SOLUTION
