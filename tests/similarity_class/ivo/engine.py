# Test-class student "ivo" (tests/test_similarity.py): a planted copy of dmitri's engine.py, disguised by
# renaming, reordering the methods and new comments.
# ruff: noqa  (a student's own style, not held to the kit's lint rules)
import math


class Value:
    """A scalar that remembers the operations that made it."""

    def __init__(self, data, label='', _children=(), _op=''):
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = set(_children)
        self._op = _op
        self._backward = lambda: None

    def __add__(self, rhs):
        # sum rule: both sides get the upstream gradient
        if not isinstance(rhs, Value):
            rhs = Value(rhs)
        summed = self.data + rhs.data
        node_out = Value(summed, label='+', _children=(self, rhs), _op='+')

        def chain_rule():
            local_a = 1.0
            local_b = 1.0
            self.grad = self.grad + local_a * node_out.grad
            rhs.grad = rhs.grad + local_b * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def __radd__(self, rhs):
        return self + rhs

    def __mul__(self, rhs):
        # product rule, each side gets the other's value
        if not isinstance(rhs, Value):
            rhs = Value(rhs)
        prod = self.data * rhs.data
        node_out = Value(prod, label='*', _children=(self, rhs), _op='*')

        def chain_rule():
            local_a = rhs.data
            local_b = self.data
            self.grad = self.grad + local_a * node_out.grad
            rhs.grad = rhs.grad + local_b * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def __rmul__(self, rhs):
        return self * rhs

    def __neg__(self):
        return self * (-1)

    def __sub__(self, rhs):
        neg = -rhs if isinstance(rhs, Value) else Value(-rhs)
        return self + neg

    def __rsub__(self, rhs):
        return Value(rhs) - self

    def __pow__(self, exponent):
        if not (isinstance(exponent, int) or isinstance(exponent, float)):
            raise ValueError("exponent must be int or float")
        lifted = self.data ** exponent
        node_out = Value(lifted, label='**' + str(exponent), _children=(self,), _op='**')

        def chain_rule():
            local_a = exponent * (self.data ** (exponent - 1))
            self.grad = self.grad + local_a * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def __truediv__(self, rhs):
        if not isinstance(rhs, Value):
            rhs = Value(rhs)
        inv = rhs ** (-1)
        return self * inv

    def __rtruediv__(self, rhs):
        return Value(rhs) / self

    def exp(self):
        ex = math.exp(self.data)
        node_out = Value(ex, label='Exp', _children=(self,), _op='Exp')

        def chain_rule():
            local_a = ex
            self.grad = self.grad + local_a * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def tanh(self):
        # tanh = (e^2x - 1) / (e^2x + 1), clamped for big inputs
        x = self.data
        if x > 20:
            th = 1.0
        elif x < -20:
            th = -1.0
        else:
            e2 = math.exp(2 * x)
            th = (e2 - 1) / (e2 + 1)
        node_out = Value(th, label='Tanh', _children=(self,), _op='Tanh')

        def chain_rule():
            local_a = 1 - th * th
            self.grad = self.grad + local_a * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def relu(self):
        if self.data > 0:
            clipped = self.data
        else:
            clipped = 0.0
        node_out = Value(clipped, label='ReLU', _children=(self,), _op='ReLU')

        def chain_rule():
            if node_out.data > 0:
                local_a = 1.0
            else:
                local_a = 0.0
            self.grad = self.grad + local_a * node_out.grad

        node_out._backward = chain_rule
        return node_out

    def backward(self):
        # iterative: a vertex is pushed to enter it and again to leave it
        topo = []
        visited = set()
        todo = [("enter", self)]
        while len(todo) > 0:
            tag, vertex = todo.pop()
            if tag == "leave":
                topo.append(vertex)
                continue
            if vertex in visited:
                continue
            visited.add(vertex)
            todo.append(("leave", vertex))
            for kid in vertex._prev:
                if kid not in visited:
                    todo.append(("enter", kid))

        self.grad = 1
        for i in range(len(topo) - 1, -1, -1):
            topo[i]._backward()

    def __repr__(self):
        if self.label != '':
            s = "Value(node=" + str(self.label) + ", data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        else:
            s = "Value(data=" + str(self.data) + ", grad=" + str(self.grad) + ")"
        return s
