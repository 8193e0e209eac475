"""Probes of engine.py: each operation's _backward on its own, and backward() on kit-made graphs.

The operation probes never call the student's backward(): they run the kit's own topological pass, so
a bug in backward() costs engine.backward only. The backward() probes build graphs whose _backward
closures are the kit's own, so a bug in an operation's closure costs that operation only.
"""

import math

from .plain import probe

BINARY = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
UNARY = {"relu": lambda a: a.relu(), "tanh": lambda a: a.tanh(), "exp": lambda a: a.exp()}


def apply(op, a, b):
    """a <op> b for a binary op, a ** b for pow (b a number), op(a) for the unary ones."""
    if op in BINARY:
        return BINARY[op](a, b)
    if op == "pow":
        return a**b
    return UNARY[op](a)


def kit_backward(root):
    """Backpropagate from root with the kit's own topological order, calling each node's _backward once."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    root.grad = 1.0
    for node in reversed(order):
        node._backward()


@probe
def local_backward(pkg, op, a, b=None, upstream=1.0, grad_a=0.0, grad_b=0.0, reuse=False, constant=False):
    """Call out._backward() once for out = a <op> b with out.grad = upstream; report the inputs' grads.

    grad_a/grad_b are the gradients already there (they must be added to, not overwritten); reuse means
    out = a <op> a; constant means b is a plain number that the operation wraps itself.
    """
    Value = pkg.engine.Value
    x = Value(a)
    x.grad = grad_a
    if op == "pow" or constant:
        y = None
        out = apply(op, x, b)
    elif reuse:
        y = x
        out = apply(op, x, x)
    elif op in BINARY:
        y = Value(b)
        y.grad = grad_b
        out = apply(op, x, y)
    else:
        y = None
        out = apply(op, x, None)
    out.grad = upstream
    out._backward()
    report = {"out.data": out.data, "a.grad": x.grad}
    if y is not None and y is not x:
        report["b.grad"] = y.grad
    return report


@probe
def expression_gradients(pkg, op, leaves, program):
    """Build an expression of one operation from program, backpropagate with the kit's pass, report leaf grads.

    program is a list of (i, j) or (i, exponent) pairs: node k = nodes[i] <op> nodes[j] (or ** exponent, or
    op(nodes[i]) for unary ops), appended after the leaves; the last node is the root.
    """
    Value = pkg.engine.Value
    nodes = [Value(v) for v in leaves]
    for i, j in program:
        other = j if op == "pow" else (nodes[j] if op in BINARY else None)
        nodes.append(apply(op, nodes[i], other))
    kit_backward(nodes[-1])
    return {"root.data": nodes[-1].data, "leaf grads": [n.grad for n in nodes[: len(leaves)]]}


# --- backward() on graphs whose closures are the kit's ---------------------------------------------------


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
def backward_chain(pkg, depth, start=0.5):
    """backward() on x + 1 + 1 + ... (depth additions, kit closures): must not hit the recursion limit."""
    Value = pkg.engine.Value
    x = Value(start)
    calls = []
    x._backward = make_closure(None, x, [], 0, calls)
    node = x
    for i in range(depth):
        one = Value(1.0)
        out = Value(node.data + 1.0, _children=(node, one), _op="+")
        out._backward = make_closure("+", out, [node, one], i + 1, calls)
        node = out
    node.backward()
    return {"x.grad": x.grad, "root.grad": node.grad, "closures called": len(calls)}
