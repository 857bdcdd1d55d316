"""GroupNorm, InstanceNorm, Dropout1d/2d, padding and pixel-shuffle layers against real torch."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch as gt
import glasstorch.nn.functional as F


def _x(*shape: int, seed: int = 0, dtype: str = "float32") -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _run(lib: Any, module: Any, x: np.ndarray) -> tuple[Any, Any]:
    """Output and input gradient of ``module`` on ``x`` (a weighted sum as the loss)."""
    inp = lib.tensor(x, requires_grad=True)
    out = module(inp)
    w = lib.tensor(np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape)).astype(x.dtype))
    (out * w).sum().backward()
    return out, inp.grad


def _close(ours: Any, theirs: Any, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    o = ours.detach().numpy() if hasattr(ours, "detach") else np.asarray(ours)
    t = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    assert o.shape == t.shape and o.dtype == t.dtype
    np.testing.assert_allclose(o, t, rtol=rtol, atol=atol)


def _same_error(fn: Any) -> None:
    """``fn(lib)`` raises the same exception type in both, our message starting with torch's."""
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(gt)
    assert str(ours.value).startswith(str(theirs.value).split(" (")[0][:60])


# ---------------------------------------------------------------------------- GroupNorm

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("groups,shape", [(2, (4, 6, 5)), (3, (2, 6, 3, 4)), (1, (3, 4)),
                                          (4, (2, 4, 7))])
def test_group_norm_module_matches_torch(groups, shape, dtype):
    c = shape[1]
    ours, theirs = gt.nn.GroupNorm(groups, c, dtype=getattr(gt, dtype)), torch.nn.GroupNorm(
        groups, c, dtype=getattr(torch, dtype))
    w, b = _x(c, seed=1, dtype=dtype) + 1, _x(c, seed=2, dtype=dtype)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(w))
        theirs.bias.copy_(torch.tensor(b))
    ours.weight.data = gt.tensor(w)
    ours.bias.data = gt.tensor(b)
    x = _x(*shape, dtype=dtype) * 3 + 1
    o, og = _run(gt, ours, x)
    t, tg = _run(torch, theirs, x)
    assert o.grad_fn.name() == t.grad_fn.name() == "NativeGroupNormBackward0"
    _close(o, t)
    _close(og, tg, 1e-4, 1e-5)
    _close(ours.weight.grad, theirs.weight.grad, 1e-4, 1e-5)
    _close(ours.bias.grad, theirs.bias.grad, 1e-5, 1e-5)


def test_group_norm_repr_state_dict_and_options():
    for args, kw in [((2, 4), {}), ((1, 3), {"affine": False}), ((2, 6), {"eps": 1e-3}),
                     ((2, 4), {"bias": False})]:
        o, t = gt.nn.GroupNorm(*args, **kw), torch.nn.GroupNorm(*args, **kw)
        assert repr(o) == repr(t)
        assert list(o.state_dict()) == list(t.state_dict())
        assert [n for n, _ in o.named_parameters()] == [n for n, _ in t.named_parameters()]


def test_group_norm_errors_match_torch():
    _same_error(lambda t: t.nn.GroupNorm(4, 6))
    _same_error(lambda t: t.nn.functional.group_norm(t.ones(2, 6, 3), 4))
    _same_error(lambda t: t.nn.functional.group_norm(t.ones(2, 6, 3), 3, t.ones(5)))
    _same_error(lambda t: t.nn.functional.group_norm(t.ones(1, 3, 1), 3))
    _same_error(lambda t: t.nn.functional.group_norm(t.ones(3), 3))
    _same_error(lambda t: t.nn.functional.group_norm(t.ones(2, 6, 3, dtype=t.int64), 3))


# ------------------------------------------------------------------------- InstanceNorm

@pytest.mark.parametrize("cls,shape", [("InstanceNorm1d", (3, 4, 5)), ("InstanceNorm1d", (4, 6)),
                                       ("InstanceNorm2d", (2, 3, 4, 5)),
                                       ("InstanceNorm2d", (3, 2, 4))])
@pytest.mark.parametrize("kw", [{}, {"affine": True}, {"track_running_stats": True},
                                {"affine": True, "track_running_stats": True, "momentum": 0.3},
                                {"track_running_stats": True, "momentum": None}])
