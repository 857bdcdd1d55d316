"""Shape ops against real torch: reshape/view, flatten, squeeze/unsqueeze, transpose/permute,
expand, repeat, cat/stack, split/chunk/unbind, select/narrow, flip, roll.

Each case runs the same function on glasstorch and torch tensors made from the same arrays
and compares values, dtype, shape, the whole chain of ``grad_fn`` names and every input's
gradient for one random upstream gradient. Views are checked for sharing memory and the
version counter with their base (and copies for not sharing), errors for torch's type and
message.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

TOL = {"float32": (1e-6, 1e-7), "float64": (1e-12, 1e-14)}
DTYPES = ["float32", "float64"]
SHAPES = [(), (5,), (3, 4), (1, 4), (3, 1), (2, 3, 4)]


# ----------------------------------------------------------------------------- helpers
def node_name(fn: Any) -> str | None:
    """``SelectBackward0``, ``CopySlices``, ``AccumulateGrad`` (torch's ``name()`` of some
    nodes has a ``torch::autograd::`` prefix that its ``repr`` and class name lack)."""
    return None if fn is None else fn.name().split("::")[-1]


def graph_names(t: Any) -> list[str]:
    """Every node name reachable from ``t.grad_fn`` (depth first), for both libraries."""
    out: list[str] = []
    stack = [t.grad_fn] if t.grad_fn is not None else []
    while stack:
        fn = stack.pop()
        out.append(node_name(fn))
        stack.extend(reversed([f for f, _ in fn.next_functions if f is not None]))
    return out


def _arrays(shapes: list[tuple[int, ...]], dtype: str, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def _close(a: np.ndarray, b: np.ndarray) -> None:
    rtol, atol = TOL.get(str(b.dtype), (0, 0))
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def compare(fn: Callable[..., Any], *arrays: np.ndarray, grad: bool = True,
            seed: int = 1) -> tuple[list[Any], list[Any]]:
    """Check ``fn(glasstorch, *xs)`` against ``fn(torch, *xs)``: values, graph, gradients."""
    ours_in = [glasstorch.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = fn(glasstorch, *ours_in), fn(torch, *theirs_in)
    ours = list(ours) if isinstance(ours, (tuple, list)) else [ours]
    theirs = list(theirs) if isinstance(theirs, (tuple, list)) else [theirs]
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        assert repr(o.dtype) == repr(t.dtype)
        assert tuple(o.shape) == tuple(t.shape)
        _close(o.detach().numpy(), t.detach().numpy())
        assert graph_names(o) == graph_names(t)
        assert o.requires_grad == t.requires_grad
    pairs = [(o, t) for o, t in zip(ours, theirs, strict=True) if t.requires_grad]
    if pairs:
        rng = np.random.default_rng(seed)
        ups = [rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype)
               for _, t in pairs]
        torch.autograd.backward([t for _, t in pairs], [torch.tensor(u) for u in ups])
        glasstorch.autograd.backward([o for o, _ in pairs], [glasstorch.tensor(u) for u in ups])
    for i, (o, t) in enumerate(zip(ours_in, theirs_in, strict=True)):
        if t.grad is None:
            assert o.grad is None, f"input {i}: torch has no gradient"
            continue
        assert o.grad is not None, f"input {i}: gradient missing"
        assert repr(o.grad.dtype) == repr(t.grad.dtype)
        _close(o.grad.numpy(), t.grad.numpy())
    return ours, theirs


def raises_like(fn: Callable[[Any], Any], match: str, exc: type = RuntimeError) -> None:
    """Both libraries raise ``exc`` and glasstorch's message matches ``match``."""
    with pytest.raises(exc):
        fn(torch)
    with pytest.raises(exc, match=match):
        fn(glasstorch)


def shares(a: Any, b: Any) -> bool:
    return bool(np.shares_memory(a.detach().numpy(), b.detach().numpy()))


# ----------------------------------------------------------------------------- the helper itself
def test_compare_can_fail() -> None:
    x = _arrays([(3, 4)], "float32")[0]
    with pytest.raises(AssertionError):  # wrong value
        compare(lambda t, a: a.reshape(4, 3) if t is torch else a.reshape(4, 3) * 2, x)
    with pytest.raises(AssertionError):  # wrong grad_fn chain
        compare(lambda t, a: a.reshape(4, 3) if t is torch else a.reshape(4, 3) * 1, x)
    with pytest.raises(AssertionError):  # wrong shape
        compare(lambda t, a: a.reshape(4, 3) if t is torch else a.reshape(3, 4), x)


