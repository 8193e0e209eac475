"""The reference Neuron, Layer and MLP: shapes, parameter order, activations, zero_grad, the tutorial's neuron."""

import math

import pytest

from solutions.engine import Value
from solutions.nn import MLP, Layer, Neuron


def test_mlp_2_16_16_1_has_337_parameters_in_order():
    model = MLP(2, [16, 16, 1], activations=["ReLU", "ReLU", "Linear"])
    params = model.parameters()
    assert len(params) == 337
    expected = [p for layer in model.layers for n in layer.neurons for p in n.w + [n.b]]
    assert [id(p) for p in params] == [id(p) for p in expected]


def test_one_output_layer_returns_a_value_and_more_return_a_list():
    x = [Value(1.0), Value(-2.0)]
    assert isinstance(Layer(2, 1)(x), Value)
    out = Layer(2, 3)(x)
    assert isinstance(out, list) and len(out) == 3


@pytest.mark.parametrize("activation, expected", [("ReLU", 0.0), ("Tanh", math.tanh(-0.5)), ("Linear", -0.5)])
def test_activations(activation, expected):
    n = Neuron(2, activation=activation)
    n.w[0].data, n.w[1].data, n.b.data = 1.0, 2.0, 0.5
    assert n([1.0, -1.0]).data == pytest.approx(expected)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError):
        Neuron(2, activation="Sigmoid")


def test_activations_none_means_linear():
    model = MLP(1, [1, 1])
    assert [n.activation for layer in model.layers for n in layer.neurons] == ["Linear", "Linear"]


def test_zero_grad():
    model = MLP(2, [3, 1], activations=["Tanh", "Linear"])
    model([Value(0.3), Value(-0.7)]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_the_tutorials_tanh_neuron():
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert x1.grad == pytest.approx(-1.5, abs=1e-4)
    assert w1.grad == pytest.approx(1.0, abs=1e-4)
    assert x2.grad == pytest.approx(0.5, abs=1e-4)
    assert w2.grad == pytest.approx(0.0, abs=1e-12)
