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
        # BEGIN SOLUTION nn.neuron
        # hint: A neuron with nin inputs owns one weight per input, each drawn uniformly at random between −1 and 1 with
        #   Python's random module (random weights break the symmetry between neurons, and the module's seed makes a
        #   network reproducible), a bias that starts at 0, and the name of its activation. Weights and bias must be
        #   Values so that backpropagation reaches them. The attribute names and labels are specified in the Neuron
        #   docstring. See notebook 03_mlp, 'What a neuron computes'.
        # nudge: Use `random.uniform(-1, 1)` from the `random` module (not numpy, and not the same number for every
        #   weight), wrap each weight and the bias in a `Value`, and keep the activation in `self.activation`: a
        #   Neuron(20) has 20 weights of both signs and a bias of 0.
        # walkthrough: self.w = [Value(random.uniform(-1, 1), label=f"Weight of {layer_name} {neuron_name} for Input {i
        #   + 1}") for i in range(nin)]; self.b = Value(0.0, label=f"Bias of {layer_name} {neuron_name}"); and keep the
        #   activation: self.activation = activation.
        self.w = [
            Value(random.uniform(-1, 1), label=f"Weight of {layer_name} {neuron_name} for Input {i + 1}")
            for i in range(nin)
        ]
        self.b = Value(0.0, label=f"Bias of {layer_name} {neuron_name}")
        self.activation = activation
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.neuron
        # hint: The neuron computes activation(b + Σᵢ wᵢxᵢ): the bias plus the weighted sum of the inputs, then ReLU or
        #   tanh, or nothing at all for the linear activation. Computed with Value operations, the result carries the
        #   graph that backpropagation needs. See notebook 03_mlp, 'What a neuron computes'.
        # nudge: Pair each weight with the input in the same position; Python's built-in `sum` takes a start value, so
        #   the sum can start at the bias. 'Linear' must return the sum unchanged, and the inputs may be plain numbers
        #   as well as Values.
        # walkthrough: out = sum((wi * xi for wi, xi in zip(self.w, x)), self.b); then if self.activation == "ReLU": out
        #   = out.relu(); elif self.activation == "Tanh": out = out.tanh(); ('Linear' leaves out as it is); return out.
        out = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation == "ReLU":
            out = out.relu()
        elif self.activation == "Tanh":
            out = out.tanh()
        return out
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.neuron
        # hint: A neuron's parameters are all the numbers training may change: its weights, in the order of the inputs,
        #   and then its bias, together in one flat list. See notebook 03_mlp, 'What a neuron computes'.
        # nudge: Return one flat list of nin + 1 Values with the bias last, not a list that holds the list of weights
        #   and the bias.
        # walkthrough: The weights, then the bias: `return self.w + [self.b]` (a new list; the bias is wrapped in a list
        #   so that the two lists concatenate).
        return self.w + [self.b]
        # END SOLUTION

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
        # BEGIN SOLUTION nn.layer
        # hint: A layer is nout separate neurons side by side, each seeing all nin inputs; every keyword option given to
        #   the layer (its activation, its name) goes on unchanged to each neuron, and each neuron gets the name that
        #   the Layer docstring specifies. See notebook 03_mlp, 'What a layer computes'.
        # nudge: Make nout distinct Neuron objects (one call of Neuron per neuron: repeating one neuron in a list shares
        #   its weights), hand `**kwargs` on to each, and number the names from 1, not 0.
        # walkthrough: self.neurons = [Neuron(nin, neuron_name=f"Neuron {i + 1}", **kwargs) for i in range(nout)]: nout
        #   neurons, each with nin inputs, the layer's keyword arguments (activation, layer_name) passed on.
        self.neurons = [Neuron(nin, neuron_name=f"Neuron {i + 1}", **kwargs) for i in range(nout)]
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.layer
        # hint: All neurons receive the same input and each gives one output, so the layer's output is the list of its
        #   neurons' outputs, in order. A layer of a single neuron gives that one Value rather than a list of one, so
        #   that a network's last layer yields a plain score. See notebook 03_mlp, 'What a layer computes'.
        # nudge: Check the one-neuron case: Layer(3, 1) called on three inputs must return a Value, not a list holding a
        #   Value; with two or more neurons it returns a list.
        # walkthrough: out = [n(x) for n in self.neurons]: one output per neuron; then `return out[0] if len(out) == 1
        #   else out`, a single Value (not a list) when there is one neuron.
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.layer
        # hint: The layer's parameters are its neurons' parameters laid end to end in one flat list: all of the first
        #   neuron's (weights, then bias), then all of the second's, and so on. See notebook 03_mlp, 'What a layer
        #   computes'.
        # nudge: Flatten: a list of lists (one per neuron) is wrong; a layer has nout·(nin + 1) parameters, neuron by
        #   neuron.
        # walkthrough: Every neuron's parameters, neuron by neuron: `return [p for n in self.neurons for p in
        #   n.parameters()]`.
        return [p for n in self.neurons for p in n.parameters()]
        # END SOLUTION

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
        # BEGIN SOLUTION nn.mlp
        # hint: With sizes n₀ = nin and n₁, …, n_L the entries of nouts, layer number ℓ takes n_(ℓ−1) inputs and has n_ℓ
        #   neurons, with the ℓ-th activation, so that each layer's outputs are exactly the next layer's inputs. The
        #   attribute and the layers' names are specified in the MLP docstring. See notebook 03_mlp, 'What an MLP
        #   computes'.
        # nudge: Build the list of sizes first (nin, then every entry of nouts), then one Layer per pair of neighbours:
        #   len(nouts) layers, not len(nouts) + 1. Pass the activation and the layer's name as keyword arguments, names
        #   counted from 1.
        # walkthrough: sizes = [nin] + list(nouts); self.layers = [Layer(sizes[i], sizes[i + 1],
        #   activation=activations[i], layer_name=f"Layer {i + 1}") for i in range(len(nouts))]: layer i goes from size
        #   i to size i+1 with activations[i].
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activations[i], layer_name=f"Layer {i + 1}")
            for i in range(len(nouts))
        ]
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn.mlp
        # hint: An MLP is a composition of its layers, f_L(…f₂(f₁(x))…): the input goes into the first layer, each
        #   layer's output becomes the next layer's input, and the last layer's output is the network's. See notebook
        #   03_mlp, 'What an MLP computes'.
        # nudge: Feed each layer the previous layer's output, not the original input, and return only after the last
        #   layer.
        # walkthrough: Feed x through each layer in turn: for layer in self.layers, replace x by layer(x); then return
        #   x.
        for layer in self.layers:
            x = layer(x)
        return x
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn.mlp
        # hint: The network's parameters are its layers' parameters laid end to end in one flat list, first layer first
        #   (337 for a 2-16-16-1 network). See notebook 03_mlp, 'What an MLP computes'.
        # nudge: One flat list of Values in the order layer 1, layer 2, …; MLP(2, [16, 16, 1]) has (2·16 + 16) + (16·16
        #   + 16) + (16 + 1) = 337.
        # walkthrough: Every layer's parameters, layer by layer: `return [p for layer in self.layers for p in
        #   layer.parameters()]`.
        return [p for layer in self.layers for p in layer.parameters()]
        # END SOLUTION

    def __repr__(self):
        arrow = f"\n{'-' * 8}> "
        return f"MLP of [{arrow}{arrow.join(str(layer) for layer in self.layers)}\n]"
