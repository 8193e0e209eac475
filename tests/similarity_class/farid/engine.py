# Test-class student "farid" (tests/test_similarity.py): the operations are module-level functions that the
# class's operators call, and backward() orders nodes by the time a depth-first search finishes them.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
from math import exp as _exp
from math import tanh as _tanh


def _val(x):
    return x if isinstance(x, Value) else Value(x)


def add(a, b):
    a, b = _val(a), _val(b)
    c = Value(a.data + b.data, '+', (a, b), '+')

    def back():
        a.grad += c.grad
        b.grad += c.grad

    c._backward = back
    return c


def mul(a, b):
    a, b = _val(a), _val(b)
    c = Value(a.data * b.data, '*', (a, b), '*')

    def back():
        a.grad += b.data * c.grad
        b.grad += a.data * c.grad

    c._backward = back
    return c


def power(a, n):
    assert isinstance(n, (int, float)), 'power: the exponent must be an int or a float'
    c = Value(a.data ** n, f'**{n}', (a,), '**')

    def back():
        a.grad += n * a.data ** (n - 1) * c.grad

    c._backward = back
    return c


def rectify(a):
    c = Value(a.data * (a.data > 0), 'ReLU', (a,), 'ReLU')

    def back():
        if c.data > 0:
            a.grad += c.grad

    c._backward = back
    return c


def hyperbolic_tangent(a):
    t = _tanh(a.data)
    c = Value(t, 'Tanh', (a,), 'Tanh')

    def back():
        a.grad += (1 + t) * (1 - t) * c.grad

    c._backward = back
    return c


def exponential(a):
    c = Value(_exp(a.data), 'Exp', (a,), 'Exp')

    def back():
        a.grad += c.data * c.grad

    c._backward = back
    return c


def finishing_order(root):
    """Nodes in the order a depth-first search from root finishes them (children before parents)."""
    clock = 0
    finished = {}
    started = {root}
    path = [(root, list(root._prev))]
    while path:
        node, pending = path[-1]
        while pending and pending[-1] in started:
            pending.pop()
        if pending:
            child = pending.pop()
            started.add(child)
            path.append((child, list(child._prev)))
        else:
            path.pop()
            finished[node] = clock
            clock += 1
    return sorted(finished, key=finished.get)


class Value:
    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None

    def __add__(self, other):
        return add(self, other)

    def __radd__(self, other):
        return add(other, self)

    def __mul__(self, other):
        return mul(self, other)

    def __rmul__(self, other):
        return mul(other, self)

    def __pow__(self, n):
        return power(self, n)

    def __neg__(self):
        return mul(self, -1)

    def __sub__(self, other):
        return add(self, mul(other, -1))

    def __rsub__(self, other):
        return add(other, mul(self, -1))

    def __truediv__(self, other):
        return mul(self, power(_val(other), -1))

    def __rtruediv__(self, other):
        return mul(other, power(self, -1))

    def relu(self):
        return rectify(self)

    def tanh(self):
        return hyperbolic_tangent(self)

    def exp(self):
        return exponential(self)

    def backward(self):
        nodes = finishing_order(self)
        self.grad = 1
        for n in reversed(nodes):
            n._backward()

    def __repr__(self):
        shown = f'data={self.data}, grad={self.grad}'
        return f'Value(node={self.label}, {shown})' if self.label else f'Value({shown})'
