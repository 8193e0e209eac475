"""Probes of nn.py: forward outputs with given weights, gradients through them, parameters, zero_grad."""

from .plain import probe


def set_neuron(neuron, weights):
    """weights = [w1, ..., wn, b]."""
    for wi, v in zip(neuron.w, weights[:-1], strict=True):
        wi.data = v
    neuron.b.data = weights[-1]


def set_layer(layer, weights):
    for neuron, w in zip(layer.neurons, weights, strict=True):
        set_neuron(neuron, w)


def set_mlp(mlp, weights):
    for layer, w in zip(mlp.layers, weights, strict=True):
        set_layer(layer, w)


def as_list(out):
    return out if isinstance(out, list) else [out]


def outputs_and_grads(pkg, model, x, params):
    """Forward x, backpropagate from the sum of the outputs (reference backward), report data and grads."""
    Value = pkg.engine.Value
    inputs = [Value(v) for v in x]
    raw = model(inputs)
    outs = as_list(raw)
    total = outs[0]
    for o in outs[1:]:
        total = total + o
    total.backward()
    return {
        "outputs": [o.data for o in outs],
        "outputs are Values": all(isinstance(o, Value) for o in outs),
        "parameter grads": [p.grad for p in params],
        "input grads": [v.grad for v in inputs],
        "returns a list": isinstance(raw, list),
    }


@probe
def neuron_forward(pkg, nin, activation, weights, x):
    n = pkg.nn.Neuron(nin, activation=activation)
    set_neuron(n, weights)
    report = outputs_and_grads(pkg, n, x, n.w + [n.b])
    report["activation"] = n.activation
    return report


@probe
def neuron_as_built(pkg, nin, seed, weights, x):
    """A Neuron as its __init__ leaves it, built after random.seed(seed): how many weights, whether they lie in
    [-1, 1] and take both signs (no network breaks symmetry with weights all alike), its bias; then, with the
    given weights, its output and gradients on x (numbers that come from the seed)."""
    import random

    random.seed(seed)
    n = pkg.nn.Neuron(nin)
    built = [w.data for w in n.w]
    report = {
        "number of weights": len(built),
        "weights within [-1, 1]": all(-1 <= w <= 1 for w in built),
        "weights of both signs": any(w < 0 for w in built) and any(w > 0 for w in built),
        "bias": n.b.data,
    }
    set_neuron(n, weights)
    return {**report, **outputs_and_grads(pkg, n, x, n.w + [n.b])}


@probe
def neuron_parameters(pkg, nin, weights):
    n = pkg.nn.Neuron(nin)
    set_neuron(n, weights)
    return {"parameters": [p.data for p in n.parameters()]}


@probe
def layer_forward(pkg, nin, nout, activation, weights, x):
    layer = pkg.nn.Layer(nin, nout, activation=activation)
    set_layer(layer, weights)
    params = [p for n in layer.neurons for p in n.w + [n.b]]
    report = outputs_and_grads(pkg, layer, x, params)
    report["number of neurons"] = len(layer.neurons)
    return report


@probe
def layer_parameters(pkg, nin, nout, weights):
    layer = pkg.nn.Layer(nin, nout)
    set_layer(layer, weights)
    return {"parameters": [p.data for p in layer.parameters()]}


@probe
def mlp_forward(pkg, nin, nouts, activations, weights, x):
    mlp = pkg.nn.MLP(nin, nouts, activations=activations)
    set_mlp(mlp, weights)
    params = [p for layer in mlp.layers for n in layer.neurons for p in n.w + [n.b]]
    report = outputs_and_grads(pkg, mlp, x, params)
    report["number of layers"] = len(mlp.layers)
    return report


@probe
def mlp_parameters(pkg, nin, nouts, weights):
    mlp = pkg.nn.MLP(nin, nouts)
    set_mlp(mlp, weights)
    params = mlp.parameters()
    return {"number of parameters": len(params), "parameters": [p.data for p in params]}


def backward_from(pkg, mlp, x):
    """The MLP's outputs on x, after a backward() from each."""
    outs = as_list(mlp([pkg.engine.Value(v) for v in x]))
    for o in outs:
        o.backward()
    return [o.data for o in outs]


@probe
def mlp_zero_grad(pkg, nin, nouts, weights, x, then=None):
    """The grads after a backward from x and zero_grad(); with then (another input), also the outputs on it and the
    grads after a backward from it, which are then's alone if zero_grad() left nothing over. (All zeros alone would
    be the same numbers for every seed.)"""
    mlp = pkg.nn.MLP(nin, nouts, activations=["Tanh"] * len(nouts))
    set_mlp(mlp, weights)
    backward_from(pkg, mlp, x)
    mlp.zero_grad()
    params = [p for layer in mlp.layers for n in layer.neurons for p in n.w + [n.b]]
    report = {"grads after zero_grad": [p.grad for p in params]}
    if then is not None:
        report["outputs on the next input"] = backward_from(pkg, mlp, then)
        report["grads after the next backward"] = [p.grad for p in params]
    return report
