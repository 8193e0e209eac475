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
            # BEGIN SOLUTION engine.add
            # hint: The local derivative of a sum is 1 for each input, ∂(a+b)/∂a = ∂(a+b)/∂b = 1, so by the chain rule
            #   each input receives the output's gradient unchanged. Add it to what the input already holds rather than
            #   overwrite it: a Value used in several places (a sum of a Value with itself, a weight shared by many data
            #   points) collects one contribution per use. See notebook 02_engine, 'The local derivative of a sum' and
            #   'Why gradients add up'.
            # nudge: Try p + p with the output's gradient set to 1: p must end with a gradient of 2. If it shows 1, the
            #   second input overwrote the first contribution; accumulate with `+=` on both inputs.
            # walkthrough: d(a+b)/da = 1 and d(a+b)/db = 1, so each input gets 1 times out.grad. In the closure, `self`
            #   is a, `other` is b and `out` the sum; add out.grad to each with +=: `self.grad += out.grad`, then
            #   `other.grad += out.grad`. Never `=`: when self and other are the same Value, both lines must add up.
            self.grad += out.grad
            other.grad += out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, "*", (self, other), "*")

        def _backward():
            # BEGIN SOLUTION engine.mul
            # hint: For a product, ∂(a·b)/∂a = b and ∂(a·b)/∂b = a: the local derivative with respect to one input is
            #   the number held by the other input. Multiply it by the output's gradient (chain rule) and add the result
            #   to that input's gradient. See notebook 02_engine, 'The local derivative of a product'.
            # nudge: Use the other input's number (its `.data`), not its gradient and not its own number: with p = 2, q
            #   = -3 and an output gradient of 1, p's gradient is -3 and q's is 2. And p * p must give p a gradient of
            #   2p (both terms add).
            # walkthrough: d(a*b)/da = b and d(a*b)/db = a; multiply each by out.grad and add it with +=: `self.grad +=
            #   other.data * out.grad`, then `other.grad += self.data * out.grad`.
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only int/float powers are supported"
        out = Value(self.data**other, f"**{other}", (self,), "**")

        def _backward():
            # BEGIN SOLUTION engine.pow
            # hint: Power rule: for a fixed number n, ∂(aⁿ)/∂a = n·aⁿ⁻¹. Multiply it by the output's gradient (chain
            #   rule) and add it to the base's gradient. The exponent is a plain number, not a Value, so it gets no
            #   gradient of its own. See notebook 02_engine, 'The local derivative of a power'.
            # nudge: Inside `__pow__` the exponent is the plain number `other`: use it as it is (no `.data`) and give it
            #   no gradient. Check n = -1, which division uses: the slope of 1/a is -1/a².
            # walkthrough: d(a**n)/da = n * a**(n-1) with n = other (an int or a float) and a = self.data; multiply by
            #   out.grad and accumulate: `self.grad += other * self.data ** (other - 1) * out.grad`.
            self.grad += other * self.data ** (other - 1) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0.0 if self.data < 0 else self.data, "ReLU", (self,), "ReLU")

        def _backward():
            # BEGIN SOLUTION engine.relu
            # hint: relu(x) = max(0, x) has slope 1 where the output is positive and slope 0 elsewhere (at exactly 0 we
            #   take 0). The input's gradient grows by that slope times the output's gradient: the gradient flows
            #   through where the unit fired and is blocked where it did not. See notebook 02_engine, 'The local
            #   derivative of relu'.
            # nudge: Decide on the forward value (the output, or the input, being positive), not on the sign of the
            #   gradient; and still add with `+=` even where the slope is 0. In Python a comparison is True or False,
            #   which multiply as 1 and 0.
            # walkthrough: The slope is 1 where out.data > 0, else 0; `(out.data > 0)` is a bool, which multiplies as 1
            #   or 0: `self.grad += (out.data > 0) * out.grad`.
            self.grad += (out.data > 0) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, "Tanh", (self,), "Tanh")

        def _backward():
            # BEGIN SOLUTION engine.tanh
            # hint: With t = tanh(x) the output, d tanh(x)/dx = 1 − t²: the derivative is written with the output
            #   itself, which the forward pass has already computed. Multiply it by the output's gradient and add the
            #   result to the input's gradient. See notebook 02_engine, 'The local derivative of tanh'.
            # nudge: Square the output t of the forward pass (the variable `t` of `tanh`), not the input x: 1 - x² is
            #   not the slope of tanh. Compare with `numeric_slope(math.tanh, 0.5)`.
            # walkthrough: d tanh(x)/dx = 1 - tanh(x)**2 = 1 - t**2, with t = math.tanh(self.data) already computed by
            #   the method and seen by the closure: `self.grad += (1 - t**2) * out.grad`.
            self.grad += (1 - t**2) * out.grad
            # END SOLUTION

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), "Exp", (self,), "Exp")

        def _backward():
            # BEGIN SOLUTION engine.exp
            # hint: The exponential is its own derivative, d eˣ/dx = eˣ, and eˣ is exactly the number the output holds.
            #   Multiply it by the output's gradient and add the result to the input's gradient. See notebook 02_engine,
            #   'The local derivative of exp'.
            # nudge: Use the output's number (eˣ), not the input's (x); there is no need to compute the exponential
            #   again.
            # walkthrough: d exp(x)/dx = exp(x), which is out.data: `self.grad += out.data * out.grad`.
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
        """Fill in `.grad` of every node that `self` depends on.

        Specification: `self` is the output L; its own `.grad` is seeded with 1 (dL/dL = 1). Every node's
        `_backward` runs exactly once, and only after those of all the nodes that use it. The graph must be walked
        without recursion: graphs deeper than Python's recursion limit (a chain of 5,000 additions, a training
        step) must work.
        """
        # BEGIN SOLUTION engine.backward
        # hint: A node may pass its gradient on only once every node that uses it has added its share, so list the nodes
        #   in a topological order (each after all of its inputs, each once) and run their local backward steps from the
        #   last to the first. Start from ∂L/∂L = 1: the final node's gradient is seeded with 1, or every product of the
        #   chain rule is 0. Graphs can be thousands of nodes deep, beyond Python's recursion limit, so walk the graph
        #   with a list of your own used as a stack instead of a recursive function. See notebook 02_engine, 'Why a
        #   topological order', 'The seed gradient of 1' and 'An explicit stack instead of recursion'.
        # nudge: A node appended to the order as soon as it is first reached, before its inputs, runs too early; a node
        #   listed twice runs twice. Keep a set of visited nodes and append a node only once all its inputs are in the
        #   order. Test y = x + x (x's gradient must be 2) and a chain of 5,000 additions (no RecursionError).
        # walkthrough: Build the order with an explicit stack of (node, children_done) pairs: topo = [], visited =
        #   set(), stack = [(self, False)]. While the stack is not empty, pop (node, children_done). If children_done,
        #   append node to topo (all its inputs are in already). Else, if node is not in visited: add it to visited,
        #   push (node, True) back, then push (child, False) for every child in node._prev (they are popped, and
        #   finished, before the node comes back). Then seed `self.grad = 1` and call `node._backward()` for each node
        #   in reversed(topo), from the output back to the leaves. (The tutorial's recursive build_topo gives the same
        #   order but fails on graphs deeper than the recursion limit.)
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()
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
