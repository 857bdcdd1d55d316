"""Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std, norm, cumsum...

One Function per differentiable op; logsumexp, all and any live here too.

Backward rules put the gradient back into the input's shape: reduced axes are re-inserted
(``keepdim``-style) and the engine's broadcasting rule is not relied on for that, because
a reduced axis of size 1 would be ambiguous.
"""

from __future__ import annotations

import builtins
import collections
import math
import warnings
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._sum import torch_sum
from glasstorch.ops._util import dtype_name, evenly_distribute, wrap_dim

__all__ = [
    "sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std",
    "norm", "logsumexp", "cumsum", "all", "any", "return_types",
    "cumprod", "var_mean", "std_mean", "nansum", "nanmean", "aminmax",
    "trapezoid", "trapz", "cumulative_trapezoid",
]


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


def expand_reduced(grad: np.ndarray, shape: tuple[int, ...], axes: Any,
                   keepdim: bool) -> np.ndarray:
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
        if dtype is None:
            # torch_sum adds in torch's order, so the last bit matches torch (NumPy's
            # pairwise sum differs); bool/int sum in int64
            return torch_sum(x, axes, keepdim)
        target = np.dtype(_sum_dtype(x, dtype))  # torch converts first, then sums in it
        total = np.asarray(torch_sum(x.astype(target, copy=False), axes, keepdim))
        return total.astype(target, copy=False)

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
                f"point or complex dtype. Got: {dtype_name(x)}"
                ". Convert first, e.g. t.float().mean()."
            )
        ctx.args = (x.shape, axes, keepdim)
        n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        ctx.n = n
        # torch's CPU mean is its sum (in torch's addition order) divided by n; float16 is
        # summed and divided in float32 and rounded once, like torch
        if x.dtype == np.float16:
            total = torch_sum(x.astype(np.float32), axes, keepdim)
            return np.asarray(total / np.float32(n), dtype=np.float16)
        return np.asarray(torch_sum(x, axes, keepdim) / x.dtype.type(n))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, axes, keepdim = ctx.args
        return expand_reduced(grad / ctx.n, shape, axes, keepdim)


class MeanDim(Mean):
    grad_fn_name = "MeanBackward1"


