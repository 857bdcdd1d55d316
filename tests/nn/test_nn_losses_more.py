"""CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, SmoothL1Loss, HuberLoss, KLDivLoss vs torch.

Values, gradients and grad_fn names per call are in tests/ops/op_db_loss.py; here: the
modules (reprs, buffers, state_dict), torch's errors and warnings, printed values, and
the order of additions of the reduced class-index losses.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import torch  # the oracle

import glasstorch as gt
import glasstorch.nn.functional as F
from glasstorch import nn

RNG = np.random.default_rng(7)


def both(build):
    """``build(lib)`` for torch and glasstorch: (torch's result, ours)."""
    return build(torch), build(gt)


def raises_like_torch(build):
    """glasstorch raises torch's exception type, with torch's message first."""
    with pytest.raises(Exception) as theirs:
        build(torch)
    with pytest.raises(type(theirs.value)) as ours:
        build(gt)
    assert str(ours.value).startswith(str(theirs.value)), (str(ours.value), str(theirs.value))
    return ours.value


# ----------------------------------------------------------------------------- modules
MODULES = [
    ("CrossEntropyLoss", {}), ("CrossEntropyLoss", {"label_smoothing": 0.1}),
    ("CrossEntropyLoss", {"ignore_index": 2, "reduction": "sum"}),
    ("NLLLoss", {}), ("NLLLoss", {"reduction": "none"}),
    ("BCEWithLogitsLoss", {}), ("SmoothL1Loss", {"beta": 0.5}), ("HuberLoss", {"delta": 2.0}),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}),
]


@pytest.mark.parametrize("name, kwargs", MODULES)
def test_module_repr_attributes_and_state_dict(name, kwargs):
    theirs, ours = both(lambda lib: getattr(lib.nn, name)(**kwargs))
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attr in ("reduction", "ignore_index", "label_smoothing", "beta", "delta", "log_target"):
        assert getattr(ours, attr, None) == getattr(theirs, attr, None), attr


def test_weight_and_pos_weight_are_buffers_like_torch():
    w = RNG.random(4).astype(np.float32)
    for name, kwargs in [("CrossEntropyLoss", ("weight",)), ("NLLLoss", ("weight",)),
                         ("BCEWithLogitsLoss", ("weight", "pos_weight"))]:
        theirs, ours = both(lambda lib, n=name, k=kwargs: getattr(lib.nn, n)(
            **{key: lib.tensor(w) for key in k}))
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
        for key in kwargs:
            np.testing.assert_array_equal(ours.state_dict()[key].numpy(),
                                          theirs.state_dict()[key].numpy())
    theirs, ours = both(lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(3)))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["pos_weight"]