def test_instance_norm_module_matches_torch(cls, shape, kw):
    c = shape[-2] if cls == "InstanceNorm1d" else shape[-3]
    ours, theirs = getattr(gt.nn, cls)(c, **kw), getattr(torch.nn, cls)(c, **kw)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for step in range(3):  # training steps update the running statistics
        x = _x(*shape, seed=step) * 2 + step
        o, og = _run(gt, ours, x)
        t, tg = _run(torch, theirs, x)
        assert o.grad_fn.name() == t.grad_fn.name()
        _close(o, t)
        _close(og, tg, 1e-4, 1e-5)
    for (n, a), (m, b) in zip(ours.state_dict().items(), theirs.state_dict().items(),
                                     strict=True):
        assert n == m
        _close(a, b)
    if kw.get("affine"):
        _close(ours.weight.grad, theirs.weight.grad, 1e-4, 1e-5)
        _close(ours.bias.grad, theirs.bias.grad, 1e-4, 1e-5)
    ours.eval()
    theirs.eval()
    x = _x(*shape, seed=9)
    o, og = _run(gt, ours, x)
    t, tg = _run(torch, theirs, x)
    assert o.grad_fn.name() == t.grad_fn.name()
    _close(o, t)
    _close(og, tg, 1e-4, 1e-5)


def test_instance_norm_functional_matches_torch():
    x = _x(3, 2, 5)
    outs = []
    for lib in (gt, torch):
        rm, rv = lib.tensor([0.5, -1.0]), lib.tensor([2.0, 0.5])
        y = lib.nn.functional.instance_norm(lib.tensor(x), rm, rv, momentum=0.25)
        z = lib.nn.functional.instance_norm(lib.tensor(x), rm, rv, use_input_stats=False)
        outs.append((y, z, rm, rv))
    for a, b in zip(*outs, strict=True):
        _close(a, b)


def test_instance_norm_checks_and_warnings_match_torch():
    _same_error(lambda t: t.nn.InstanceNorm1d(3)(t.ones(2, 3, 4, 5)))
    _same_error(lambda t: t.nn.InstanceNorm2d(3)(t.ones(3, 4)))
    _same_error(lambda t: t.nn.InstanceNorm2d(3, affine=True)(t.ones(2, 4, 3, 3)))
    _same_error(lambda t: t.nn.functional.instance_norm(t.ones(2, 3, 1)))
    _same_error(lambda t: t.nn.functional.instance_norm(t.ones(2, 3, 4), use_input_stats=False))
    for lib in (gt, torch):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            lib.nn.InstanceNorm1d(3)(lib.ones(2, 4, 5))
        assert any("does not match num_features" in str(w.message) for w in rec)


# ---------------------------------------------------------------------- Dropout1d / 2d

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", [0.1, 0.5, 1 / 3, 0.9])
@pytest.mark.parametrize("fn,shape", [("dropout1d", (5, 7, 3)), ("dropout1d", (6, 4)),
                                      ("dropout2d", (4, 5, 3, 2)), ("dropout2d", (3, 4, 6)),
                                      ("dropout2d", (40, 30, 2, 2))])
@pytest.mark.parametrize("seed", [0, 1234])
def test_feature_dropout_bits_grads_and_stream_match_torch(seed, fn, shape, p, dtype):
    x = _x(*shape, seed=seed, dtype=dtype)
    res = []
    for lib in (gt, torch):
        lib.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            o, g = _run(lib, lambda i, lib=lib: getattr(lib.nn.functional, fn)(i, p), x)
        res.append((o, g, o.grad_fn.name(), lib.rand(5).numpy()))
    (o, og, on, oafter), (t, tg, tn, tafter) = res
    assert on == tn
    assert o.detach().numpy().tobytes() == t.detach().numpy().tobytes()
    assert og.numpy().tobytes() == tg.numpy().tobytes()
    assert oafter.tobytes() == tafter.tobytes()  # the generator is left where torch leaves it


@pytest.mark.parametrize("cls", ["Dropout1d", "Dropout2d"])
def test_feature_dropout_modules_match_torch(cls):
    shape = (3, 4, 5) if cls == "Dropout1d" else (3, 4, 2, 2)
    ours, theirs = getattr(gt.nn, cls)(0.3), getattr(torch.nn, cls)(0.3)
    assert repr(ours) == repr(theirs)
    assert repr(getattr(gt.nn, cls)(p=0.1, inplace=True)) == repr(
        getattr(torch.nn, cls)(p=0.1, inplace=True))
    gt.manual_seed(5)
    torch.manual_seed(5)
    for _ in range(3):
        x = _x(*shape)
        assert ours(gt.tensor(x)).numpy().tobytes() == theirs(torch.tensor(x)).numpy().tobytes()
    x = _x(*shape)
    a, b = gt.tensor(x), torch.tensor(x)
    ours.inplace = theirs.inplace = True
    assert ours(a) is a and theirs(b) is b
    assert a.numpy().tobytes() == b.numpy().tobytes()
    ours.eval()
    a = gt.tensor(x)
    assert ours(a) is a
    with pytest.raises(ValueError):
        getattr(gt.nn, cls)(1.5)