# ----------------------------------------------------------------------------- reshape / view
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_reshape_view_flatten(shape: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.reshape(-1), x)
    compare(lambda t, a: t.reshape(a, (1, -1)), x)
    compare(lambda t, a: a.view(-1, 1), x)
    compare(lambda t, a: a.view(a.shape), x)
    compare(lambda t, a: a.flatten(), x)
    compare(lambda t, a: t.flatten(a, -1) * 1, x)
    compare(lambda t, a: a.ravel(), x)
    compare(lambda t, a: a.reshape_as(a.reshape(-1)), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape_non_contiguous_copies_like_torch(dtype: str) -> None:
    x = _arrays([(2, 3, 4)], dtype)[0]
    # not viewable: clone, then view the copy (UnsafeViewBackward0 <- CloneBackward0)
    ours, _ = compare(lambda t, a: a.transpose(0, 1).reshape(-1), x)
    assert graph_names(ours[0])[:2] == ["UnsafeViewBackward0", "CloneBackward0"]
    compare(lambda t, a: a.transpose(0, 2).flatten(1), x)
    compare(lambda t, a: a.transpose(0, 1).ravel(), x)  # contiguous() then view
    # viewable although not contiguous: ReshapeAliasBackward0, still sharing memory
    ours, _ = compare(lambda t, a: a[:, :2].reshape(2, 8), x)
    assert graph_names(ours[0])[0] == "ReshapeAliasBackward0"
    base = glasstorch.tensor(x)
    assert shares(base[:, :2].reshape(2, 8), base)
    assert not shares(base.transpose(0, 1).reshape(-1), base)
    # view works on a non-contiguous tensor when the sizes allow it
    compare(lambda t, a: a[:, :2].view(2, 8), x)
    compare(lambda t, a: a.transpose(0, 1).view(3, 2, 4), x)


@pytest.mark.parametrize("dims", [(0, 1), (1, 2), (0, 2), (-2, -1), (1, 1), (0, -1)])
def test_flatten_ranges(dims: tuple[int, int]) -> None:
    x = _arrays([(2, 3, 4)], "float64")[0]
    if dims[0] % 3 == dims[1] % 3:
        t = glasstorch.tensor(x)
        assert t.flatten(*dims) is t  # nothing to merge: the tensor itself, as torch
        return
    compare(lambda t, a: a.flatten(*dims), x)


def test_flatten_returns_input_for_1d() -> None:
    v = glasstorch.ones(3, requires_grad=True)
    assert v.flatten() is v
    assert torch.ones(3).flatten().shape == v.flatten().shape


@pytest.mark.parametrize("dim,sizes", [(1, (3, 1)), (-1, (2, -1)), (0, (1, 2)), (2, (2, 2))])
def test_unflatten(dim: int, sizes: tuple[int, ...]) -> None:
    x = _arrays([(2, 3, 4)], "float32")[0]
    compare(lambda t, a: a.unflatten(dim, sizes), x)
    compare(lambda t, a: t.unflatten(a, dim, sizes), x)


def test_reshape_errors() -> None:
    x = np.zeros((2, 3, 4), np.float32)
    raises_like(lambda t: t.tensor(x).view(5), r"shape '\[5\]' is invalid for input of size 24")
    raises_like(lambda t: t.tensor(x).reshape(2, 5),
                r"shape '\[2, 5\]' is invalid for input of size 24")
    raises_like(lambda t: t.tensor(x).view(-1, -1), "only one dimension can be inferred")
    raises_like(lambda t: t.tensor(x).reshape(7, -1), r"shape '\[7, -1\]' is invalid")
    raises_like(lambda t: t.tensor(x).reshape(-2, 12), "invalid shape dimension -2")
    raises_like(lambda t: t.zeros(0, 3).reshape(-1, 0), "cannot reshape tensor of 0 elements")
    raises_like(lambda t: t.tensor(x).transpose(0, 1).view(-1),
                r"view size is not compatible with input tensor's size and stride.*"
                r"Use \.reshape\(\.\.\.\) instead")
    raises_like(lambda t: t.tensor(x).flatten(2, 0), "start_dim cannot come after end_dim")
    raises_like(lambda t: t.tensor(x).flatten(5), r"Dimension out of range", IndexError)
    raises_like(lambda t: t.tensor(x).unflatten(1, (2, 2)),
                r"Provided sizes \[2, 2\] don't multiply up to the size of dim 1 \(3\)")
    raises_like(lambda t: t.tensor(x).unflatten(1, ()), "sizes must be non-empty")
    assert tuple(glasstorch.zeros(0).view(-1, 3).shape) == tuple(torch.zeros(0).view(-1, 3).shape)


# ----------------------------------------------------------------------------- squeeze
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (1,), (3, 1), (1, 4), (1, 3, 1), (2, 3, 4)])
def test_squeeze_unsqueeze(shape: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    n = len(shape)
    compare(lambda t, a: a.squeeze(), x)
    compare(lambda t, a: a.squeeze(0), x)  # SqueezeBackward1
    compare(lambda t, a: t.squeeze(a, -1), x)
    compare(lambda t, a: a.squeeze(tuple(range(n))), x)  # SqueezeBackward2
    compare(lambda t, a: a.unsqueeze(0), x)
    compare(lambda t, a: t.unsqueeze(a, -1), x)
    compare(lambda t, a: a.unsqueeze(n // 2).unsqueeze(-2), x)


def test_squeeze_errors() -> None:
    x = np.zeros((1, 3, 1), np.float32)
    raises_like(lambda t: t.tensor(x).squeeze(3), r"expected to be in range of \[-3, 2\]",
                IndexError)
    raises_like(lambda t: t.tensor(x).squeeze((0, -3)), "dim 0 appears multiple times")
    raises_like(lambda t: t.tensor(x).unsqueeze(4), r"in range of \[-4, 3\], but got 4",
                IndexError)
    raises_like(lambda t: t.tensor(1.0).unsqueeze(1), r"\[-1, 0\], but got 1", IndexError)


# ----------------------------------------------------------------------------- transpose & co
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_transpose_permute_t_movedim(shape: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    n = len(shape)
    compare(lambda t, a: a.transpose(0, -1), x)
    compare(lambda t, a: t.swapaxes(a, -1, 0), x)
    compare(lambda t, a: a.swapdims(0, 0), x)
    compare(lambda t, a: a.permute(tuple(reversed(range(n)))), x)
    compare(lambda t, a: t.permute(a, tuple(range(n))), x)
    compare(lambda t, a: t.movedim(a, 0, -1), x)
    if n <= 2:
        compare(lambda t, a: a.t(), x)
        compare(lambda t, a: t.t(a) * 1, x)
    if n == 3:
        compare(lambda t, a: a.movedim((0, 1), (2, 0)), x)
        compare(lambda t, a: t.moveaxis(a, -1, 0), x)
        compare(lambda t, a: a.mT, x)


def test_transpose_errors() -> None:
    x = np.zeros((2, 3, 4), np.float32)
    raises_like(lambda t: t.tensor(x).t(), "t\\(\\) expects a tensor with <= 2 dimensions, but "
                "self is 3D")
    raises_like(lambda t: t.tensor(x).transpose(0, 3), "Dimension out of range", IndexError)
    raises_like(lambda t: t.tensor(x).permute(0, 1),
                r"input.dim\(\) = 3 is not equal to len\(dims\) = 2")
    raises_like(lambda t: t.tensor(x).permute(0, 1, 1), "duplicate dims are not allowed")
    raises_like(lambda t: t.tensor(x).movedim((0, 1), (1, 1)), r"repeated dim in `destination`")
    raises_like(lambda t: t.tensor(x).movedim((0, 1), (1,)),
                "should contain the same number of dims as destination")


# ----------------------------------------------------------------------------- expand / repeat
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,sizes", [
    ((), (2, 3)), ((3,), (2, 3)), ((1, 4), (3, 4)), ((3, 1), (3, 5)), ((1, 4), (2, -1, -1)),
    ((2, 1, 4), (-1, 3, 4)), ((3,), (3,)), ((1,), (1, 1, 1)), ((1, 3), (0, 3)),
])
def test_expand(shape: tuple[int, ...], sizes: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.expand(*sizes), x)
    compare(lambda t, a: a.expand(sizes), x)
    if -1 not in sizes:
        compare(lambda t, a: t.broadcast_to(a, sizes), x)
        compare(lambda t, a: a.expand_as(t.zeros(sizes)), x)


def test_expand_errors() -> None:
    v = np.zeros(3, np.float32)
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(v).expand(2, 4),
                r"The expanded size of the tensor \(4\) must match the existing size \(3\) at "
                r"non-singleton dimension 1.  Target sizes: \[2, 4\].  Tensor sizes: \[3\]")
    raises_like(lambda t: t.tensor(y).expand(3),
                r"expand\(torch.FloatTensor\{\[2, 3\]\}, size=\[3\]\): the number of sizes "
                r"provided \(1\) must be greater or equal")
    raises_like(lambda t: t.tensor(v).expand(-1, 3), r"\(-1\) isn't allowed in a leading")


def test_expanded_tensor_is_not_writable() -> None:
    e = glasstorch.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        e[:, 0] = 1.0
    assert shares(e, e._base)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,reps", [
    ((), (2,)), ((), ()), ((3,), (2,)), ((3,), (2, 2)), ((3, 4), (2, 3)), ((1, 4), (3, 1)),
    ((3, 1), (1, 2, 2)), ((2, 3, 4), (1, 2, 1)), ((3,), (0,)),
])
def test_repeat_and_tile(shape: tuple[int, ...], reps: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.repeat(reps) if not reps else a.repeat(*reps), x)
    if reps:
        compare(lambda t, a: t.tile(a, reps[-1:]), x)
        compare(lambda t, a: a.tile(*reps), x)