@pytest.mark.parametrize("name, kwargs", MODULES)
def test_module_values_and_gradients_match_torch(name, kwargs):
    x = RNG.standard_normal((6, 4)).astype(np.float32)
    if name in ("CrossEntropyLoss", "NLLLoss"):
        target = RNG.integers(0, 4, 6)
    else:
        target = RNG.random((6, 4)).astype(np.float32)
        if kwargs.get("log_target"):
            target = np.log(target)

    def run(lib):
        xt = lib.tensor(x, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(lib.nn, name)(**kwargs)(xt, lib.tensor(target))
        out.sum().backward()
        return out, xt.grad

    (t_out, t_grad), (o_out, o_grad) = both(run)
    np.testing.assert_allclose(o_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-6,
                               atol=1e-7)
    np.testing.assert_allclose(o_grad.numpy(), t_grad.numpy(), rtol=1e-5, atol=1e-7)


# ----------------------------------------------------------------------------- printed values
@pytest.mark.parametrize("seed", range(5))
def test_printed_cross_entropy_equals_torch(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((8, 5)).astype(np.float32)
    target = rng.integers(0, 5, 8)
    theirs, ours = both(lambda lib: lib.nn.CrossEntropyLoss()(lib.tensor(x, requires_grad=True),
                                                              lib.tensor(target)))
    assert repr(ours) == repr(theirs)  # tensor(1.2345, grad_fn=<NllLossBackward0>)
    assert repr(ours.grad_fn).split()[0] == repr(theirs.grad_fn).split()[0]


@pytest.mark.parametrize("seed", range(3))
def test_printed_losses_equal_torch(seed):
    rng = np.random.default_rng(seed + 10)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    y = rng.random((4, 3)).astype(np.float32)
    for build in (lambda lib: lib.nn.BCEWithLogitsLoss()(lib.tensor(x), lib.tensor(y)),
                  lambda lib: lib.nn.SmoothL1Loss()(lib.tensor(x), lib.tensor(y)),
                  lambda lib: lib.nn.HuberLoss(delta=0.5)(lib.tensor(x), lib.tensor(y)),
                  lambda lib: lib.nn.KLDivLoss(reduction="batchmean")(lib.tensor(x),
                                                                       lib.tensor(y))):
        theirs, ours = both(build)
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("n", [1, 15, 17, 64, 300, 5000])
def test_nll_reduction_adds_in_torchs_order(n):
    """nll_loss has no exp/log: its sum (a cascade, LossNLL.cpp) must be bit-exact."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((n, 3)) * 10).astype(np.float32)
    target = rng.integers(0, 3, n)
    target[rng.random(n) < 0.3] = -100  # also at multiples of 16, where a flush is skipped
    w = rng.random(3).astype(np.float32)
    for reduction in ("mean", "sum"):
        for weighted in (False, True):
            theirs, ours = both(lambda lib, r=reduction, wt=weighted: lib.nn.functional.nll_loss(
                lib.tensor(x), lib.tensor(target), weight=lib.tensor(w) if wt else None,
                reduction=r))
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_cross_entropy_mostly_bit_exact_on_a_typical_batch():
    """Only exp/log may differ from torch's SIMD versions (by an ulp, now and then)."""
    exact = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((64, 10)).astype(np.float32)
        target = rng.integers(0, 10, 64)
        theirs, ours = both(lambda lib, x=x, target=target: lib.nn.functional.cross_entropy(
            lib.tensor(x), lib.tensor(target)))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-7)
        exact += ours.item() == theirs.item()
    assert exact >= 32


def test_ignore_index_and_weights_follow_torchs_mean():
    x = RNG.standard_normal((5, 3)).astype(np.float32)
    target = np.array([0, -100, 2, 1, -100])
    w = np.array([0.2, 1.0, 3.0], np.float32)
    theirs, ours = both(lambda lib: lib.nn.functional.cross_entropy(
        lib.tensor(x), lib.tensor(target), weight=lib.tensor(w)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    theirs, ours = both(lambda lib: lib.nn.functional.cross_entropy(
        lib.tensor(x), lib.full((5,), -100)))  # everything ignored: nan, as torch
    assert np.isnan(ours.item()) and np.isnan(theirs.item())


def test_uint8_targets_are_accepted_like_torch():
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    theirs, ours = both(lambda lib: lib.nn.functional.cross_entropy(
        lib.tensor(x), lib.tensor([0, 3, 1], dtype=lib.uint8)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ----------------------------------------------------------------------------- errors
def test_float_class_targets_teach_the_fix():
    err = raises_like_torch(lambda lib: lib.nn.CrossEntropyLoss()(
        lib.randn(3, 5), lib.tensor([0.0, 1.0, 2.0])))
    assert "target.long()" in str(err)
    raises_like_torch(lambda lib: lib.nn.functional.nll_loss(
        lib.randn(3, 5), lib.tensor([0, 1, 2], dtype=lib.int32)))


ERRORS = {
    "out_of_range": lambda lib: lib.nn.functional.cross_entropy(lib.ones(3, 5),
                                                                lib.tensor([0, 1, 5])),
    "negative": lambda lib: lib.nn.functional.cross_entropy(lib.ones(3, 5),
                                                            lib.tensor([0, -1, 2])),
    "out_of_range_none": lambda lib: lib.nn.functional.nll_loss(
        lib.ones(3, 5), lib.tensor([0, 1, 7]), reduction="none"),
    "out_of_range_4d": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(2, 3, 2, 2), lib.full((2, 2, 2), 3)),
    "batch": lambda lib: lib.nn.functional.cross_entropy(lib.ones(3, 5), lib.tensor([0, 1])),
    "multi_target": lambda lib: lib.nn.functional.cross_entropy(lib.ones(3, 5),
                                                                lib.zeros(3, 1).long()),
    "k_dim_3d": lambda lib: lib.nn.functional.cross_entropy(lib.ones(2, 5, 3),
                                                            lib.zeros(2, 4).long()),
    "k_dim_4d": lambda lib: lib.nn.functional.cross_entropy(lib.ones(2, 5, 3, 2),
                                                            lib.zeros(2, 4, 2).long()),
    "k_dim_4d_rank": lambda lib: lib.nn.functional.nll_loss(lib.ones(2, 5, 3, 2),
                                                            lib.zeros(2, 4).long()),
    "weight_size": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(3, 5), lib.tensor([0, 1, 2]), weight=lib.ones(4)),
    "weight_size_4d": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(2, 5, 3, 2), lib.zeros(2, 3, 2).long(), weight=lib.ones(4)),
    "probs_weight_size": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(3, 5), lib.ones(3, 5), weight=lib.ones(4)),
    "probs_ignore_index": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(3, 5), lib.ones(3, 5), ignore_index=1),
    "probs_long": lambda lib: lib.nn.functional.cross_entropy(lib.tensor(1.0), lib.tensor(0)),
    "label_smoothing": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(3, 5), lib.tensor([0, 1, 2]), label_smoothing=1.5),
    "reduction": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(3, 5), lib.tensor([0, 1, 2]), reduction="foo"),
    "int_input": lambda lib: lib.nn.functional.cross_entropy(lib.tensor([[1, 2]]),
                                                             lib.tensor([0])),
    "nll_0d": lambda lib: lib.nn.functional.nll_loss(lib.tensor(1.0), lib.tensor(0)),
    "bce_logits_size": lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.ones(3, 5), lib.ones(3, 4)),
    "bce_logits_long": lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.ones(3, 5), lib.ones(3, 5).long()),
    "bce_logits_pos_weight": lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.ones(3, 5), lib.ones(3, 5), pos_weight=lib.ones(4)),
    "smooth_l1_beta": lambda lib: lib.nn.functional.smooth_l1_loss(lib.ones(3), lib.ones(3),
                                                                   beta=-1.0),
    "huber_delta": lambda lib: lib.nn.functional.huber_loss(lib.ones(3), lib.ones(3),
                                                            delta=0.0),
    "huber_weight": lambda lib: lib.nn.functional.huber_loss(lib.ones(3), lib.ones(3),
                                                             weight=lib.ones(2)),
    "kl_int": lambda lib: lib.nn.functional.kl_div(lib.ones(3).long(), lib.ones(3),
                                                   reduction="sum"),
}


