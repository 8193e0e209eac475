"""Cases for engine.*: each operation's _backward alone, and backward() on graphs with kit-made closures."""

from __future__ import annotations

import numpy as np

from .case import Case

OPS = ("add", "mul", "pow", "relu", "tanh", "exp")
SYMBOL = {"add": "a + b", "mul": "a * b", "pow": "a ** n", "relu": "a.relu()", "tanh": "a.tanh()", "exp": "a.exp()"}


def num(rng: np.random.Generator, low: float = -2.0, high: float = 2.0) -> float:
    return round(float(rng.uniform(low, high)), 6)


def op_cases(op: str, rng: np.random.Generator, public: bool) -> list[Case]:
    qid = f"engine.{op}"
    expr = SYMBOL[op]

    def case(name, checked, **inputs):
        return Case(qid, name, "engine_ops.local_backward", {"op": op, **inputs}, checked, public=public)

    positive = op == "pow"
    a = num(rng, 0.5, 2.0) if positive else num(rng)
    b = rng.choice([2, 3]).item() if op == "pow" else num(rng)
    cases = [
        case("local gradient", f"a.grad after out._backward() for out = {expr}, out.grad = g",
             a=a, b=b, upstream=num(rng, 0.5, 3.0)),
        case("adds to existing gradients", f"out._backward() adds to a.grad already there (+=, not =), {expr}",
             a=num(rng, 0.5, 2.0) if positive else num(rng), b=b, upstream=num(rng, 0.5, 3.0),
             grad_a=num(rng), grad_b=num(rng)),
    ]
    if op in ("add", "mul"):
        cases += [
            case("reused operand", f"a.grad for out = {expr.replace('b', 'a')}: both uses add up",
                 a=num(rng), upstream=num(rng, 0.5, 3.0), reuse=True),
            case("number operand", f"a.grad for out = {expr.replace('b', 'c')} with c a plain number",
                 a=num(rng), b=num(rng), upstream=num(rng, 0.5, 3.0), constant=True),
        ]
    if op == "pow":
        cases += [
            case("float exponent", "a.grad for out = a ** 0.5", a=num(rng, 0.5, 3.0), b=0.5, upstream=num(rng)),
            case("negative exponent", "a.grad for out = a ** -1 (division)", a=num(rng, 0.5, 3.0), b=-1,
                 upstream=num(rng)),
        ]
    if op == "relu":
        cases += [
            case("negative input", "a.grad for out = a.relu() with a < 0", a=num(rng, -2.0, -0.1), upstream=1.5),
            case("positive input", "a.grad for out = a.relu() with a > 0", a=num(rng, 0.1, 2.0), upstream=1.5),
        ]
    if not public:
        leaves, program = expression(op, rng)
        cases.append(Case(qid, "expression", "engine_expression.expression_gradients",
                          {"op": op, "leaves": leaves, "program": program},
                          f"every leaf's gradient in an expression made only of {expr}", public=public))
    return cases


def expression(op: str, rng: np.random.Generator) -> tuple[list[float], list]:
    """Random leaves and a program of one operation, with reuse, of bounded size."""
    if op in ("add", "mul"):
        leaves = [num(rng, -1.5, 1.5) for _ in range(3)]
        program = []
        for k in range(5):
            n = len(leaves) + k
            program.append([int(rng.integers(n)), int(rng.integers(n))])
        return leaves, program
    if op == "pow":
        leaves = [num(rng, 0.5, 1.5)]
        return leaves, [[k, [2, 0.5, -1, 3][k % 4]] for k in range(4)]
    depth = 2 if op == "exp" else 4
    leaves = [num(rng, -1.0, 1.0)]
    return leaves, [[k, None] for k in range(depth)]


def backward_cases(rng: np.random.Generator, public: bool) -> list[Case]:
    qid = "engine.backward"

    def graph(name, checked, leaves, program):
        return Case(qid, name, "engine_graph.backward_on_graph", {"leaves": leaves, "program": program}, checked,
                    rules={"closures called more or less than once": "exact",
                           "closures called before their consumers": "exact"}, public=public)

    x = [num(rng, -1, 1) for _ in range(3)]
    cases = [
        graph("chain", "gradients, the seed root.grad = 1, each _backward once, consumers first: tanh(a*b + c)",
              x, [["*", [0, 1]], ["+", [3, 2]], ["tanh", [4]]]),
        graph("diamond", "gradients when two paths meet again: d = a*b, e = exp(d), f = d + e",
              x[:2], [["*", [0, 1]], ["exp", [2]], ["+", [2, 3]]]),
        graph("reused operand", "gradients accumulate when a node feeds several others: (a*a) + a",
              x[:1], [["*", [0, 0]], ["+", [1, 0]]]),
    ]
    if not public:
        cases.append(graph("random graph", "gradients, call counts and order on a random graph of 25 nodes",
                           *random_graph(rng, 5, 20)))
        cases.append(Case(qid, "deep graph", "engine_graph.backward_chain", {"depth": 3000},
                          "backward() on a chain of 3,000 additions (no recursion limit)",
                          rules={"closures called": "exact"}, public=public))
    return cases


def random_graph(rng: np.random.Generator, n_leaves: int, n_nodes: int) -> tuple[list[float], list]:
    leaves = [num(rng, -1, 1) for _ in range(n_leaves)]
    program = []
    for k in range(n_nodes):
        n = n_leaves + k
        op = str(rng.choice(["+", "*", "+", "*", "tanh"]))
        inputs = [int(rng.integers(n))] if op == "tanh" else [int(rng.integers(n)), int(rng.integers(n))]
        program.append([op, inputs])
    return leaves, program


def cases(rng: np.random.Generator, public: bool) -> list[Case]:
    return [c for op in OPS for c in op_cases(op, rng, public)] + backward_cases(rng, public)
