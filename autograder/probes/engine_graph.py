"""Probes of backward() on graphs whose _backward closures are the kit's own.

A bug in an operation's closure therefore costs that operation only; these probes check the order and
number of closure calls, the seed gradient and the accumulation.
"""

import math

from .plain import probe


def local_gradients(op, xs, out):
    """d out / d x for each input x of op."""
    if op == "+":
        return [1.0] * len(xs)
    if op == "*":
        return [xs[1], xs[0]]
    if op == "tanh":
        return [1 - out**2]
    if op == "exp":
        return [out]
    raise ValueError(op)


def forward(op, xs):
    if op == "+":
        return xs[0] + xs[1]
    if op == "*":
        return xs[0] * xs[1]
    if op == "tanh":
        return math.tanh(xs[0])
    return math.exp(xs[0])


@probe
def backward_on_graph(pkg, leaves, program):
    """Run the student's backward() on a graph built from program with the kit's closures.

    program: list of (op, [input indices]); nodes are the leaves then one node per instruction; the last is
    the root. Reports the leaves' grads, the root's grad, how often each closure ran, and how many closures
    ran before a node that consumes their output (consumers must come first).
    """
    Value = pkg.engine.Value
    nodes = [Value(v) for v in leaves]
    calls, consumers = [], {i: [] for i in range(len(leaves) + len(program))}
    for op, inputs in program:
        index = len(nodes)
        args = [nodes[i] for i in inputs]
        out = Value(forward(op, [a.data for a in args]), _children=tuple(args), _op=op)
        for i in set(inputs):
            consumers[i].append(index)
        out._backward = make_closure(op, out, args, index, calls)
        nodes.append(out)
    for i, leaf in enumerate(nodes[: len(leaves)]):
        leaf._backward = make_closure(None, leaf, [], i, calls)

    root = nodes[-1]
    root.backward()

    position = {}
    for step, index in enumerate(calls):
        position.setdefault(index, step)
    too_early = sum(
        1
        for index, users in consumers.items()
        if index in position and any(position.get(u, math.inf) > position[index] for u in users)
    )
    counts = [calls.count(i) for i in range(len(leaves), len(nodes))]
    return {
        "leaf grads": [n.grad for n in nodes[: len(leaves)]],
        "root.grad": root.grad,
        "closures called more or less than once": sum(1 for c in counts if c != 1),
        "closures called before their consumers": too_early,
    }


def make_closure(op, out, args, index, calls):
    def _backward():
        calls.append(index)
        if op is not None:
            for v, d in zip(args, local_gradients(op, [a.data for a in args], out.data)):
                v.grad += d * out.grad

    return _backward


@probe
def backward_chain(pkg, start, steps):
    """backward() on a chain from x = start, one node per step (kit closures): ["+", c] adds c, ["*", c] multiplies
    by c, each c a Value of its own. x.grad is the product of the factors. Must not hit the recursion limit."""
    Value = pkg.engine.Value
    x = Value(start)
    calls = []
    x._backward = make_closure(None, x, [], 0, calls)
    node = x
    for i, (op, c) in enumerate(steps):
        other = Value(c)
        out = Value(forward(op, [node.data, c]), _children=(node, other), _op=op)
        out._backward = make_closure(op, out, [node, other], i + 1, calls)
        node = out
    node.backward()
    return {"x.grad": x.grad, "root.grad": node.grad, "closures called": len(calls)}
