"""The reference engine against torch autograd (float64), on a seeded battery of random expressions."""

from __future__ import annotations

import random
from collections import Counter

import pytest
import torch

from solutions.engine import Value
from solutions.optim import cost_function

N_EXPRESSIONS = 200

# Each operation as written on a Value; the same code runs on float64 torch tensors. Bases of fractional and negative
# powers, and divisors, are kept positive (x*x + 1), as a student's expression would need them to be.
UNARY = {
    "neg": lambda x: -x,
    "relu": lambda x: x.relu(),
    "tanh": lambda x: x.tanh(),
    "exp": lambda x: (x * 0.3).exp(),
    "pow int 2": lambda x: x**2,
    "pow int 3": lambda x: x**3,
    "pow int -1": lambda x: (x * x + 1.0) ** -1,
    "pow float 0.5": lambda x: (x * x + 1.0) ** 0.5,
    "pow float -1.5": lambda x: (x * x + 1.0) ** -1.5,
}
BINARY = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "div": lambda a, b: a / (b * b + 1.0),
}
# c is a plain number: these exercise __radd__, __rsub__, __rmul__ and __rtruediv__.
REFLECTED = {
    "radd": lambda c, a: c + a,
    "rsub": lambda c, a: c - a,
    "rmul": lambda c, a: c * a,
    "rtruediv": lambda c, a: c / (a * a + 1.0),
}


def build(seed: int, leaves: list, used: Counter | None = None):
    """A random expression over the leaves. Nodes are picked again and again, so operands are reused (a*a)
    and paths meet (diamonds); the root sums a few of them so several paths end there."""
    rng = random.Random(seed)
    used = Counter() if used is None else used
    nodes = list(leaves)
    for _ in range(rng.randint(3, 12)):
        kind = rng.random()
        if kind < 0.35:
            name = rng.choice(sorted(UNARY))
            nodes.append(UNARY[name](rng.choice(nodes)))
        elif kind < 0.7:
            name = rng.choice(sorted(BINARY))
            a, b = rng.choice(nodes), rng.choice(nodes)
            used["reused operand"] += a is b
            nodes.append(BINARY[name](a, b))
        else:
            name = rng.choice(sorted(REFLECTED))
            nodes.append(REFLECTED[name](rng.choice([rng.uniform(-2, 2), rng.randint(-3, 3)]), rng.choice(nodes)))
        used[name] += 1
    root = nodes[-1]
    for node in rng.sample(nodes, min(3, len(nodes))):
        root = root + node
    return root


def leaf_values(seed: int) -> list[float]:
    values = [random.Random(seed * 7919 + i).uniform(-1.5, 1.5) for i in range(3)]
    return [v if abs(v) > 1e-3 else 0.5 for v in values]  # keeps relu away from its kink


@pytest.mark.parametrize("seed", range(N_EXPRESSIONS))
def test_gradients_match_torch(seed):
    values = leaf_values(seed)
    ours = [Value(v) for v in values]
    theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    root = build(seed, ours)
    reference = build(seed, theirs)
    root.backward()
    reference.backward()
    assert root.data == pytest.approx(reference.item(), rel=1e-9, abs=1e-12)
    for leaf, tensor in zip(ours, theirs):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()
        assert leaf.grad == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_the_battery_covers_every_operation():
    used = Counter()
    for seed in range(N_EXPRESSIONS):
        build(seed, [Value(v) for v in leaf_values(seed)], used=used)
    missing = {*UNARY, *BINARY, *REFLECTED, "reused operand"} - {name for name, n in used.items() if n >= 5}
    assert not missing, f"fewer than 5 expressions use {missing}"


@pytest.mark.parametrize(
    "name, make",
    [
        ("a*a", lambda a: a * a),
        ("a+a", lambda a: a + a),
        ("a*a*a + a", lambda a: a * a * a + a),
        ("diamond", lambda a: (a * 2.0).tanh() * (a * 2.0).exp()),
        ("shared middle", lambda a: (lambda m: m * m + m)(a * 3.0 - 1.0)),
    ],
)
def test_reused_operands_and_diamonds_accumulate(name, make):
    a = Value(0.7)
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    make(a).backward()
    make(t).backward()
    assert a.grad == pytest.approx(t.grad.item(), rel=1e-12), name


@pytest.mark.parametrize(
    "expression, expected_data, expected_grad",
    [
        (lambda a: 2 + a, 5.0, 1.0),
        (lambda a: 2 - a, -1.0, -1.0),
        (lambda a: 2 * a, 6.0, 2.0),
        (lambda a: 6 / a, 2.0, -6 / 9),
        (lambda a: a / 2, 1.5, 0.5),
        (lambda a: a - 2, 1.0, 1.0),
        (lambda a: -a, -3.0, -1.0),
        (lambda a: a**0.5, 3**0.5, 0.5 * 3**-0.5),
    ],
)
def test_operators_with_plain_numbers(expression, expected_data, expected_grad):
    a = Value(3.0)
    out = expression(a)
    assert isinstance(out, Value)
    out.backward()
    assert out.data == pytest.approx(expected_data, rel=1e-12)
    assert a.grad == pytest.approx(expected_grad, rel=1e-12)


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_deep_graphs_do_not_hit_the_recursion_limit(depth):
    x = Value(0.5)
    node = x
    for _ in range(depth):
        node = node + 1
    node.backward()
    assert x.grad == 1.0
    assert node.data == pytest.approx(depth + 0.5)


def test_each_backward_runs_once_after_its_outputs_and_the_root_is_seeded():
    a, b = Value(2.0), Value(-3.0)
    d = a * b
    e = d + a
    calls = []
    for node in (a, b, d, e):
        inner = node._backward
        node._backward = lambda n=node, f=inner: (calls.append(n), f())
    e.backward()
    assert e.grad == 1
    assert sorted(map(id, calls)) == sorted(map(id, (a, b, d, e)))
    assert calls.index(e) < calls.index(d) < min(calls.index(a), calls.index(b))
    assert (a.grad, b.grad) == (b.data + 1, a.data)


def test_new_values_start_with_zero_grad_and_record_their_inputs():
    a, b = Value(2.0, label="a"), Value(4.0)
    c = a * b
    assert (a.grad, c.grad) == (0.0, 0.0)
    assert set(map(id, c._prev)) == {id(a), id(b)} and c._op == "*"
    assert repr(a) == "Value(node=a, data=2.0, grad=0.0)"
    assert repr(b) == "Value(data=4.0, grad=0.0)"


def test_cost_function_gradient_is_26_at_15():
    x = Value(15.0)
    y = cost_function(x)
    y.backward()
    assert (y.data, x.grad) == (168.0, 26.0)
