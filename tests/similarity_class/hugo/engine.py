# Test-class student "hugo" (tests/test_similarity.py): each node is stamped with a creation number; inputs
# are always made before their outputs, so sorting the reachable nodes by stamp gives the backward order.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import itertools
import math

_stamps = itertools.count()


class Value:

    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None
        self._stamp = next(_stamps)

    def __repr__(self):
        return ('Value(node=%s, data=%r, grad=%r)' % (self.label, self.data, self.grad) if self.label
                else 'Value(data=%r, grad=%r)' % (self.data, self.grad))

    def backward(self):
        reachable = {self}
        frontier = [self]
        while frontier:
            for parent in frontier.pop()._prev:
                if parent not in reachable:
                    reachable.add(parent)
                    frontier.append(parent)
        self.grad = 1
        for node in sorted(reachable, key=lambda n: n._stamp, reverse=True):
            node._backward()

    def exp(self):
        out = Value(math.exp(self.data), 'Exp', (self,), 'Exp')
        def bw():
            self.grad += out.grad * out.data
        out._backward = bw
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), 'Tanh', (self,), 'Tanh')
        def bw():
            self.grad += out.grad * (1 - out.data ** 2)
        out._backward = bw
        return out

    def relu(self):
        out = Value(self.data if self.data >= 0 else 0.0, 'ReLU', (self,), 'ReLU')
        def bw():
            self.grad += out.grad * (1.0 if out.data > 0 else 0.0)
        out._backward = bw
        return out

    def __pow__(self, e):
        assert type(e) in (int, float), 'exponent: int or float only'
        out = Value(self.data ** e, '**' + repr(e), (self,), '**')
        def bw():
            self.grad += out.grad * e * self.data ** (e - 1)
        out._backward = bw
        return out

    def __mul__(self, other):
        if not isinstance(other, Value):
            return self * Value(other)
        out = Value(self.data * other.data, '*', (self, other), '*')
        def bw():
            self.grad += out.grad * other.data
            other.grad += out.grad * self.data
        out._backward = bw
        return out

    def __add__(self, other):
        if not isinstance(other, Value):
            return self + Value(other)
        out = Value(self.data + other.data, '+', (self, other), '+')
        def bw():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = bw
        return out

    def __rmul__(self, other):
        return Value(other) * self

    def __radd__(self, other):
        return Value(other) + self

    def __neg__(self):
        return Value(-1) * self

    def __sub__(self, other):
        return self + -(other if isinstance(other, Value) else Value(other))

    def __rsub__(self, other):
        return Value(other) + -self

    def __truediv__(self, other):
        return self * (other if isinstance(other, Value) else Value(other)) ** -1

    def __rtruediv__(self, other):
        return Value(other) * self ** -1
