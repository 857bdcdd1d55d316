"""Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d and the conv/pool/pad functions vs torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np, assert_close, copy_params  # noqa: E402

RNG = np.random.default_rng(3)


def randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


# ----------------------------------------------------------------------------- Conv2d
CONV_CONFIGS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, 8, 3), {"padding": 1}),
    ((3, 4, (2, 3)), {}),
    ((4, 6, 3), {"stride": 2, "groups": 2, "bias": False}),
    ((2, 3, 3), {"dilation": 2, "padding": "same"}),
    ((2, 2, 5), {"padding": "valid", "stride": (1, 2)}),
    ((2, 3, 3), {"padding": 2, "padding_mode": "reflect"}),
    ((2, 3, 3), {"padding": (1, 2), "padding_mode": "replicate"}),
    ((2, 3, 3), {"padding": 1, "padding_mode": "circular"}),
    ((2, 3, 4), {"padding": "same", "padding_mode": "reflect"}),
    ((16, 32, 5), {}),
]


@pytest.mark.parametrize("args, kwargs", CONV_CONFIGS)
def test_conv2d_repr_and_parameters_match_torch(args: tuple[Any, ...],
                                               kwargs: dict[str, Any]) -> None:
    ours, theirs = nn.Conv2d(*args, **kwargs), torch.nn.Conv2d(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                     strict=True):
        assert name == tname and tuple(p.shape) == tuple(q.shape)
    for attr in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                 "groups", "padding_mode", "transposed", "output_padding",
                 "_reversed_padding_repeated_twice"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr


@pytest.mark.parametrize("seed", [0, 1, 42, 2024])
def test_conv2d_init_is_bit_exact_under_manual_seed(seed: int) -> None:
    shapes: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((1, 8, 3), {}), ((8, 16, 3), {"padding": 1}), ((3, 5, (2, 4)), {}),
        ((4, 6, 3), {"groups": 2}), ((2, 3, 1), {"bias": False}), ((6, 6, 5), {"groups": 6}),
    ]
    gt.manual_seed(seed)
    torch.manual_seed(seed)
    ours = [nn.Conv2d(*a, **k) for a, k in shapes]
    theirs = [torch.nn.Conv2d(*a, **k) for a, k in shapes]
    for a, b in zip(ours, theirs, strict=True):
        for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
            assert p.dtype == gt.float32
            np.testing.assert_array_equal(as_np(p), as_np(q), err_msg=name)
    # the stream continues in step after the layers
    np.testing.assert_array_equal(as_np(gt.rand(5)), torch.rand(5).numpy())


def test_conv2d_float64_init_matches_torch() -> None:
    gt.manual_seed(7)
    torch.manual_seed(7)
    ours = nn.Conv2d(3, 4, 3, dtype=gt.float64)
    theirs = torch.nn.Conv2d(3, 4, 3, dtype=torch.float64)
    assert ours.weight.dtype == gt.float64
    np.testing.assert_array_equal(as_np(ours.weight), theirs.weight.detach().numpy())
    np.testing.assert_array_equal(as_np(ours.bias), theirs.bias.detach().numpy())


@pytest.mark.parametrize("args, kwargs", CONV_CONFIGS)
@pytest.mark.parametrize("batched", [True, False])
def test_conv2d_forward_and_gradients_match_torch(args: tuple[Any, ...], kwargs: dict[str, Any],
                                                  batched: bool) -> None:
    ours, theirs = nn.Conv2d(*args, **kwargs), torch.nn.Conv2d(*args, **kwargs)
    copy_params(ours, theirs)
    x = randn(*((2,) if batched else ()), args[0], 9, 8)
    x_ours, x_theirs = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    assert out_ours.shape == out_theirs.shape
    assert out_ours.grad_fn.name() == out_theirs.grad_fn.name()
    assert_close(out_ours, out_theirs, rtol=1e-4, atol=1e-5)
    upstream = randn(*out_theirs.shape)
    out_ours.backward(gt.tensor(upstream))
    out_theirs.backward(torch.tensor(upstream))
    assert_close(x_ours.grad, x_theirs.grad, rtol=1e-4, atol=1e-5)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(as_np(p.grad), q.grad.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=name)


@pytest.mark.parametrize("kwargs, error", [
    ({"groups": 0}, "groups must be a positive integer"),
    ({"groups": 2}, "in_channels must be divisible by groups"),
    ({"padding": "full"}, "Invalid padding string 'full'"),
    ({"padding": "same", "stride": 2}, "padding='same' is not supported for strided"),
    ({"padding_mode": "mirror"}, "padding_mode must be one of"),
])
def test_conv2d_constructor_errors_match_torch(kwargs: dict[str, Any], error: str) -> None:
    args = (3, 4, 3)
    with pytest.raises(ValueError, match=error):
        torch.nn.Conv2d(*args, **kwargs)
    with pytest.raises(ValueError, match=error):
        nn.Conv2d(*args, **kwargs)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)


# ----------------------------------------------------------------------------- pooling modules
POOLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}),
    ("MaxPool2d", ((2, 3),), {"stride": (1, 2), "dilation": 2}),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", (3, 2, 1), {"count_include_pad": False, "ceil_mode": True}),
    ("AvgPool2d", ((3, 2),), {"divisor_override": 5}),
    ("AdaptiveAvgPool2d", ((1, 1),), {}),
    ("AdaptiveAvgPool2d", (3,), {}),
    ("AdaptiveAvgPool2d", ((None, 2),), {}),
]


@pytest.mark.parametrize("name, args, kwargs", POOLS)
def test_pooling_layers_match_torch(name: str, args: tuple[Any, ...],
                                    kwargs: dict[str, Any]) -> None:
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert ours.state_dict() == {} and len(theirs.state_dict()) == 0
    x = randn(2, 3, 7, 9)
    x_ours, x_theirs = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    assert out_ours.grad_fn.name() == type(out_theirs.grad_fn).__name__
    assert_close(out_ours, out_theirs, rtol=1e-5, atol=1e-6)
    upstream = randn(*out_theirs.shape)
    out_ours.backward(gt.tensor(upstream))
    out_theirs.backward(torch.tensor(upstream))
    assert_close(x_ours.grad, x_theirs.grad, rtol=1e-5, atol=1e-6)


def test_maxpool_return_indices_module() -> None:
    x = randn(2, 3, 6, 6)
    out_ours, idx_ours = nn.MaxPool2d(2, return_indices=True)(gt.tensor(x))
    out_theirs, idx_theirs = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x))
    assert idx_ours.dtype == gt.int64
    np.testing.assert_array_equal(as_np(idx_ours), idx_theirs.numpy())
    assert_close(out_ours, out_theirs)


def test_maxpool_nan_and_ties_follow_torch() -> None:
    x = np.array([[[[1.0, np.nan, 2.0, 2.0], [np.nan, -4.0, 2.0, 2.0]]]], np.float32)
    ours = F.max_pool2d(gt.tensor(x, requires_grad=True), 2, return_indices=True)
    theirs = torch.nn.functional.max_pool2d(torch.tensor(x, requires_grad=True), 2,
                                            return_indices=True)
    np.testing.assert_array_equal(as_np(ours[0]), theirs[0].detach().numpy())
    np.testing.assert_array_equal(as_np(ours[1]), theirs[1].numpy())


# ----------------------------------------------------------------------------- errors
BAD_CALLS: list[tuple[str, Any]] = [
    ("conv_channels", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 3, 3, 3))),
    ("conv_weight_dim", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3))),
    ("conv_kernel_big", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 7, 7))),
    ("conv_input_dim", lambda t, x: t.nn.functional.conv2d(x[0, 0], t.ones(3, 2, 3, 3))),
    ("conv_groups", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 1, 3, 3), groups=2)),
    ("conv_bias", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), t.ones(2))),
    ("conv_stride0", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), stride=0)),
    ("conv_pad_neg", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), padding=-1)),
    ("conv_dilation0", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), dilation=0)),
    ("conv_same_strided",
     lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), stride=2, padding="same")),
    ("conv_bad_string", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), padding="x")),
    ("conv_dtype", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3).double())),
    ("conv_bias_dtype",
     lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), t.ones(3).double())),
    ("conv_stride_len", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3),
                                                             stride=(1, 2, 3))),
    ("conv_groups0", lambda t, x: t.nn.functional.conv2d(x, t.ones(3, 2, 3, 3), groups=0)),
    ("max_pad", lambda t, x: t.nn.functional.max_pool2d(x, 3, padding=2)),
    ("max_small", lambda t, x: t.nn.functional.max_pool2d(x, 7)),
    ("max_stride0", lambda t, x: t.nn.functional.max_pool2d(x, 2, stride=0)),
    ("max_kernel3", lambda t, x: t.nn.functional.max_pool2d(x, (2, 2, 2))),
    ("max_dilation0", lambda t, x: t.nn.functional.max_pool2d(x, 2, 2, 0, 0)),
    ("max_neg_pad", lambda t, x: t.nn.functional.max_pool2d(x, 2, 2, -1)),
    ("max_2d", lambda t, x: t.nn.functional.max_pool2d(x[0, 0], 2)),
    ("max_empty", lambda t, x: t.nn.functional.max_pool2d(t.ones(2, 0, 4, 4), 2)),
    ("avg_pad", lambda t, x: t.nn.functional.avg_pool2d(x, 3, padding=2)),
    ("avg_divisor0", lambda t, x: t.nn.functional.avg_pool2d(x, 3, 2, 1, True, False, 0)),
    ("avg_int32", lambda t, x: t.nn.functional.avg_pool2d(x.int(), 2)),
    ("adaptive_neg", lambda t, x: t.nn.functional.adaptive_avg_pool2d(x, (-1, 2))),
    ("adaptive_len", lambda t, x: t.nn.functional.adaptive_avg_pool2d(x, (1, 2, 3))),
    ("adaptive_2d", lambda t, x: t.nn.functional.adaptive_avg_pool2d(x[0, 0], 2)),
    ("adaptive_long", lambda t, x: t.nn.functional.adaptive_avg_pool2d(x.long(), 2)),
    ("pad_odd", lambda t, x: t.nn.functional.pad(x, (1,))),
    ("pad_long", lambda t, x: t.nn.functional.pad(x, (1,) * 10)),
    ("pad_float", lambda t, x: t.nn.functional.pad(x, (1.5, 1))),
    ("pad_mode", lambda t, x: t.nn.functional.pad(x, (1, 1), mode="foo")),
    ("pad_value", lambda t, x: t.nn.functional.pad(x, (1, 1, 1, 1), mode="reflect", value=2.0)),
    ("pad_reflect_size", lambda t, x: t.nn.functional.pad(x, (1, 1, 5, 1), mode="reflect")),
    ("pad_reflect_dims", lambda t, x: t.nn.functional.pad(x, (1, 1), mode="reflect")),
    ("pad_reflect_1d", lambda t, x: t.nn.functional.pad(x[0, 0, 0], (1, 1), mode="reflect")),
    ("pad_circular_wrap", lambda t, x: t.nn.functional.pad(x, (6, 0, 1, 1), mode="circular")),
    ("pad_crop_all", lambda t, x: t.nn.functional.pad(x, (-6, 0))),
]


@pytest.mark.parametrize("name, call", BAD_CALLS, ids=[n for n, _ in BAD_CALLS])
def test_errors_match_torch(name: str, call: Any) -> None:
    x = randn(1, 2, 5, 5)
    with pytest.raises(Exception) as theirs:
        call(torch, torch.tensor(x))
    with pytest.raises(type(theirs.value)) as ours:
        call(gt, gt.tensor(x))
    torch_text = str(theirs.value).split("\n")[0]
    assert str(ours.value).startswith(torch_text), (str(ours.value), torch_text)


# ----------------------------------------------------------------------------- functions
def test_conv2d_is_the_same_function_as_torch_conv2d() -> None:
    assert F.conv2d is gt.conv2d
    assert gt.max_pool2d is not F.max_pool2d  # torch's has no return_indices either
    assert not hasattr(gt, "avg_pool2d") and not hasattr(torch, "avg_pool2d")


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_modes_grad_fn_names(mode: str) -> None:
    for shape, pad in [((2, 5), (1, 2)), ((2, 4, 5), (1, 2, 2, 1)), ((1, 2, 4, 5), (1, 2)),
                       ((1, 2, 3, 4, 5), (1, 1, 1, 1, 1, 1))]:
        x = randn(*shape)
        try:
            theirs = torch.nn.functional.pad(torch.tensor(x, requires_grad=True), pad, mode=mode)
        except NotImplementedError:
            with pytest.raises(NotImplementedError):
                F.pad(gt.tensor(x, requires_grad=True), pad, mode=mode)
            continue
        ours = F.pad(gt.tensor(x, requires_grad=True), pad, mode=mode)
        assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
        assert_close(ours, theirs)


# ----------------------------------------------------------------------------- a small CNN
def _cnn(lib: Any) -> Any:
    nn_ = lib.nn
    return nn_.Sequential(
        nn_.Conv2d(1, 8, 3, padding=1), nn_.ReLU(), nn_.MaxPool2d(2),
        nn_.Conv2d(8, 16, 3, padding=1), nn_.ReLU(), nn_.AvgPool2d(2),
        nn_.Conv2d(16, 16, 1, groups=4), nn_.AdaptiveAvgPool2d((2, 2)),
    )


def test_small_cnn_training_steps_match_torch() -> None:
    gt.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = _cnn(gt), _cnn(torch)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(as_np(p), q.detach().numpy())  # the same init, bit for bit
    head_ours, head_theirs = nn.Linear(64, 10), torch.nn.Linear(64, 10)
    copy_params(head_ours, head_theirs)
    opt_ours = gt.optim.SGD([*ours.parameters(), *head_ours.parameters()], lr=0.1)
    opt_theirs = torch.optim.SGD([*theirs.parameters(), *head_theirs.parameters()], lr=0.1)
    for _ in range(3):
        x, y = randn(16, 1, 8, 8), randn(16, 10)
        loss_ours = F.mse_loss(head_ours(ours(gt.tensor(x)).reshape(16, -1)), gt.tensor(y))
        loss_theirs = torch.nn.functional.mse_loss(
            head_theirs(theirs(torch.tensor(x)).reshape(16, -1)), torch.tensor(y))
        np.testing.assert_allclose(loss_ours.item(), loss_theirs.item(), rtol=1e-5)
        opt_ours.zero_grad()
        opt_theirs.zero_grad()
        loss_ours.backward()
        loss_theirs.backward()
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            np.testing.assert_allclose(as_np(p.grad), q.grad.numpy(), rtol=1e-4, atol=1e-6)
        opt_ours.step()
        opt_theirs.step()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(as_np(p), q.detach().numpy(), rtol=1e-4, atol=1e-6)
