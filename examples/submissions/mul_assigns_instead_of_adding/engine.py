"""A scalar autograd engine: `Value` records how it was computed and backpropagates gradients.

Each operation builds its output `Value`, remembers its inputs in `_prev` and sets a `_backward`
closure that adds the operation's local derivative times `out.grad` into each input's `.grad`.
Derived operations (`-`, `/`, the reflected ones) are built from `+`, `*` and `**`, so they need
no `_backward` of their own.
"""

import gc
import math
from contextlib import contextmanager


def _nothing_to_propagate():
    """The _backward of a leaf: it has no inputs to pass gradients to."""


class Value:
    """A scalar with a gradient, the node of a computation graph."""

    # Slots make the many small Values of a training step cheaper to create.
    __slots__ = ("data", "grad", "label", "_backward", "_prev", "_op")

    def __init__(self, data, label="", _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._backward = _nothing_to_propagate
        self._prev = tuple(_children)
        self._op = _op

    # --- primitive operations: each one sets its own _backward --------------------------------

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, "+", (self, other), "+")

        def _backward():
            # BEGIN SOLUTION engine.add: d(a+b)/da = 1 and d(a+b)/db = 1; add each times out.grad with +=
            self.grad += out.grad
            other.grad += out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, "*", (self, other), "*")

        def _backward():
            # BEGIN SOLUTION engine.mul: d(a*b)/da = b and d(a*b)/db = a; add each times out.grad with +=
            self.grad = other.data * out.grad
            other.grad += self.data * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only int/float powers are supported"
        out = Value(self.data**other, f"**{other}", (self,), "**")

        def _backward():
            # BEGIN SOLUTION engine.pow: d(a**n)/da = n * a**(n-1); add it times out.grad with +=
            self.grad += other * self.data ** (other - 1) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0.0 if self.data < 0 else self.data, "ReLU", (self,), "ReLU")

        def _backward():
            # BEGIN SOLUTION engine.relu: the slope is 1 where the output is positive, else 0; add it times out.grad
            self.grad += (out.data > 0) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, "Tanh", (self,), "Tanh")

        def _backward():
            # BEGIN SOLUTION engine.tanh: d tanh(x)/dx = 1 - tanh(x)**2; add it times out.grad with +=
            self.grad += (1 - t**2) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), "Exp", (self,), "Exp")

        def _backward():
            # BEGIN SOLUTION engine.exp: d exp(x)/dx = exp(x), which is out.data; add it times out.grad
            self.grad += out.data * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    # --- derived operations: built from the primitives above --------------------------------

    def __neg__(self):  # -self
        return self * -1

    def __radd__(self, other):  # other + self
        return self + other

    def __sub__(self, other):  # self - other
        return self + (-other)

    def __rsub__(self, other):  # other - self
        return other + (-self)

    def __rmul__(self, other):  # other * self
        return self * other

    def __truediv__(self, other):  # self / other
        return self * other**-1

    def __rtruediv__(self, other):  # other / self
        return other * self**-1

    def __repr__(self):
        if self.label:
            return f"Value(node={self.label}, data={self.data}, grad={self.grad})"
        return f"Value(data={self.data}, grad={self.grad})"

    # --- backpropagation ------------------------------------------------------------------------

    def backward(self):
        """Fill in `.grad` of every node that `self` depends on."""
        # BEGIN SOLUTION engine.backward: order the nodes so each comes after its inputs (no recursion: graphs can be thousands deep), seed self.grad = 1, then call each node's _backward from the last to the first
        topo = []
        visited = set()
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                for child in node._prev:
                    stack.append((child, False))

        self.grad = 1
        for node in reversed(topo):
            node._backward()
        # END SOLUTION



@contextmanager
def one_garbage_collection():
    """Pause Python's cyclic garbage collector inside the block, then collect once at its end.

    Each Value is in a reference cycle with its _backward closure, so the graph of a training step
    (about 10^5 Values on two moons) is freed only by the cyclic collector, which by default runs every
    700 new objects and rescans the live graph again and again: about 90% of a step's time. Run each step
    in this block, with the step's graph unreachable by its end (built inside a function that has
    returned), and the step is about five times faster and its graph freed at once. The collection is of the
    youngest generation only, where everything made in the block is, so its cost does not grow with the
    objects that live on (torch alone brings about 450,000 of them).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)
