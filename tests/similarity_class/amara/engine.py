# Test-class student "amara" (tests/test_similarity.py): compact, a coercion helper, and an iterative
# depth-first search that keeps one iterator of children per node on its stack.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)


class Value:
    def __init__(self, data, label="", _children=(), _op=""):
        self.data, self.grad, self.label = data, 0.0, label
        self._prev, self._op = set(_children), _op
        self._backward = lambda: None

    def __repr__(self):
        name = f"node={self.label}, " if self.label else ""
        return f"Value({name}data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = _as_value(other)
        res = Value(self.data + other.data, "+", (self, other), "+")

        def grad_fn():
            self.grad += res.grad
            other.grad += res.grad

        res._backward = grad_fn
        return res

    def __mul__(self, other):
        other = _as_value(other)
        res = Value(self.data * other.data, "*", (self, other), "*")

        def grad_fn():
            self.grad += other.data * res.grad
            other.grad += self.data * res.grad

        res._backward = grad_fn
        return res

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("exponent must be a number")
        res = Value(self.data**k, f"**{k}", (self,), "**")
        res._backward = lambda: setattr(self, "grad", self.grad + k * self.data ** (k - 1) * res.grad)
        return res

    __radd__ = __add__
    __rmul__ = __mul__

    def __neg__(self):
        return -1 * self

    def __sub__(self, other):
        return self + -_as_value(other)

    def __rsub__(self, other):
        return _as_value(other) - self

    def __truediv__(self, other):
        return self * _as_value(other) ** -1

    def __rtruediv__(self, other):
        return _as_value(other) / self

    def relu(self):
        res = Value(max(0.0, self.data), "ReLU", (self,), "ReLU")
        res._backward = lambda: setattr(self, "grad", self.grad + (res.grad if res.data > 0 else 0.0))
        return res

    def tanh(self):
        th = math.tanh(self.data)
        res = Value(th, "Tanh", (self,), "Tanh")
        res._backward = lambda: setattr(self, "grad", self.grad + (1.0 - th * th) * res.grad)
        return res

    def exp(self):
        res = Value(math.exp(self.data), "Exp", (self,), "Exp")
        res._backward = lambda: setattr(self, "grad", self.grad + res.data * res.grad)
        return res

    def backward(self):
        ordered, seen = [], {self}
        stack = [(self, iter(self._prev))]
        while stack:
            node, kids = stack[-1]
            kid = next(kids, None)
            if kid is None:
                stack.pop()
                ordered.append(node)
            elif kid not in seen:
                seen.add(kid)
                stack.append((kid, iter(kid._prev)))
        self.grad = 1
        for node in ordered[::-1]:
            node._backward()