def sum(  # noqa: A001
    input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """Sum of all elements, or over ``dim`` (int or tuple); bool/int sum to int64.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2], [3, 4]]).sum(dim=0)
        tensor([4, 6])
    """
    if dim is None and not keepdim:
        return Sum.apply(input, dtype=dtype)
    axes = _reduce_axes(dim, input._data.ndim)
    return SumDim.apply(input, axes=axes, keepdim=keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean of all elements, or over ``dim``; needs a floating dtype, as in torch."""
    if dim is None and not keepdim:
        return Mean.apply(input, dtype=dtype)
    axes = _reduce_axes(dim, input._data.ndim)
    return MeanDim.apply(input, axes=axes, keepdim=keepdim, dtype=dtype)



# ----------------------------------------------------------------------------- helpers
def _reduce_axes(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """``dims_arg`` for NumPy: a 0-d tensor accepts dim 0 / -1 but has no axis to reduce."""
    axes = dims_arg(dim, ndim)
    return None if ndim == 0 else axes


def _unsqueeze(arr: np.ndarray, axes: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """Put reduced axes back as size-1 axes, so ``arr`` broadcasts against the input."""
    if keepdim or axes is None:
        return arr  # kept dims, or a full reduction (0-d) that broadcasts anyway
    return np.expand_dims(arr, axes)


def _check_nonempty(name: str, x: np.ndarray, axes: tuple[int, ...] | None,
                    error: type[Exception] = RuntimeError) -> None:
    """max/min/argmax have no identity: an empty reduction is an error, as in torch."""
    if x.size != 0:
        return
    if axes is None:
        raise error(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    for a in axes:
        if x.shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


def _float_only(name: str, x: np.ndarray) -> None:
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"{name} only support floating point and complex dtypes (got {dtype_name(x)}). "
            "Convert first, e.g. t.float()."
        )


def _return_type(name: str) -> type:
    """A ``(values, indices)`` named tuple printed like ``torch.return_types.<name>``."""
    # mypy wants a literal name for a namedtuple; this one is computed (max, min, ...)
    base = collections.namedtuple(name, ["values", "indices"])  # type: ignore[misc]

    def __repr__(self: Any) -> str:  # noqa: N807
        return f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "glasstorch.return_types"})


def _named_pair(name: str, first: str, second: str) -> type:
    """A two-field named tuple printed like ``torch.return_types.<name>``."""
    base = collections.namedtuple(name, [first, second])  # type: ignore[misc]

    def __repr__(self: Any) -> str:  # noqa: N807
        return (f"torch.return_types.{name}(\n{first}={self[0]!r},\n{second}={self[1]!r})")

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "glasstorch.return_types"})


class return_types:  # noqa: N801  (torch.return_types is a module of such tuples)
    """The result types of ``max(dim)`` / ``min(dim)``: tuples with ``.values`` / ``.indices``."""

    max = _return_type("max")
    min = _return_type("min")
    aminmax = _named_pair("aminmax", "min", "max")
    frexp = _named_pair("frexp", "mantissa", "exponent")


# ----------------------------------------------------------------------------- prod
class Prod(Function):
    """out = product of x;  dx = grad * (product of the other elements), exact when x has 0s"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axis: int | None = None, keepdim: bool = False,
                dtype: Any = None) -> np.ndarray:
        dt = _sum_dtype(x, dtype)  # like sum: bool/int multiply in int64
        if dt is not None:
            x = x.astype(dt)
        if x.ndim == 0:
            axis = None
        out = np.asarray(np.prod(x, axis=axis, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.args = (axis, keepdim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        axis, keepdim = ctx.args
        if x.ndim == 0:
            return grad
        if axis is None:
            grad_k, out_k = grad, out
        else:
            grad_k, out_k = _unsqueeze(grad, (axis,), keepdim), _unsqueeze(out, (axis,), keepdim)
        if not (x == 0).any():
            return grad_k * (out_k / x)  # out / x_i is the product of the others
        # with zeros, out / x_i divides by 0: multiply the prefix and suffix products instead
        if axis is None:
            return grad_k * _prod_of_others(x.reshape(-1), 0).reshape(x.shape)
        return grad_k * _prod_of_others(x, axis)


class ProdDim(Prod):
    grad_fn_name = "ProdBackward1"


def _prod_of_others(x: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of all other elements along ``axis`` (no division)."""
    xm = np.moveaxis(x, axis, -1)
    ones = np.ones_like(xm[..., :1])
    before = np.cumprod(np.concatenate([ones, xm[..., :-1]], axis=-1), axis=-1)  # x[:i]
    after = np.cumprod(np.concatenate([ones, xm[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis(before * after, -1, axis)  # after[i] = product of x[i+1:]


# ----------------------------------------------------------------------------- max / min
class Max(Function):
    """out = max(x);  dx = grad / k at each of the k elements equal to the max, 0 elsewhere"""

    grad_fn_name = "MaxBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.asarray(x.max())
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        return evenly_distribute(x, out, grad)  # ties (or NaNs) share the gradient


class Min(Max):
    """out = min(x);  dx = grad / k at each of the k elements equal to the min, 0 elsewhere"""

    grad_fn_name = "MinBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.asarray(x.min())
        ctx.save_for_backward(x, out)
        return out


class MaxDim(Function):
    """(values, indices) = max over dim;  dx = grad put at each slice's index, 0 elsewhere"""

    grad_fn_name = "MaxBackward0"
    non_differentiable = (1,)  # the indices

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, keepdim: bool) -> tuple[Any, Any]:
        return _take_extreme(ctx, x, dim, keepdim, np.argmax)

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        grad = grads[0]
        if grad is None:
            return None
        shape, work_shape, index, dim, keepdim = ctx.args
        if not keepdim:
            grad = np.expand_dims(grad, dim)
        dx = np.zeros(work_shape, grad.dtype)
        np.put_along_axis(dx, index, grad, axis=dim)  # only the chosen element gets grad
        return dx.reshape(shape)


class MinDim(MaxDim):
    """(values, indices) = min over dim;  dx = grad put at each slice's index, 0 elsewhere"""

    grad_fn_name = "MinBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, keepdim: bool) -> tuple[Any, Any]:
        return _take_extreme(ctx, x, dim, keepdim, np.argmin)


def _take_extreme(ctx: Any, x: np.ndarray, dim: int, keepdim: bool,
                  arg_fn: Any) -> tuple[np.ndarray, np.ndarray]:
    """Values and indices of argmax/argmin along ``dim`` (the first index on ties, like torch)."""
    shape = x.shape
    if x.ndim == 0:
        x, keepdim = x.reshape(1), False  # a 0-d tensor reduces to itself, index 0
    index = arg_fn(x, axis=dim, keepdims=True)
    values = np.take_along_axis(x, index, axis=dim)
    ctx.args = (shape, x.shape, index, dim, keepdim)
    if not keepdim:
        values, index = values.squeeze(dim), index.squeeze(dim)
    return values, index.astype(np.int64, copy=False)


class Amax(Function):
    """out = max of x over dims;  dx = grad / k at the k maxima of each slice (ties share)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None, keepdim: bool = False) -> np.ndarray:
        out = np.asarray(np.amax(x, axis=axes, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.args = (axes, keepdim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        axes, keepdim = ctx.args
        mask = x == _unsqueeze(out, axes, keepdim)
        count = mask.sum(axis=axes, keepdims=True).astype(grad.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):  # a NaN max: count 0, grad nan
            return (_unsqueeze(grad, axes, keepdim) / count) * mask


class Amin(Amax):
    """out = min of x over dims;  dx = grad / k at the k minima of each slice (ties share)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None, keepdim: bool = False) -> np.ndarray:
        out = np.asarray(np.amin(x, axis=axes, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.args = (axes, keepdim)
        return out


# ----------------------------------------------------------------------------- var / std
class Var(Function):
    """out = sum((x - mean)^2) / (N - correction);  dx = 2 / (N - correction) * grad * (x - mean)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any, correction: Any, keepdim: bool) -> np.ndarray:
        return _variance(ctx, x, axes, correction, keepdim, "var")

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return _var_backward(ctx, grad)


class Std(Function):
    """out = sqrt(var(x));  dx = var's dx with grad / (2 out) (0 where out == 0)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any, correction: Any, keepdim: bool) -> np.ndarray:
        out = np.sqrt(_variance(ctx, x, axes, correction, keepdim, "std"))
        ctx.out = out
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        out = ctx.out
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_var = np.where(out == 0, 0, grad / (out * 2)).astype(grad.dtype, copy=False)
        return _var_backward(ctx, grad_var)


def _variance(ctx: Any, x: np.ndarray, axes: Any, correction: Any, keepdim: bool,
              name: str) -> np.ndarray:
    """Two-pass variance; keeps ``x - mean`` and ``N - correction`` for the backward."""
    n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
    diff = x - x.mean(axis=axes, keepdims=True)
    dof = n - correction
    if dof <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=4
        )
    ctx.save_for_backward(diff)
    ctx.args = (dof, axes, keepdim)
    with np.errstate(divide="ignore", invalid="ignore"):
        # torch divides by max(0, N - correction): inf (or nan for 0/0) when there is no dof
        return np.asarray((diff * diff).sum(axis=axes, keepdims=keepdim) / builtins.max(dof, 0))


def _var_backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
    (diff,) = ctx.saved_tensors
    dof, axes, keepdim = ctx.args
    scale = 2.0 / dof if dof != 0 else math.inf  # torch's formula, unclamped
    with np.errstate(invalid="ignore"):  # no dof: inf * 0 = nan, as in torch
        return (scale * _unsqueeze(grad, axes, keepdim)) * diff


# ----------------------------------------------------------------------------- norm
class Norm(Function):
    """out = (sum |x|^p)^(1/p) (max |x| for p=inf);  dx = grad * sgn(x) |x|^(p-1) / out^(p-1)

    p = 2: dx = grad * x / out;  p = 1: dx = grad * sgn(x);  p = inf: the largest |x| share
    grad;  p = 0 (count of non-zeros): no gradient. Where out == 0 the gradient is 0.
    """

    grad_fn_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, p: float = 2.0, axes: Any = None,
                keepdim: bool = False, dtype: Any = None) -> np.ndarray:
        if dtype is not None:
            x = x.astype(_dtype.to_numpy_dtype(dtype))
        ax = np.abs(x)
        if p == 2:
            out = np.sqrt((x * x).sum(axis=axes, keepdims=keepdim))
        elif p == 1:
            out = ax.sum(axis=axes, keepdims=keepdim)
        elif p == math.inf:
            out = np.amax(ax, axis=axes, keepdims=keepdim)
        elif p == -math.inf:
            out = np.amin(ax, axis=axes, keepdims=keepdim)
        elif p == 0:
            out = (x != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
        else:
            with np.errstate(divide="ignore"):
                out = (ax ** p).sum(axis=axes, keepdims=keepdim) ** (1.0 / p)
        out = np.asarray(out)
        ctx.save_for_backward(x, out)
        ctx.args = (p, axes, keepdim)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray | None:
        x, out = ctx.saved_tensors
        p, axes, keepdim = ctx.args
        grad = _unsqueeze(grad, axes, keepdim)
        out = _unsqueeze(out, axes, keepdim)
        zero = grad.dtype.type(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:
                return None  # piecewise constant: torch sends no gradient at all
            if p == 1:
                return np.sign(x) * grad
            if p == 2:
                return x * np.where(out == 0, zero, grad / out)
            if p in (math.inf, -math.inf):
                ax = np.abs(x)
                mask = (ax == out) | np.isnan(ax)
                count = mask.sum(axis=axes, keepdims=True).astype(grad.dtype)
                return np.sign(x) * ((grad / count) * mask)
            if p < 1:
                scaled = np.where(x == 0, zero, np.sign(x) * np.abs(x) ** (p - 1))
                return scaled * grad * out ** (1 - p)
            scaled = np.sign(x) * np.abs(x) ** (p - 1)
            return scaled * np.where(out == 0, zero, grad / out ** (p - 1))


# ----------------------------------------------------------------------------- logsumexp
class Logsumexp(Function):
    """out = m + log(sum(exp(x - m))), m = max(x) (no overflow);  dx = grad * exp(x - out)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any, keepdim: bool) -> np.ndarray:
        if x.dtype.kind != "f":
            x = x.astype(_dtype.get_default_dtype().np)
        m = np.asarray(np.amax(x, axis=axes, keepdims=True, initial=-np.inf))
        m[np.isinf(m)] = 0  # all -inf (or an inf): shifting would give inf - inf = nan
        with np.errstate(divide="ignore"):
            out = np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m
        ctx.save_for_backward(x, out)
        ctx.axes = None if keepdim else axes  # the axes backward re-inserts into grad
        if not keepdim:
            out = out.reshape(()) if axes is None else out.squeeze(axes)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors  # out with the reduced axes kept
        with np.errstate(invalid="ignore"):  # inf - inf = nan, as in torch
            return _unsqueeze(grad, ctx.axes, False) * np.exp(x - out)


# ----------------------------------------------------------------------------- cumsum
class Cumsum(Function):
    """out[i] = x[0] + ... + x[i] along dim;  dx[i] = grad[i] + ... + grad[n-1]"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, dtype: Any = None) -> np.ndarray:
        ctx.dim = dim
        dt = _sum_dtype(x, dtype)
        if x.ndim == 0:
            return np.asarray(x, dtype=dt).copy()
        return np.cumsum(x, axis=dim, dtype=dt)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        if grad.ndim == 0:
            return grad
        dim = ctx.dim
        # each x[i] appears in out[i:], so its gradient is a cumsum from the end
        return np.flip(np.cumsum(np.flip(grad, dim), axis=dim), dim)


# ----------------------------------------------------------------------------- more reductions
class NormDimP(Norm):
    """out = (sum |x|^p)^(1/p) over one dim (ATen's ``norm``, e.g. ``pairwise_distance``);
    dx = as for ``Norm``
    """

    grad_fn_name = "NormBackward1"


class Cumprod(Function):
    """out[i] = x[0] * ... * x[i] along dim;  dx[k] = sum over i >= k of grad[i] * out[i] / x[k]

    Where x has zeros, out[i] / x[k] is recomputed as the product of the others.
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, dtype: Any = None) -> np.ndarray:
        dt = _sum_dtype(x, dtype)
        x = np.asarray(x, dtype=dt)
        out = x.copy() if x.ndim == 0 else np.cumprod(x, axis=dim, dtype=dt)
        ctx.save_for_backward(x, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        if x.ndim == 0 or x.size == 0:
            return grad.copy()
        dim = ctx.dim
        if np.all(x != 0):
            # reversed cumsum of grad * out: each x[k] appears in out[k:]
            rev = np.flip(np.cumsum(np.flip(grad * out, dim), axis=dim), dim)
            return rev / x
        # with zeros, divide nothing: dx[k] = sum_i>=k grad[i] * prod_{j<=i, j!=k} x[j]
        xm = np.moveaxis(x, dim, 0)
        gm = np.moveaxis(grad, dim, 0)
        n = xm.shape[0]
        dx = np.empty_like(xm)
        for k in range(n):  # a loop over one axis only; each step is whole-array
            others = xm.copy()
            others[k] = 1
            partial = np.cumprod(others, axis=0)
            dx[k] = (gm[k:] * partial[k:]).sum(axis=0)
        return np.moveaxis(dx, 0, dim)


class _StdVarMean(Function):
    """Shared forward/backward of ``var_mean`` / ``std_mean`` (two outputs)."""

    @staticmethod
    def _finish(ctx: Any, grads: list[Any], grad_var: Any) -> np.ndarray | None:
        axes, keepdim, n = ctx.mean_args
        dx = None
        if grad_var is not None:
            dx = _var_backward(ctx, grad_var)
        if grads[1] is not None:
            dmean = _unsqueeze(grads[1], axes, keepdim) / grads[1].dtype.type(n)
            (diff,) = ctx.saved_tensors
            dmean = np.broadcast_to(dmean, diff.shape)
            dx = dmean if dx is None else dx + dmean
        return dx


class VarMean(_StdVarMean):
    """(var, mean) over dims;  dx = var's dx + grad_mean / N"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any, correction: Any,
                keepdim: bool) -> tuple[np.ndarray, np.ndarray]:
        var = _variance(ctx, x, axes, correction, keepdim, "var_mean")
        n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        ctx.mean_args = (axes, keepdim, n)
        return var, np.asarray(x.mean(axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        return _StdVarMean._finish(ctx, grads, grads[0])


class StdMean(_StdVarMean):
    """(std, mean) over dims;  dx = std's dx + grad_mean / N"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any, correction: Any,
                keepdim: bool) -> tuple[np.ndarray, np.ndarray]:
        std = np.sqrt(_variance(ctx, x, axes, correction, keepdim, "std_mean"))
        n = x.size if axes is None else int(np.prod([x.shape[a] for a in axes]))
        ctx.mean_args = (axes, keepdim, n)
        ctx.out = std
        return std, np.asarray(x.mean(axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> Any:
        grad_var = None
        if grads[0] is not None:
            out = ctx.out
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_var = np.where(out == 0, 0, grads[0] / (out * 2)).astype(grads[0].dtype)
        return _StdVarMean._finish(ctx, grads, grad_var)


class Nansum(Function):
    """out = sum of the non-NaN x;  dx = grad where x is not NaN, else 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None, keepdim: bool = False,
                dtype: Any = None) -> np.ndarray:
        dt = _sum_dtype(x, dtype)
        ctx.save_for_backward(np.isnan(x) if x.dtype.kind == "f" else None)
        ctx.args = (axes, keepdim, x.shape)
        return np.asarray(np.nansum(x, axis=axes, keepdims=keepdim, dtype=dt))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (nan,) = ctx.saved_tensors
        axes, keepdim, shape = ctx.args
        g = np.broadcast_to(_unsqueeze(grad, axes, keepdim), shape)
        return g if nan is None else np.where(nan, grad.dtype.type(0), g)


class Aminmax(Function):
    """(min, max) over a dim (or all);  dx = each output's grad / k at its k extremes"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: Any = None,
                keepdim: bool = False) -> tuple[np.ndarray, np.ndarray]:
        lo = np.asarray(np.amin(x, axis=axes, keepdims=keepdim))
        hi = np.asarray(np.amax(x, axis=axes, keepdims=keepdim))
        ctx.save_for_backward(x, lo, hi)
        ctx.args = (axes, keepdim)
        return lo, hi

    @staticmethod
    def backward(ctx: Any, grads: list[Any]) -> np.ndarray | None:
        x, lo, hi = ctx.saved_tensors
        axes, keepdim = ctx.args
        dx = None
        for grad, out in zip(grads, (lo, hi), strict=True):
            if grad is None:
                continue
            mask = x == _unsqueeze(out, axes, keepdim)
            count = mask.sum(axis=axes, keepdims=True).astype(grad.dtype)
            with np.errstate(divide="ignore", invalid="ignore"):
                part = (_unsqueeze(grad, axes, keepdim) / count) * mask
            dx = part if dx is None else dx + part
        return dx


# ----------------------------------------------------------------------------- public API
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
         dtype: Any = None) -> Tensor:
    """Product of all elements, or along one ``dim``; bool/int multiply in int64.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1., 2.], [3., 4.]]).prod(dim=1)
        tensor([ 2., 12.])
    """
    if dim is None:
        return Prod.apply(input, dtype=dtype)
    if not isinstance(dim, int):
        raise TypeError(
            f"prod(): argument 'dim' must be int, not {type(dim).__name__} (torch.prod reduces "
            "one dim at a time: chain the calls, e.g. x.prod(1).prod(0))."
        )
    return ProdDim.apply(input, axis=wrap_dim(dim, input._data.ndim), keepdim=keepdim,
                         dtype=dtype)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The largest element; ``(values, indices)`` along ``dim``; ``maximum`` for a tensor.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[1., 5.], [7., 2.]])
        >>> x.max()
        tensor(7.)
        >>> values, indices = x.max(dim=1)
        >>> values, indices
        (tensor([5., 7.]), tensor([1, 0]))
    """
    return _max_min(input, dim, keepdim, "max")


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001
    """The smallest element; ``(values, indices)`` along ``dim``; ``minimum`` for a tensor.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1., 5.], [7., 2.]]).min(dim=0).indices
        tensor([0, 1])
    """
    return _max_min(input, dim, keepdim, "min")


def _max_min(input: Tensor, dim: Any, keepdim: bool, name: str) -> Any:
    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        from glasstorch.ops.elementwise import maximum, minimum

        return maximum(input, dim) if name == "max" else minimum(input, dim)
    x = input._data
    if dim is None:
        if keepdim:
            raise TypeError(f"{name}(): keepdim=True needs a dim, e.g. x.{name}(0, keepdim=True);"
                            f" for all dims kept use x.a{name}(keepdim=True)")
        _check_nonempty(name, x, None)
        return (Max if name == "max" else Min).apply(input)
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(
            f"{name}(): argument 'dim' must be int or a Tensor (for the elementwise {name} "
            f"use torch.{name}imum(a, b)), not {type(dim).__name__}"
        )
    d = wrap_dim(dim, x.ndim)
    _check_nonempty(name, x, (d,) if x.ndim else None)
    cls = MaxDim if name == "max" else MinDim
    values, indices = cls.apply(input, dim=d, keepdim=keepdim)
    return getattr(return_types, name)(values, indices)


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The largest value over ``dim`` (int or tuple; all dims by default), no indices.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1., 5.], [7., 2.]]).amax(dim=0)
        tensor([7., 5.])
    """
    x = input._data
    axes = _reduce_axes(dim, x.ndim)
    _check_nonempty("amax", x, axes if axes is not None else tuple(range(x.ndim)), IndexError)
    return Amax.apply(input, axes=axes, keepdim=keepdim)


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The smallest value over ``dim`` (int or tuple; all dims by default), no indices."""
    x = input._data
    axes = _reduce_axes(dim, x.ndim)
    _check_nonempty("amin", x, axes if axes is not None else tuple(range(x.ndim)), IndexError)
    return Amin.apply(input, axes=axes, keepdim=keepdim)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (of the flattened tensor when ``dim`` is None).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1., 5.], [7., 2.]]).argmax()
        tensor(2)
    """
    return _arg_extreme(input, dim, keepdim, "argmax", np.argmax)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element (of the flattened tensor when ``dim`` is None)."""
    return _arg_extreme(input, dim, keepdim, "argmin", np.argmin)


