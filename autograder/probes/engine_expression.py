"""Probes of an operation inside an expression, backpropagated without the student's backward().

The expression's nodes are made in order, each from earlier ones, so calling every node's _backward from the
last made to the first is a topological order for this expression (and nothing a general backward() could
use). A bug in backward() therefore costs engine.backward only.
"""

from .engine_ops import BINARY, apply
from .plain import probe


@probe
def expression_gradients(pkg, op, leaves, program):
    """Build an expression of one operation from program, backpropagate in reverse order of making; leaf grads.

    program is a list of (i, j) or (i, exponent) pairs: node k = nodes[i] <op> nodes[j] (or ** exponent, or
    op(nodes[i]) for unary ops), appended after the leaves; the last node is the root.
    """
    Value = pkg.engine.Value
    nodes = [Value(v) for v in leaves]
    for i, j in program:
        other = j if op == "pow" else (nodes[j] if op in BINARY else None)
        nodes.append(apply(op, nodes[i], other))
    nodes[-1].grad = 1.0
    for node in reversed(nodes):
        node._backward()
    return {"root.data": nodes[-1].data, "leaf grads": [n.grad for n in nodes[: len(leaves)]]}
