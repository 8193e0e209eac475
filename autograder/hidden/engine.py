"""Cases for engine.*: each operation's _backward alone, and backward() on graphs with kit-made closures."""

from __future__ import annotations

import numpy as np

from .case import Case

OPS = ("add", "mul", "pow", "relu", "tanh", "exp")
SYMBOL = {"add": "a + b", "mul": "a * b", "pow": "a ** n", "relu": "a.relu()", "tanh": "a.tanh()", "exp": "a.exp()"}


def num(rng: np.random.Generator, low: float = -2.0, high: float = 2.0) -> float:
    return round(float(rng.uniform(low, high)), 6)


def op_cases(op: str, rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    qid = f"engine.{op}"
    expr = SYMBOL[op]

    def case(name, checked, **inputs):
        return Case(qid, name, "engine_ops.local_backward", {"op": op, **inputs}, checked, public=public)

    positive = op == "pow"
    # Graded, relu's plain case takes a > 0: below 0 its numbers (0 and 0) would be the same for every seed.
    a = num(rng, 0.5, 2.0) if positive or (op == "relu" and not published) else num(rng)
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
        below, above = num(rng, -2.0, -0.1), num(rng, 0.1, 2.0)
        cases += [
            case("negative input", "a.grad for out = a.relu() with a < 0", a=below, upstream=num(rng, 0.5, 3.0),
                 grad_a=num(rng)),
            case("positive input", "a.grad for out = a.relu() with a > 0", a=above, upstream=num(rng, 0.5, 3.0),
                 grad_a=num(rng)),
        ]
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
    # relu's leaf is positive: below 0 the whole chain gives 0 and 0, the same numbers for every seed.
    leaves = [num(rng, 0.1, 1.0) if op == "relu" else num(rng, -1.0, 1.0)]
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
    start, steps = chain(rng, int(rng.integers(2500, 3501)))
    cases.append(Case(qid, "deep graph", "engine_graph.backward_chain", {"start": start, "steps": steps},
                      "backward() on a chain of 2,500 to 3,500 additions and multiplications, deeper than "
                      "Python's recursion limit", rules={"closures called": "exact"}, public=public))
    return cases


def chain(rng: np.random.Generator, depth: int) -> tuple[float, list]:
    """A start and depth steps, each ["+", c] or, one in ten, ["*", c] with c near 1.

    Deeper than Python's recursion limit (1,000), so a recursive topological sort fails; the factors make x.grad
    their product, so the numbers differ for every seed (a chain of additions alone gives 1 and 1 for any depth).
    """
    multiply = rng.random(depth) < 0.1
    factors = np.round(rng.uniform(0.9, 1.1, depth), 6)
    terms = np.round(rng.uniform(-1.0, 1.0, depth), 6)
    steps = [["*", float(f)] if m else ["+", float(t)] for m, f, t in zip(multiply, factors, terms)]
    return num(rng, -1.0, 1.0), steps


def random_graph(rng: np.random.Generator, n_leaves: int, n_nodes: int) -> tuple[list[float], list]:
    leaves = [num(rng, -1, 1) for _ in range(n_leaves)]
    program = []
    for k in range(n_nodes):
        n = n_leaves + k
        op = str(rng.choice(["+", "*", "+", "*", "tanh"]))
        inputs = [int(rng.integers(n))] if op == "tanh" else [int(rng.integers(n)), int(rng.integers(n))]
        program.append([op, inputs])
    return leaves, program


def cases(rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    """published: the student bundle's public cases, which keep their round constants."""
    return [c for op in OPS for c in op_cases(op, rng, public, published)] + backward_cases(rng, public)