def _arg_extreme(input: Tensor, dim: int | None, keepdim: bool, name: str,
                 arg_fn: Any) -> Tensor:
    x = input._data
    if x.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input. Convert first: t.int().")
    if dim is None:
        _check_nonempty(name, x, None, IndexError)
        index = np.asarray(arg_fn(x))  # the index into the flattened tensor
        if keepdim:
            index = index.reshape((1,) * x.ndim)
    else:
        d = wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            index = np.zeros((), np.int64)
        else:
            _check_nonempty(name, x, (d,))
            index = arg_fn(x, axis=d, keepdims=keepdim)
    return Tensor._wrap(np.asarray(index, dtype=np.int64))


def _correction_arg(name: str, dim: Any, unbiased: Any, correction: Any) -> tuple[Any, Any]:
    """Torch's spellings: ``var(unbiased)``, ``var(dim, unbiased)``, ``var(dim, correction=)``."""
    if isinstance(dim, bool):  # x.var(False): the old overload var(unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{name}(): pass either unbiased or correction, not both (unbiased=False is "
            "correction=0, unbiased=True is correction=1)"
        )
    if correction is None:
        correction = 0 if unbiased is False else 1
    return dim, correction


def var(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Variance over ``dim`` (all dims if None), dividing by ``N - correction`` (default 1).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1., 2., 3., 4.]).var()
        tensor(1.6667)
        >>> torch.tensor([1., 2., 3., 4.]).var(correction=0)
        tensor(1.2500)
    """
    dim, correction = _correction_arg("var", dim, unbiased, correction)
    x = input._data
    _float_only("std and var", x)
    return Var.apply(input, axes=_reduce_axes(dim, x.ndim), correction=correction,
                     keepdim=keepdim)


def std(input: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None) -> Tensor:
    """Standard deviation over ``dim`` (all dims if None): ``sqrt(var(...))``.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1., 3.], [2., 6.]]).std(dim=1)
        tensor([1.4142, 2.8284])
    """
    dim, correction = _correction_arg("std", dim, unbiased, correction)
    x = input._data
    _float_only("std and var", x)
    return Std.apply(input, axes=_reduce_axes(dim, x.ndim), correction=correction,
                     keepdim=keepdim)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         out: Any = None, dtype: Any = None) -> Tensor:
    """Vector p-norm over ``dim`` (all elements by default; ``'fro'`` is the 2-norm).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([3., 4.]).norm()
        tensor(5.)
        >>> torch.tensor([[3., -4.], [1., 1.]]).norm(p=1, dim=1)
        tensor([7., 2.])
    """
    if out is not None:
        raise TypeError("norm(): glasstorch does not support out=; use the returned tensor")
    if isinstance(p, str):
        if p == "nuc":
            raise NotImplementedError("glasstorch does not implement the nuclear norm (p='nuc')")
        if p != "fro":
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported. "
                               "Use p='fro', 'nuc', or a number (2, 1, float('inf'), ...).")
        p = 2.0
    x = input._data
    kind = np.dtype(_dtype.to_numpy_dtype(dtype)).kind if dtype is not None else x.dtype.kind
    if kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{dtype_name(x)}. Convert first, e.g. t.float().norm()."
        )
    return Norm.apply(input, p=float(p), axes=_reduce_axes(dim, x.ndim), keepdim=keepdim,
                      dtype=dtype)


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(input)))`` over ``dim``, computed without overflow.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1000., 1000.]).logsumexp(dim=0)
        tensor(1000.6932)
    """
    axes = _reduce_axes(dim, input._data.ndim)
    return Logsumexp.apply(input, axes=axes, keepdim=keepdim)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sum along ``dim``; bool/int sum in int64 (``dtype`` casts first).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1, 2, 3]).cumsum(dim=0)
        tensor([1, 3, 6])
    """
    if not isinstance(dim, int):
        raise TypeError(f"cumsum(): argument 'dim' must be int, not {type(dim).__name__}")
    return Cumsum.apply(input, dim=wrap_dim(dim, input._data.ndim), dtype=dtype)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if every element (over ``dim``) is non-zero; a bool tensor (uint8 for uint8).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[True, False], [True, True]]).all(dim=1)
        tensor([False,  True])
    """
    return _all_any(input, dim, keepdim, np.all)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """True if some element (over ``dim``) is non-zero; a bool tensor (uint8 for uint8)."""
    return _all_any(input, dim, keepdim, np.any)


