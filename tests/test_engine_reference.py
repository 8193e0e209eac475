"""The reference engine against torch autograd (float64), on a seeded battery of random expressions."""

import random

import pytest
import torch

from solutions.engine import Value
from solutions.optim import cost_function, gradient_descent

UNARY = ["neg", "relu", "tanh", "exp", "pow2", "pow3", "powhalf", "powneg"]
BINARY = ["add", "mul", "sub", "div", "radd", "rsub", "rmul", "rdiv"]


def unary(op, x, torch_side):
    if op == "neg":
        return -x
    if op == "relu":
        return x.relu() if not torch_side else torch.relu(x)
    if op == "tanh":
        return x.tanh()
    if op == "exp":
        return (x * 0.3).exp()
    if op == "pow2":
        return x**2
    if op == "pow3":
        return x**3
    if op == "powhalf":  # keeps the base positive
        return (x * x + 1.0) ** 0.5
    return (x * x + 1.0) ** -1


def binary(op, a, b, c):
    """c is a plain number for the reflected operators."""
    return {
        "add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: a - b, "div": lambda: a / (b * b + 1.0),
        "radd": lambda: c + a, "rsub": lambda: c - a, "rmul": lambda: c * a, "rdiv": lambda: c / (a * a + 1.0),
    }[op]()


def build(rng: random.Random, leaves, torch_side: bool):
    """A random expression over the leaves; nodes are reused, so the graph has diamonds."""
    nodes = list(leaves)
    for _ in range(rng.randint(3, 12)):
        if rng.random() < 0.4:
            nodes.append(unary(rng.choice(UNARY), rng.choice(nodes), torch_side))
        else:
            nodes.append(binary(rng.choice(BINARY), rng.choice(nodes), rng.choice(nodes), rng.uniform(-2, 2)))
    # Sum a few nodes into the root, so several paths meet there.
    root = nodes[-1]
    for node in rng.sample(nodes, min(3, len(nodes))):
        root = root + node
    return root


@pytest.mark.parametrize("seed", range(200))
def test_gradients_match_torch(seed):
    values = [random.Random(seed).uniform(-1.5, 1.5) for _ in range(3)]
    values = [v if abs(v) > 1e-3 else 0.5 for v in values]  # keep relu away from its kink
    ours = [Value(v) for v in values]
    theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    root = build(random.Random(seed), ours, torch_side=False)
    reference = build(random.Random(seed), theirs, torch_side=True)
    root.backward()
    reference.backward()
    assert root.data == pytest.approx(reference.item(), rel=1e-9, abs=1e-12)
    for leaf, tensor in zip(ours, theirs):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()
        assert leaf.grad == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("make", [lambda a: a * a, lambda a: a + a, lambda a: a * a * a + a])
def test_reused_operands_accumulate(make):
    a = Value(1.7)
    t = torch.tensor(1.7, dtype=torch.float64, requires_grad=True)
    make(a).backward()
    make(t).backward()
    assert a.grad == pytest.approx(t.grad.item(), rel=1e-12)


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_deep_graphs_do_not_hit_the_recursion_limit(depth):
    x = Value(0.5)
    node = x
    for _ in range(depth):
        node = node + 1
    node.backward()
    assert x.grad == 1.0
    assert node.data == pytest.approx(depth + 0.5)


def test_each_backward_runs_once_and_the_root_is_seeded():
    a, b = Value(2.0), Value(-3.0)
    d = a * b
    e = d + a
    calls = []
    for node in (a, b, d, e):
        inner = node._backward
        node._backward = (lambda n=node, f=inner: (calls.append(n), f()))
    e.backward()
    assert e.grad == 1
    assert sorted(map(id, calls)) == sorted(map(id, (a, b, d, e)))
    assert calls.index(e) < calls.index(d)
    assert (a.grad, b.grad) == (b.data + 1, a.data)


def test_cost_function_gradient_is_26_at_15():
    x = Value(15.0)
    cost_function(x).backward()
    assert x.grad == 26


def test_gradient_descent_converges_to_2():
    steps = gradient_descent(cost_function, 15.0, alpha=0.3, num_iterations=30)
    assert steps[0] == (15.0, 168.0, 26.0)
    assert steps[-1][0] == pytest.approx(2.0, abs=1e-6)
    assert all(later[1] <= earlier[1] for earlier, later in zip(steps, steps[1:]))


def test_repr_and_derived_operations():
    a = Value(3.0, label="a")
    assert repr(a) == "Value(node=a, data=3.0, grad=0.0)"
    assert (2 - a).data == -1 and (6 / a).data == 2 and (a / 2).data == 1.5 and (-a).data == -3