def test_repeat_errors() -> None:
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(y).repeat(2),
                "Number of dimensions of repeat dims can not be smaller")
    raises_like(lambda t: t.tensor(y).repeat(-1, 2), r"negative dimension -2: \[-2, 6\]")


# ----------------------------------------------------------------------------- cat / stack
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes,dim", [
    ([(2, 3), (4, 3)], 0), ([(3, 2), (3, 4), (3, 1)], 1), ([(3, 2), (3, 4)], -1),
    ([(5,), (2,)], 0), ([(1, 2, 3), (2, 2, 3)], -3), ([(2, 3)], 0), ([(2, 3), (0,)], 1),
    ([(0,), (2,)], 0),
])
def test_cat(shapes: list[tuple[int, ...]], dim: int, dtype: str) -> None:
    arrays = _arrays(shapes, dtype)
    compare(lambda t, *xs: t.cat(list(xs), dim), *arrays)
    compare(lambda t, *xs: t.cat(xs, dim=dim), *arrays)
    compare(lambda t, *xs: t.concat(list(xs), dim=dim), *arrays)
    compare(lambda t, *xs: t.concatenate(list(xs), axis=dim), *arrays)


def test_cat_reuses_an_input_and_promotes_dtypes() -> None:
    x, y = _arrays([(2, 3), (2, 1)], "float32")
    compare(lambda t, a, b: t.cat([a, b, a], 1), x, y)
    i = np.arange(6).reshape(2, 3)
    compare(lambda t, a, b: t.cat([a, b]), x, i)  # float32 + int64 -> float32
    compare(lambda t, a, b: t.cat([b, a.double()]), x, i)  # int64 + float64 -> float64
    compare(lambda t, a, b: t.stack([a, b]), x, i)
    compare(lambda t, a, b: t.cat([b.int(), b > 2]), x, i)  # int32 + bool -> int32


