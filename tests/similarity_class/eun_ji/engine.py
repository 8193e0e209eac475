# Test-class student "eun_ji" (tests/test_similarity.py): one helper for every single-input function
# (value and slope given as functions), and a sort that walks a stack of (node, next child index) pairs.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math

_ZERO = 0.0


class Value:
    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward")

    def __init__(self, data, label="", _children=(), _op=""):
        self.data = data
        self.grad = _ZERO
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._backward = Value._leaf

    @staticmethod
    def _leaf():
        return None

    @staticmethod
    def _of(x):
        return x if type(x) is Value else Value(x)

    def _unary(self, f, df, name):
        """out = f(x), with d out / dx = df(x, out)."""
        out = Value(f(self.data), name, [self], name)

        def _backward():
            self.grad += df(self.data, out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        return self._unary(lambda x: x if x > 0 else 0.0, lambda x, y: float(y > 0), "ReLU")

    def tanh(self):
        return self._unary(math.tanh, lambda x, y: 1.0 - y * y, "Tanh")

    def exp(self):
        return self._unary(math.exp, lambda x, y: y, "Exp")

    def __pow__(self, p):
        if not isinstance(p, (int, float)):
            return NotImplemented
        return self._unary(lambda x: x**p, lambda x, y: p * x ** (p - 1), "**%s" % p)

    def __add__(self, other):
        o = Value._of(other)
        out = Value(self.data + o.data, "+", [self, o], "+")

        def _backward():
            g = out.grad
            self.grad += g
            o.grad += g

        out._backward = _backward
        return out

    def __mul__(self, other):
        o = Value._of(other)
        out = Value(self.data * o.data, "*", [self, o], "*")

        def _backward():
            g = out.grad
            self.grad += o.data * g
            o.grad += self.data * g

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-1) * Value._of(other)

    def __truediv__(self, other):
        return self * Value._of(other) ** -1

    def __radd__(self, other):
        return Value._of(other) + self

    def __rmul__(self, other):
        return Value._of(other) * self

    def __rsub__(self, other):
        return Value._of(other) - self

    def __rtruediv__(self, other):
        return Value._of(other) / self

    def __repr__(self):
        parts = ([f"node={self.label}"] if self.label else []) + [f"data={self.data}", f"grad={self.grad}"]
        return "Value(" + ", ".join(parts) + ")"

    def backward(self):
        post = []
        marked = {id(self)}
        frames = [[self, 0]]
        while frames:
            frame = frames[-1]
            node, i = frame
            if i < len(node._prev):
                frame[1] += 1
                child = node._prev[i]
                if id(child) not in marked:
                    marked.add(id(child))
                    frames.append([child, 0])
            else:
                frames.pop()
                post.append(node)
        self.grad = 1
        for node in reversed(post):
            node._backward()
