# Test-class student "chiara" (tests/test_similarity.py): a table of derivative rules keyed by the operation,
# one factory for every node, and a recursive topological sort with a raised recursion limit.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math
import sys

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))

# rule(op) -> function of (inputs, output, extra) giving d output / d input for each input
RULES = {
    '+': lambda ins, out, extra: [1.0, 1.0],
    '*': lambda ins, out, extra: [ins[1].data, ins[0].data],
    '**': lambda ins, out, extra: [extra * ins[0].data ** (extra - 1)],
    'ReLU': lambda ins, out, extra: [1.0 if out.data > 0 else 0.0],
    'Tanh': lambda ins, out, extra: [1.0 - out.data ** 2],
    'Exp': lambda ins, out, extra: [out.data],
}


def make(value, op, ins, extra=None, label=None):
    out = Value(value, op if label is None else label, tuple(ins), op)
    rule = RULES[op]

    def _backward():
        for inp, d in zip(ins, rule(ins, out, extra)):
            inp.grad += d * out.grad

    out._backward = _backward
    return out


def lift(x):
    if isinstance(x, Value):
        return x
    return Value(x)


class Value:

    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.label = label
        self.grad = 0.0
        self._op = _op
        self._prev = set(_children)
        self._backward = lambda: None

    def __repr__(self):
        inner = 'data={}, grad={}'.format(self.data, self.grad)
        if self.label:
            inner = 'node={}, '.format(self.label) + inner
        return 'Value(' + inner + ')'

    def relu(self):
        return make(self.data if self.data > 0 else 0.0, 'ReLU', [self])

    def tanh(self):
        return make(math.tanh(self.data), 'Tanh', [self])

    def exp(self):
        return make(math.exp(self.data), 'Exp', [self])

    def __add__(self, other):
        other = lift(other)
        return make(self.data + other.data, '+', [self, other])

    def __mul__(self, other):
        other = lift(other)
        return make(self.data * other.data, '*', [self, other])

    def __pow__(self, n):
        if type(n) not in (int, float):
            raise TypeError('only int or float powers')
        return make(self.data ** n, '**', [self], extra=n, label='**' + str(n))

    def __neg__(self):
        return make(-self.data, '*', [self, Value(-1.0)])

    def __sub__(self, other):
        return self + (-lift(other))

    def __truediv__(self, other):
        return self * lift(other) ** -1

    def __radd__(self, other):
        return self.__add__(other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __rsub__(self, other):
        return lift(other).__sub__(self)

    def __rtruediv__(self, other):
        return lift(other).__truediv__(self)

    def backward(self):
        order = []
        done = set()

        def visit(node):
            if node in done:
                return
            done.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

        visit(self)
        self.grad = 1
        while order:
            order.pop()._backward()
