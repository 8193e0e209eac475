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
    """out = activation(w · x + b)

    Specification. Attributes: `w`, the list of the nin weights, each a Value drawn uniformly from [-1, 1] with
    Python's `random` module (so that `random.seed` makes a network reproducible); `b`, the bias, a Value that
    starts at 0.0; `activation`, one of ACTIVATIONS ('Linear' applies none). Labels, which draw_dot shows: weight i
    (counting from 0) is labelled "Weight of <layer_name> <neuron_name> for Input <i+1>", the bias
    "Bias of <layer_name> <neuron_name>". `parameters()` lists the weights in input order, then the bias.
    """

    def __init__(self, nin, activation="ReLU", layer_name="", neuron_name=""):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
        # TODO (nn.neuron): A neuron with nin inputs owns one weight per input, each drawn uniformly at random between
        #     −1 and 1 with Python's random module (random weights break the symmetry between neurons, and the module's
        #     seed makes a network reproducible), a bias that starts at 0, and the name of its activation. Weights and
        #     bias must be Values so that backpropagation reaches them. The attribute names and labels are specified in
        #     the Neuron docstring. See notebook 03_mlp, 'What a neuron computes'.
        raise NotImplementedError(
            "nn.neuron: Neuron.__init__ is not written yet. A neuron with nin inputs owns one weight per input, each "
            "drawn uniformly at random between −1 and 1 with Python's random module (random weights break the "
            "symmetry between neurons, and the module's seed makes a network reproducible), a bias that starts at 0, "
            "and the name of its activation. Weights and bias must be Values so that backpropagation reaches them. "
            "The attribute names and labels are specified in the Neuron docstring. See notebook 03_mlp, 'What a "
            "neuron computes'."
        )

    def __call__(self, x):
        # TODO (nn.neuron): The neuron computes activation(b + Σᵢ wᵢxᵢ): the bias plus the weighted sum of the inputs,
        #     then ReLU or tanh, or nothing at all for the linear activation. Computed with Value operations, the result
        #     carries the graph that backpropagation needs. See notebook 03_mlp, 'What a neuron computes'.
        raise NotImplementedError(
            "nn.neuron: Neuron.__call__ is not written yet. The neuron computes activation(b + Σᵢ wᵢxᵢ): the bias "
            "plus the weighted sum of the inputs, then ReLU or tanh, or nothing at all for the linear activation. "
            "Computed with Value operations, the result carries the graph that backpropagation needs. See notebook "
            "03_mlp, 'What a neuron computes'."
        )

    def parameters(self):
        # TODO (nn.neuron): A neuron's parameters are all the numbers training may change: its weights, in the order of
        #     the inputs, and then its bias, together in one flat list. See notebook 03_mlp, 'What a neuron computes'.
        raise NotImplementedError(
            "nn.neuron: Neuron.parameters is not written yet. A neuron's parameters are all the numbers training may "
            "change: its weights, in the order of the inputs, and then its bias, together in one flat list. See "
            "notebook 03_mlp, 'What a neuron computes'."
        )

    def __repr__(self):
        return f"{self.activation}Neuron(nin={len(self.w)})"


