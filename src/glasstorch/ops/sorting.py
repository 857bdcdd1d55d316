"""Sorting, selection and counting: sort, argsort, topk, kthvalue, median, mode, unique...

The selecting ops (sort, topk, kthvalue, median over a dim, mode) share one backward: each
output value came from one input element, whose position is in the saved ``indices``, so
the gradient is scattered back to those positions and every other element gets 0.

Ties follow a stable sort (equal values keep their input order), which is what torch's CPU
sort does; ``topk`` picks the same values as torch, but among equal values torch's
selection algorithm may return other indices (README, "Differences from PyTorch").
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name, evenly_distribute, wrap_dim
from glasstorch.ops.reduction import _return_type, return_types

__all__ = [
    "sort", "argsort", "msort", "topk", "kthvalue", "median", "mode", "unique",
    "unique_consecutive", "count_nonzero", "bincount", "histc", "searchsorted", "bucketize",
]

# torch.return_types.sort, .topk, ...: registered beside max/min's so that
# `torch.return_types.sort` exists as it does in torch
for _name in ("sort", "topk", "kthvalue", "median", "mode"):
    setattr(return_types, _name, _return_type(_name))


def _stable_argsort(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Indices that sort ``x`` along ``axis``; equal values keep their order; NaN is largest."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    # sort the reversed array ascending and reverse the result: values come out descending
    # while equal values are back in input order (negating would break for bool/unsigned)
    n = x.shape[axis]
    rev = np.flip(x, axis)
    order = np.flip(np.argsort(rev, axis=axis, kind="stable"), axis)
    return (n - 1) - order


# ----------------------------------------------------------------------------- selection
class _Select(Function):
    """Shared backward: the gradient goes to the selected positions (saved ``index``)."""

    non_differentiable = (1,)  # the indices

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        grad = grads[0]
        if grad is None:
            return None
        shape, work_shape, index, dim, keepdim = ctx.args
        if not keepdim:
            grad = np.expand_dims(grad, dim)
        dx = np.zeros(work_shape, grad.dtype)
        np.put_along_axis(dx, index, grad, axis=dim)
        return dx.reshape(shape)


def _select(ctx: Any, x: np.ndarray, index: np.ndarray, dim: int,
            keepdim: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Values at ``index`` along ``dim`` (``x`` at least 1-d); saves what backward needs."""
    values = np.take_along_axis(x, index, axis=dim)
    ctx.args = (ctx.shape, x.shape, index, dim, keepdim)
    if not keepdim:
        values, index = values.squeeze(dim), index.squeeze(dim)
    if len(ctx.shape) == 0:  # a 0-d input gives 0-d outputs
        values, index = values.reshape(()), index.reshape(())
    return values, index.astype(np.int64, copy=False)


def _at_least_1d(ctx: Any, x: np.ndarray) -> np.ndarray:
    ctx.shape = x.shape
    return x.reshape(1) if x.ndim == 0 else x


class Sort(_Select):
    """(values, indices) = x sorted along dim;  dx = grad scattered back to indices"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, descending: bool) -> tuple[Any, Any]:
        x = _at_least_1d(ctx, x)
        return _select(ctx, x, _stable_argsort(x, dim, descending), dim)


class SortStable(Sort):
    """(values, indices) = x stably sorted along dim;  dx = grad scattered back to indices"""

    grad_fn_name = "SortBackward1"  # torch's sort.stable overload (``stable=`` given)


class Topk(_Select):
    """(values, indices) = the k largest (smallest) along dim;  dx = grad scattered to indices"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, k: int, dim: int, largest: bool) -> tuple[Any, Any]:
        x = _at_least_1d(ctx, x)
        n = x.shape[dim]
        if 0 < k < n // 4:
            # few of many: partition first (O(n)), then sort only the k candidates, taken
            # in index order so that the stable sort keeps equal values in input order
            kth = n - k if largest else k - 1
            part = np.argpartition(x, kth, axis=dim)
            cand = np.sort(np.take(part, np.arange(n - k, n) if largest else np.arange(k),
                                   axis=dim), axis=dim)
            order = _stable_argsort(np.take_along_axis(x, cand, axis=dim), dim, largest)
            return _select(ctx, x, np.take_along_axis(cand, order, axis=dim), dim)
        order = _stable_argsort(x, dim, largest)
        return _select(ctx, x, np.take(order, np.arange(k), axis=dim), dim)


