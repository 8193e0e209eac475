# Test-class student "bram" (tests/test_similarity.py): every operation states its local derivatives and a
# single method turns them into the node; backward() orders the graph with Kahn's algorithm.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math
from collections import deque


class Value:
    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._backward = self._no_backward

    @staticmethod
    def _no_backward():
        pass

    @classmethod
    def _wrap(cls, thing):
        if isinstance(thing, cls):
            return thing
        return cls(thing)

    def _derived(self, data, op, parents, slopes):
        """A new node whose gradient flows to each parent times its slope."""
        node = Value(data, op, parents, op)

        def push():
            for parent, slope in zip(parents, slopes):
                parent.grad += slope * node.grad

        node._backward = push
        return node

    # arithmetic -----------------------------------------------------------------
    def __add__(self, other):
        other = Value._wrap(other)
        return self._derived(self.data + other.data, '+', (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = Value._wrap(other)
        return self._derived(self.data * other.data, '*', (self, other), (other.data, self.data))

    def __pow__(self, exponent):
        assert isinstance(exponent, (int, float))
        slope = exponent * self.data ** (exponent - 1)
        return self._derived(self.data ** exponent, f'**{exponent}', (self,), (slope,))

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-Value._wrap(other))

    def __truediv__(self, other):
        return self * Value._wrap(other) ** -1

    def __radd__(self, other):
        return Value._wrap(other) + self

    def __rsub__(self, other):
        return Value._wrap(other) + (-self)

    def __rmul__(self, other):
        return Value._wrap(other) * self

    def __rtruediv__(self, other):
        return Value._wrap(other) * self ** -1

    # activations -----------------------------------------------------------------
    def relu(self):
        positive = self.data > 0
        return self._derived(self.data if positive else 0.0, 'ReLU', (self,), (1.0 if positive else 0.0,))

    def tanh(self):
        y = math.tanh(self.data)
        return self._derived(y, 'Tanh', (self,), (1 - y ** 2,))

    def exp(self):
        y = math.exp(self.data)
        return self._derived(y, 'Exp', (self,), (y,))

    def backward(self):
        # how many consumers each node has inside this graph
        consumers = {self: 0}
        todo = [self]
        while todo:
            v = todo.pop()
            for p in v._prev:
                if p not in consumers:
                    consumers[p] = 0
                    todo.append(p)
                consumers[p] += 1
        self.grad = 1
        ready = deque([self])
        while ready:
            v = ready.popleft()
            v._backward()
            for p in v._prev:
                consumers[p] -= 1
                if consumers[p] == 0:
                    ready.append(p)

    def __repr__(self):
        if self.label:
            return 'Value(node=%s, data=%s, grad=%s)' % (self.label, self.data, self.grad)
        return 'Value(data=%s, grad=%s)' % (self.data, self.grad)
