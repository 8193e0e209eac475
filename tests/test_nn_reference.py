"""The reference Neuron, Layer and MLP: sizes, parameter order, activations, zero_grad, the tutorial's neuron."""

import math
import random

import pytest

from solutions.engine import Value
from solutions.nn import MLP, Layer, Neuron


def test_mlp_2_16_16_1_has_337_parameters_each_neurons_w_then_b():
    model = MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    params = model.parameters()
    assert len(params) == 337 == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    expected = [p for layer in model.layers for n in layer.neurons for p in n.w + [n.b]]
    assert [id(p) for p in params] == [id(p) for p in expected]
    assert len({id(p) for p in params}) == 337
    assert [len(layer.neurons) for layer in model.layers] == [16, 16, 1]
    assert [len(layer.neurons[0].w) for layer in model.layers] == [2, 16, 16]


def test_new_neurons_have_uniform_weights_a_zero_bias_and_follow_random_seed():
    random.seed(3)
    first = Neuron(50)
    random.seed(3)
    again = Neuron(50)
    assert [w.data for w in first.w] == [w.data for w in again.w]
    assert all(-1 <= w.data <= 1 for w in first.w) and min(w.data for w in first.w) < 0 < max(w.data for w in first.w)
    assert first.b.data == 0.0 and first.activation == "ReLU"
    assert first.parameters() == first.w + [first.b]


def test_a_neuron_computes_w_dot_x_plus_b():
    n = Neuron(3, activation="Linear")
    for w, value in zip(n.w, (0.5, -2.0, 1.5)):
        w.data = value
    n.b.data = 0.25
    out = n([Value(2.0), Value(1.0), 4.0])
    assert out.data == pytest.approx(0.5 * 2 - 2 * 1 + 1.5 * 4 + 0.25)
    out.backward()
    assert [w.grad for w in n.w] == [2.0, 1.0, 4.0] and n.b.grad == 1.0


def test_one_output_layer_returns_a_value_and_more_return_a_list():
    x = [Value(1.0), Value(-2.0)]
    assert isinstance(Layer(2, 1)(x), Value)
    out = Layer(2, 3)(x)
    assert isinstance(out, list) and len(out) == 3 and all(isinstance(o, Value) for o in out)
    assert isinstance(MLP(2, [4, 1])(x), Value)


def test_layer_passes_its_activation_to_every_neuron():
    layer = Layer(2, 4, activation="Tanh")
    assert [n.activation for n in layer.neurons] == ["Tanh"] * 4
    assert len(layer.parameters()) == 12


@pytest.mark.parametrize(
    "activation, pre, expected",
    [("ReLU", -0.5, 0.0), ("ReLU", 0.5, 0.5), ("Tanh", -0.5, math.tanh(-0.5)), ("Linear", -0.5, -0.5)],
)
def test_activations(activation, pre, expected):
    n = Neuron(2, activation=activation)
    n.w[0].data, n.w[1].data, n.b.data = 1.0, 2.0, pre + 1.0  # w . (1, -1) = -1
    assert n([1.0, -1.0]).data == pytest.approx(expected)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError):
        Neuron(2, activation="Sigmoid")


def test_activations_none_means_linear_and_each_layer_gets_its_own():
    model = MLP(1, [1, 1])
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["Linear", "Linear"]
    model = MLP(2, [3, 2, 1], activations=["ReLU", "Tanh", "Linear"])
    assert [{n.activation for n in layer.neurons} for layer in model.layers] == [{"ReLU"}, {"Tanh"}, {"Linear"}]
    with pytest.raises(ValueError):
        MLP(2, [3, 1], activations=["ReLU"])


def test_zero_grad():
    model = MLP(2, [3, 1], activations=["Tanh", "Linear"])
    model([Value(0.3), Value(-0.7)]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_the_tutorials_tanh_neuron():
    x1, x2, w1, w2 = Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4) and o.data == pytest.approx(math.sqrt(0.5), rel=1e-12)
    assert n.grad == pytest.approx(0.5, rel=1e-12) and b.grad == pytest.approx(0.5, rel=1e-12)
    assert x1.grad == pytest.approx(-1.5, rel=1e-12)
    assert w1.grad == pytest.approx(1.0, rel=1e-12)
    assert x2.grad == pytest.approx(0.5, rel=1e-12)
    assert w2.grad == 0.0