def test_cat_errors() -> None:
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.cat([t.tensor(y), t.zeros(3, 3)], dim=1),
                r"Sizes of tensors must match except in dimension 1. Expected size 2 but got "
                r"size 3 for tensor number 1 in the list.")
    raises_like(lambda t: t.cat([t.tensor(y), t.zeros(3)]),
                "Tensors must have same number of dimensions: got 2 and 1")
    raises_like(lambda t: t.cat([t.tensor(1.0), t.tensor(2.0)]),
                r"zero-dimensional tensor \(at position 0\) cannot be concatenated")
    raises_like(lambda t: t.cat([]), "expected a non-empty list of Tensors", ValueError)
    raises_like(lambda t: t.cat(t.tensor(y)), "must be tuple of Tensors, not Tensor", TypeError)
    raises_like(lambda t: t.cat([t.tensor(y), 3]), "expected Tensor as element 1", TypeError)
    raises_like(lambda t: t.cat([t.tensor(y)], dim=2), "Dimension out of range", IndexError)
    raises_like(lambda t: t.stack([t.tensor(y), t.zeros(3)]),
                r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and "
                r"\[3\] at entry 1")
    raises_like(lambda t: t.stack([]), "stack expects a non-empty TensorList")
    raises_like(lambda t: t.hstack([]), "hstack expects a non-empty TensorList")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,dim", [((), 0), ((), -1), ((4,), 0), ((4,), 1), ((2, 3), -1),
                                       ((2, 3), 1), ((1, 3, 2), 3)])
