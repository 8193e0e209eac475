# Test-class student "jana" (tests/test_similarity.py): a planted copy of dmitri's engine.py, disguised by
# other names, another order of the methods and comments of her own.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math


class Value:

    def __init__(self, data, label="", _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None

    def relu(self):
        # gradient passes only where the output is positive
        if self.data > 0:
            r = self.data
        else:
            r = 0.0
        y = Value(r, label="ReLU", _children=(self,), _op="ReLU")

        def _grad():
            if y.data > 0:
                dy_dself = 1.0
            else:
                dy_dself = 0.0
            self.grad = self.grad + dy_dself * y.grad

        y._backward = _grad
        return y

    def tanh(self):
        x = self.data
        if x > 20:
            tv = 1.0
        elif x < -20:
            tv = -1.0
        else:
            big = math.exp(2 * x)
            tv = (big - 1) / (big + 1)
        y = Value(tv, label="Tanh", _children=(self,), _op="Tanh")

        def _grad():
            dy_dself = 1 - tv * tv
            self.grad = self.grad + dy_dself * y.grad

        y._backward = _grad
        return y

    def exp(self):
        ev = math.exp(self.data)
        y = Value(ev, label="Exp", _children=(self,), _op="Exp")

        def _grad():
            dy_dself = ev
            self.grad = self.grad + dy_dself * y.grad

        y._backward = _grad
        return y

    def __pow__(self, k):
        # power rule d/dx x^k = k x^(k-1)
        if not (isinstance(k, int) or isinstance(k, float)):
            raise ValueError("only numeric powers")
        pw = self.data ** k
        y = Value(pw, label="**" + str(k), _children=(self,), _op="**")

        def _grad():
            dy_dself = k * (self.data ** (k - 1))
            self.grad = self.grad + dy_dself * y.grad

        y._backward = _grad
        return y

    def __mul__(self, that):
        if not isinstance(that, Value):
            that = Value(that)
        p = self.data * that.data
        y = Value(p, label="*", _children=(self, that), _op="*")

        def _grad():
            dy_dself = that.data
            dy_dother = self.data
            self.grad = self.grad + dy_dself * y.grad
            that.grad = that.grad + dy_dother * y.grad

        y._backward = _grad
        return y

    def __add__(self, that):
        if not isinstance(that, Value):
            that = Value(that)
        s = self.data + that.data
        y = Value(s, label="+", _children=(self, that), _op="+")

        def _grad():
            dy_dself = 1.0
            dy_dother = 1.0
            self.grad = self.grad + dy_dself * y.grad
            that.grad = that.grad + dy_dother * y.grad

        y._backward = _grad
        return y

    def __truediv__(self, that):
        # a / b is a * b^-1
        if not isinstance(that, Value):
            that = Value(that)
        one_over = that ** (-1)
        return self * one_over

    def __sub__(self, that):
        minus_that = -that if isinstance(that, Value) else Value(-that)
        return self + minus_that

    def __neg__(self):
        return self * (-1)

    def __rtruediv__(self, that):
        return Value(that) / self

    def __rsub__(self, that):
        return Value(that) - self

    def __rmul__(self, that):
        return self * that

    def __radd__(self, that):
        return self + that

    def __repr__(self):
        if self.label != "":
            rep = "Value(node=" + str(self.label) + ", data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        else:
            rep = "Value(data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        return rep

    def backward(self):
        # iterative DFS, emit a node on its second visit
        ordering = []
        entered = set()
        work = [("enter", self)]
        while len(work) > 0:
            what, cur = work.pop()
            if what == "leave":
                ordering.append(cur)
                continue
            if cur in entered:
                continue
            entered.add(cur)
            work.append(("leave", cur))
            for c in cur._prev:
                if c not in entered:
                    work.append(("enter", c))

        self.grad = 1
        for j in range(len(ordering) - 1, -1, -1):
            ordering[j]._backward()
