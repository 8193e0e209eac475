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
            # TODO (engine.add): The local derivative of a sum is 1 for each input, ∂(a+b)/∂a = ∂(a+b)/∂b = 1, so by the
            #     chain rule each input receives the output's gradient unchanged. Add it to what the input already holds
            #     rather than overwrite it: a Value used in several places (a sum of a Value with itself, a weight
            #     shared by many data points) collects one contribution per use. See notebook 02_engine, 'The local
            #     derivative of a sum' and 'Why gradients add up'.
            raise NotImplementedError(
                "engine.add: Value.__add__._backward is not written yet. The local derivative of a sum is 1 for each "
                "input, ∂(a+b)/∂a = ∂(a+b)/∂b = 1, so by the chain rule each input receives the output's gradient "
                "unchanged. Add it to what the input already holds rather than overwrite it: a Value used in several "
                "places (a sum of a Value with itself, a weight shared by many data points) collects one "
                "contribution per use. See notebook 02_engine, 'The local derivative of a sum' and 'Why gradients "
                "add up'."
            )

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, "*", (self, other), "*")

        def _backward():
            # TODO (engine.mul): For a product, ∂(a·b)/∂a = b and ∂(a·b)/∂b = a: the local derivative with respect to
            #     one input is the number held by the other input. Multiply it by the output's gradient (chain rule) and
            #     add the result to that input's gradient. See notebook 02_engine, 'The local derivative of a product'.
            raise NotImplementedError(
                "engine.mul: Value.__mul__._backward is not written yet. For a product, ∂(a·b)/∂a = b and ∂(a·b)/∂b "
                "= a: the local derivative with respect to one input is the number held by the other input. Multiply "
                "it by the output's gradient (chain rule) and add the result to that input's gradient. See notebook "
                "02_engine, 'The local derivative of a product'."
            )

        out._backward = _backward
        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only int/float powers are supported"
        out = Value(self.data**other, f"**{other}", (self,), "**")

        def _backward():
            # TODO (engine.pow): Power rule: for a fixed number n, ∂(aⁿ)/∂a = n·aⁿ⁻¹. Multiply it by the output's
            #     gradient (chain rule) and add it to the base's gradient. The exponent is a plain number, not a Value,
            #     so it gets no gradient of its own. See notebook 02_engine, 'The local derivative of a power'.
            raise NotImplementedError(
                "engine.pow: Value.__pow__._backward is not written yet. Power rule: for a fixed number n, ∂(aⁿ)/∂a "
                "= n·aⁿ⁻¹. Multiply it by the output's gradient (chain rule) and add it to the base's gradient. The "
                "exponent is a plain number, not a Value, so it gets no gradient of its own. See notebook 02_engine, "
                "'The local derivative of a power'."
            )

        out._backward = _backward
        return out

    def relu(self):
        out = Value(0.0 if self.data < 0 else self.data, "ReLU", (self,), "ReLU")

        def _backward():
            # TODO (engine.relu): relu(x) = max(0, x) has slope 1 where the output is positive and slope 0 elsewhere (at
            #     exactly 0 we take 0). The input's gradient grows by that slope times the output's gradient: the
            #     gradient flows through where the unit fired and is blocked where it did not. See notebook 02_engine,
            #     'The local derivative of relu'.
            raise NotImplementedError(
                "engine.relu: Value.relu._backward is not written yet. relu(x) = max(0, x) has slope 1 where the "
                "output is positive and slope 0 elsewhere (at exactly 0 we take 0). The input's gradient grows by "
                "that slope times the output's gradient: the gradient flows through where the unit fired and is "
                "blocked where it did not. See notebook 02_engine, 'The local derivative of relu'."
            )

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, "Tanh", (self,), "Tanh")

        def _backward():
            # TODO (engine.tanh): With t = tanh(x) the output, d tanh(x)/dx = 1 − t²: the derivative is written with the
            #     output itself, which the forward pass has already computed. Multiply it by the output's gradient and
            #     add the result to the input's gradient. See notebook 02_engine, 'The local derivative of tanh'.
            raise NotImplementedError(
                "engine.tanh: Value.tanh._backward is not written yet. With t = tanh(x) the output, d tanh(x)/dx = 1 "
                "− t²: the derivative is written with the output itself, which the forward pass has already "
                "computed. Multiply it by the output's gradient and add the result to the input's gradient. See "
                "notebook 02_engine, 'The local derivative of tanh'."
            )

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), "Exp", (self,), "Exp")

        def _backward():
            # TODO (engine.exp): The exponential is its own derivative, d eˣ/dx = eˣ, and eˣ is exactly the number the
            #     output holds. Multiply it by the output's gradient and add the result to the input's gradient. See
            #     notebook 02_engine, 'The local derivative of exp'.
            raise NotImplementedError(
                "engine.exp: Value.exp._backward is not written yet. The exponential is its own derivative, d eˣ/dx "
                "= eˣ, and eˣ is exactly the number the output holds. Multiply it by the output's gradient and add "
                "the result to the input's gradient. See notebook 02_engine, 'The local derivative of exp'."
            )

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
        # TODO (engine.backward): A node may pass its gradient on only once every node that uses it has added its share,
        #     so list the nodes in a topological order (each after all of its inputs, each once) and run their local
        #     backward steps from the last to the first. Start from ∂L/∂L = 1: the final node's gradient is seeded with
        #     1, or every product of the chain rule is 0. Graphs can be thousands of nodes deep, beyond Python's
        #     recursion limit, so walk the graph with a list of your own used as a stack instead of a recursive
        #     function. See notebook 02_engine, 'Why a topological order', 'The seed gradient of 1' and 'An explicit
        #     stack instead of recursion'.
        raise NotImplementedError(
            "engine.backward: Value.backward is not written yet. A node may pass its gradient on only once every "
            "node that uses it has added its share, so list the nodes in a topological order (each after all of its "
            "inputs, each once) and run their local backward steps from the last to the first. Start from ∂L/∂L = 1: "
            "the final node's gradient is seeded with 1, or every product of the chain rule is 0. Graphs can be "
            "thousands of nodes deep, beyond Python's recursion limit, so walk the graph with a list of your own "
            "used as a stack instead of a recursive function. See notebook 02_engine, 'Why a topological order', "
            "'The seed gradient of 1' and 'An explicit stack instead of recursion'."
        )



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