def test_feature_dropout_edge_cases_and_warnings_match_torch():
    x = _x(2, 3, 4)
    for p in (0.0, 1.0):
        gt.manual_seed(0)
        torch.manual_seed(0)
        o, t = F.dropout1d(gt.tensor(x), p), torch.nn.functional.dropout1d(torch.tensor(x), p)
        _close(o, t)
        assert gt.rand(3).numpy().tobytes() == torch.rand(3).numpy().tobytes()
    _same_error(lambda t: t.nn.functional.dropout1d(t.ones(2, 3, 4, 5)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 1-D input warning (tested below for 2-D)
        _same_error(lambda t: t.nn.functional.dropout2d(t.ones(3), 0.5))
    _same_error(lambda t: t.nn.functional.dropout2d(t.ones(2, 3, 4, 4), 1.5))
    for inp_shape, needle in [((3, 4), "Received a 2-D input"), ((2, 3, 4), "Received a 3D input")]:
        for lib in (gt, torch):
            with warnings.catch_warnings(record=True) as rec:
                warnings.simplefilter("always")
                lib.nn.Dropout2d()(lib.ones(*inp_shape))
            assert any(needle in str(w.message) for w in rec), lib


def test_unbatched_dropout1d_inplace_matches_torch():
    x = _x(4, 6)
    gt.manual_seed(2)
    torch.manual_seed(2)
    a, b = gt.tensor(x), torch.tensor(x)
    ra = F.dropout1d(a, 0.5, inplace=True)
    rb = torch.nn.functional.dropout1d(b, 0.5, inplace=True)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert tuple(ra.shape) == tuple(rb.shape)


# ------------------------------------------------------------------------ alpha dropout

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
@pytest.mark.parametrize("fn,shape", [("alpha_dropout", (5, 7, 3)), ("alpha_dropout", (100,)),
                                      ("feature_alpha_dropout", (4, 5, 3, 2)),
                                      ("feature_alpha_dropout", (6, 4))])
@pytest.mark.parametrize("seed", [0, 99])
def test_alpha_dropout_bits_grads_and_stream_match_torch(seed, fn, shape, p, dtype):
    x = _x(*shape, seed=seed, dtype=dtype)
    res = []
    for lib in (gt, torch):
        lib.manual_seed(seed)
        o, g = _run(lib, lambda i, lib=lib: getattr(lib.nn.functional, fn)(i, p, True), x)
        res.append((o, g, o.grad_fn.name(), lib.rand(5).numpy()))
    (o, og, on, oafter), (t, tg, tn, tafter) = res
    assert on == tn
    assert o.detach().numpy().tobytes() == t.detach().numpy().tobytes()
    assert og.numpy().tobytes() == tg.numpy().tobytes()
    assert oafter.tobytes() == tafter.tobytes()


@pytest.mark.parametrize("cls", ["AlphaDropout", "FeatureAlphaDropout"])
def test_alpha_dropout_modules_match_torch(cls):
    ours, theirs = getattr(gt.nn, cls)(0.3, inplace=True), getattr(torch.nn, cls)(0.3,
                                                                                 inplace=True)
    assert repr(ours) == repr(theirs)
    x = _x(3, 4, 5)
    gt.manual_seed(1)
    torch.manual_seed(1)
    a, b = gt.tensor(x), torch.tensor(x)
    assert ours(a).numpy().tobytes() == theirs(b).numpy().tobytes()
    np.testing.assert_array_equal(a.numpy(), x)  # never in place, as torch
    ours.eval()
    assert ours(a) is a
    for lib in (gt, torch):  # F's training defaults to False
        assert lib.nn.functional.alpha_dropout(a if lib is gt else b) is (a if lib is gt else b)
    x = _x(2, 3)
    gt.manual_seed(4)
    torch.manual_seed(4)
    a, b = gt.tensor(x), torch.tensor(x)
    gt.alpha_dropout_(a, 0.4, True)
    torch.alpha_dropout_(b, 0.4, True)
    assert a.numpy().tobytes() == b.numpy().tobytes()


# ----------------------------------------------------------------- local response norm

@pytest.mark.parametrize("size,shape", [(2, (2, 5, 4)), (3, (2, 6, 3, 3)), (5, (1, 4, 2, 2, 2)),
                                        (1, (3, 2, 4))])
def test_local_response_norm_matches_torch(size, shape):
    kw = {"alpha": 0.5, "beta": 0.7, "k": 2.0}
    ours, theirs = gt.nn.LocalResponseNorm(size, **kw), torch.nn.LocalResponseNorm(size, **kw)
    assert repr(ours) == repr(theirs)
    assert repr(gt.nn.LocalResponseNorm(3)) == repr(torch.nn.LocalResponseNorm(3))
    x = _x(*shape)
    o, og = _run(gt, ours, x)
    t, tg = _run(torch, theirs, x)
    assert o.grad_fn.name() == t.grad_fn.name()
    _close(o, t)
    _close(og, tg)
    _same_error(lambda t: t.nn.functional.local_response_norm(t.ones(2, 3), 2))


# ----------------------------------------------------------------------------- padding

_PADS = [("ZeroPad1d", ((1, 2),), (2, 3, 4)), ("ZeroPad1d", (2,), (3, 4)),
         ("ZeroPad2d", ((1, 1, 2, 0),), (1, 2, 3, 3)), ("ZeroPad2d", (1,), (2, 3, 3)),
         ("ConstantPad1d", ((0, 3), 3.5), (2, 3, 4)), ("ConstantPad1d", (1, -1.0), (3, 4)),
         ("ConstantPad2d", ((1, 2, 0, 1), 0.5), (1, 2, 3, 3)),
         ("ConstantPad2d", (2, 0.0), (2, 3, 3)),
         ("ReflectionPad1d", ((2, 1),), (2, 3, 4)), ("ReflectionPad1d", (2,), (3, 4)),
         ("ReflectionPad2d", ((1, 1, 2, 0),), (1, 2, 3, 3)), ("ReflectionPad2d", (1,), (2, 3, 3)),
         ("ReplicationPad1d", ((3, 1),), (2, 3, 4)), ("ReplicationPad1d", (1,), (3, 4)),
         ("ReplicationPad2d", ((0, 2, 1, 3),), (1, 2, 3, 3)),
         ("ReplicationPad2d", (2,), (2, 3, 3)),
         ("CircularPad1d", ((2, 1),), (2, 3, 4)), ("CircularPad1d", (1,), (3, 4)),
         ("CircularPad2d", ((1, 2, 2, 1),), (1, 2, 3, 3)), ("CircularPad2d", (1,), (2, 3, 3))]


@pytest.mark.parametrize("cls,args,shape", _PADS)
def test_padding_modules_match_torch(cls, args, shape):
    ours, theirs = getattr(gt.nn, cls)(*args), getattr(torch.nn, cls)(*args)
    assert repr(ours) == repr(theirs)
    assert ours.padding == theirs.padding
    x = _x(*shape)
    o, og = _run(gt, ours, x)
    t, tg = _run(torch, theirs, x)
    # (circular: torch names the node torch::autograd::CopySlices)
    assert o.grad_fn.name() == t.grad_fn.name().split("::")[-1]
    _close(o, t, 0, 0)
    _close(og, tg)


def test_circular_pad_checks_dims_like_torch():
    _same_error(lambda t: t.nn.CircularPad1d(1)(t.ones(3)))
    _same_error(lambda t: t.nn.CircularPad2d(1)(t.ones(3, 3)))


# ------------------------------------------------------------------------ pixel shuffle

@pytest.mark.parametrize("r,shape", [(2, (2, 8, 3, 4)), (3, (9, 2, 2)), (2, (2, 3, 4, 1, 1))])
def test_pixel_shuffle_and_unshuffle_match_torch(r, shape):
    ours, theirs = gt.nn.PixelShuffle(r), torch.nn.PixelShuffle(r)
    assert repr(ours) == repr(theirs)
    x = _x(*shape)
    o, og = _run(gt, ours, x)
    t, tg = _run(torch, theirs, x)
    assert o.grad_fn.name() == t.grad_fn.name() == "PixelShuffleBackward0"
    _close(o, t, 0, 0)
    _close(og, tg, 0, 0)
    back = t.detach().numpy()
    ours_u, theirs_u = gt.nn.PixelUnshuffle(r), torch.nn.PixelUnshuffle(r)
    assert repr(ours_u) == repr(theirs_u)
    o, og = _run(gt, ours_u, back)
    t, tg = _run(torch, theirs_u, back)
    assert o.grad_fn.name() == t.grad_fn.name() == "PixelUnshuffleBackward0"
    _close(o, t, 0, 0)
    _close(og, tg, 0, 0)
    np.testing.assert_array_equal(o.detach().numpy(), x)


def test_pixel_shuffle_errors_match_torch():
    _same_error(lambda t: t.nn.functional.pixel_shuffle(t.ones(2, 3), 2))
    _same_error(lambda t: t.nn.functional.pixel_shuffle(t.ones(1, 3, 2, 2), 2))
    _same_error(lambda t: t.nn.functional.pixel_shuffle(t.ones(1, 4, 2, 2), 0))
    _same_error(lambda t: t.nn.functional.pixel_unshuffle(t.ones(1, 3, 3, 2), 2))
    _same_error(lambda t: t.nn.functional.pixel_unshuffle(t.ones(1, 3, 2, 3), 2))
    _same_error(lambda t: t.nn.functional.pixel_unshuffle(t.ones(3, 2), 2))