def _all_any(input: Tensor, dim: Any, keepdim: bool, fn: Any) -> Tensor:
    x = input._data
    out = np.asarray(fn(x, axis=_reduce_axes(dim, x.ndim), keepdims=keepdim))
    if x.dtype == np.uint8:
        out = out.astype(np.uint8)  # torch keeps uint8 for uint8 input
    return Tensor._wrap(out)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``dim``; bool/int multiply in int64 (``dtype`` casts first).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1.0, 2.0, 3.0]).cumprod(dim=0)
        tensor([1., 2., 6.])
    """
    if not isinstance(dim, int):
        raise TypeError(f"cumprod(): argument 'dim' must be int, not {type(dim).__name__}")
    return Cumprod.apply(input, dim=wrap_dim(dim, input._data.ndim), dtype=dtype)


def var_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(var(input, ...), mean(input, ...))`` in one pass over the data.

    Example:
        >>> import glasstorch as torch
        >>> torch.var_mean(torch.tensor([1.0, 2.0, 3.0, 4.0]))
        (tensor(1.6667), tensor(2.5000))
    """
    dim, correction = _correction_arg("var_mean", dim, unbiased, correction)
    x = input._data
    _float_only("var_mean", x)
    out = VarMean.apply(input, axes=_reduce_axes(dim, x.ndim), correction=correction,
                        keepdim=keepdim)
    return builtins.tuple(out)


