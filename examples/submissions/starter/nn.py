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
        # TODO (nn.neuron): nin weights Value(random.uniform(-1, 1)), a bias Value(0.0), and the activation
        raise NotImplementedError(
            "nn.neuron: Neuron.__init__ is not written yet. nin weights Value(random.uniform(-1, 1)), a bias "
            "Value(0.0), and the activation"
        )

    def __call__(self, x):
        # TODO (nn.neuron): sum wi*xi starting from the bias, then apply the activation ('Linear' leaves it as is)
        raise NotImplementedError(
            "nn.neuron: Neuron.__call__ is not written yet. sum wi*xi starting from the bias, then apply the "
            "activation ('Linear' leaves it as is)"
        )

    def parameters(self):
        # TODO (nn.neuron): the weights, then the bias
        raise NotImplementedError("nn.neuron: Neuron.parameters is not written yet. the weights, then the bias")

    def __repr__(self):
        return f"{self.activation}Neuron(nin={len(self.w)})"


class Layer(Module):
    """nout neurons that each see the same inputs."""

    def __init__(self, nin, nout, **kwargs):
        # TODO (nn.layer): nout Neurons, each with nin inputs, passing **kwargs on (name neuron i f"Neuron {i+1}")
        raise NotImplementedError(
            'nn.layer: Layer.__init__ is not written yet. nout Neurons, each with nin inputs, passing **kwargs on '
            '(name neuron i f"Neuron {i+1}")'
        )

    def __call__(self, x):
        # TODO (nn.layer): one output per neuron; a single Value (not a list) when there is one neuron
        raise NotImplementedError(
            "nn.layer: Layer.__call__ is not written yet. one output per neuron; a single Value (not a list) when "
            "there is one neuron"
        )

    def parameters(self):
        # TODO (nn.layer): every neuron's parameters, neuron by neuron
        raise NotImplementedError(
            "nn.layer: Layer.parameters is not written yet. every neuron's parameters, neuron by neuron"
        )

    def __repr__(self):
        return f"Layer of [ {', '.join(str(n) for n in self.neurons)} ]"


class MLP(Module):
    """Layers in sequence: sizes nin -> nouts[0] -> ... -> nouts[-1]."""

    def __init__(self, nin, nouts, activations=None):
        if activations is None:
            activations = ["Linear"] * len(nouts)
        if len(activations) != len(nouts):
            raise ValueError("give one activation per layer")
        # TODO (nn.mlp): one Layer per entry of nouts, layer i going from size i to size i+1 with activations[i]
        raise NotImplementedError(
            "nn.mlp: MLP.__init__ is not written yet. one Layer per entry of nouts, layer i going from size i to "
            "size i+1 with activations[i]"
        )

    def __call__(self, x):
        # TODO (nn.mlp): feed x through each layer in turn
        raise NotImplementedError("nn.mlp: MLP.__call__ is not written yet. feed x through each layer in turn")

    def parameters(self):
        # TODO (nn.mlp): every layer's parameters, layer by layer
        raise NotImplementedError("nn.mlp: MLP.parameters is not written yet. every layer's parameters, layer by layer")

    def __repr__(self):
        arrow = f"\n{'-' * 8}> "
        return f"MLP of [{arrow}{arrow.join(str(layer) for layer in self.layers)}\n]"