@pytest.mark.parametrize("case", ERRORS)
def test_errors_are_torchs(case):
    raises_like_torch(ERRORS[case])


def test_kl_div_mean_warns_like_torch():
    message = re.escape("reduction: 'mean' divides the total loss by both the batch size")
    with pytest.warns(UserWarning, match=message) as record:
        F.kl_div(gt.zeros(2, 2), gt.ones(2, 2))
    assert record[0].filename == __file__
    with pytest.warns(UserWarning, match=message):
        torch.nn.functional.kl_div(torch.zeros(2, 2), torch.ones(2, 2))


def test_legacy_size_average_reduce_map_to_a_reduction():
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    target = np.array([0, 2, 1, 1])
    for kwargs in ({"size_average": False}, {"reduce": False}):
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            ours = nn.CrossEntropyLoss(**kwargs)(gt.tensor(x), gt.tensor(target))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.CrossEntropyLoss(**kwargs)(torch.tensor(x), torch.tensor(target))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_smooth_l1_beta_zero_is_l1_like_torch():
    theirs, ours = both(lambda lib: lib.nn.functional.smooth_l1_loss(
        lib.tensor([0.5, -2.0], requires_grad=True), lib.zeros(2), beta=0.0))
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    assert ours.item() == theirs.item()


# ----------------------------------------------------------------------------- dtypes
def test_cross_entropy_keeps_float32_through_backward():
    """The (N, C) float32 path never upcasts (speed is measured in benchmarks/, not here)."""
    x = gt.randn(64, 10, requires_grad=True)
    target = gt.randint(0, 10, (64,))
    loss = F.cross_entropy(x, target)
    loss.backward()
    assert loss.dtype == gt.float32
    assert x.grad.dtype == gt.float32
