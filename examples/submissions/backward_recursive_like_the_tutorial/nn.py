"""Neurons, layers and multi-layer perceptrons built from `Value`s."""

import random

from .engine import Value

ACTIVATIONS = ("ReLU", "Tanh", "Linear")


class Module:
    """Anything with parameters: it can list them and zero their gradients."""

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        return []


class Neuron(Module):
    """out = activation(w · x + b)"""

    def __init__(self, nin, activation="ReLU", layer_name="", neuron_name=""):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
        # BEGIN SOLUTION nn.neuron: nin weights Value(random.uniform(-1, 1)), a bias Value(0.0), and the activation
        self.w = [
            Value(random.uniform(-1, 1), label=f"Weight of {layer_name} {neuron_name} for Input {i + 1}")
            for i in range(nin)
        ]
        self.b = Value(0.0, label=f"Bias of {layer_name} {neuron_name}")
        self.activation = activation
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.neuron: sum wi*xi starting from the bias, then apply the activation ('Linear' leaves it as is)
        out = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation == "ReLU":
            out = out.relu()
        elif self.activation == "Tanh":
            out = out.tanh()
        return out
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.neuron: the weights, then the bias
        return self.w + [self.b]
        # END SOLUTION

    def __repr__(self):
        return f"{self.activation}Neuron(nin={len(self.w)})"


class Layer(Module):
    """nout neurons that each see the same inputs."""

    def __init__(self, nin, nout, **kwargs):
        # BEGIN SOLUTION nn.layer: nout Neurons, each with nin inputs, passing **kwargs on (name neuron i f"Neuron {i+1}")
        self.neurons = [Neuron(nin, neuron_name=f"Neuron {i + 1}", **kwargs) for i in range(nout)]
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.layer: one output per neuron; a single Value (not a list) when there is one neuron
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.layer: every neuron's parameters, neuron by neuron
        return [p for n in self.neurons for p in n.parameters()]
        # END SOLUTION

    def __repr__(self):
        return f"Layer of [ {', '.join(str(n) for n in self.neurons)} ]"


class MLP(Module):
    """Layers in sequence: sizes nin -> nouts[0] -> ... -> nouts[-1]."""

    def __init__(self, nin, nouts, activations=None):
        if activations is None:
            activations = ["Linear"] * len(nouts)
        if len(activations) != len(nouts):
            raise ValueError("give one activation per layer")
        # BEGIN SOLUTION nn.mlp: one Layer per entry of nouts, layer i going from size i to size i+1 with activations[i]
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activations[i], layer_name=f"Layer {i + 1}")
            for i in range(len(nouts))
        ]
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.mlp: feed x through each layer in turn
        for layer in self.layers:
            x = layer(x)
        return x
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.mlp: every layer's parameters, layer by layer
        return [p for layer in self.layers for p in layer.parameters()]
        # END SOLUTION

    def __repr__(self):
        arrow = f"\n{'-' * 8}> "
        return f"MLP of [{arrow}{arrow.join(str(layer) for layer in self.layers)}\n]"
