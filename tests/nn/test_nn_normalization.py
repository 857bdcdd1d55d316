"""BatchNorm1d/2d, LayerNorm and F.batch_norm/layer_norm/normalize against real torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np, copy_params  # noqa: E402

RNG = np.random.default_rng(7)


def data(*shape, dtype=np.float32, scale=3.0, shift=1.0):
    return (RNG.standard_normal(shape) * scale + shift).astype(dtype)


def check_state(ours, theirs, rtol=1e-6, atol=1e-7):
    """Same keys in the same order, same dtypes and shapes, close values."""
    mine, other = ours.state_dict(), theirs.state_dict()
    assert list(mine) == list(other)
    for key in other:
        assert repr(mine[key].dtype) == repr(other[key].dtype), key
        assert tuple(mine[key].shape) == tuple(other[key].shape), key
        np.testing.assert_allclose(as_np(mine[key]), as_np(other[key]), rtol=rtol, atol=atol,
                                   err_msg=key)


BN_CASES = [
    ("BatchNorm1d", (8, 4), {}),
    ("BatchNorm1d", (6, 3, 5), {}),
    ("BatchNorm1d", (6, 3, 5), {"momentum": None}),
    ("BatchNorm1d", (5, 4), {"affine": False}),
    ("BatchNorm1d", (5, 4), {"bias": False}),
    ("BatchNorm1d", (5, 4), {"track_running_stats": False}),
    ("BatchNorm2d", (4, 3, 5, 5), {}),
    ("BatchNorm2d", (2, 2, 3, 4), {"momentum": 0.5, "eps": 1e-3}),
    ("BatchNorm2d", (3, 2, 4, 4), {"momentum": None, "affine": False}),
    ("BatchNorm2d", (3, 2, 4, 4), {"track_running_stats": False, "affine": False}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("cls,shape,kwargs", BN_CASES)
def test_batchnorm_training_steps_and_eval_match_torch(cls, shape, kwargs, dtype):
    ours = getattr(nn, cls)(shape[1], dtype=getattr(gt, dtype), **kwargs)
    theirs = getattr(torch.nn, cls)(shape[1], dtype=getattr(torch, dtype), **kwargs)
    if ours.affine:  # non-trivial affine parameters
        with gt.no_grad():
            ours.weight.copy_(gt.tensor(data(shape[1], dtype=dtype, scale=0.5)))
            if ours.bias is not None:
                ours.bias.copy_(gt.tensor(data(shape[1], dtype=dtype, scale=0.5)))
        copy_params(ours, theirs)
    tol = (2e-6, 1e-6) if dtype == "float32" else (1e-12, 1e-13)
    for _ in range(4):
        x = data(*shape, dtype=dtype)
        upstream = data(*shape, dtype=dtype, scale=1.0, shift=0.0)
        x_ours = gt.tensor(x, requires_grad=True)
        x_theirs = torch.tensor(x, requires_grad=True)
        out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
        assert out_ours.grad_fn.name() == type(out_theirs.grad_fn).__name__
        assert out_ours.dtype == getattr(gt, dtype)
        np.testing.assert_allclose(as_np(out_ours), as_np(out_theirs), *tol)
        out_ours.backward(gt.tensor(upstream))
        out_theirs.backward(torch.tensor(upstream))
        np.testing.assert_allclose(as_np(x_ours.grad), as_np(x_theirs.grad), 1e-5 if
                                   dtype == "float32" else 1e-11, tol[1] * 10)
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
            np.testing.assert_allclose(as_np(p.grad), as_np(q.grad), 1e-5 if
                                       dtype == "float32" else 1e-11, tol[1] * 10, err_msg=name)
        check_state(ours, theirs, *tol)
    ours.eval()
    theirs.eval()
    x = data(*shape, dtype=dtype)
    np.testing.assert_allclose(as_np(ours(gt.tensor(x))), as_np(theirs(torch.tensor(x))), *tol)
    check_state(ours, theirs, *tol)  # eval mode leaves the running statistics alone


def test_batchnorm_float32_forward_is_bit_exact_for_3d_and_4d_input():
    # torch's contiguous CPU kernel: double accumulation, fused multiply-adds (see ops)
    for shape in [(8, 5, 7), (4, 3, 6, 6)]:
        ours, theirs = nn.BatchNorm2d(shape[1]) if len(shape) == 4 else nn.BatchNorm1d(
            shape[1]), (torch.nn.BatchNorm2d if len(shape) == 4 else torch.nn.BatchNorm1d)(
            shape[1])
        for _ in range(3):
            x = data(*shape)
            np.testing.assert_array_equal(as_np(ours(gt.tensor(x))),
                                          as_np(theirs(torch.tensor(x))))
        np.testing.assert_array_equal(as_np(ours.running_mean), as_np(theirs.running_mean))
        np.testing.assert_array_equal(as_np(ours.running_var), as_np(theirs.running_var))
        ours.eval()
        theirs.eval()
        x = data(*shape)
        np.testing.assert_array_equal(as_np(ours(gt.tensor(x))), as_np(theirs(torch.tensor(x))))


def test_momentum_none_is_a_cumulative_average():
    ours, theirs = nn.BatchNorm1d(3, momentum=None), torch.nn.BatchNorm1d(3, momentum=None)
    batches = [data(5, 3) for _ in range(3)]
    for x in batches:
        ours(gt.tensor(x))
        theirs(torch.tensor(x))
    assert int(ours.num_batches_tracked) == 3
    np.testing.assert_allclose(as_np(ours.running_mean), as_np(theirs.running_mean), 1e-6)
    # the cumulative average of the three batch means, computed independently
    expected = np.mean([b.astype(np.float64).mean(axis=0) for b in batches], axis=0)
    np.testing.assert_allclose(as_np(ours.running_mean), expected, 1e-5)


def test_running_var_uses_the_unbiased_batch_variance():
    bn = nn.BatchNorm1d(2, momentum=1.0)
    x = data(6, 2)
    bn(gt.tensor(x))
    np.testing.assert_allclose(as_np(bn.running_var), x.astype(np.float64).var(axis=0, ddof=1),
                               1e-5)
    np.testing.assert_allclose(as_np(bn.running_mean), x.astype(np.float64).mean(axis=0), 1e-5)


def test_running_stats_are_updated_in_place_without_graph():
    bn = nn.BatchNorm1d(3)
    mean, var = bn.running_mean, bn.running_var
    bn(gt.randn(4, 3, requires_grad=True))
    assert bn.running_mean is mean and bn.running_var is var
    assert not mean.requires_grad and mean.grad_fn is None and var.grad_fn is None
    theirs = torch.nn.BatchNorm1d(3)
    theirs(torch.randn(4, 3))
    assert mean._version == theirs.running_mean._version
    assert bn.num_batches_tracked._version == theirs.num_batches_tracked._version


def test_state_dict_keys_dtypes_and_loading_from_torch():
    ours, theirs = nn.BatchNorm2d(4), torch.nn.BatchNorm2d(4)
    for _ in range(2):
        theirs(torch.randn(3, 4, 2, 2) * 2 + 1)
    assert list(ours.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                       "num_batches_tracked"]
    ours.load_state_dict({k: gt.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    check_state(ours, theirs, 0, 0)
    assert ours.num_batches_tracked.dtype == gt.int64 and ours.num_batches_tracked.ndim == 0
    assert [name for name, _ in ours.named_buffers()] == [
        name for name, _ in theirs.named_buffers()]
    no_stats = nn.BatchNorm1d(3, affine=False, track_running_stats=False)
    assert list(no_stats.state_dict()) == list(
        torch.nn.BatchNorm1d(3, affine=False, track_running_stats=False).state_dict()) == []
    assert no_stats.running_mean is None and no_stats.num_batches_tracked is None


def test_reset_running_stats_and_parameters():
    ours = nn.BatchNorm1d(3)
    ours(gt.randn(4, 3) * 5)
    with gt.no_grad():
        ours.weight.mul_(3)
    ours.reset_running_stats()
    assert ours.running_mean.tolist() == [0, 0, 0] and ours.running_var.tolist() == [1, 1, 1]
    assert int(ours.num_batches_tracked) == 0 and ours.weight.tolist() != [1, 1, 1]
    ours.reset_parameters()
    assert ours.weight.tolist() == [1, 1, 1] and ours.bias.tolist() == [0, 0, 0]


@pytest.mark.parametrize("make", [
    lambda nn: nn.BatchNorm1d(3),
    lambda nn: nn.BatchNorm1d(5, eps=1e-3, momentum=None, affine=False),
    lambda nn: nn.BatchNorm2d(8, track_running_stats=False),
    lambda nn: nn.BatchNorm2d(2, bias=False),
    lambda nn: nn.LayerNorm(4),
    lambda nn: nn.LayerNorm([2, 3], eps=1e-6, elementwise_affine=False),
    lambda nn: nn.LayerNorm((5,), bias=False),
    lambda nn: nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.LayerNorm(3)),
])
def test_reprs_and_parameters_match_torch(make):
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_batchnorm_input_errors_match_torch():
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        nn.BatchNorm1d(3)(gt.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input\)"):
        nn.BatchNorm2d(3)(gt.zeros(2, 3))
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when "
                       r"training, got input size torch.Size\(\[1, 3\]\)"):
        nn.BatchNorm1d(3)(gt.zeros(1, 3))
    with pytest.raises(ValueError, match=r"got input size torch.Size\(\[1, 3, 1, 1\]\)"):
        nn.BatchNorm2d(3)(gt.zeros(1, 3, 1, 1))
    bn = nn.BatchNorm1d(3).eval()  # a single sample is fine in eval mode
    assert bn(gt.ones(1, 3)).shape == (1, 3)
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        nn.BatchNorm1d(4)(gt.zeros(2, 3))


@pytest.mark.parametrize("call", [
    lambda t, x: t.nn.functional.batch_norm(x, t.zeros(4), t.ones(3), training=True),
    lambda t, x: t.nn.functional.batch_norm(x, None, None, training=False),
    lambda t, x: t.nn.functional.batch_norm(x, None, None, t.ones(4), training=True),
    lambda t, x: t.nn.functional.batch_norm(x, None, None, None, t.ones(2), training=True),
    lambda t, x: t.nn.functional.batch_norm(x, None, t.ones(3), training=True),
    lambda t, x: t.nn.functional.batch_norm(x.long(), None, None, training=True),
    lambda t, x: t.nn.functional.batch_norm(x.double(), t.zeros(3), t.ones(3), training=True),
    lambda t, x: t.nn.functional.layer_norm(x, (4,)),
    lambda t, x: t.nn.functional.layer_norm(x, (3,), t.ones(4)),
    lambda t, x: t.nn.functional.layer_norm(x, (3,), None, t.ones(2)),
    lambda t, x: t.nn.functional.layer_norm(x, 3),
    lambda t, x: t.nn.functional.layer_norm(x, ()),
    lambda t, x: t.nn.functional.layer_norm(x.long(), (3,)),
    lambda t, x: t.nn.functional.layer_norm(x.double(), (3,), t.ones(3)),
])
def test_functional_errors_match_torch(call):
    x = np.ones((4, 3), dtype=np.float32)
    with pytest.raises(Exception) as theirs:
        call(torch, torch.tensor(x))
    with pytest.raises(type(theirs.value)) as ours:
        call(gt, gt.tensor(x))
    # torch's text first; glasstorch may add a hint after it
    assert str(ours.value).startswith(str(theirs.value).split("\n")[0].rstrip(".")), \
        (str(ours.value), str(theirs.value))


def test_batch_norm_of_empty_batch_is_empty_and_keeps_stats():
    for lib in (gt, torch):
        mean, var = lib.zeros(3), lib.ones(3)
        out = lib.nn.functional.batch_norm(lib.zeros(0, 3), mean, var, training=True)
        assert tuple(out.shape) == (0, 3)
        assert mean.tolist() == [0, 0, 0] and var.tolist() == [1, 1, 1]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,normalized,kwargs", [
    ((4, 6), 6, {}),
    ((2, 3, 4), (3, 4), {}),
    ((2, 3, 5), [5], {"eps": 1e-3}),
    ((3, 5), 5, {"elementwise_affine": False}),
    ((3, 5), 5, {"bias": False}),
])
def test_layernorm_matches_torch(shape, normalized, kwargs, dtype):
    ours = nn.LayerNorm(normalized, dtype=getattr(gt, dtype), **kwargs)
    theirs = torch.nn.LayerNorm(normalized, dtype=getattr(torch, dtype), **kwargs)
    with gt.no_grad():
        for p in ours.parameters():
            p.copy_(gt.tensor(data(*p.shape, dtype=dtype, scale=0.5)))
    copy_params(ours, theirs)
    x, upstream = data(*shape, dtype=dtype), data(*shape, dtype=dtype, shift=0.0)
    x_ours, x_theirs = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    assert out_ours.grad_fn.name() == type(out_theirs.grad_fn).__name__
    rtol, atol = (5e-6, 2e-6) if dtype == "float32" else (1e-12, 1e-13)
    np.testing.assert_allclose(as_np(out_ours), as_np(out_theirs), rtol, atol)
    out_ours.backward(gt.tensor(upstream))
    out_theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(as_np(x_ours.grad), as_np(x_theirs.grad), rtol * 4, atol * 4)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(as_np(p.grad), as_np(q.grad), rtol * 4, atol * 4,
                                   err_msg=name)
    check_state(ours, theirs, rtol, atol)


def test_constant_input_stays_finite_as_in_torch():
    # zero variance: eps keeps it finite; float32 rounding leaves torch's tiny residue
    for lib_call in (lambda t: t.nn.functional.layer_norm(t.full((2, 4), 3.0), (4,)),
                     lambda t: t.nn.functional.batch_norm(t.full((3, 2), 1.5), None, None,
                                                          training=True)):
        np.testing.assert_array_equal(as_np(lib_call(gt)), as_np(lib_call(torch)))


@pytest.mark.parametrize("args", [{}, {"p": 1.0}, {"dim": 0}, {"p": 3.0, "dim": -1},
                                  {"eps": 10.0}])
def test_normalize_matches_torch(args):
    x = data(4, 3, 2, shift=0.0)
    x[0, 0] = 0.0  # a zero vector: clamped by eps, as in torch
    up = data(4, 3, 2, scale=1.0, shift=0.0)
    x_ours, x_theirs = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours = F.normalize(x_ours, **args)
    out_theirs = torch.nn.functional.normalize(x_theirs, **args)
    assert out_ours.grad_fn.name() == type(out_theirs.grad_fn).__name__ == "DivBackward0"
    np.testing.assert_allclose(as_np(out_ours), as_np(out_theirs), 1e-6, 1e-7)
    out_ours.backward(gt.tensor(up))
    out_theirs.backward(torch.tensor(up))
    np.testing.assert_allclose(as_np(x_ours.grad), as_np(x_theirs.grad), 1e-5, 1e-6)


def test_normalize_out_and_dim_errors():
    x = data(3, 2)
    out_ours, out_theirs = gt.empty(3, 2), torch.empty(3, 2)
    F.normalize(gt.tensor(x), out=out_ours)
    torch.nn.functional.normalize(torch.tensor(x), out=out_theirs)
    np.testing.assert_allclose(as_np(out_ours), as_np(out_theirs), 1e-6)
    with pytest.raises(IndexError, match=r"Dimension out of range"):
        F.normalize(gt.zeros(3))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        F.normalize(gt.zeros(3, 2, requires_grad=True), out=gt.empty(3, 2))
