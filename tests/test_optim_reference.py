"""The reference optimization: the landscape, sampled-gradient ascent on it, gradient descent with Value."""

import numpy as np
import pytest

from solutions import optim
from solutions.engine import Value


@pytest.fixture(scope="module")
def G():
    return optim.landscape()


def test_landscape_is_indexed_row_y_column_x(G):
    assert G.shape == (100, 100) and optim.landscape(resolution=20).shape == (20, 20)
    # The sharp hill is centred at x = 0.3, y = -0.3 of [-1, 1]²: column 64, row 35 of the grid.
    row, col = np.unravel_index(G.argmax(), G.shape)
    assert abs(col - 0.65 * 99) <= 1 and abs(row - 0.35 * 99) <= 1
    assert optim.reward(G, [col, row]) == G.max()


def test_reward_reads_g_at_int_y_int_x_and_clips_points_off_the_grid(G):
    assert optim.reward(G, [12.7, 80.2]) == G[80, 12]
    assert optim.reward(G, [-5.0, 150.0]) == G[99, 0]
    assert optim.reward(G, [250.0, -0.5]) == G[0, 99]
    assert np.array_equal(optim.reward(G, [[3.0, 4.0], [5.0, 6.0]]), [G[4, 3], G[6, 5]])


def test_estimate_gradient_is_standardized_rewards_times_noise(G):
    w = np.array([70.0, 60.0])
    g = optim.estimate_gradient(G, w, sigma=3, n_samples=200, rng=np.random.default_rng(7))
    noise = np.random.default_rng(7).standard_normal((200, 2))
    R = np.array([G[int(y), int(x)] for x, y in w + 3 * noise])
    assert g.shape == (2,)
    assert g == pytest.approx(((R - R.mean()) / R.std()) @ noise, rel=1e-12)


def test_estimate_gradient_points_uphill(G):
    dG_drow, dG_dcol = np.gradient(G)
    for w in ([70.0, 60.0], [30.0, 60.0], [50.0, 20.0]):
        g = optim.estimate_gradient(G, w, rng=np.random.default_rng(0))
        uphill = np.array([dG_dcol[int(w[1]), int(w[0])], dG_drow[int(w[1]), int(w[0])]])
        assert g @ uphill > 0.8 * np.linalg.norm(g) * np.linalg.norm(uphill), w


def test_estimate_gradient_near_the_edge_is_finite(G):
    g = optim.estimate_gradient(G, [0.5, 99.0], sigma=10, rng=np.random.default_rng(0))
    assert np.all(np.isfinite(g))


@pytest.mark.parametrize("seed", range(3))
def test_ascend_climbs_to_the_hill_and_a_negative_alpha_descends(G, seed):
    path = optim.ascend(G, [70.0, 60.0], n_iter=5, alpha=0.03, rng=np.random.default_rng(seed))
    assert path.shape == (6, 2) and list(path[0]) == [70.0, 60.0]
    rewards = optim.reward(G, path)
    assert rewards[0] < -0.2 and rewards[-1] > 0.9
    assert np.all(np.diff(rewards) > 0)
    down = optim.ascend(G, [70.0, 60.0], n_iter=10, alpha=-0.03, rng=np.random.default_rng(seed))
    assert optim.reward(G, down[-1]) < -0.8


def test_ascend_takes_estimate_gradient_steps_from_one_generator(G):
    path = optim.ascend(G, [40, 50], n_iter=3, alpha=0.05, sigma=2, n_samples=50, rng=np.random.default_rng(1))
    rng = np.random.default_rng(1)
    w = np.array([40.0, 50.0])
    for point in path[1:]:
        w = w + 0.05 * optim.estimate_gradient(G, w, 2, 50, rng)
        assert point == pytest.approx(w, rel=1e-12)
    assert optim.ascend(G, [40, 50], n_iter=2).shape == (3, 2)  # rng=None draws a fresh generator


def test_gradient_descent_from_15_converges_to_2():
    steps = optim.gradient_descent(optim.cost_function, 15.0, alpha=0.3, num_iterations=30)
    assert len(steps) == 30
    assert steps[0] == (15.0, 168.0, 26.0)
    for (x, _, grad), (x_next, _, _) in zip(steps, steps[1:]):
        assert x_next == pytest.approx(x - 0.3 * grad, rel=1e-12)
    assert steps[-1][0] == pytest.approx(2.0, abs=1e-9) and steps[-1][2] == pytest.approx(0.0, abs=1e-8)
    assert all(later[1] < earlier[1] for earlier, later in zip(steps, steps[1:10]))
    assert optim.gradient_descent(optim.cost_function, 15.0)[-1][0] == pytest.approx(2.0, abs=0.01)


def test_gradient_descent_works_with_any_value_function():
    def f(x):
        return (x - 1.5) ** 2 * 2 + (x * 0.3).tanh()

    steps = optim.gradient_descent(f, -2, alpha=0.1, num_iterations=100)
    x = steps[-1][0]
    assert isinstance(x, float) and 1.0 < x < 1.5
    v = Value(x)
    f(v).backward()
    assert abs(v.grad) < 1e-9
