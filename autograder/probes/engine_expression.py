"""Probes of an operation inside an expression, backpropagated with the kit's own topological pass.

The student's backward() is never called here, so a bug in it costs engine.backward only. This module is
used only for hidden cases (it is not in the student bundle), and it is never in the sandbox when
engine.backward itself is graded.
"""

from .engine_ops import BINARY, apply
from .plain import probe


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