def std_mean(input: Tensor, dim: Any = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: float | None = None) -> tuple[Tensor, Tensor]:
    """``(std(input, ...), mean(input, ...))`` in one pass over the data.

    Example:
        >>> import glasstorch as torch
        >>> torch.std_mean(torch.tensor([[1.0, 3.0], [2.0, 6.0]]), dim=1)
        (tensor([1.4142, 2.8284]), tensor([2., 4.]))
    """
    dim, correction = _correction_arg("std_mean", dim, unbiased, correction)
    x = input._data
    _float_only("std_mean", x)
    out = StdMean.apply(input, axes=_reduce_axes(dim, x.ndim), correction=correction,
                        keepdim=keepdim)
    return builtins.tuple(out)


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *,
           dtype: Any = None) -> Tensor:
    """The sum over ``dim`` (all by default) treating NaN as 0.

    Example:
        >>> import glasstorch as torch
        >>> torch.nansum(torch.tensor([1.0, float('nan'), 2.0]))
        tensor(3.)
    """
    x = input._data
    return Nansum.apply(input, axes=_reduce_axes(dim, x.ndim), keepdim=keepdim, dtype=dtype)


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False, *,
            dtype: Any = None) -> Tensor:
    """The mean over ``dim`` of the non-NaN elements (``nansum / count``, as torch).

    Example:
        >>> import glasstorch as torch
        >>> torch.nanmean(torch.tensor([1.0, float('nan'), 2.0]))
        tensor(1.5000)
    """
    x = input._data
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got "
            f"{_dtype._FROM_NUMPY[x.dtype]}. Convert first, e.g. t.float()."
        )
    axes = _reduce_axes(dim, x.ndim)
    count = Tensor._wrap(np.asarray((~np.isnan(x)).sum(axis=axes, keepdims=keepdim)))
    return nansum(input, dim, keepdim, dtype=dtype) / count


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:
    """``(min, max)`` over ``dim`` (or over all elements), as ``torch.return_types.aminmax``.

    Example:
        >>> import glasstorch as torch
        >>> torch.aminmax(torch.tensor([3.0, 1.0, 2.0]))
        torch.return_types.aminmax(
        min=tensor(1.),
        max=tensor(3.))
    """
    x = input._data
    if dim is None:
        if x.size == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation "
                "has no identity."
            )
        axes = tuple(range(x.ndim)) if keepdim and x.ndim else None
    else:
        d = wrap_dim(dim, x.ndim)
        if x.ndim and x.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        axes = None if x.ndim == 0 else (d,)
    lo, hi = Aminmax.apply(input, axes=axes, keepdim=keepdim)
    return return_types.aminmax(lo, hi)


