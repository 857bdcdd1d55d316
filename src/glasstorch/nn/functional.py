"""``torch.nn.functional``: the stateless forms of the layers and losses (``import ... as F``).

Each function checks its arguments the way PyTorch does and calls one op; the math lives
in ``glasstorch.ops`` (``ops/loss.py`` for the fused losses).
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType
from typing import Any

import numpy as np

from glasstorch._errors import message
from glasstorch._tensor import Tensor
from glasstorch.ops import loss as _loss
from glasstorch.ops._broadcast import broadcast_shapes
from glasstorch.ops.elementwise import relu as _relu, sigmoid as sigmoid, tanh as tanh
from glasstorch.ops.linalg import linear as _linear

__all__ = [
    "binary_cross_entropy",
    "l1_loss",
    "linear",
    "mse_loss",
    "relu",
    "sigmoid",
    "tanh",
]


# ---------------------------------------------------------------------------- layers
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` as one op (``AddmmBackward0`` for 2-D input).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.linear(torch.ones(1, 2), torch.tensor([[1.0, 2.0]]), torch.tensor([0.5]))
        tensor([[3.5000]])
    """
    return _linear(input, weight, bias)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(0, input)``; ``inplace=True`` overwrites ``input``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.relu(torch.tensor([-1.0, 3.0]))
        tensor([0., 3.])
    """
    return input.relu_() if inplace else _relu(input)


# ---------------------------------------------------------------------------- losses
def _user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside glasstorch."""
    frame: FrameType | None = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("glasstorch"):
        frame = frame.f_back
        level += 1
    return level


def _legacy_reduction(size_average: Any, reduce: Any, emit_warning: bool = True) -> str:
    """Map torch's deprecated ``size_average`` / ``reduce`` flags to a ``reduction``."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        reduction = "mean"
    elif reduce:
        reduction = "sum"
    else:
        reduction = "none"
    if emit_warning:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=_user_stacklevel(),
        )
    return reduction


def _check_reduction(reduction: str) -> str:
    if reduction in ("mean", "sum", "none"):
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            UserWarning,
            stacklevel=_user_stacklevel(),
        )
        return "mean"
    raise ValueError(
        f"{reduction} is not a valid value for reduction (use 'mean', 'sum' or 'none')"
    )


def _shape(t: Any, name: str, function: str) -> tuple[int, ...]:
    if not isinstance(t, Tensor):
        raise TypeError(message("loss_argument_not_tensor", function=function, name=name,
                                type=type(t).__name__))
    return t._data.shape


def _warn_if_broadcast(input: Tensor, target: Tensor, function: str) -> None:
    target_shape = _shape(target, "target", function)
    input_shape = _shape(input, "input", function)
    if target_shape != input_shape:
        warnings.warn(
            _target_size_message(input_shape, target_shape), UserWarning,
            stacklevel=_user_stacklevel(),
        )


def _target_size_message(input_shape: tuple[int, ...], target_shape: tuple[int, ...]) -> str:
    """torch's warning for a target of another shape, with the fix for the usual cases."""
    fields: dict[str, Any] = {
        "target_size": f"torch.Size({list(target_shape)})",
        "input_size": f"torch.Size({list(input_shape)})",
        "input_shape": input_shape, "target_shape": target_shape,
    }
    n = input_shape[0] if input_shape else 1
    if n > 1 and input_shape[1:] == (1,) and target_shape == (n,):  # (N, 1) vs (N,)
        return message("loss_target_size_column", broadcast=(n, n), **fields)
    if n > 1 and target_shape == (n, 1) and input_shape == (n,):  # (N,) vs (N, 1)
        return message("loss_target_size_row", broadcast=(n, n), **fields)
    return message("loss_target_size", **fields)


def _weighted(errors: Tensor, input: Tensor, weight: Tensor, reduction: str) -> Tensor:
    """torch's weighted mse/l1: ``sum(w * e) / sum(w)`` for 'mean' (a composite of ops)."""
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    weighted = errors * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum()


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean squared error ``mean((input - target) ** 2)``, as one op (``MseLossBackward0``).

    Args:
        input: predictions.
        target: ground truth, same shape (a broadcastable other shape warns, as in torch).
        size_average: deprecated (see ``reduction``).
        reduce: deprecated (see ``reduction``).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``.
        weight: optional per-element weights of the input's shape.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]), reduction="sum")
        tensor(4.)
    """
    _warn_if_broadcast(input, target, "mse_loss")
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if weight is not None:
        return _weighted((input - target) ** 2, input, weight, reduction)
    return _loss.mse_loss(input, target, _check_reduction(reduction))


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean absolute error ``mean(|input - target|)``.

    Like PyTorch, this is a composite: ``(input - target).abs()`` then ``mean``/``sum``, so
    the result's ``grad_fn`` is ``MeanBackward0`` / ``SumBackward0`` / ``AbsBackward0``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.l1_loss(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0]))
        tensor(1.5000)
    """
    _warn_if_broadcast(input, target, "l1_loss")
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if weight is not None:
        return _weighted((input - target).abs(), input, weight, reduction)
    reduction = _check_reduction(reduction)
    errors = (input - target).abs()
    if reduction == "none":
        return errors
    return errors.sum() if reduction == "sum" else errors.mean()


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross entropy between probabilities ``input`` and float targets in [0, 1].

    One op (``BinaryCrossEntropyBackward0``); each log is clamped at -100 as in PyTorch.

    Args:
        input: probabilities (e.g. the output of ``torch.sigmoid``), any shape.
        target: floats in [0, 1] of the same shape and dtype.
        weight: optional rescaling weight, broadcast to the target's shape.
        size_average: deprecated (see ``reduction``).
        reduce: deprecated (see ``reduction``).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0]))
        tensor(0.6931)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    reduction = _check_reduction(reduction)
    target_shape = _shape(target, "target", "binary_cross_entropy")
    if target_shape != _shape(input, "input", "binary_cross_entropy"):
        raise ValueError(message("bce_target_size", target_size=target.size(),
                                 input_size=input.size()))
    weight_data = None
    if weight is not None:
        shape = broadcast_shapes(target_shape, weight.shape)
        weight_data = np.broadcast_to(weight._data.astype(input._data.dtype, copy=False), shape)
    return _loss.binary_cross_entropy(input, target, weight_data, reduction)


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.nn.functional.{name} yet")


# ---------------------------------------------------------- activations and dropout
__all__ += []


# ---------------------------------------------------------- normalization, embedding and one_hot
__all__ += []


# ---------------------------------------------------------- convolution, pooling and padding
__all__ += []


# ---------------------------------------- losses: cross entropy, nll, logits bce, smooth l1
__all__ += []
