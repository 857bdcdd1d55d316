"""Reductions: sum, mean (more are added alongside, one Function each).

Backward rules put the gradient back into the input's shape: reduced axes are re-inserted
(``keepdim``-style) and the engine's broadcasting rule is not relied on for that, because
a reduced axis of size 1 would be ambiguous.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._util import wrap_dim


def dims_arg(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """``dim`` (None, an int, or a sequence) as a sorted tuple of non-negative axes."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        if len(dim) == 0:
            return None  # torch: an empty dim list reduces over everything
        axes = tuple(sorted(wrap_dim(d, ndim) for d in dim))
        if len(set(axes)) != len(axes):
            raise RuntimeError(f"dim {axes[0]} appears multiple times in the list of dims")
        return axes
    return (wrap_dim(dim, ndim),)


def expand_reduced(grad: np.ndarray, shape: tuple[int, ...], axes: Any, keepdim: bool) -> np.ndarray:
    """Broadcast a reduced gradient back to the input's ``shape``."""
    if grad.size == 1 and grad.flags.c_contiguous:
        # a read-only-by-convention view with zero strides: no copy, and much cheaper to
        # make than np.broadcast_to (this is on the hot path of every loss.backward())
        return np.ndarray(shape, grad.dtype, grad, 0, (0,) * len(shape))
    if axes is not None and not keepdim and len(shape) > 0:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, shape)


def _sum_dtype(x: np.ndarray, dtype: Any) -> Any:
    if dtype is not None:
        return _dtype.to_numpy_dtype(dtype)
    if x.dtype.kind in "biu":
        return np.int64  # torch sums bool/int tensors in int64
    return None


class Sum(Function):
    """out = sum of x (over ``dim``);  dx = grad broadcast back to x's shape"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None, keepdim: bool = False,
                dtype: Any = None) -> np.ndarray:
        ctx.args = (x.shape, axes, keepdim)
        if axes is None and not keepdim and dtype is None and x.dtype.kind == "f":
            return x.sum()  # the common loss.sum(): skip the keyword handling
        return np.asarray(x.sum(axis=axes, keepdims=keepdim, dtype=_sum_dtype(x, dtype)))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, axes, keepdim = ctx.args
        return expand_reduced(grad, shape, axes, keepdim)


class SumDim(Sum):
    grad_fn_name = "SumBackward1"


class Mean(Function):
    """out = sum(x) / n;  dx = grad / n broadcast back to x's shape"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None, keepdim: bool = False,
                dtype: Any = None) -> np.ndarray:
        if dtype is not None:
            x = x.astype(_dtype.to_numpy_dtype(dtype))
        if x.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {_dtype._FROM_NUMPY[x.dtype].name.capitalize()}"
                ". Convert first, e.g. t.float().mean()."
            )
        ctx.args = (x.shape, axes, keepdim)
        n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        ctx.n = n
        return np.asarray(x.mean(axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, axes, keepdim = ctx.args
        return expand_reduced(grad / ctx.n, shape, axes, keepdim)


class MeanDim(Mean):
    grad_fn_name = "MeanBackward1"


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    """Sum of all elements, or over ``dim`` (int or tuple); bool/int sum to int64.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2], [3, 4]]).sum(dim=0)
        tensor([4, 6])
    """
    if dim is None and not keepdim:
        return Sum.apply(input, dtype=dtype)
    axes = dims_arg(dim, input._data.ndim)
    return SumDim.apply(input, axes=axes, keepdim=keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean of all elements, or over ``dim``; needs a floating dtype, as in torch."""
    if dim is None and not keepdim:
        return Mean.apply(input, dtype=dtype)
    axes = dims_arg(dim, input._data.ndim)
    return MeanDim.apply(input, axes=axes, keepdim=keepdim, dtype=dtype)


_ = builtins  # builtins is used by the reductions added below
