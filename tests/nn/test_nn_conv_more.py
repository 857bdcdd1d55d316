"""Conv1d, ConvTranspose2d, 1-d/adaptive-max pooling layers, interpolate and Upsample vs torch."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np, assert_close, copy_params  # noqa: E402

RNG = np.random.default_rng(11)


def randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def run_both(ours: Any, theirs: Any, x: np.ndarray, rtol: float = 1e-5,
             atol: float = 1e-6, **kw: Any) -> None:
    """Forward ``x`` through both modules, backward a random gradient, compare everything."""
    a = gt.tensor(x, requires_grad=True)
    b = torch.tensor(x, requires_grad=True)
    out_a, out_b = ours(a, **kw), theirs(b, **kw)
    if isinstance(out_b, tuple):
        np.testing.assert_array_equal(as_np(out_a[1]), out_b[1].numpy())
        out_a, out_b = out_a[0], out_b[0]
    assert tuple(out_a.shape) == tuple(out_b.shape)
    assert out_a.dtype == gt.float32
    assert_close(out_a, out_b, rtol, atol)
    assert out_a.grad_fn.name() == type(out_b.grad_fn).__name__
    g = randn(*out_b.shape)
    (out_a * gt.tensor(g)).sum().backward()
    (out_b * torch.tensor(g)).sum().backward()
    assert_close(a.grad, b.grad, rtol, atol)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert_close(p.grad, q.grad, rtol, atol * 10)


# ----------------------------------------------------------------------------- Conv1d
CONV1D_CONFIGS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1, 8, 3), {"padding": 1}),
    ((3, 4, 2), {}),
    ((4, 6, 3), {"stride": 2, "groups": 2, "bias": False}),
    ((2, 3, 3), {"dilation": 2, "padding": "same"}),
    ((2, 2, 5), {"padding": "valid", "stride": (2,)}),
    ((2, 3, 3), {"padding": 2, "padding_mode": "reflect"}),
    ((2, 3, 3), {"padding": 1, "padding_mode": "replicate"}),
    ((2, 3, 4), {"padding": "same", "padding_mode": "circular"}),
]


@pytest.mark.parametrize("args, kwargs", CONV1D_CONFIGS)
def test_conv1d_repr_attributes_and_forward_match_torch(args: tuple[Any, ...],
                                                        kwargs: dict[str, Any]) -> None:
    ours, theirs = nn.Conv1d(*args, **kwargs), torch.nn.Conv1d(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attr in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                 "groups", "padding_mode", "transposed", "output_padding",
                 "_reversed_padding_repeated_twice"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    copy_params(ours, theirs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's note on 'same' with an even kernel
        run_both(ours, theirs, randn(3, args[0], 11))
        run_both(ours, theirs, randn(args[0], 9))  # unbatched


@pytest.mark.parametrize("seed", [0, 5, 2024])
def test_conv1d_and_conv_transpose2d_init_is_bit_exact(seed: int) -> None:
    specs: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("Conv1d", (3, 8, 5), {}), ("Conv1d", (4, 6, 3), {"groups": 2}),
        ("ConvTranspose2d", (8, 4, 3), {}), ("ConvTranspose2d", (4, 6, (2, 3)), {"groups": 2}),
        ("ConvTranspose2d", (3, 5, 2), {"bias": False}), ("Conv1d", (2, 3, 1), {"bias": False}),
    ]
    gt.manual_seed(seed)
    torch.manual_seed(seed)
    ours = [getattr(nn, kind)(*a, **k) for kind, a, k in specs]
    theirs = [getattr(torch.nn, kind)(*a, **k) for kind, a, k in specs]
    for a, b in zip(ours, theirs, strict=True):
        for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
            assert tuple(p.shape) == tuple(q.shape)
            np.testing.assert_array_equal(as_np(p), as_np(q), err_msg=name)
    np.testing.assert_array_equal(as_np(gt.rand(5)), torch.rand(5).numpy())


def test_conv1d_float64_parameters() -> None:
    gt.manual_seed(3)
    torch.manual_seed(3)
    ours = nn.Conv1d(2, 3, 3, dtype=gt.float64)
    theirs = torch.nn.Conv1d(2, 3, 3, dtype=torch.float64)
    assert ours.weight.dtype == gt.float64
    np.testing.assert_array_equal(as_np(ours.weight), theirs.weight.detach().numpy())


# ----------------------------------------------------------------------------- ConvTranspose2d
CONVT_CONFIGS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((8, 4, 2), {"stride": 2}),
    ((3, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}),
    ((4, 6, (3, 2)), {"stride": (2, 1), "groups": 2, "bias": False, "dilation": (1, 2)}),
    ((2, 3, 4), {"stride": 3, "padding": 2, "output_padding": (2, 0)}),
    ((2, 2, 1), {}),
]


@pytest.mark.parametrize("args, kwargs", CONVT_CONFIGS)
def test_conv_transpose2d_module_matches_torch(args: tuple[Any, ...],
                                               kwargs: dict[str, Any]) -> None:
    ours, theirs = nn.ConvTranspose2d(*args, **kwargs), torch.nn.ConvTranspose2d(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for attr in ("kernel_size", "stride", "padding", "dilation", "groups", "transposed",
                 "output_padding", "padding_mode"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    copy_params(ours, theirs)
    run_both(ours, theirs, randn(2, args[0], 5, 6))
    run_both(ours, theirs, randn(args[0], 4, 3))


def test_conv_transpose2d_output_size_picks_output_padding() -> None:
    ours, theirs = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), \
        torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)
    copy_params(ours, theirs)
    run_both(ours, theirs, randn(1, 2, 4, 5), output_size=[8, 10])
    run_both(ours, theirs, randn(1, 2, 4, 5), output_size=(1, 3, 7, 9))
    for bad in ([20, 20], [8]):
        with pytest.raises(ValueError) as theirs_err:
            theirs(torch.zeros(1, 2, 4, 5), output_size=bad)
        with pytest.raises(ValueError) as ours_err:
            ours(gt.zeros(1, 2, 4, 5), output_size=bad)
        assert str(ours_err.value) == str(theirs_err.value)


def test_conv_transpose2d_rejects_other_padding_modes() -> None:
    msg = 'Only "zeros" padding mode is supported for ConvTranspose2d'
    with pytest.raises(ValueError, match=msg):
        torch.nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match=msg):
        nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")


def test_conv_transpose2d_is_the_gradient_of_conv2d() -> None:
    # conv_transpose2d(y, w) == d/dx <conv2d(x, w), y>: checks the layout of the weight
    x = gt.tensor(randn(2, 3, 7, 7), requires_grad=True)
    w = gt.tensor(randn(4, 3, 3, 3))
    y = gt.tensor(randn(2, 4, 3, 3))
    (gt.nn.functional.conv2d(x, w, stride=2) * y).sum().backward()
    up = gt.nn.functional.conv_transpose2d(y, w, stride=2)
    assert_close(up, x.grad, 1e-5, 1e-5)


# ----------------------------------------------------------------------------- pooling layers
POOL_LAYERS: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[int, ...]]] = [
    ("MaxPool1d", (3,), {}, (2, 3, 10)),
    ("MaxPool1d", (3, 2, 1, 2, True, True), {}, (2, 3, 10)),
    ("MaxPool1d", (2,), {"return_indices": True}, (3, 9)),
    ("AvgPool1d", (3,), {}, (2, 3, 10)),
    ("AvgPool1d", (3, 2, 1, True, False), {}, (2, 3, 10)),
    ("AvgPool1d", ((4,),), {"stride": (1,)}, (3, 9)),
    ("AdaptiveAvgPool1d", (3,), {}, (2, 3, 10)),
    ("AdaptiveAvgPool1d", (1,), {}, (3, 7)),
    ("AdaptiveMaxPool2d", ((2, None),), {}, (2, 3, 7, 5)),
    ("AdaptiveMaxPool2d", (3,), {"return_indices": True}, (3, 8, 7)),
    ("AdaptiveMaxPool2d", ((6, 4),), {}, (1, 2, 4, 3)),
]


@pytest.mark.parametrize("name, args, kwargs, shape", POOL_LAYERS)
def test_pooling_layers_match_torch(name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                                    shape: tuple[int, ...]) -> None:
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, randn(*shape))


def test_adaptive_max_pool2d_nan_and_ties_follow_torch() -> None:
    x = np.array([[[[1.0, 1.0, 0.0], [np.nan, 2.0, 2.0], [0.0, np.nan, 1.0]]]], np.float32)
    for size in (1, 2, (3, 2)):
        a = gt.nn.functional.adaptive_max_pool2d(gt.tensor(x), size, return_indices=True)
        b = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), size, return_indices=True)
        np.testing.assert_array_equal(as_np(a[0]), b[0].numpy())
        np.testing.assert_array_equal(as_np(a[1]), b[1].numpy())


# ----------------------------------------------------------------------------- interpolate
INTERPOLATE: list[tuple[tuple[int, ...], dict[str, Any]]] = [
    ((2, 3, 5, 7), {"scale_factor": 2}),
    ((2, 3, 5, 7), {"scale_factor": 0.5}),
    ((1, 2, 9, 4), {"scale_factor": (1.37, 2.71)}),
    ((1, 2, 9, 4), {"scale_factor": 1.37, "recompute_scale_factor": True}),
    ((1, 2, 9, 4), {"size": (13, 5)}),
    ((1, 2, 9, 4), {"size": 3}),
    ((2, 3, 7), {"scale_factor": 2.6}),
    ((2, 3, 7), {"size": 4}),
    ((2, 3, 5, 7), {"scale_factor": 2, "mode": "bilinear"}),
    ((2, 3, 5, 7), {"scale_factor": 0.3, "mode": "bilinear"}),
    ((1, 2, 9, 4), {"scale_factor": (1.37, 2.71), "mode": "bilinear"}),
    ((1, 2, 9, 4), {"size": (13, 5), "mode": "bilinear", "align_corners": True}),
    ((1, 2, 9, 4), {"size": (1, 1), "mode": "bilinear", "align_corners": True}),
    ((1, 2, 9, 4), {"size": (1, 1), "mode": "bilinear"}),
    ((1, 2, 9, 4), {"scale_factor": 1.5, "mode": "bilinear", "align_corners": True}),
    ((1, 2, 9, 4), {"scale_factor": 1.37, "mode": "bilinear", "recompute_scale_factor": True}),
    ((2, 3, 7), {"scale_factor": 2.6, "mode": "linear"}),
    ((2, 3, 7), {"size": 20, "mode": "linear", "align_corners": True}),
    ((2, 3, 7), {"size": 3, "mode": "linear"}),
    ((2, 3, 6, 6), {"size": (4, 3), "mode": "area"}),
    ((2, 3, 7), {"scale_factor": 0.5, "mode": "area"}),
]


@pytest.mark.parametrize("shape, kwargs", INTERPOLATE)
def test_interpolate_and_upsample_match_torch(shape: tuple[int, ...],
                                              kwargs: dict[str, Any]) -> None:
    def fn(lib: Any) -> Callable[[Any], Any]:
        return lambda x: lib.nn.functional.interpolate(x, **kwargs)

    class Wrap(gt.nn.Module):
        def __init__(self, f: Callable[[Any], Any]) -> None:
            super().__init__()
            self.f = f

        def forward(self, x: Any) -> Any:
            return self.f(x)

    class TWrap(torch.nn.Module):
        def __init__(self, f: Callable[[Any], Any]) -> None:
            super().__init__()
            self.f = f

        def forward(self, x: Any) -> Any:
            return self.f(x)

    run_both(Wrap(fn(gt)), TWrap(fn(torch)), randn(*shape))
    ours, theirs = nn.Upsample(**kwargs), torch.nn.Upsample(**kwargs)
    assert repr(ours) == repr(theirs)
    run_both(ours, theirs, randn(*shape))
    x = RNG.standard_normal(shape)  # float64: the index rules in double precision
    a = gt.nn.functional.interpolate(gt.tensor(x), **kwargs)
    b = torch.nn.functional.interpolate(torch.tensor(x), **kwargs)
    assert a.dtype == gt.float64
    np.testing.assert_allclose(as_np(a), b.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("size", [(5, 8), (17, 3), (7, 7)])
@pytest.mark.parametrize("factor", [1.1, 1.5, 1.9, 2.3, 0.7, 3.0, 0.34])
def test_interpolate_nearest_indices_match_torch(size: tuple[int, int], factor: float) -> None:
    # an arange input shows exactly which source pixel each output pixel copied
    x = np.arange(size[0] * size[1], dtype=np.float32).reshape(1, 1, *size)
    for kw in ({"scale_factor": factor}, {"scale_factor": factor, "recompute_scale_factor": True}):
        a = gt.nn.functional.interpolate(gt.tensor(x), **kw)
        b = torch.nn.functional.interpolate(torch.tensor(x), **kw)
        np.testing.assert_array_equal(as_np(a), b.numpy())


def test_upsample_reprs() -> None:
    for kwargs in ({"scale_factor": 2}, {"size": (3, 4)}, {"size": 5, "mode": "linear"},
                   {"scale_factor": (2, 3), "mode": "bilinear", "align_corners": True}):
        assert repr(nn.Upsample(**kwargs)) == repr(torch.nn.Upsample(**kwargs))
        assert nn.Upsample(**kwargs).scale_factor == torch.nn.Upsample(**kwargs).scale_factor


def test_interpolate_uint8_nearest() -> None:
    x = np.arange(24, dtype=np.uint8).reshape(1, 2, 3, 4)
    a = gt.nn.functional.interpolate(gt.tensor(x), scale_factor=1.5)
    b = torch.nn.functional.interpolate(torch.tensor(x), scale_factor=1.5)
    assert a.dtype == gt.uint8
    np.testing.assert_array_equal(as_np(a), b.numpy())


# ----------------------------------------------------------------------------- errors
ERRORS: list[tuple[str, Callable[[Any], Any]]] = [
    ("max_pool1d_1d", lambda t: t.nn.functional.max_pool1d(t.zeros(5), 2)),
    ("max_pool1d_k0", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 0)),
    ("max_pool1d_s0", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 2, 0)),
    ("max_pool1d_pad", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 2, 1, 2)),
    ("max_pool1d_negpad", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 2, 1, -1)),
    ("max_pool1d_d0", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 2, 1, 0, 0)),
    ("max_pool1d_small", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), 7)),
    ("max_pool1d_pair", lambda t: t.nn.functional.max_pool1d(t.zeros(1, 2, 5), (2, 2))),
    ("max_pool1d_long", lambda t: t.max_pool1d(t.zeros(1, 2, 5, dtype=t.int64), 2)),
    ("avg_pool1d_1d", lambda t: t.nn.functional.avg_pool1d(t.zeros(5), 2)),
    ("avg_pool1d_small", lambda t: t.nn.functional.avg_pool1d(t.zeros(2, 3, 5), 7)),
    ("avg_pool1d_pad", lambda t: t.nn.functional.avg_pool1d(t.zeros(2, 3, 5), 2, 1, 2)),
    ("avg_pool1d_s0", lambda t: t.nn.functional.avg_pool1d(t.zeros(2, 3, 5), 2, 0)),
    ("aap1d_1d", lambda t: t.nn.functional.adaptive_avg_pool1d(t.zeros(5), 2)),
    ("aap1d_pair", lambda t: t.nn.functional.adaptive_avg_pool1d(t.zeros(2, 3, 5), (2, 2))),
    ("amp2d_2d", lambda t: t.nn.functional.adaptive_max_pool2d(t.zeros(5, 5), 2)),
    ("amp2d_three", lambda t: t.nn.functional.adaptive_max_pool2d(t.zeros(2, 3, 5), (2, 2, 2))),
    ("amp2d_negative", lambda t: t.nn.functional.adaptive_max_pool2d(t.zeros(2, 3, 5), -1)),
    ("amp2d_long", lambda t: t.nn.functional.adaptive_max_pool2d(
        t.zeros(2, 3, 5, dtype=t.int64), 2)),
    ("conv1d_4d", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 4, 5), t.zeros(2, 3, 3))),
    ("conv1d_kernel", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 5), t.zeros(2, 3, 7))),
    ("conv1d_channels", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 5), t.zeros(2, 2, 3))),
    ("conv1d_bias", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 5), t.zeros(2, 3, 3),
                                                     t.zeros(3))),
    ("conv1d_stride_pair", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 5), t.zeros(2, 3, 3),
                                                            stride=(1, 1))),
    ("conv1d_dtype", lambda t: t.nn.functional.conv1d(t.zeros(2, 3, 5),
                                                      t.zeros(2, 3, 3, dtype=t.float64))),
    ("convT_outpad", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 4, 4), t.zeros(3, 2, 3, 3), output_padding=1)),
    ("convT_channels", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 4, 4), t.zeros(2, 2, 3, 3))),
    ("convT_unbatched_channels", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 4), t.zeros(3, 2, 3, 3))),
    ("convT_2d", lambda t: t.nn.functional.conv_transpose2d(t.zeros(4, 4), t.zeros(3, 2, 3, 3))),
    ("convT_negpad", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 4, 4), t.zeros(3, 2, 3, 3), padding=-1)),
    ("convT_small", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 1, 1), t.zeros(3, 2, 1, 1), padding=1)),
    ("convT_bias", lambda t: t.nn.functional.conv_transpose2d(
        t.zeros(1, 3, 1, 1), t.zeros(3, 2, 1, 1), t.zeros(3))),
    ("interp_both", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5), 3, 2.0)),
    ("interp_neither", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5))),
    ("interp_size_len", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5), size=(3, 3))),
    ("interp_scale_len", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5),
                                                               scale_factor=(3, 3))),
    ("interp_align_nearest", lambda t: t.nn.functional.interpolate(
        t.zeros(1, 2, 5), size=3, align_corners=True)),
    ("interp_recompute_size", lambda t: t.nn.functional.interpolate(
        t.zeros(1, 2, 5), size=3, recompute_scale_factor=True)),
    ("interp_antialias_linear", lambda t: t.nn.functional.interpolate(
        t.zeros(1, 2, 5), size=3, mode="linear", antialias=True)),
    ("interp_zero", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5), size=0)),
    ("interp_zero_scale", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5),
                                                                scale_factor=0.1)),
    ("interp_zero_2d", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 4, 5),
                                                             scale_factor=0.2, mode="bilinear")),
    ("interp_float_size", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5),
                                                                size=(2.0,))),
    ("interp_mode", lambda t: t.nn.functional.interpolate(t.zeros(1, 2, 5), size=3, mode="foo")),
    ("interp_2d_input", lambda t: t.nn.functional.interpolate(t.zeros(4, 4), size=2)),
    ("interp_linear_4d", lambda t: t.nn.functional.interpolate(t.zeros(1, 1, 4, 4), size=2,
                                                               mode="linear")),
    ("interp_bilinear_3d", lambda t: t.nn.functional.interpolate(t.zeros(1, 4, 4), size=2,
                                                                 mode="bilinear")),
    ("interp_long_bilinear", lambda t: t.nn.functional.interpolate(
        t.zeros(1, 1, 4, 4, dtype=t.int64), size=2, mode="bilinear")),
    ("interp_long_nearest", lambda t: t.nn.functional.interpolate(
        t.zeros(1, 1, 4, 4, dtype=t.int64), size=2)),
]


@pytest.mark.parametrize("name, call", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_torch(name: str, call: Callable[[Any], Any]) -> None:
    with pytest.raises(Exception) as theirs:  # noqa: B017, PT011  (any error: compared below)
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(gt)
    # torch's text first (our messages may add a hint after it); C++ errors drop the trace
    expected = str(theirs.value).split("\n")[0]
    if name == "interp_float_size":  # torch's TypeError here lists the python types
        expected = expected[:40]
    assert str(ours.value).startswith(expected), (str(ours.value), expected)


@pytest.mark.parametrize("mode, shape", [("bicubic", (1, 1, 4, 4)), ("trilinear", (1, 1, 2, 2, 2)),
                                         ("nearest-exact", (1, 1, 4)), ("nearest", (1, 1, 2, 2, 2)),
                                         ("area", (1, 1, 2, 2, 2))])
def test_unsupported_modes_raise_naming_the_mode(mode: str, shape: tuple[int, ...]) -> None:
    torch.nn.functional.interpolate(torch.zeros(shape), scale_factor=2, mode=mode)  # valid there
    with pytest.raises(NotImplementedError, match=f"mode='{mode}'"):
        gt.nn.functional.interpolate(gt.zeros(shape), scale_factor=2, mode=mode)


def test_antialias_raises_not_implemented() -> None:
    torch.nn.functional.interpolate(torch.zeros(1, 1, 8, 8), size=3, mode="bilinear",
                                    antialias=True)
    with pytest.raises(NotImplementedError, match="antialias=True"):
        gt.nn.functional.interpolate(gt.zeros(1, 1, 8, 8), size=3, mode="bilinear",
                                     antialias=True)


def test_public_names_exist_in_torch() -> None:
    for name in ("conv1d", "conv_transpose2d", "max_pool1d", "avg_pool1d",
                 "adaptive_avg_pool1d"):
        assert hasattr(torch, name) and hasattr(gt, name), name
    for name in ("conv1d", "conv_transpose2d", "max_pool1d", "max_pool1d_with_indices",
                 "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool2d",
                 "adaptive_max_pool2d_with_indices", "interpolate"):
        assert hasattr(torch.nn.functional, name) and hasattr(gt.nn.functional, name), name
