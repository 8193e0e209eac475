# Test-class student "dmitri" (tests/test_similarity.py): verbose and explicit, a named local derivative in
# every backward function, tanh from exponentials, and an iterative sort with "enter"/"leave" events.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math


class Value:
    """One number in a computation, with the gradient of the final output with respect to it."""

    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None

    def __repr__(self):
        if self.label != '':
            text = "Value(node=" + str(self.label) + ", data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        else:
            text = "Value(data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        return text

    def __add__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        total = self.data + other.data
        result = Value(total, label='+', _children=(self, other), _op='+')

        def backward_step():
            derivative_for_self = 1.0
            derivative_for_other = 1.0
            self.grad = self.grad + derivative_for_self * result.grad
            other.grad = other.grad + derivative_for_other * result.grad

        result._backward = backward_step
        return result

    def __mul__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        product = self.data * other.data
        result = Value(product, label='*', _children=(self, other), _op='*')

        def backward_step():
            derivative_for_self = other.data
            derivative_for_other = self.data
            self.grad = self.grad + derivative_for_self * result.grad
            other.grad = other.grad + derivative_for_other * result.grad

        result._backward = backward_step
        return result

    def __pow__(self, power):
        if not (isinstance(power, int) or isinstance(power, float)):
            raise ValueError("the power has to be an int or a float")
        raised = self.data ** power
        result = Value(raised, label='**' + str(power), _children=(self,), _op='**')

        def backward_step():
            derivative_for_self = power * (self.data ** (power - 1))
            self.grad = self.grad + derivative_for_self * result.grad

        result._backward = backward_step
        return result

    def __neg__(self):
        return self * (-1)

    def __sub__(self, other):
        negative_other = -other if isinstance(other, Value) else Value(-other)
        return self + negative_other

    def __truediv__(self, other):
        if not isinstance(other, Value):
            other = Value(other)
        reciprocal = other ** (-1)
        return self * reciprocal

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return Value(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return Value(other) / self

    def relu(self):
        if self.data > 0:
            rectified = self.data
        else:
            rectified = 0.0
        result = Value(rectified, label='ReLU', _children=(self,), _op='ReLU')

        def backward_step():
            if result.data > 0:
                derivative_for_self = 1.0
            else:
                derivative_for_self = 0.0
            self.grad = self.grad + derivative_for_self * result.grad

        result._backward = backward_step
        return result

    def tanh(self):
        x = self.data
        if x > 20:
            squashed = 1.0
        elif x < -20:
            squashed = -1.0
        else:
            e_to_2x = math.exp(2 * x)
            squashed = (e_to_2x - 1) / (e_to_2x + 1)
        result = Value(squashed, label='Tanh', _children=(self,), _op='Tanh')

        def backward_step():
            derivative_for_self = 1 - squashed * squashed
            self.grad = self.grad + derivative_for_self * result.grad

        result._backward = backward_step
        return result

    def exp(self):
        exponential = math.exp(self.data)
        result = Value(exponential, label='Exp', _children=(self,), _op='Exp')

        def backward_step():
            derivative_for_self = exponential
            self.grad = self.grad + derivative_for_self * result.grad

        result._backward = backward_step
        return result

    def backward(self):
        # Build the topological order without recursion: every node is "entered" once, and "left" after all
        # of its children have been left, which is when it is added to the order.
        topological_order = []
        already_entered = set()
        events = [("enter", self)]
        while len(events) > 0:
            kind, node = events.pop()
            if kind == "leave":
                topological_order.append(node)
                continue
            if node in already_entered:
                continue
            already_entered.add(node)
            events.append(("leave", node))
            for child in node._prev:
                if child not in already_entered:
                    events.append(("enter", child))

        # The output's gradient with respect to itself is one.
        self.grad = 1
        for index in range(len(topological_order) - 1, -1, -1):
            topological_order[index]._backward()
