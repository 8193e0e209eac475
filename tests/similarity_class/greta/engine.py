# Test-class student "greta" (tests/test_similarity.py): type hints, a Number alias, named
# backward methods bound with functools.partial, and a sort that re-pushes a node until its inputs are done.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
from __future__ import annotations

import math
from functools import partial
from typing import Union

Number = Union[int, float]


class Value:
    def __init__(self, data: Number, label: str = "", _children: tuple = (), _op: str = "") -> None:
        self.data: Number = data
        self.grad: float = 0.0
        self.label: str = label
        self._prev: set[Value] = set(_children)
        self._op: str = _op
        self._backward = lambda: None

    @staticmethod
    def ensure(x: Value | Number) -> Value:
        return x if isinstance(x, Value) else Value(x)

    # -- gradient rules, bound to an output with partial -------------------------------------------------
    def _sum_rule(self, other: Value, out: Value) -> None:
        self.grad += out.grad
        other.grad += out.grad

    def _product_rule(self, other: Value, out: Value) -> None:
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    def _power_rule(self, n: Number, out: Value) -> None:
        self.grad += n * self.data ** (n - 1) * out.grad

    def _chain(self, slope: float, out: Value) -> None:
        self.grad += slope * out.grad

    # -- operations ----------------------------------------------------------------------------------------
    def __add__(self, other: Value | Number) -> Value:
        other = Value.ensure(other)
        out = Value(self.data + other.data, "+", (self, other), "+")
        out._backward = partial(self._sum_rule, other, out)
        return out

    def __mul__(self, other: Value | Number) -> Value:
        other = Value.ensure(other)
        out = Value(self.data * other.data, "*", (self, other), "*")
        out._backward = partial(self._product_rule, other, out)
        return out

    def __pow__(self, n: Number) -> Value:
        if isinstance(n, Value):
            raise TypeError("a Value exponent is not supported")
        out = Value(self.data**n, f"**{n}", (self,), "**")
        out._backward = partial(self._power_rule, n, out)
        return out

    def exp(self) -> Value:
        e = math.exp(self.data)
        out = Value(e, "Exp", (self,), "Exp")
        out._backward = partial(self._chain, e, out)
        return out

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        out = Value(t, "Tanh", (self,), "Tanh")
        out._backward = partial(self._chain, 1.0 - t**2, out)
        return out

    def relu(self) -> Value:
        on = self.data > 0
        out = Value(self.data if on else 0.0, "ReLU", (self,), "ReLU")
        out._backward = partial(self._chain, 1.0 if on else 0.0, out)
        return out

    def __neg__(self) -> Value:
        return self * -1.0

    def __radd__(self, other: Number) -> Value:
        return self + other

    def __rmul__(self, other: Number) -> Value:
        return self * other

    def __sub__(self, other: Value | Number) -> Value:
        return self + (-Value.ensure(other))

    def __rsub__(self, other: Number) -> Value:
        return -self + other

    def __truediv__(self, other: Value | Number) -> Value:
        return self * Value.ensure(other) ** -1.0

    def __rtruediv__(self, other: Number) -> Value:
        return self**-1.0 * other

    def backward(self) -> None:
        topo: list[Value] = []
        placed: set[Value] = set()
        pending = [self]
        while pending:
            v = pending[-1]
            if v in placed:
                pending.pop()
                continue
            waiting = [c for c in v._prev if c not in placed]
            if waiting:
                pending.extend(waiting)
            else:
                pending.pop()
                placed.add(v)
                topo.append(v)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __repr__(self) -> str:
        if not self.label:
            return f"Value(data={self.data}, grad={self.grad})"
        return f"Value(node={self.label}, data={self.data}, grad={self.grad})"
