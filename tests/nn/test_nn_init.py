"""nn.init against real torch: gains, fans, and the exact random draws under manual_seed."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch.nn import init  # noqa: E402


@pytest.mark.parametrize("args", [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                                  ("leaky_relu",), ("leaky_relu", 0.2), ("leaky_relu", 1),
                                  ("selu",)])
def test_calculate_gain_matches_torch(args):
    assert init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity softmax"):
        init.calculate_gain("softmax")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 5), (6, 2, 3, 3)])
def test_fan_in_and_fan_out_match_torch(shape):
    assert init._calculate_fan_in_and_fan_out(gt.zeros(*shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(*shape))


def test_fan_needs_two_dimensions():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(gt.zeros(3))
    with pytest.raises(ValueError, match=r"Mode fan_avg not supported, please use one of "
                       r"\['fan_in', 'fan_out'\]"):
        init.kaiming_uniform_(gt.zeros(2, 2), mode="fan_avg")


INITS = [
    ("uniform_", {}),
    ("uniform_", {"a": -0.5, "b": 2.0}),
    ("normal_", {"mean": 1.0, "std": 0.5}),
    ("xavier_uniform_", {}),
    ("xavier_normal_", {"gain": 2.0}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {}),
]


@pytest.mark.parametrize("name,kwargs", INITS)
def test_random_inits_draw_torchs_numbers(name, kwargs):
    gt.manual_seed(3)
    torch.manual_seed(3)
    ours = getattr(init, name)(gt.empty(5, 7), **kwargs)
    theirs = getattr(torch.nn.init, name)(torch.empty(5, 7), **kwargs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_inits_work_on_parameters_without_recording():
    weight = gt.nn.Parameter(gt.zeros(2, 3))
    for fill in (init.zeros_, init.ones_, lambda t: init.constant_(t, 0.3), init.eye_,
                 init.xavier_uniform_):
        assert fill(weight) is weight
        assert weight.grad_fn is None and weight.requires_grad and weight.is_leaf


def test_constant_inits_match_torch():
    for name, args in (("zeros_", ()), ("ones_", ()), ("constant_", (0.25,)), ("eye_", ())):
        ours = getattr(init, name)(gt.empty(3, 4), *args)
        theirs = getattr(torch.nn.init, name)(torch.empty(3, 4), *args)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(gt.zeros(3))


def test_zero_element_tensor_warns():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(gt.zeros(0, 3))