# ----------------------------------------------------------------------------- trapezoid rule
def _float_or_default(x: np.ndarray) -> np.ndarray:
    return x if x.dtype.kind == "f" else x.astype(_dtype.get_default_dtype().np)


class TrapezoidScale(Function):
    """out = x * c for a number c (torch's ``Tensor * Scalar`` node);  dx = grad * c"""

    grad_fn_name = "MulBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, c: float) -> np.ndarray:
        ctx.c = c
        return _float_or_default(x) * c

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad * ctx.c


class TrapezoidHalve(Function):
    """out = x / 2 (torch's ``Tensor / Scalar`` node);  dx = grad / 2"""

    grad_fn_name = "DivBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return _float_or_default(x) / 2.0

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad / 2.0


def _trapezoid_dx(y: Tensor, x: Tensor | None, dx: Any, dim: int, name: str) -> Any:
    """The spacing: a number, or ``x``'s differences viewed to broadcast against ``y``."""
    from glasstorch.ops.shape import narrow, view

    if x is not None and not isinstance(x, Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, "
                        f"{type(x).__name__}): `x` must be a Tensor; pass a number as dx=...")
    if x is None:
        if y._data.dtype == np.bool_:
            raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")
        if isinstance(dx, builtins.bool) or not isinstance(dx, (builtins.int, builtins.float,
                                                                type(None))):
            raise RuntimeError(f"{name}: Currently, we only support dx as a real number.")
        return 1 if dx is None else dx
    if dx is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments - got (Tensor, "
                        "Tensor, dx=...): pass either x or dx, not both")
    if y._data.dtype == np.bool_ or x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}: received a bool input for `x` or `y`, but bool is not "
                           "supported")
    if x._data.ndim == 1:
        if x._data.shape[0] != y._data.shape[dim]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        shape = [1] * y._data.ndim
        shape[dim] = x._data.shape[0]
        x = view(x, shape)
    elif x._data.ndim < y._data.ndim:
        x = view(x, (1,) * (y._data.ndim - x._data.ndim) + x._data.shape)
    size = x._data.shape[dim]
    return narrow(x, dim, 1, size - 1) - narrow(x, dim, 0, size - 1)


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """Integrate ``y`` along ``dim`` by the trapezoid rule (spacing ``dx``, or points ``x``).

    Example:
        >>> import glasstorch as torch
        >>> torch.trapezoid(torch.tensor([1.0, 2.0, 3.0]))
        tensor(4.)
    """
    return _trapezoid(y, x, dx, dim, "trapezoid")