class Kthvalue(_Select):
    """(values, indices) = k-th smallest along dim;  dx = grad put at indices, 0 elsewhere"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, k: int, dim: int, keepdim: bool) -> tuple[Any, Any]:
        x = _at_least_1d(ctx, x)
        order = _stable_argsort(x, dim, False)
        return _select(ctx, x, np.take(order, [k - 1], axis=dim), dim, keepdim)


class MedianDim(_Select):
    """(values, indices) = lower median along dim;  dx = grad put at indices, 0 elsewhere"""

    grad_fn_name = "MedianBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, keepdim: bool) -> tuple[Any, Any]:
        x = _at_least_1d(ctx, x)
        order = _stable_argsort(x, dim, False)
        index = np.take(order, [(x.shape[dim] - 1) // 2], axis=dim)
        if x.dtype.kind == "f":
            # torch: a slice holding NaN has median NaN, at its first NaN
            nan = np.isnan(x)
            has_nan = nan.any(axis=dim, keepdims=True)
            if has_nan.any():
                index = np.where(has_nan, np.argmax(nan, axis=dim, keepdims=True), index)
        return _select(ctx, x, index, dim, keepdim)


class Median(Function):
    """out = lower median of all x;  dx = grad / k at each of the k elements equal to out"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        flat = x.reshape(-1)
        if x.dtype.kind == "f" and np.isnan(flat).any():
            out = np.asarray(np.nan, x.dtype)
        else:
            out = np.partition(flat, (flat.size - 1) // 2)[(flat.size - 1) // 2].reshape(())
        ctx.save_for_backward(x, out)
        return np.asarray(out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        return evenly_distribute(x, out, grad)  # ties (or NaNs) share the gradient


class Mode(_Select):
    """(values, indices) = most frequent value along dim;  dx = grad put at indices"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, keepdim: bool) -> tuple[Any, Any]:
        x = _at_least_1d(ctx, x)
        order = np.moveaxis(_stable_argsort(x, dim, False), dim, -1)
        s = np.take_along_axis(np.moveaxis(x, dim, -1), order, axis=-1)
        n = s.shape[-1]
        pos = np.broadcast_to(np.arange(n), s.shape)
        new_run = np.ones(s.shape, bool)
        new_run[..., 1:] = s[..., 1:] != s[..., :-1]
        last_of_run = np.ones(s.shape, bool)
        last_of_run[..., :-1] = new_run[..., 1:]
        # each position's run start (from the left) and run end (from the right)
        start = np.maximum.accumulate(np.where(new_run, pos, 0), axis=-1)
        end = np.flip(np.minimum.accumulate(np.flip(np.where(last_of_run, pos, n), -1), -1), -1)
        # the longest run, the smallest value on ties (argmax takes the first), and of its
        # equal elements the one with the largest input index (the last of the stable run)
        best = np.argmax(end - start, axis=-1)[..., None]
        last = np.take_along_axis(end, best, axis=-1)
        index = np.moveaxis(np.take_along_axis(order, last, axis=-1), -1, dim)
        return _select(ctx, x, index, dim, keepdim)


# ----------------------------------------------------------------------------- public
def _dim(input: Tensor, dim: Any, name: str) -> int:
    if not isinstance(dim, int) or isinstance(dim, builtins.bool):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return wrap_dim(dim, input._data.ndim)


def sort(input: Tensor, dim: int = -1, descending: bool = False, *,
         stable: bool | None = None) -> Any:
    """Sort along ``dim``: ``(values, indices)``; equal values keep their order.

    Args:
        input: the tensor.
        dim: the dim to sort along (the last by default).
        descending: largest first.
        stable: keep equal values in input order (always done; default False as in torch).

    Returns:
        ``torch.return_types.sort(values, indices)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.sort(torch.tensor([3., 1., 2., 1.]))
        torch.return_types.sort(
        values=tensor([1., 1., 2., 3.]),
        indices=tensor([1, 3, 2, 0]))
    """
    d = _dim(input, dim, "sort")
    cls = Sort if stable is None else SortStable
    values, indices = cls.apply(input, dim=d, descending=builtins.bool(descending))
    return return_types.sort(values, indices)  # type: ignore[attr-defined]


def argsort(input: Tensor, dim: int = -1, descending: bool = False, *,
            stable: bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``).

    Example:
        >>> import glasstorch as torch
        >>> torch.argsort(torch.tensor([3., 1., 2.]), descending=True)
        tensor([0, 2, 1])
    """
    d = _dim(input, dim, "argsort")
    x = input._data
    order = _stable_argsort(x.reshape(1) if x.ndim == 0 else x, d, builtins.bool(descending))
    return Tensor._wrap(order.reshape(x.shape).astype(np.int64, copy=False))


def msort(input: Tensor) -> Tensor:
    """``input`` sorted along its first dim (``sort(input, dim=0).values``).

    Example:
        >>> import glasstorch as torch
        >>> torch.msort(torch.tensor([[2., 0.], [1., 3.]]))
        tensor([[1., 0.],
                [2., 3.]])
    """
    values: Tensor = Sort.apply(input, dim=0, descending=False)[0]
    return values


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True,
         sorted: bool = True) -> Any:  # noqa: A002  (torch's name)
    """The ``k`` largest (or smallest) elements along ``dim``: ``(values, indices)``.

    Args:
        input: the tensor.
        k: how many elements.
        dim: the dim to select along (the last by default).
        largest: the largest (True) or the smallest (False).
        sorted: return them in order; with False the order is unspecified (here: sorted).

    Example:
        >>> import glasstorch as torch
        >>> torch.topk(torch.tensor([1., 4., 2., 3.]), 2)
        torch.return_types.topk(
        values=tensor([4., 3.]),
        indices=tensor([1, 3]))
    """
    d = _dim(input, dim, "topk")
    size = input._data.shape[d] if input._data.ndim else 1
    if not isinstance(k, int) or isinstance(k, builtins.bool):
        raise TypeError(f"topk(): argument 'k' must be int, not {type(k).__name__}")
    if not 0 <= k <= size:
        raise RuntimeError(
            f"selected index k out of range (k={k}, but dim {dim} has size {size}); "
            f"pick k between 0 and {size}"
        )
    values, indices = Topk.apply(input, k=k, dim=d, largest=builtins.bool(largest))
    return return_types.topk(values, indices)  # type: ignore[attr-defined]


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The ``k``-th smallest element along ``dim`` (k counts from 1): ``(values, indices)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.kthvalue(torch.tensor([5., 1., 4., 2.]), 2)
        torch.return_types.kthvalue(
        values=tensor(2.),
        indices=tensor(3))
    """
    d = _dim(input, dim, "kthvalue")
    size = input._data.shape[d] if input._data.ndim else 1
    if not isinstance(k, int) or isinstance(k, builtins.bool):
        raise TypeError(f"kthvalue(): argument 'k' must be int, not {type(k).__name__}")
    if not 1 <= k <= size:
        raise RuntimeError(
            f"kthvalue(): selected number k out of range for dimension {d} "
            f"(k={k}, size {size}); k counts from 1"
        )
    values, indices = Kthvalue.apply(input, k=k, dim=d, keepdim=builtins.bool(keepdim))
    return return_types.kthvalue(values, indices)  # type: ignore[attr-defined]


def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The lower median of all elements; ``(values, indices)`` along ``dim``.

    With an even count it is the lower of the two middle values (no averaging); NaN wins.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[4., 1., 3., 2.], [0., 9., 8., 7.]])
        >>> torch.median(x)
        tensor(3.)
        >>> torch.median(x, dim=1).values
        tensor([2., 7.])
    """
    if dim is None:
        if keepdim:
            raise TypeError("median(): keepdim=True needs a dim, e.g. x.median(0, keepdim=True)")
        if input._data.size == 0:
            return Tensor._wrap(np.asarray(np.nan, input._data.dtype))
        return Median.apply(input)
    d = _dim(input, dim, "median")
    if input._data.ndim and input._data.shape[d] == 0:
        raise IndexError(
            f"median(): Expected reduction dim {d} to have non-zero size."
        )
    values, indices = MedianDim.apply(input, dim=d, keepdim=builtins.bool(keepdim))
    return return_types.median(values, indices)  # type: ignore[attr-defined]


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along ``dim`` (the smallest on ties) and its last index.

    Example:
        >>> import glasstorch as torch
        >>> torch.mode(torch.tensor([2., 1., 2., 1., 3.]))
        torch.return_types.mode(
        values=tensor(1.),
        indices=tensor(3))
    """
    d = _dim(input, dim, "mode")
    if input._data.ndim and input._data.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    values, indices = Mode.apply(input, dim=d, keepdim=builtins.bool(keepdim))
    return return_types.mode(values, indices)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- counting
def _long(a: np.ndarray) -> Tensor:
    return Tensor._wrap(np.asarray(a).astype(np.int64, copy=False))


class _NoDerivative(Function):
    """Shared backward of the counting ops: torch has no derivative for them either."""

    non_differentiable = (1, 2)  # the inverse indices and the counts
    aten_name = ""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int | None) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    @classmethod
    def _raise(cls) -> Any:
        raise NotImplementedError(f"the derivative for '{cls.aten_name}' is not implemented.")


class Unique2(_NoDerivative):
    """(values, inverse, counts) = the sorted distinct values;  dx: not differentiable"""

    aten_name = "_unique2"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int | None) -> tuple[Any, Any, Any]:
        values, inverse, counts = np.unique(x.reshape(-1), return_inverse=True,
                                            return_counts=True)
        return values, inverse.reshape(x.shape).astype(np.int64), counts.astype(np.int64)

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        return Unique2._raise()


class UniqueDim(_NoDerivative):
    """(values, inverse, counts) = the sorted distinct slices along dim;  dx: not differentiable"""

    aten_name = "unique_dim"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int | None) -> tuple[Any, Any, Any]:
        values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True,
                                            axis=dim)
        return values, inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        return UniqueDim._raise()


class UniqueConsecutive(_NoDerivative):
    """(values, inverse, counts) = x with each run of equal values kept once;  dx: none"""

    aten_name = "unique_consecutive"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int | None) -> tuple[Any, Any, Any]:
        if dim is None:
            flat = x.reshape(-1)
            new = np.empty(flat.shape, bool)
            new[:1] = True
            new[1:] = flat[1:] != flat[:-1]
            values = flat[new]
            inverse = (np.cumsum(new) - 1).reshape(x.shape)
        else:
            moved = np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1)
            new = np.empty(x.shape[dim], bool)
            new[:1] = True
            new[1:] = (moved[1:] != moved[:-1]).any(axis=1)
            values = np.compress(new, x, axis=dim)
            inverse = np.cumsum(new) - 1
        counts = np.diff(np.append(np.flatnonzero(new), new.size))
        return values, inverse.astype(np.int64), counts.astype(np.int64)

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        return UniqueConsecutive._raise()


def _unique_result(out: tuple[Tensor, Tensor, Tensor], return_inverse: bool,
                   return_counts: bool) -> Any:
    values, inverse, counts = out
    if return_inverse and return_counts:
        return values, inverse, counts
    if return_inverse:
        return values, inverse
    if return_counts:
        return values, counts
    return values


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values (sorted), optionally with the inverse indices and the counts.

    ``sorted=False`` may return any order in torch; here the values are always sorted.
    Like torch, the values have a grad_fn whose backward raises (no derivative).

    Example:
        >>> import glasstorch as torch
        >>> torch.unique(torch.tensor([3, 1, 3, 2]), return_counts=True)
        (tensor([1, 2, 3]), tensor([1, 1, 2]))
    """
    if dim is None:
        out = Unique2.apply(input, dim=None)
    else:
        out = UniqueDim.apply(input, dim=wrap_dim(dim, input._data.ndim))
    return _unique_result(out, return_inverse, return_counts)


def unique_consecutive(input: Tensor, return_inverse: bool = False,
                       return_counts: bool = False, dim: int | None = None) -> Any:
    """Collapse each run of equal consecutive values (or slices along ``dim``) to one.

    Example:
        >>> import glasstorch as torch
        >>> torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]), return_counts=True)
        (tensor([1, 2, 3, 1]), tensor([2, 2, 1, 1]))
    """
    d = None if dim is None else wrap_dim(dim, input._data.ndim)
    out = UniqueConsecutive.apply(input, dim=d)
    return _unique_result(out, return_inverse, return_counts)


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """How many elements are not zero, in all of ``input`` or along ``dim`` (int or tuple).

    Example:
        >>> import glasstorch as torch
        >>> torch.count_nonzero(torch.tensor([[0, 1, 2], [3, 0, 0]]), dim=1)
        tensor([2, 1])
    """
    x = input._data
    if dim is None:
        axes = None
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        axes = tuple(wrap_dim(d, x.ndim) for d in dims) if x.ndim else None
    return _long(np.asarray(np.count_nonzero(x, axis=axes)))


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value ``0..max(input)`` occurs (or the sum of its ``weights``).

    Example:
        >>> import glasstorch as torch
        >>> torch.bincount(torch.tensor([1, 3, 1]), minlength=5)
        tensor([0, 2, 0, 1, 0])
    """
    x = input._data
    if x.dtype.kind not in "iub":
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{dtype_name(x)}' (bincount counts "
            "integers: convert first, e.g. t.long())"
        )
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError(
            "bincount only supports 1-d non-negative integral inputs. "
            f"(got shape {tuple(x.shape)}, dtype {dtype_name(x)})"
        )
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is None:
        return _long(np.bincount(x, minlength=minlength))
    w = weights._data
    if w.shape != x.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    # torch: float32 weights sum in float32, every other dtype in float64
    out_dtype = np.float32 if w.dtype == np.float32 else np.float64
    counts = np.bincount(x, weights=w.astype(np.float64), minlength=minlength)
    return Tensor._wrap(counts.astype(out_dtype))


def histc(input: Tensor, bins: int = 100, min: float = 0,  # noqa: A002
          max: float = 0) -> Tensor:  # noqa: A002
    """A histogram of ``bins`` equal-width bins over ``[min, max]`` (data range if both 0).

    Elements outside the range are not counted; the last bin includes ``max``.

    Example:
        >>> import glasstorch as torch
        >>> torch.histc(torch.tensor([1., 2., 1., 4.]), bins=4, min=0, max=3)
        tensor([0., 2., 1., 0.])
    """
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(
            f"\"histogram_cpu\" not implemented for '{dtype_name(x)}' (convert first, "
            "e.g. t.float())"
        )
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                           "dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError(f"torch.histc: max must be larger than min (got min={min}, "
                           f"max={max})")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histc(): range of [{lo}, {hi}] is not finite")
    flat = x.reshape(-1)
    flat = flat[(flat >= lo) & (flat <= hi)]
    # torch's bin: (x - min) * bins / (max - min), truncated; max itself goes in the last
    pos = ((flat.astype(np.float64) - lo) * bins / (hi - lo)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return Tensor._wrap(np.bincount(pos, minlength=bins).astype(x.dtype))


def _side(right: bool, side: str | None) -> str:
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                           f"got {side}")
    if right and side == "left":
        raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                           "got side of left while right was True")
    return side


def searchsorted(sorted_sequence: Tensor, values: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None,
                 sorter: Tensor | None = None) -> Tensor:
    """Where each of ``values`` would be inserted to keep ``sorted_sequence`` sorted.

    ``sorted_sequence`` is 1-d, or N-d with the same leading dims as ``values`` (one
    sorted row per row of values).

    Example:
        >>> import glasstorch as torch
        >>> s = torch.tensor([1, 3, 5, 7, 9])
        >>> torch.searchsorted(s, torch.tensor([3, 6, 9]))
        tensor([1, 3, 4])
        >>> torch.searchsorted(s, torch.tensor([3, 6, 9]), right=True)
        tensor([2, 3, 5])
    """
    how = _side(right, side)
    seq = sorted_sequence._data
    scalar = not isinstance(values, Tensor)
    v = np.asarray(values) if scalar else values._data
    srt = None if sorter is None else sorter._data
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if srt is not None and srt.shape != seq.shape:
        raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same "
                           f"size, but got boundary tensor {list(seq.shape)} and got sorter "
                           f"tensor {list(srt.shape)}")
    out_dtype = np.int32 if out_int32 else np.int64
    if seq.ndim == 1:
        out = np.searchsorted(seq, v, side=how, sorter=srt)  # type: ignore[call-overload]
        return Tensor._wrap(np.asarray(out, dtype=out_dtype))
    if scalar or v.shape[:-1] != seq.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(v.shape)}"
        )
    rows = seq.reshape(-1, seq.shape[-1])
    vals = v.reshape(-1, v.shape[-1])
    sorters = None if srt is None else srt.reshape(rows.shape)
    out = np.empty(vals.shape, out_dtype)
    for i in range(rows.shape[0]):  # one NumPy search per row of the batch
        out[i] = np.searchsorted(rows[i], vals[i], side=how,  # type: ignore[call-overload]
                                 sorter=None if sorters is None else sorters[i])
    return Tensor._wrap(out.reshape(v.shape))


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False,
              right: bool = False) -> Tensor:
    """The bucket of each element: ``i`` with ``boundaries[i-1] < x <= boundaries[i]``.

    With ``right=True``: ``boundaries[i-1] <= x < boundaries[i]``.

    Example:
        >>> import glasstorch as torch
        >>> torch.bucketize(torch.tensor([3, 6, 9]), torch.tensor([1, 3, 5, 7, 9]))
        tensor([1, 3, 4])
    """
    if boundaries._data.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)

