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


def _random_init_cases():
    cases = []
    for shape in [(5, 7), (16, 3, 3, 3), (4, 2, 5), (300, 20), (1, 1)]:
        cases += [("uniform_", {"a": -0.5, "b": 2.0}, shape), ("normal_", {}, shape),
                  ("xavier_uniform_", {"gain": 2.0}, shape), ("xavier_normal_", {}, shape)]
        for mode in ("fan_in", "fan_out"):
            for nonlinearity, a in [("leaky_relu", 0), ("leaky_relu", math.sqrt(5)),
                                    ("relu", 0), ("tanh", 0), ("linear", 0), ("sigmoid", 0),
                                    ("selu", 0), ("conv2d", 0)]:
                kwargs = {"a": a, "mode": mode, "nonlinearity": nonlinearity}
                cases += [("kaiming_uniform_", kwargs, shape),
                          ("kaiming_normal_", kwargs, shape)]
    return cases


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kwargs,shape", _random_init_cases())
def test_every_mode_draws_torchs_exact_bits(name, kwargs, shape, dtype):
    for seed in (0, 7):
        gt.manual_seed(seed)
        torch.manual_seed(seed)
        ours = getattr(init, name)(gt.empty(*shape, dtype=getattr(gt, dtype)), **kwargs)
        theirs = getattr(torch.nn.init, name)(torch.empty(*shape, dtype=getattr(torch, dtype)),
                                              **kwargs)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name", ["uniform_", "normal_", "xavier_uniform_", "xavier_normal_",
                                  "kaiming_uniform_", "kaiming_normal_"])
def test_generator_argument_draws_torchs_bits(name):
    ours = getattr(init, name)(gt.empty(6, 4), generator=gt.Generator().manual_seed(5))
    theirs = getattr(torch.nn.init, name)(torch.empty(6, 4),
                                          generator=torch.Generator().manual_seed(5))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("call", [
    lambda t: t.nn.init.xavier_uniform_(t.empty(3)),
    lambda t: t.nn.init.xavier_normal_(t.empty(0, 0)),
    lambda t: t.nn.init.kaiming_normal_(t.empty(3)),
    lambda t: t.nn.init.kaiming_normal_(t.empty(2, 3), nonlinearity="foo"),
    lambda t: t.nn.init.kaiming_uniform_(t.empty(2, 3), mode="x"),
    lambda t: t.nn.init.eye_(t.empty(2, 3, 4)),
    lambda t: t.nn.init.eye_(t.empty(2)),
    lambda t: t.nn.init.calculate_gain("leaky_relu", "a"),
    lambda t: t.nn.init._calculate_fan_in_and_fan_out(t.tensor(1.0)),
])
def test_errors_match_torch(call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(gt)
    assert str(ours.value) == str(theirs.value)


def test_mode_is_case_insensitive_and_eye_is_rectangular():
    gt.manual_seed(1)
    torch.manual_seed(1)
    np.testing.assert_array_equal(init.kaiming_normal_(gt.empty(3, 5), mode="FAN_OUT").numpy(),
                                  torch.nn.init.kaiming_normal_(torch.empty(3, 5),
                                                                mode="FAN_OUT").numpy())
    np.testing.assert_array_equal(init.eye_(gt.empty(2, 4)).numpy(),
                                  torch.nn.init.eye_(torch.empty(2, 4)).numpy())


@pytest.mark.parametrize("name", ["trunc_normal_", "orthogonal_", "dirac_"])
def test_missing_inits_are_named(name):
    with pytest.raises(AttributeError, match=f"does not implement torch.nn.init.{name}"):
        getattr(init, name)
