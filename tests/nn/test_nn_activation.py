"""Activation layers and functions against real torch: values, grads, reprs, warnings, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import glasstorch as gt
import glasstorch.nn.functional as F
from glasstorch import nn

RNG = np.random.default_rng(0)

LAYERS = [
    ("LeakyReLU", (), {}),
    ("LeakyReLU", (0.2, True), {}),
    ("LeakyReLU", (), {"negative_slope": 0.05}),
    ("ELU", (), {}),
    ("ELU", (0.5, True), {}),
    ("GELU", (), {}),
    ("GELU", ("tanh",), {}),
    ("SiLU", (), {}),
    ("SiLU", (True,), {}),
    ("Softplus", (), {}),
    ("Softplus", (2, 10), {}),
    ("Softplus", (), {"beta": 1.5}),
    ("Softmax", (1,), {}),
    ("Softmax", (), {"dim": -1}),
    ("LogSoftmax", (1,), {}),
    ("LogSoftmax", (), {"dim": 0}),
    ("Hardtanh", (), {}),
    ("Hardtanh", (-2.0, 2, True), {}),
    ("Hardtanh", (-2, 2), {}),
    ("ReLU6", (), {}),
    ("ReLU6", (True,), {}),
    ("ReLU", (), {}),
    ("Sigmoid", (), {}),
    ("Tanh", (), {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "args", "kwargs"), LAYERS)
def test_layer_matches_torch(name, args, kwargs, dtype):
    ours = getattr(nn, name)(*args, **kwargs)
    theirs = getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    x = (RNG.standard_normal((3, 5)) * 3).astype(dtype)
    up = RNG.standard_normal((3, 5)).astype(dtype)
    xo = gt.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    # in-place layers need a non-leaf input
    yo, yt = ours(xo * 1), theirs(xt * 1)
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__
    tol = {"float32": (1e-5, 1e-6), "float64": (1e-12, 1e-14)}[dtype]
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), *tol)
    yo.backward(gt.tensor(up))
    yt.backward(torch.tensor(up))
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), *tol)
    assert yo.dtype == getattr(gt, dtype)


def test_layers_are_registered_in_nn():
    for name in ["LeakyReLU", "ELU", "GELU", "SiLU", "Softplus", "Softmax", "LogSoftmax",
                 "Hardtanh", "ReLU6"]:
        assert name in nn.__all__
        assert getattr(nn, name).__name__ == getattr(torch.nn, name).__name__


def test_layer_attributes_match_torch():
    pairs = [(nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)), (nn.ELU(), torch.nn.ELU()),
             (nn.Softplus(2, 10), torch.nn.Softplus(2, 10)),
             (nn.Hardtanh(-3, 3), torch.nn.Hardtanh(-3, 3)), (nn.ReLU6(), torch.nn.ReLU6()),
             (nn.Softmax(), torch.nn.Softmax()), (nn.GELU("tanh"), torch.nn.GELU("tanh"))]
    for ours, theirs in pairs:
        for key in ("negative_slope", "alpha", "beta", "threshold", "min_val", "max_val",
                    "inplace", "dim", "approximate"):
            assert getattr(ours, key, "absent") == getattr(theirs, key, "absent")


def _warning_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 4), (2, 3, 4, 5)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_implicit_dim_warns_and_picks_torchs_dim(name, shape):
    x = RNG.standard_normal(shape).astype(np.float32)
    ours, our_warnings = _warning_of(lambda: getattr(F, name)(gt.tensor(x)))
    theirs, their_warnings = _warning_of(
        lambda: getattr(torch.nn.functional, name)(torch.tensor(x)))
    assert our_warnings == their_warnings
    assert len(our_warnings) == 1
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), 1e-6, 1e-6)


def test_softmax_module_without_dim_warns_like_torch():
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    ours, our_warnings = _warning_of(lambda: nn.Softmax()(gt.tensor(x)))
    theirs, their_warnings = _warning_of(lambda: torch.nn.Softmax()(torch.tensor(x)))
    assert our_warnings == their_warnings
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), 1e-6, 1e-6)
    _, our_warnings = _warning_of(lambda: nn.LogSoftmax()(gt.tensor(x)))
    _, their_warnings = _warning_of(lambda: torch.nn.LogSoftmax()(torch.tensor(x)))
    assert our_warnings == their_warnings


def test_implicit_dim_warning_points_at_the_callers_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F.softmax(gt.ones(2, 2))
    assert caught[0].filename == __file__


def test_softmax_is_stable_and_handles_infinities():
    x = np.array([[1000.0, 1000.0, -np.inf], [-1000.0, 0.0, 1000.0]], dtype=np.float32)
    for name in ["softmax", "log_softmax"]:
        ours = getattr(gt, name)(gt.tensor(x), 1).numpy()
        theirs = getattr(torch, name)(torch.tensor(x), 1).numpy()
        np.testing.assert_array_equal(np.isfinite(ours), np.isfinite(theirs))
        np.testing.assert_allclose(ours, theirs, 1e-6, 1e-6)


def test_softmax_dtype_argument_and_methods():
    x = RNG.standard_normal((2, 3)).astype(np.float32)
    for name in ["softmax", "log_softmax"]:
        xo = gt.tensor(x, requires_grad=True)
        xt = torch.tensor(x, requires_grad=True)
        ours = getattr(xo, name)(1, dtype=gt.float64)
        theirs = getattr(xt, name)(1, dtype=torch.float64)
        assert ours.dtype == gt.float64 and theirs.dtype == torch.float64
        assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
        assert ours.grad_fn.next_functions[0][0].name() == \
            type(theirs.grad_fn.next_functions[0][0]).__name__
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), 1e-12)
        ints = getattr(gt, name)(gt.arange(3), 0, dtype=gt.float32)
        np.testing.assert_allclose(
            ints.numpy(), getattr(torch, name)(torch.arange(3), 0, dtype=torch.float32).numpy(),
            1e-6)


def test_softmax_of_scalars_and_empty_tensors():
    for shape, dim in [((), 0), ((), -1), ((0, 3), 1), ((2, 0), 1)]:
        x = np.ones(shape, np.float32)
        for name in ["softmax", "log_softmax"]:
            ours = getattr(gt, name)(gt.tensor(x), dim)
            theirs = getattr(torch, name)(torch.tensor(x), dim)
            assert tuple(ours.shape) == tuple(theirs.shape)
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (the type is what is compared)
        return type(e), str(e).split(" (")[0]
    return None


ERRORS = [
    lambda t, F: t.softmax(t.arange(3), 0),
    lambda t, F: t.softmax(t.ones(2, 3, dtype=t.int64), 0),
    lambda t, F: t.log_softmax(t.arange(3), 0),
    lambda t, F: t.log_softmax(t.ones(2, 3, dtype=t.int64), 0),
    lambda t, F: t.softmax(t.ones(2, 3), 2),
    lambda t, F: t.softmax(t.tensor(2.0), 1),
    lambda t, F: F.leaky_relu(t.arange(3)),
    lambda t, F: F.elu(t.arange(3)),
    lambda t, F: F.gelu(t.arange(3)),
    lambda t, F: F.silu(t.arange(3)),
    lambda t, F: F.softplus(t.arange(3)),
    lambda t, F: F.gelu(t.ones(2), approximate="foo"),
    lambda t, F: F.hardtanh(t.ones(2), 2.0, 1.0),
    lambda t, F: t.nn.Hardtanh(2, 1),
    lambda t, F: F.leaky_relu(t.ones(2, requires_grad=True), inplace=True),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    ours = _error(lambda: fn(gt, F))
    theirs = _error(lambda: fn(torch, torch.nn.functional))
    assert ours is not None and theirs is not None
    assert ours[0] is theirs[0]
    assert ours[1].startswith(theirs[1][:40])


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
def test_inplace_negative_slope_backward_errors_like_torch(name):
    def run(t, Fn):
        x = t.ones(3, requires_grad=True)
        y = x * -1
        getattr(Fn, name)(y, -0.1, inplace=True)
        y.sum().backward()

    ours = _error(lambda: run(gt, F))
    theirs = _error(lambda: run(torch, torch.nn.functional))
    assert ours == theirs


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "silu", "hardtanh", "relu6"])
def test_inplace_writes_into_the_input(name):
    x = RNG.standard_normal(6).astype(np.float32) * 4
    ours, theirs = gt.tensor(x), torch.tensor(x)
    out_o = getattr(F, name)(ours, inplace=True)
    out_t = getattr(torch.nn.functional, name)(theirs, inplace=True)
    assert out_o is ours and out_t is theirs
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), 1e-6, 1e-7)


def test_hardtanh_on_integers_and_nan():
    ours = F.hardtanh(gt.arange(-3, 3))
    theirs = torch.nn.functional.hardtanh(torch.arange(-3, 3))
    assert ours.dtype == gt.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    x = np.array([np.nan, -5.0, 5.0], np.float32)
    np.testing.assert_array_equal(F.hardtanh(gt.tensor(x)).numpy(),
                                  torch.nn.functional.hardtanh(torch.tensor(x)).numpy())


def test_extreme_values_match_torch():
    x = np.array([-1e4, -100.0, -30.0, -1e-8, 0.0, 1e-8, 30.0, 100.0, 1e4], np.float32)
    for name, kwargs in [("silu", {}), ("elu", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"}),
                         ("softplus", {}), ("leaky_relu", {})]:
        ours = getattr(F, name)(gt.tensor(x), **kwargs).numpy()
        theirs = getattr(torch.nn.functional, name)(torch.tensor(x), **kwargs).numpy()
        np.testing.assert_allclose(ours, theirs, 1e-6, 1e-30)


def test_hardtanh_deprecated_keywords_warn_like_torch():
    _, ours = _warning_of(lambda: nn.Hardtanh(min_value=-2.0))
    _, theirs = _warning_of(lambda: torch.nn.Hardtanh(min_value=-2.0))
    assert ours == theirs and ours
    ours, _ = _warning_of(lambda: repr(nn.Hardtanh(max_value=3.0)))
    theirs, _ = _warning_of(lambda: repr(torch.nn.Hardtanh(max_value=3.0)))
    assert ours == theirs
