"""Dropout against real torch: the same mask bit for bit for the same seed, grads, modes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import glasstorch as gt
import glasstorch.nn.functional as F
from glasstorch import nn

DTYPES = {"float32": (gt.float32, torch.float32), "float64": (gt.float64, torch.float64)}


def _data(n, dtype, seed=0):
    return np.random.default_rng(seed).standard_normal(n).astype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", [0.1, 0.25, 1 / 3, 0.5, 0.8, 0.999, 0.001])
@pytest.mark.parametrize("n", [1, 7, 16, 100, 1000, 100000])
@pytest.mark.parametrize("seed", [0, 42, 123456789])
def test_mask_and_stream_position_match_torch_bitwise(seed, n, p, dtype):
    x = _data(n, dtype, seed)
    gt.manual_seed(seed)
    torch.manual_seed(seed)
    ours = F.dropout(gt.tensor(x), p)
    theirs = torch.nn.functional.dropout(torch.tensor(x), p)
    assert ours.numpy().tobytes() == theirs.numpy().tobytes()
    # the generator is left where torch leaves it
    assert gt.rand(5).numpy().tobytes() == torch.rand(5).numpy().tobytes()


@pytest.mark.parametrize("seed", [0, 7])
def test_consecutive_calls_and_layers_match_torch(seed):
    gt.manual_seed(seed)
    torch.manual_seed(seed)
    ours, theirs = nn.Dropout(0.3), torch.nn.Dropout(0.3)
    for shape in [(4, 5), (3,), (2, 3, 4), (50,)]:
        x = _data(int(np.prod(shape)), "float32").reshape(shape)
        o = ours(gt.tensor(x))
        t = theirs(torch.tensor(x))
        assert o.numpy().tobytes() == t.numpy().tobytes()
        o = gt.dropout(gt.tensor(x), 0.6, True)
        t = torch.dropout(torch.tensor(x), 0.6, True)
        assert o.numpy().tobytes() == t.numpy().tobytes()
    assert gt.randn(20).numpy().tobytes() == torch.randn(20).numpy().tobytes()


def test_transposed_input_is_masked_in_memory_order_like_torch():
    x = _data(12, "float32").reshape(3, 4)
    gt.manual_seed(3)
    torch.manual_seed(3)
    ours = F.dropout(gt.tensor(x).t(), 0.5)
    theirs = torch.nn.functional.dropout(torch.tensor(x).t(), 0.5)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_and_grad_fn_match_torch(dtype):
    x = _data(64, dtype)
    up = _data(64, dtype, seed=1)
    gt.manual_seed(0)
    torch.manual_seed(0)
    xo = gt.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    yo = F.dropout(xo, 0.4)
    yt = torch.nn.functional.dropout(xt, 0.4)
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__ == "MulBackward0"
    yo.backward(gt.tensor(up))
    yt.backward(torch.tensor(up))
    assert xo.grad.numpy().tobytes() == xt.grad.numpy().tobytes()
    assert yo.dtype == DTYPES[dtype][0]


def test_identity_cases_return_the_input_and_draw_nothing():
    for lib, fn in [(gt, F.dropout), (torch, torch.nn.functional.dropout)]:
        lib.manual_seed(0)
        x = lib.ones(5, requires_grad=True)
        assert fn(x, 0.0) is x
        assert fn(x, 0.5, training=False) is x
        assert lib.dropout(x, 0.0, True) is x
        assert lib.dropout(x, 0.7, False) is x
        empty = lib.ones(0)
        assert fn(empty, 0.5) is empty
    gt.manual_seed(0)
    torch.manual_seed(0)
    ours = F.dropout(gt.ones(5, requires_grad=True), 1.0)
    theirs = torch.nn.functional.dropout(torch.ones(5, requires_grad=True), 1.0)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert gt.rand(3).numpy().tobytes() == torch.rand(3).numpy().tobytes()


def test_inplace_dropout_matches_torch():
    x = _data(30, "float32")
    gt.manual_seed(5)
    torch.manual_seed(5)
    base_o = gt.tensor(x, requires_grad=True)
    base_t = torch.tensor(x, requires_grad=True)
    yo, yt = base_o * 1, base_t * 1
    out_o = F.dropout(yo, 0.5, inplace=True)
    out_t = torch.nn.functional.dropout(yt, 0.5, inplace=True)
    assert out_o is yo and out_t is yt
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__
    np.testing.assert_array_equal(yo.detach().numpy(), yt.detach().numpy())
    yo.sum().backward()
    yt.sum().backward()
    np.testing.assert_array_equal(base_o.grad.numpy(), base_t.grad.numpy())
    m_o, m_t = nn.Dropout(0.2, inplace=True), torch.nn.Dropout(0.2, inplace=True)
    a, b = gt.tensor(x), torch.tensor(x)
    m_o(a)
    m_t(b)
    np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_train_and_eval_modes():
    ours, theirs = nn.Dropout(), torch.nn.Dropout()
    assert repr(ours) == repr(theirs) == "Dropout(p=0.5, inplace=False)"
    assert repr(nn.Dropout(0.2, True)) == repr(torch.nn.Dropout(0.2, True))
    ours.eval()
    x = gt.ones(4)
    assert ours(x) is x
    ours.train()
    gt.manual_seed(0)
    torch.manual_seed(0)
    assert ours(gt.ones(10)).numpy().tobytes() == theirs(torch.ones(10)).numpy().tobytes()
    assert "Dropout" in nn.__all__


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (the type is what is compared)
        return type(e), str(e).split(" (")[0]
    return None


@pytest.mark.parametrize("fn", [
    lambda t: t.nn.functional.dropout(t.ones(3), 1.5),
    lambda t: t.nn.functional.dropout(t.ones(3), -0.1),
    lambda t: t.dropout(t.ones(3), 1.5, True),
    lambda t: t.nn.Dropout(-0.1),
    lambda t: t.nn.Dropout(2),
    lambda t: t.nn.functional.dropout(t.arange(5), 0.5),
    lambda t: t.nn.functional.dropout(t.ones(3, requires_grad=True), 0.5, inplace=True),
])
def test_errors_match_torch(fn):
    ours, theirs = _error(lambda: fn(gt)), _error(lambda: fn(torch))
    assert ours is not None
    assert ours[0] is theirs[0]
    assert ours[1].startswith(theirs[1][:45])