def test_stack_hstack_vstack(shape: tuple[int, ...], dim: int, dtype: str) -> None:
    x, y = _arrays([shape, shape], dtype)
    compare(lambda t, a, b: t.stack([a, b, a], dim), x, y)
    compare(lambda t, a, b: t.hstack([a, b]), x, y)
    compare(lambda t, a, b: t.vstack((a, b)), x, y)


# ----------------------------------------------------------------------------- split & co
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,arg,dim", [
    ((5, 3), 2, 0), ((4,), 2, 0), ((2, 3), 2, 0), ((3, 5), 2, -1), ((5, 3), [1, 4], 0),
    ((5,), [2, 0, 3], 0), ((2, 2, 4), 3, 2), ((0, 3), 2, 0),
])
def test_split(shape: tuple[int, ...], arg: Any, dim: int, dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.split(arg, dim), x)
    compare(lambda t, a: t.split(a, arg, dim=dim), x)
    compare(lambda t, a: a.split(arg, dim)[-1] * 2, x)  # only one piece gets a gradient


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,chunks,dim", [
    ((5, 3), 2, 0), ((4,), 2, 0), ((1, 3), 2, 0), ((2, 6), 3, 1), ((2, 7), 3, 1), ((5,), 4, 0),
    ((3, 4), 1, -1),
])
def test_chunk(shape: tuple[int, ...], chunks: int, dim: int, dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.chunk(chunks, dim), x)
    compare(lambda t, a: t.chunk(a, chunks, dim)[0], x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,dim", [((3, 4), 0), ((3, 4), 1), ((2,), 0), ((2, 3, 4), -1),
                                       ((1, 3), 0)])
def test_unbind(shape: tuple[int, ...], dim: int, dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.unbind(dim), x)
    compare(lambda t, a: t.unbind(a, dim)[-1], x)


def test_split_views_share_memory_and_version() -> None:
    base = glasstorch.tensor(np.arange(12.0).reshape(4, 3))
    for pieces in (base.split(2), base.split([1, 3]), base.chunk(3, 1), base.unbind(1)):
        for p in pieces:
            assert shares(p, base)
            assert p._base is base
        v = base._version
        pieces[0].mul_(2)
        assert pieces[-1]._version == base._version == v + 1
    assert base[0, 0].item() == 0 and base[1, 0].item() != 3.0  # changed through the views


def test_split_chunk_unbind_errors() -> None:
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(y).split(0), "split_size can only be 0 if dimension size is 0")
    raises_like(lambda t: t.tensor(y).split(-1), "split expects split_size be non-negative")
    raises_like(lambda t: t.tensor(y).split([1, 1], 1),
                r"split_sizes to sum exactly to 3 \(input tensor's size at dimension 1\)")
    raises_like(lambda t: t.tensor(y).split([1, -1, 3], 1), "only non-negative entries")
    raises_like(lambda t: t.tensor(1.0).split(1), "split expects at least a 1-dimensional")
    raises_like(lambda t: t.tensor(y).chunk(0), "chunk expects `chunks` to be greater than 0")
    raises_like(lambda t: t.tensor(y).chunk(2.0), "must be int, not float", TypeError)
    raises_like(lambda t: t.tensor(1.0).unbind(), "tensor has no dimensions", IndexError)


# ----------------------------------------------------------------------------- select / narrow
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,dim,start,length", [
    ((5,), 0, 1, 3), ((3, 4), 1, -2, 2), ((3, 4), -1, 0, 0), ((2, 3, 4), 0, 1, 1),
])
def test_narrow_select(shape: tuple[int, ...], dim: int, start: int, length: int,
                       dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a.narrow(dim, start, length), x)
    compare(lambda t, a: t.narrow(a, dim, start, length), x)
    compare(lambda t, a: a.select(dim, start), x)
    compare(lambda t, a: t.select(a, dim, -1), x)