class Layer(Module):
    """nout neurons that each see the same inputs.

    Specification. Attribute: `neurons`, the list of the nout Neurons, each with nin inputs and the layer's keyword
    arguments (such as `activation` and `layer_name`); neuron i (counting from 0) is given `neuron_name`
    "Neuron <i+1>" ("Neuron 1", "Neuron 2", ...). Calling the layer returns the list of its neurons' outputs, or that
    one Value itself if nout is 1. `parameters()` lists every neuron's parameters, neuron by neuron.
    """

    def __init__(self, nin, nout, **kwargs):
        # TODO (nn.layer): A layer is nout separate neurons side by side, each seeing all nin inputs; every keyword
        #     option given to the layer (its activation, its name) goes on unchanged to each neuron, and each neuron
        #     gets the name that the Layer docstring specifies. See notebook 03_mlp, 'What a layer computes'.
        raise NotImplementedError(
            "nn.layer: Layer.__init__ is not written yet. A layer is nout separate neurons side by side, each seeing "
            "all nin inputs; every keyword option given to the layer (its activation, its name) goes on unchanged to "
            "each neuron, and each neuron gets the name that the Layer docstring specifies. See notebook 03_mlp, "
            "'What a layer computes'."
        )

    def __call__(self, x):
        # TODO (nn.layer): All neurons receive the same input and each gives one output, so the layer's output is the
        #     list of its neurons' outputs, in order. A layer of a single neuron gives that one Value rather than a list
        #     of one, so that a network's last layer yields a plain score. See notebook 03_mlp, 'What a layer computes'.
        raise NotImplementedError(
            "nn.layer: Layer.__call__ is not written yet. All neurons receive the same input and each gives one "
            "output, so the layer's output is the list of its neurons' outputs, in order. A layer of a single neuron "
            "gives that one Value rather than a list of one, so that a network's last layer yields a plain score. "
            "See notebook 03_mlp, 'What a layer computes'."
        )

    def parameters(self):
        # TODO (nn.layer): The layer's parameters are its neurons' parameters laid end to end in one flat list: all of
        #     the first neuron's (weights, then bias), then all of the second's, and so on. See notebook 03_mlp, 'What a
        #     layer computes'.
        raise NotImplementedError(
            "nn.layer: Layer.parameters is not written yet. The layer's parameters are its neurons' parameters laid "
            "end to end in one flat list: all of the first neuron's (weights, then bias), then all of the second's, "
            "and so on. See notebook 03_mlp, 'What a layer computes'."
        )

    def __repr__(self):
        return f"Layer of [ {', '.join(str(n) for n in self.neurons)} ]"


class MLP(Module):
    """Layers in sequence: sizes nin -> nouts[0] -> ... -> nouts[-1].

    Specification. Attribute: `layers`, one Layer per entry of nouts: layer i (counting from 0) has nouts[i]
    neurons, takes the outputs of layer i-1 as its inputs (nin of them for the first layer), has the activation
    activations[i] and the `layer_name` "Layer <i+1>" ("Layer 1", "Layer 2", ...). activations=None means 'Linear'
    for every layer. Calling the MLP feeds its input through the layers in order and returns the last one's output;
    `parameters()` lists every layer's parameters, layer by layer.
    """

    def __init__(self, nin, nouts, activations=None):
        if activations is None:
            activations = ["Linear"] * len(nouts)
        if len(activations) != len(nouts):
            raise ValueError("give one activation per layer")
        # TODO (nn.mlp): With sizes n₀ = nin and n₁, …, n_L the entries of nouts, layer number ℓ takes n_(ℓ−1) inputs
        #     and has n_ℓ neurons, with the ℓ-th activation, so that each layer's outputs are exactly the next layer's
        #     inputs. The attribute and the layers' names are specified in the MLP docstring. See notebook 03_mlp, 'What
        #     an MLP computes'.
        raise NotImplementedError(
            "nn.mlp: MLP.__init__ is not written yet. With sizes n₀ = nin and n₁, …, n_L the entries of nouts, layer "
            "number ℓ takes n_(ℓ−1) inputs and has n_ℓ neurons, with the ℓ-th activation, so that each layer's "
            "outputs are exactly the next layer's inputs. The attribute and the layers' names are specified in the "
            "MLP docstring. See notebook 03_mlp, 'What an MLP computes'."
        )

    def __call__(self, x):
        # TODO (nn.mlp): An MLP is a composition of its layers, f_L(…f₂(f₁(x))…): the input goes into the first layer,
        #     each layer's output becomes the next layer's input, and the last layer's output is the network's. See
        #     notebook 03_mlp, 'What an MLP computes'.
        raise NotImplementedError(
            "nn.mlp: MLP.__call__ is not written yet. An MLP is a composition of its layers, f_L(…f₂(f₁(x))…): the "
            "input goes into the first layer, each layer's output becomes the next layer's input, and the last "
            "layer's output is the network's. See notebook 03_mlp, 'What an MLP computes'."
        )

    def parameters(self):
        # TODO (nn.mlp): The network's parameters are its layers' parameters laid end to end in one flat list, first
        #     layer first (337 for a 2-16-16-1 network). See notebook 03_mlp, 'What an MLP computes'.
        raise NotImplementedError(
            "nn.mlp: MLP.parameters is not written yet. The network's parameters are its layers' parameters laid end "
            "to end in one flat list, first layer first (337 for a 2-16-16-1 network). See notebook 03_mlp, 'What an "
            "MLP computes'."
        )

    def __repr__(self):
        arrow = f"\n{'-' * 8}> "
        return f"MLP of [{arrow}{arrow.join(str(layer) for layer in self.layers)}\n]"
