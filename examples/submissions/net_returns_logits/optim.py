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
    """Estimate the direction of steepest ascent of G at w from n_samples noisy samples around it.

    w is a point (x, y) in grid coordinates. Specification, so that the numbers match the checks: first all the
    noise is drawn, in one call of rng's `standard_normal` method with shape (n_samples, 2) (row i is the
    direction eps_i); the rewards R_i are the heights of G, read with `reward`, at the points w + sigma * eps_i;
    they are standardized (minus their mean, divided by their standard deviation); the result is
    sum_i R_i * eps_i, an array of shape (2,).
    """
    rng = np.random.default_rng() if rng is None else rng
    # BEGIN SOLUTION optim.estimate_gradient
    # hint: Evolution strategies: draw random Gaussian directions εᵢ (as the docstring specifies), read the height Rᵢ of
    #   G at each point w + σεᵢ, standardize the Rᵢ (minus their mean, over their standard deviation) and return the sum
    #   of the directions weighted by them, g = Σᵢ Rᵢεᵢ. On average this points along the gradient, since E[G(w + σε) ε]
    #   ≈ σ∇G(w); standardizing keeps only better-or-worse-than-average, which cuts the noise of the estimate and makes
    #   its size independent of the landscape's scale. See notebook 01_optimization, 'The evolution-strategies
    #   estimator' and 'Why standardize the rewards'.
    # nudge: Draw all the noise in one call, of shape (n_samples, 2), before reading any reward, or your numbers will
    #   not match the checks; read heights with `reward`, which keeps points on the grid; and standardize before
    #   weighting.
    # walkthrough: noise = rng.standard_normal((n_samples, 2)) (one row per direction); read the rewards at the sampled
    #   points with reward(): R = reward(G, np.asarray(w, dtype=float) + sigma * noise); standardize R: R = (R -
    #   R.mean()) / R.std(); return R @ noise, the 2-vector Σᵢ Rᵢ noise[i].
    noise = rng.standard_normal((n_samples, 2))
    R = reward(G, np.asarray(w, dtype=float) + sigma * noise)
    R = (R - R.mean()) / R.std()
    return R @ noise
    # END SOLUTION


def ascend(G, w0, n_iter=5, alpha=0.03, sigma=3, n_samples=200, rng=None):
    """Climb G from w0 with estimated gradients; returns the n_iter+1 points visited, shape (n_iter+1, 2).

    Each step moves w by alpha times the gradient that `estimate_gradient` estimates at w, with this sigma,
    n_samples and rng (one generator for all the steps, so that a seed makes the path reproducible); the first
    row is w0 itself. A negative alpha descends instead (the try-it-out: find the bluest point).
    """
    rng = np.random.default_rng() if rng is None else rng
    # BEGIN SOLUTION optim.ascend
    # hint: Gradient ascent with the estimated gradient: from w₀, repeat n_iter times w ← w + α·g, where g is a fresh
    #   estimate of the uphill direction at the current w (with the same σ, number of samples and random generator); a
    #   positive α climbs, a negative one descends. Return the whole path, the start included: n_iter + 1 points. See
    #   notebook 01_optimization, 'The ascent step'.
    # nudge: Estimate the gradient again at every step, at the current point, passing the same `rng` on (do not make a
    #   new generator); the result has shape (n_iter + 1, 2), its first row w0 itself.
    # walkthrough: Start the path at w0 (as floats): path = [np.asarray(w0, dtype=float)]. n_iter times: w = path[-1];
    #   append w + alpha * estimate_gradient(G, w, sigma, n_samples, rng). Return np.array(path), every point, the start
    #   included.
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
    """Minimise f from x0; returns (x, f(x), df/dx) before each step.

    f is built from Value operations, so df/dx comes from `Value.backward`. Returns num_iterations tuples of three
    plain floats, recorded before each step; the step is x <- x - alpha * df/dx.
    """
    # BEGIN SOLUTION optim.gradient_descent
    # hint: At each step wrap the current x in a new Value, evaluate f on it and backpropagate, so that the Value's
    #   gradient is f′(x); record the three plain numbers x, f(x) and f′(x); then step downhill, x ← x − α·f′(x). A new
    #   Value per step because gradients accumulate and each step needs a graph of its own. See notebook
    #   01_optimization, 'One step of gradient descent with a Value'.
    # nudge: Record plain numbers (`.data` and `.grad`), not Values, before you update x; and make the new x a plain
    #   number from those numbers: reusing one Value adds up the slopes of every step.
    # walkthrough: x = float(x0); each step: xv = Value(x, label="x"); y = f(xv); y.backward(); record (xv.data, y.data,
    #   xv.grad) in a list; then x = xv.data - alpha * xv.grad (a plain number). Return the list of num_iterations
    #   records.
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
