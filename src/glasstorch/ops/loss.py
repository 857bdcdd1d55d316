"""Fused loss ops: the whole loss (elementwise term and reduction) is one graph node.

One node instead of a chain (``sub -> pow -> mean``) saves passes over memory and keeps the
gradient formula exact and readable. The formulas and their order of operations follow
ATen's CPU kernels (``Loss.cpp``), so float32 results match PyTorch's closely.
``reduction`` is ``'none'``, ``'mean'`` or ``'sum'``; the public wrappers with PyTorch's
argument checks are in ``glasstorch.nn.functional``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glasstorch._errors import message
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name, promote

# No public names: the wrappers users call (with PyTorch's argument checks) are in
# glasstorch.nn.functional.
__all__: list[str] = []

_EPSILON = 1e-12  # ATen's floor for x (1 - x) in the BCE gradient
_sum = np.add.reduce
_min = np.minimum.reduce
_max = np.maximum.reduce


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """``loss`` itself (``'none'``), its sum or its mean, as ATen's apply_loss_reduction."""
    # np.add.reduce is what ndarray.sum/mean run, without their Python-level overhead
    # (a loss on a handful of elements is dominated by such overhead).
    if reduction == "none":
        return loss
    total = _sum(loss, axis=None)
    if reduction == "sum":
        return total
    if loss.size == 0:
        return np.full((), np.nan, loss.dtype)  # torch: the mean of nothing is nan
    return total / loss.size


def _check_probabilities(values: np.ndarray, name: str) -> None:
    """torch's range check: every element in [0, 1] (NaN fails too)."""
    if values.size and not (_min(values, axis=None) >= 0 and _max(values, axis=None) <= 1):
        if name == "input":
            raise RuntimeError(message("bce_input_range"))
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


class MseLoss(Function):
    """out = reduce((x - t) ** 2);  dx = (2 / n) (x - t) grad,  dt = -dx  (n = numel if mean)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, reduction: str = "mean") -> np.ndarray:
        x, t = promote(x, t)
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"mse_cpu\" not implemented for '{dtype_name(x)}'")
        diff = x - t  # broadcast shape; the engine sums the gradients back to each input
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        (diff,) = ctx.saved_tensors
        norm = 2.0 / diff.size if ctx.reduction == "mean" else 2.0
        dx = norm * diff * grad  # ATen: alpha * (input - target) * grad, in that order
        return dx, (-dx if ctx.needs_input_grad[1] else None)


class BinaryCrossEntropy(Function):
    """out = reduce(-w (t log x + (1 - t) log(1 - x))), each log clamped at -100;
    dx = grad w (x - t) / max(x (1 - x), 1e-12) / n,  dt = -grad w log(x / (1 - x)) / n
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean") -> np.ndarray:
        if t.dtype != x.dtype:
            raise RuntimeError(message("bce_target_dtype", found=dtype_name(t),
                                       expected=dtype_name(x), converter=_converter(x)))
        if x.dtype.kind != "f":
            raise NotImplementedError(
                f"\"binary_cross_entropy\" not implemented for '{dtype_name(x)}'"
            )
        # An input outside [0, 1] (or NaN) makes a log NaN, so for a reduced loss a NaN
        # result is the cue to run the input check; the target is always checked.
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf: clamped below
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = (t - 1) * log_1mx - t * log_x
        if weight is not None:
            loss = loss * weight
        out = _reduce(loss, reduction)
        if reduction == "none" or out != out:
            _check_probabilities(x, "input")
        _check_probabilities(t, "target")
        ctx.save_for_backward(x, t, weight)
        ctx.reduction = reduction
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, t, weight = ctx.saved_tensors
        n = x.size if ctx.reduction == "mean" else 1
        dx = dt = None
        if ctx.needs_input_grad[0]:
            dx = grad * (x - t) / np.maximum((1 - x) * x, x.dtype.type(_EPSILON))
            if weight is not None:
                dx = dx * weight
            if n != 1:
                dx = dx / n
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                dt = -np.log(x / (1 - x)) * grad
            if weight is not None:
                dt = dt * weight
            if n != 1:
                dt = dt / n
        return dx, dt


def _converter(x: np.ndarray) -> str:
    """The Tensor method that converts to ``x``'s dtype, for error hints."""
    return {"float64": "double", "float16": "half"}.get(str(x.dtype), "float")


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error as one node (``MseLossBackward0``); inputs may broadcast."""
    return MseLoss.apply(input, target, reduction=reduction)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         reduction: str = "mean") -> Any:
    """Binary cross entropy on probabilities as one node (``BinaryCrossEntropyBackward0``).

    ``weight`` (an array or None) rescales each element and gets no gradient, as in torch.
    """
    return BinaryCrossEntropy.apply(input, target, weight=weight, reduction=reduction)
