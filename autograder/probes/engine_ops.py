"""Probes of each operation's _backward on its own: out._backward() called once, the inputs' grads read."""

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
