"""Cases for nn.*: forward outputs and gradients with given weights, parameters and their order, zero_grad."""

from __future__ import annotations

import numpy as np

from .case import Case
from .engine import num

ACTIVATIONS = ("ReLU", "Tanh", "Linear")


def neuron_weights(rng: np.random.Generator, nin: int) -> list[float]:
    return [num(rng, -1, 1) for _ in range(nin + 1)]


def layer_weights(rng: np.random.Generator, nin: int, nout: int) -> list[list[float]]:
    return [neuron_weights(rng, nin) for _ in range(nout)]


def mlp_weights(rng: np.random.Generator, nin: int, nouts: list[int]) -> list:
    sizes = [nin] + nouts
    return [layer_weights(rng, sizes[i], sizes[i + 1]) for i in range(len(nouts))]


def active(weights: list[list[float]], x: list[float]) -> list[list[float]]:
    """ReLU neurons' weights ([w1, ..., wn, b] each) with at least one firing on x: if none does, the first one's
    signs flipped, which flips its pre-activation w·x + b. A layer of ReLUs all at rest outputs 0 and passes back
    0 whatever its weights: the same numbers for every seed."""
    def fires(w):
        return sum(wi * xi for wi, xi in zip(w, x)) + w[-1] > 0

    if any(fires(w) for w in weights):
        return weights
    return [[-v for v in weights[0]], *weights[1:]]


def cases(rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    """published: the student bundle's public cases, which keep their draws as they were (a ReLU may be at rest)."""
    out = []
    for act in ACTIVATIONS:
        nin = 3
        weights, x = neuron_weights(rng, nin), [num(rng) for _ in range(nin)]
        if act == "ReLU" and not published:
            [weights] = active([weights], x)
        out.append(Case("nn.neuron", f"{act} forward and gradients", "nn.neuron_forward",
                        {"nin": nin, "activation": act, "weights": weights, "x": x},
                        f"a {act} Neuron's output for given weights and inputs, and the gradients through it",
                        public=public))
    out.append(Case("nn.neuron", "parameters in order", "nn.neuron_parameters",
                    {"nin": 4, "weights": neuron_weights(rng, 4)},
                    "Neuron.parameters(): the weights w, then the bias b", public=public))

    for act, nout in (("Tanh", 3), ("ReLU", 4)):
        weights, x = layer_weights(rng, 2, nout), [num(rng), num(rng)]
        if act == "ReLU" and not published:
            weights = active(weights, x)
        out.append(Case("nn.layer", f"{act} layer of {nout}", "nn.layer_forward",
                        {"nin": 2, "nout": nout, "activation": act, "weights": weights, "x": x},
                        f"a Layer's {nout} outputs (a list) and the gradients through them", public=public))
    out.append(Case("nn.layer", "one neuron returns a Value", "nn.layer_forward",
                    {"nin": 3, "nout": 1, "activation": "Linear", "weights": layer_weights(rng, 3, 1),
                     "x": [num(rng) for _ in range(3)]},
                    "a Layer with one neuron returns that neuron's Value, not a list", public=public))
    out.append(Case("nn.layer", "parameters in order", "nn.layer_parameters",
                    {"nin": 2, "nout": 3, "weights": layer_weights(rng, 2, 3)},
                    "Layer.parameters(): each neuron's w then b, neurons in order", public=public))

    nouts, acts = [16, 16, 1], ["ReLU", "ReLU", "Linear"]
    out.append(Case("nn.mlp", "2-16-16-1 forward and gradients", "nn.mlp_forward",
                    {"nin": 2, "nouts": nouts, "activations": acts, "weights": mlp_weights(rng, 2, nouts),
                     "x": [num(rng), num(rng)]},
                    "the MLP's output for given weights, and the gradients of every parameter", public=public))
    out.append(Case("nn.mlp", "activations=None means Linear", "nn.mlp_forward",
                    {"nin": 3, "nouts": [4, 2], "activations": None, "weights": mlp_weights(rng, 3, [4, 2]),
                     "x": [num(rng) for _ in range(3)]},
                    "with activations=None every layer is Linear", public=public))
    out.append(Case("nn.mlp", "337 parameters in order", "nn.mlp_parameters",
                    {"nin": 2, "nouts": nouts, "weights": mlp_weights(rng, 2, nouts)},
                    "MLP(2, [16, 16, 1]).parameters(): 337 of them, layer by layer", rules={}, public=public))
    zero_grad = {"nin": 2, "nouts": [3, 1], "weights": mlp_weights(rng, 2, [3, 1]), "x": [num(rng), num(rng)]}
    # All zeros would be the same numbers for every seed: the case goes on to a second input.
    zero_grad["then"] = [num(rng), num(rng)]
    checked = ("after backward(), zero_grad() sets every parameter's grad to 0; then the output on another input, "
               "and the gradients of a backward() from it (nothing left over)")
    out.append(Case("nn.mlp", "zero_grad", "nn.mlp_zero_grad", zero_grad, checked, public=public))

    # Drawn last, so that adding it left the other cases' inputs as they were; graded with nn.neuron's cases.
    nin, seed = 20, int(rng.integers(1 << 31))
    x = [num(rng) for _ in range(nin)]
    [weights] = active([neuron_weights(rng, nin)], x)  # a ReLU neuron (the default) that fires
    as_built = Case("nn.neuron", "as built", "nn.neuron_as_built",
                    {"nin": nin, "seed": seed, "weights": weights, "x": x},
                    f"a new Neuron({nin}): {nin} weights in [-1, 1] of both signs, bias 0; then its output and "
                    "gradients with given weights",
                    rules={"number of weights": "exact", "weights within [-1, 1]": "exact",
                           "weights of both signs": "exact"}, public=public)
    after_neuron = max(i for i, c in enumerate(out) if c.question == "nn.neuron") + 1
    return [*out[:after_neuron], as_built, *out[after_neuron:]]
