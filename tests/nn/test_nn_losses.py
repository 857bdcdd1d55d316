"""MSELoss, L1Loss and BCELoss against real torch: values, gradients, grad_fn, errors."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import assert_close  # noqa: E402

RNG = np.random.default_rng(1)
LOSSES = ["mse_loss", "l1_loss", "binary_cross_entropy"]
REDUCTIONS = ["mean", "sum", "none"]


def data(shape, loss):
    x = RNG.random(shape).astype(np.float32)
    if loss == "binary_cross_entropy":
        target = (RNG.random(shape) > 0.5).astype(np.float32)
        x.flat[0] = 0.0  # exercises the clamp of log(0) at -100
        target.flat[0] = 1.0
    else:
        target = RNG.standard_normal(shape).astype(np.float32)
    return x, target


def run(lib, loss, x, target, upstream=None, **kwargs):
    x_t = lib.tensor(x, requires_grad=True)
    t_t = lib.tensor(target, requires_grad=True)
    functional = gt.nn.functional if lib is gt else torch.nn.functional
    out = getattr(functional, loss)(x_t, t_t, **kwargs)
    out.backward(lib.tensor(upstream) if upstream is not None else None)
    return out, x_t.grad, t_t.grad


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("shape", [(4, 1), (3, 5), (7,)])
def test_loss_values_gradients_and_grad_fn_match_torch(shape, loss, reduction):
    x, target = data(shape, loss)
    upstream = RNG.random(shape).astype(np.float32) if reduction == "none" else None
    ours = run(gt, loss, x, target, upstream, reduction=reduction)
    theirs = run(torch, loss, x, target, upstream, reduction=reduction)
    assert ours[0].grad_fn.name() == theirs[0].grad_fn.name()
    assert ours[0].shape == theirs[0].shape and ours[0].dtype == gt.float32
    for a, b in zip(ours, theirs, strict=True):  # loss, input grad, target grad
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss"])
def test_broadcast_target_warns_like_torch(loss):
    x = RNG.random((4, 1)).astype(np.float32)
    target = RNG.random(4).astype(np.float32)
    message = re.escape(
        "Using a target size (torch.Size([4])) that is different to the input size "
        "(torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size.")
    with pytest.warns(UserWarning, match=message) as record:
        ours = run(gt, loss, x, target)
    assert record[0].filename == __file__  # points at the caller, not into glasstorch
    with pytest.warns(UserWarning, match=message):
        theirs = run(torch, loss, x, target)
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b, rtol=1e-5)


def test_loss_module_warning_points_at_user_code():
    with pytest.warns(UserWarning, match="different to the input size") as record:
        nn.MSELoss()(gt.ones(3, 1), gt.ones(3))
    assert record[0].filename == __file__


def test_same_shapes_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(gt.ones(3), gt.zeros(3))
        F.l1_loss(gt.ones(3), gt.zeros(3))


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_mse_and_l1_match_torch(loss, reduction):
    x, target = data((3, 2), loss)
    weight = RNG.random((3, 2)).astype(np.float32)
    upstream = np.ones((3, 2), np.float32) if reduction == "none" else None
    ours = run(gt, loss, x, target, upstream, reduction=reduction, weight=gt.tensor(weight))
    theirs = run(torch, loss, x, target, upstream, reduction=reduction,
                 weight=torch.tensor(weight))
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="Weights and input must have the same size."):
        F.mse_loss(gt.ones(3), gt.ones(3), weight=gt.ones(2))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_weight_matches_torch(reduction):
    x, target = data((3, 4), "binary_cross_entropy")
    weight = RNG.random(4).astype(np.float32)
    upstream = np.ones((3, 4), np.float32) if reduction == "none" else None
    ours = run(gt, "binary_cross_entropy", x, target, upstream, weight=gt.tensor(weight),
               reduction=reduction)
    theirs = run(torch, "binary_cross_entropy", x, target, upstream,
                 weight=torch.tensor(weight), reduction=reduction)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=2e-6, atol=1e-6)
    module = nn.BCELoss(weight=gt.tensor(weight), reduction=reduction)
    assert list(module.state_dict()) == ["weight"]
    assert_close(module(gt.tensor(x), gt.tensor(target)), theirs[0], rtol=2e-6, atol=1e-6)


def test_bce_clamps_log_at_minus_100():
    out = F.binary_cross_entropy(gt.tensor([0.0, 1.0]), gt.tensor([1.0, 0.0]))
    assert out.item() == 100.0
    x = gt.tensor([0.0, 1.0], requires_grad=True)
    F.binary_cross_entropy(x, gt.tensor([0.0, 1.0])).backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_bce_errors_are_torchs_with_hints():
    x = gt.tensor([[0.2], [0.9]], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^Found dtype Long but expected Float\. .*"
                       r"target\.float\(\)"):
        F.binary_cross_entropy(x, gt.tensor([[0], [1]]))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        F.binary_cross_entropy(x, gt.tensor([[0.0], [1.0]], dtype=gt.float64))
    with pytest.raises(ValueError, match=re.escape(
            "Using a target size (torch.Size([2])) that is different to the input size "
            "(torch.Size([2, 1])) is deprecated. Please ensure they have the same size.")):
        nn.BCELoss()(x, gt.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="^all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(x * 2, gt.tensor([[0.0], [1.0]]))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(gt.tensor([float("nan")]), gt.tensor([1.0]))
    with pytest.raises(RuntimeError, match="^all elements of target should be between 0 and 1$"):
        F.binary_cross_entropy(x, gt.tensor([[0.0], [2.0]]))


def test_bce_errors_agree_with_torch_on_type():
    cases = [
        lambda lib: (lib.tensor([[0.2], [0.9]]), lib.tensor([[0], [1]])),
        lambda lib: (lib.tensor([[0.2], [0.9]]), lib.tensor([0.0, 1.0])),
        lambda lib: (lib.tensor([[0.2], [1.9]]), lib.tensor([[0.0], [1.0]])),
    ]
    for make in cases:
        errors = []
        for lib in (gt, torch):
            functional = gt.nn.functional if lib is gt else torch.nn.functional
            with pytest.raises(Exception) as info:
                functional.binary_cross_entropy(*make(lib))
            errors.append(type(info.value))
        assert errors[0] is errors[1]


def test_invalid_and_legacy_reductions():
    with pytest.raises(ValueError, match="^bad is not a valid value for reduction"):
        F.mse_loss(gt.ones(2), gt.ones(2), reduction="bad")
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        nn.BCELoss(reduction="bad")(gt.ones(2) / 2, gt.ones(2))
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        nn.L1Loss(reduction="bad")(gt.ones(2), gt.ones(2))
    for size_average, reduce, expected in ((False, None, "sum"), (None, False, "none"),
                                           (True, True, "mean")):
        with pytest.warns(UserWarning, match=f"please use reduction='{expected}' instead"):
            ours = nn.MSELoss(size_average=size_average, reduce=reduce)
        with pytest.warns(UserWarning):
            theirs = torch.nn.MSELoss(size_average=size_average, reduce=reduce)
        assert ours.reduction == theirs.reduction == expected
    with pytest.warns(UserWarning, match="reduction='elementwise_mean' is deprecated"):
        out = F.mse_loss(gt.ones(2), gt.zeros(2), reduction="elementwise_mean")
    assert out.item() == 1.0
    with pytest.warns(UserWarning, match="reduction='sum'"):
        out = F.binary_cross_entropy(gt.tensor([0.5, 0.5]), gt.tensor([1.0, 1.0]),
                                     size_average=False)
    assert out.item() == pytest.approx(2 * np.log(2), rel=1e-6)


def test_loss_modules_repr_and_defaults():
    for name in ("MSELoss", "L1Loss", "BCELoss"):
        assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())
        assert getattr(nn, name)().reduction == "mean"


def test_mse_promotes_dtypes_like_torch():
    ours = F.mse_loss(gt.ones(2), gt.zeros(2, dtype=gt.float64))
    theirs = torch.nn.functional.mse_loss(torch.ones(2), torch.zeros(2, dtype=torch.float64))
    assert repr(ours.dtype) == repr(theirs.dtype) == "torch.float64"
    assert F.mse_loss(gt.ones(2), gt.tensor([0, 1])).dtype == gt.float32
    with pytest.raises(NotImplementedError, match="\"mse_cpu\" not implemented for 'Long'"):
        F.mse_loss(gt.tensor([1, 2]), gt.tensor([0, 1]))
    with pytest.raises(TypeError, match="argument 'target' must be Tensor, not list"):
        F.mse_loss(gt.ones(2), [1.0, 2.0])