def _trapezoid(y: Tensor, x: Tensor | None, dx: Any, dim: int, name: str) -> Tensor:
    from glasstorch.ops.shape import narrow, select

    dim = wrap_dim(dim, y._data.ndim)
    if y._data.shape[dim] == 0:
        shape = y._data.shape[:dim] + y._data.shape[dim + 1:]
        return Tensor._wrap(np.zeros(shape, y._data.dtype))
    spacing = _trapezoid_dx(y, x, dx, dim, name)
    n = y._data.shape[dim]
    if not isinstance(spacing, Tensor):
        ends = TrapezoidScale.apply(select(y, dim, 0) + select(y, dim, -1), 0.5)
        return TrapezoidScale.apply(sum(y, dim) - ends, builtins.float(spacing))
    pairs = narrow(y, dim, 0, n - 1) + narrow(y, dim, 1, n - 1)
    return TrapezoidHalve.apply(sum(pairs * spacing, dim))


def trapz(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """Alias of ``trapezoid``.

    Example:
        >>> import glasstorch as torch
        >>> torch.trapz(torch.tensor([1.0, 2.0, 3.0]), dx=2.0)
        tensor(8.)
    """
    return _trapezoid(y, x, dx, dim, "trapz")


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None,
                         dim: int = -1) -> Tensor:
    """The running trapezoid-rule integral of ``y`` along ``dim`` (one element shorter).

    Example:
        >>> import glasstorch as torch
        >>> torch.cumulative_trapezoid(torch.tensor([1.0, 2.0, 3.0]))
        tensor([1.5000, 4.0000])
    """
    from glasstorch.ops.shape import narrow

    dim = wrap_dim(dim, y._data.ndim)
    spacing = _trapezoid_dx(y, x, dx, dim, "cumulative_trapezoid")
    n = y._data.shape[dim]
    if n == 0:
        return Tensor._wrap(np.zeros(y._data.shape, y._data.dtype))
    pairs = narrow(y, dim, 0, n - 1) + narrow(y, dim, 1, n - 1)
    if isinstance(spacing, Tensor):
        return TrapezoidHalve.apply(cumsum(pairs * spacing, dim))
    return cumsum(TrapezoidScale.apply(pairs, builtins.float(spacing) / 2.0), dim)