def test_narrow_select_errors() -> None:
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(y).narrow(1, 2, 2),
                r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)")
    raises_like(lambda t: t.tensor(y).narrow(1, 0, -1), "length must be non-negative")
    raises_like(lambda t: t.tensor(y).narrow(1, 4, 0),
                r"start out of range \(expected to be in range of \[-3, 3\], but got 4\)",
                IndexError)
    raises_like(lambda t: t.tensor(1.0).narrow(0, 0, 1), "cannot be applied to a 0-dim tensor")
    raises_like(lambda t: t.tensor(y).select(1, 5),
                r"index 5 out of range for tensor of size \[2, 3\] at dimension 1", IndexError)


# ----------------------------------------------------------------------------- flip / roll
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_flip_roll(shape: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    n = len(shape)
    compare(lambda t, a: a.flip(0), x)
    compare(lambda t, a: t.flip(a, tuple(range(n))), x)
    compare(lambda t, a: a.flip(-1) if n else a.flip(0), x)
    compare(lambda t, a: a.roll(1), x)
    if n:
        compare(lambda t, a: t.roll(a, -2, 0), x)
    else:
        raises_like(lambda t: t.roll(t.tensor(x), 1, 0), "tensor has no dimensions", IndexError)
    if n >= 2:
        compare(lambda t, a: a.roll((1, -3), (0, -1)), x)
        compare(lambda t, a: a.flip(0, 1), x)


def test_flip_roll_copy() -> None:
    base = glasstorch.arange(6.0).reshape(2, 3)
    for out in (base.flip(0), base.roll(1, 1), base.repeat(1, 1), glasstorch.cat([base]),
                glasstorch.stack([base]), base.tile(1)):
        assert not shares(out, base)
        assert out._base is None


def test_flip_roll_errors() -> None:
    x = np.zeros((2, 3, 4), np.float32)
    raises_like(lambda t: t.tensor(x).flip(0, 0), "dim 0 appears multiple times")
    raises_like(lambda t: t.tensor(x).roll((1, 2), (0,)), "shifts and dimensions must align")
    raises_like(lambda t: t.tensor(x).roll((1, 2)), "shifts: 2, dims:0")
    raises_like(lambda t: t.tensor(x).roll(()), "`shifts` required")


# ----------------------------------------------------------------------------- views
VIEW_OPS: dict[str, Callable[[Any], Any]] = {
    "view": lambda x: x.view(4, 6),
    "reshape": lambda x: x.reshape(-1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "transpose": lambda x: x.transpose(0, 2),
    "permute": lambda x: x.permute(1, 2, 0),
    "movedim": lambda x: x.movedim(0, 1),
    "t": lambda x: x[0].t(),
    "expand": lambda x: x.expand(2, 2, 3, 4),
    "select": lambda x: x.select(1, 2),
    "narrow": lambda x: x.narrow(2, 1, 2),
    "getitem": lambda x: x[1, :, ::2],
    "split": lambda x: x.split(1)[1],
    "chunk": lambda x: x.chunk(2, 2)[0],
    "unbind": lambda x: x.unbind(2)[3],
}


@pytest.mark.parametrize("name", list(VIEW_OPS))
def test_views_share_memory_and_version_counter(name: str) -> None:
    op = VIEW_OPS[name]
    base = glasstorch.tensor(np.arange(24.0).reshape(2, 3, 4))
    ref = torch.tensor(np.arange(24.0).reshape(2, 3, 4))
    out, ref_out = op(base), op(ref)
    assert shares(out, base)
    assert ref_out._is_view()
    assert out._base is base
    # an in-place change of the base is seen through the view (memory) and by its counter
    before = out._version
    base.mul_(2)
    ref.mul_(2)
    assert out._version == before + 1
    np.testing.assert_array_equal(out.numpy(), ref_out.numpy())
    if name != "expand":  # an expanded tensor refuses writes (as torch's add_ does)
        out.add_(1)
        ref_out.add_(1)
        assert base._version == out._version
        np.testing.assert_array_equal(base.numpy(), ref.numpy())


def test_version_check_sees_changes_through_views() -> None:
    x = glasstorch.ones(2, 3, requires_grad=True)
    y = x * 2
    z = y.exp()  # saves its output
    z.view(-1).mul_(3)  # changes z through a view
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
