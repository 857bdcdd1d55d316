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
__all__ += ["dropout", "elu", "elu_", "gelu", "hardtanh", "hardtanh_", "leaky_relu",
            "leaky_relu_", "log_softmax", "relu6", "silu", "softmax", "softplus"]
from glasstorch.ops.activation import (  # noqa: E402  (the ops live in ops/activation.py)
    elu as elu,
    elu_ as elu_,
    gelu as gelu,
    hardtanh as hardtanh,
    hardtanh_ as hardtanh_,
    leaky_relu as leaky_relu,
    leaky_relu_ as leaky_relu_,
    log_softmax as _log_softmax,
    relu6 as relu6,
    silu as silu,
    softmax as _softmax,
    softplus as softplus,
)
from glasstorch.ops.dropout import (  # noqa: E402  (and ops/dropout.py)
    dropout as _dropout,
    dropout_ as _dropout_,
)


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's deprecated implicit dim: 0 for 0-, 1- and 3-d inputs, else 1 (with a warning)."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``exp(input)`` normalised to sum to 1 along ``dim`` (``SoftmaxBackward0``).

    Args:
        input: a float tensor.
        dim: the dimension that sums to 1. ``None`` is deprecated: it picks one and warns.
        _stacklevel: where the implicit-dim warning points (as in torch).
        dtype: if given, ``input`` is converted to it first.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.softmax(torch.tensor([[1.0, 1.0], [0.0, 2.0]]), dim=1)
        tensor([[0.5000, 0.5000],
                [0.1192, 0.8808]])
    """
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """``log(softmax(input, dim))``, computed stably (``LogSoftmaxBackward0``).

    Args:
        input: a float tensor.
        dim: the dimension to normalise over. ``None`` is deprecated: it picks one and warns.
        _stacklevel: where the implicit-dim warning points (as in torch).
        dtype: if given, ``input`` is converted to it first.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.log_softmax(torch.tensor([0.0, 0.0]), dim=0)
        tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _log_softmax(input, dim, dtype)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p``, scale the rest by ``1 / (1 - p)``.

    Draws the same mask as PyTorch for the same seed; ``training=False`` returns ``input``.

    Args:
        input: a float tensor.
        p: probability of zeroing an element, in [0, 1].
        training: apply dropout (``False``: return ``input`` itself).
        inplace: multiply ``input`` itself by the mask.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> _ = torch.manual_seed(0)
        >>> F.dropout(torch.ones(8), p=0.5)
        tensor([0., 0., 2., 0., 0., 0., 2., 2.])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout_(input, p, training) if inplace else _dropout(input, p, training)


# ---------------------------------------------------------- normalization, embedding and one_hot
__all__ += ["batch_norm", "embedding", "layer_norm", "normalize", "one_hot"]
from glasstorch.ops.embedding import (  # noqa: E402  (the ops live in ops/embedding.py)
    embedding as _embedding,
    one_hot as one_hot,
)
from glasstorch.ops.normalization import (  # noqa: E402  (and ops/normalization.py)
    _batch_norm,
    layer_norm as _layer_norm,
)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) to zero mean and unit variance, then scale and shift.

    With ``training=True`` the batch's statistics are used and ``running_mean`` /
    ``running_var`` (if given) are updated in place; otherwise the running ones are used.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.batch_norm(torch.tensor([[1.0], [3.0]]), None, None, training=True)
        tensor([[-1.0000],
                [ 1.0000]])
    """
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be "
                         "None")
    if training:
        size = input.size()
        size_prods = size[0] if len(size) else 1
        for i in range(len(size) - 2):
            size_prods *= size[i + 2]
        if size_prods == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {size}"
            )
    return _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims of each sample.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.layer_norm(torch.tensor([[0.0, 4.0]]), (2,))
        tensor([[-1.0000,  1.0000]])
    """
    return _layer_norm(input, normalized_shape, weight, bias, eps)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` at ``input``'s indices: shape ``input.shape + (dim,)``.

    ``padding_idx``'s row gets no gradient; ``max_norm`` first rescales, in place, each
    looked-up row whose ``norm_type``-norm exceeds it.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.embedding(torch.tensor([2, 0]), torch.tensor([[0.0], [1.0], [2.0]]))
        tensor([[2.],
                [0.]])
    """
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    return _embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)


def _embedding_renorm_(weight: Tensor, input: Tensor, max_norm: float,
                       norm_type: float) -> None:
    """Scale, in place and outside the graph, each used row longer than ``max_norm``."""
    from glasstorch.ops.embedding import _check_indices

    _check_indices(input, weight.shape[0])
    rows = np.unique(input._data)
    data = weight._data
    # torch: norm in the weight's dtype, scale = max_norm / (norm + 1e-7) in double
    norms = np.linalg.norm(data[rows].astype(np.float64), ord=norm_type, axis=1)
    norms = norms.astype(data.dtype).astype(np.float64)
    big = norms > max_norm
    if big.any():
        scale = (max_norm / (norms[big] + 1e-7)).astype(data.dtype)
        data[rows[big]] *= scale[:, None]
        weight._bump()


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """``input / max(||input||_p, eps)`` along ``dim`` (ops composed, as in torch).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.normalize(torch.tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    if out is None:
        return input / denom
    from glasstorch.autograd.grad_mode import is_grad_enabled

    if is_grad_enabled() and (input.requires_grad or out.requires_grad):
        raise RuntimeError(
            "div(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    result = input / denom
    if tuple(out.shape) != tuple(result.shape):
        raise NotImplementedError(
            f"glasstorch's normalize(out=...) needs out of the result's shape "
            f"{list(result.shape)}, got {list(out.shape)}"
        )
    return out.copy_(result)


# ---------------------------------------------------------- convolution, pooling and padding
__all__ += ["adaptive_avg_pool2d", "avg_pool2d", "conv2d", "max_pool2d",
            "max_pool2d_with_indices", "pad"]
from glasstorch.ops.conv import (  # noqa: E402  (the ops and their checks live in ops/conv.py)
    adaptive_avg_pool2d as adaptive_avg_pool2d,
    avg_pool2d as avg_pool2d,
    conv2d as conv2d,
    max_pool2d as _max_pool2d,
    max_pool2d_with_indices as max_pool2d_with_indices,
    pad as pad,
)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The largest value of each window; with ``return_indices``, also where it was.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: window size, an int or ``(kH, kW)``.
        stride: window step (default: ``kernel_size``).
        padding: ``-inf`` added on each side, at most half the kernel.
        dilation: spacing between window elements.
        ceil_mode: round the output size up instead of down.
        return_indices: also return each maximum's position ``h * W + w`` (int64).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.max_pool2d(torch.tensor([[[[1.0, 3.0], [2.0, 0.0]]]]), 2, return_indices=True)
        (tensor([[[[3.]]]]), tensor([[[[1]]]]))
    """
    if return_indices:
        return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


# ---------------------------------------- losses: cross entropy, nll, logits bce, smooth l1
__all__ += ["binary_cross_entropy_with_logits", "cross_entropy", "huber_loss", "kl_div",
            "nll_loss", "smooth_l1_loss"]


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy between logits and class indices (or class probabilities).

    One fused node computes ``log_softmax`` and the negative log likelihood together
    (torch records two; the result's ``grad_fn`` prints torch's ``NllLossBackward0``).

    Args:
        input: raw scores (logits), (C,), (N, C) or (N, C, d1, ...).
        target: class indices (int64) of shape (), (N,) or (N, d1, ...), or class
            probabilities of the input's shape.
        weight: a weight for each class, shape (C,).
        size_average: deprecated (see ``reduction``).
        ignore_index: a target value that is left out (indices only).
        reduce: deprecated (see ``reduction``).
        reduction: ``'mean'`` (over the weights of the counted targets) | ``'sum'`` |
            ``'none'``.
        label_smoothing: in [0, 1]: mixes the target with the uniform distribution.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.cross_entropy(torch.tensor([[2.0, 0.5, -1.0]]), torch.tensor([0]))
        tensor(0.2413)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _shape(input, "input", "cross_entropy")
    _shape(target, "target", "cross_entropy")
    return _loss.cross_entropy(input, target, weight, _check_reduction(reduction),
                               ignore_index, label_smoothing)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
             reduction: str = "mean") -> Tensor:
    """Negative log likelihood of class indices: ``-input[n, target[n]]``, reduced.

    ``input`` holds log-probabilities (e.g. from ``log_softmax``); one node
    (``NllLossBackward0``, ``NllLoss2DBackward0`` for K-dimensional input).

    Args:
        input: (C,), (N, C) or (N, C, d1, ...) log-probabilities.
        target: class indices, shape (), (N,) or (N, d1, ...).
        weight: a weight for each class, shape (C,).
        size_average: deprecated (see ``reduction``).
        ignore_index: a target value that is left out.
        reduce: deprecated (see ``reduction``).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.nll_loss(torch.tensor([[-0.5, -1.5], [-2.0, -0.1]]), torch.tensor([0, 1]))
        tensor(0.3000)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _shape(input, "input", "nll_loss")
    _shape(target, "target", "nll_loss")
    return _loss.nll_loss(input, target, weight, _check_reduction(reduction), ignore_index)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None, size_average: Any = None,
                                     reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """Binary cross entropy on raw scores, computed stably (no ``sigmoid`` then ``log``).

    Args:
        input: logits, any shape.
        target: floats in [0, 1] of the same shape.
        weight: optional rescaling weight, broadcast to the input's shape.
        size_average: deprecated (see ``reduction``).
        reduce: deprecated (see ``reduction``).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``.
        pos_weight: weight of the positive examples, broadcast along the last dim.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.binary_cross_entropy_with_logits(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 0.0]))
        tensor(1.4100)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    reduction = _check_reduction(reduction)
    if _shape(target, "target", "binary_cross_entropy_with_logits") != \
            _shape(input, "input", "binary_cross_entropy_with_logits"):
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    return _loss.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None,
                   reduce: Any = None, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Smooth L1: ``0.5 z**2 / beta`` for ``z = |input - target| < beta``, else ``z - beta/2``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.smooth_l1_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]))
        tensor(1.3125)
    """
    _warn_if_broadcast(input, target, "smooth_l1_loss")
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    reduction = _check_reduction(reduction)
    if beta == 0.0:  # torch: plain L1
        return l1_loss(input, target, reduction=reduction)
    return _loss.smooth_l1_loss(input, target, reduction, beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """Huber: ``0.5 z**2`` for ``z = |input - target| < delta``, else ``delta (z - delta/2)``.

    Args:
        input: predictions.
        target: ground truth (a broadcastable other shape warns, as in torch).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``.
        delta: where the loss turns from quadratic to linear (> 0).
        weight: optional per-element weights of the input's shape (then 'mean' is the
            mean of the weighted losses).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.huber_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), delta=2.0)
        tensor(2.0625)
    """
    _warn_if_broadcast(input, target, "huber_loss")
    if weight is None:
        return _loss.huber_loss(input, target, _check_reduction(reduction), delta)
    if weight.size() != input.size():
        raise ValueError("Weights and input must have the same size.")
    weighted = _loss.huber_loss(input, target, "none", delta) * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.mean()
    raise ValueError(
        f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def kl_div(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence ``target (log target - input)``, ``input`` in log space.

    ``reduction='batchmean'`` divides the sum by the batch size (the mathematical KL
    divergence); ``'mean'`` (the default) divides by the number of elements and warns, as
    in torch.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.kl_div(torch.tensor([[-1.0, -0.5]]), torch.tensor([[0.5, 0.5]]),
        ...          reduction="batchmean")
        tensor(0.0569)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
        enum = reduction
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the "
                "support size.'batchmean' divides only by the batch size, and aligns with the "
                "KL div math definition.'mean' will be changed to behave the same as "
                "'batchmean' in the next major release.", UserWarning,
                stacklevel=_user_stacklevel())
        enum = "sum" if reduction == "batchmean" else _check_reduction(reduction)
    _shape(input, "input", "kl_div")
    _shape(target, "target", "kl_div")
    out = _loss.kl_div(input, target, enum, log_target)
    if reduction == "batchmean" and input.dim() != 0:
        return out / input.size()[0]
    return out


# ------------------------------------------ more activations, distances and similarities
__all__ += ["celu", "cosine_similarity", "glu", "hardsigmoid", "hardswish", "logsigmoid", "mish",
            "pairwise_distance", "selu", "softsign", "tanhshrink", "threshold", "threshold_"]
from glasstorch.ops.activation import (  # noqa: E402  (the ops live in ops/activation.py)
    celu as celu,
    glu as glu,
    hardsigmoid as hardsigmoid,
    hardswish as hardswish,
    logsigmoid as logsigmoid,
    mish as mish,
    selu as selu,
    softsign as softsign,
    tanhshrink as tanhshrink,
    threshold as threshold,
    threshold_ as threshold_,
)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``x1 . x2 / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim`` (broadcasting).

    Each input is divided by its own norm first, as torch does (the result stays in
    ``[-1, 1]``); the norms are clamped to ``eps`` outside the graph.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.cosine_similarity(torch.tensor([[1.0, 0.0], [1.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
        tensor([0.7071, 1.0000])
    """
    from glasstorch.autograd.grad_mode import no_grad
    from glasstorch.ops._util import dtype_name, result_dtype
    from glasstorch.ops.reduction import norm

    a, b = x1._data, x2._data
    common = result_dtype(a, b) or np.result_type(a.dtype, b.dtype)
    if common.kind != "f":
        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is "
            f"{dtype_name(np.empty(0, common))}. Convert the inputs first, e.g. x1.float()."
        )
    shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    if tuple(x1.shape) != shape:
        x1 = x1.expand(*shape)
    if tuple(x2.shape) != shape:
        x2 = x2.expand(*shape)
    x1_norm = norm(x1, 2, dim, keepdim=True).clone()
    x2_norm = norm(x2, 2, dim, keepdim=True).clone()
    with no_grad():  # torch clamps outside the graph: the gradient flows as if unclamped
        x1_norm.clamp_min_(eps)
        x2_norm.clamp_min_(eps)
    return ((x1 / x1_norm) * (x2 / x2_norm)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """The ``p``-norm of ``x1 - x2 + eps`` over the last dim (``NormBackward1``, as torch).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.pairwise_distance(torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]]))
        tensor([5.0000])
    """
    from glasstorch.ops.reduction import NormDimP

    ndim = max(x1.dim(), x2.dim())
    diff = x1 - x2 + eps  # a float eps makes integer inputs float, as in torch
    axes = None if ndim == 0 else (ndim - 1,)
    return NormDimP.apply(diff, p=float(p), axes=axes, keepdim=keepdim and ndim > 0)


# --------------------------- 1-d convolution and pooling, transposed convolution, upsampling
__all__ += ["adaptive_avg_pool1d", "adaptive_max_pool2d", "adaptive_max_pool2d_with_indices",
            "avg_pool1d", "conv1d", "conv_transpose2d", "interpolate", "max_pool1d",
            "max_pool1d_with_indices"]
from glasstorch.ops.conv import (  # noqa: E402  (the ops and their checks live in ops/conv.py)
    adaptive_avg_pool1d as adaptive_avg_pool1d,
    adaptive_max_pool2d as adaptive_max_pool2d,
    adaptive_max_pool2d_with_indices as adaptive_max_pool2d_with_indices,
    avg_pool1d as avg_pool1d,
    conv1d as conv1d,
    conv_transpose2d as conv_transpose2d,
    interpolate as interpolate,
    max_pool1d as _max_pool1d,
    max_pool1d_with_indices as max_pool1d_with_indices,
)


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The largest value in each ``kernel_size`` window of ``input`` (N, C, L) or (C, L).

    With ``return_indices=True`` also returns where each maximum was (int64 positions).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.max_pool1d(torch.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2, return_indices=True)
        (tensor([[[3., 2.]]]), tensor([[[1, 2]]]))
    """
    if return_indices:
        return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


# --------------------------- group and instance norm, feature dropout, pixel shuffle
__all__ += ["alpha_dropout", "dropout1d", "dropout2d", "feature_alpha_dropout", "group_norm",
            "instance_norm", "local_response_norm", "pixel_shuffle", "pixel_unshuffle"]
from glasstorch.ops.dropout import (  # noqa: E402  (the ops live in ops/dropout.py)
    alpha_dropout as _alpha_dropout,
    alpha_dropout_ as _alpha_dropout_,
    feature_alpha_dropout as _feature_alpha_dropout,
    feature_alpha_dropout_ as _feature_alpha_dropout_,
    feature_dropout as _feature_dropout,
    feature_dropout_ as _feature_dropout_,
)
from glasstorch.ops.normalization import (  # noqa: E402  (and ops/normalization.py)
    group_norm as _group_norm,
    instance_norm as _instance_norm,
    pixel_shuffle as pixel_shuffle,
    pixel_unshuffle as pixel_unshuffle,
)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise each sample over groups of channels (``NativeGroupNormBackward0``).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.group_norm(torch.tensor([[1.0, 3.0, 0.0, 4.0]]), 1)
        tensor([[-0.6325,  0.6325, -1.2649,  1.2649]])
    """
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    size = [input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:])
    size_prods = size[0]
    for i in range(len(size) - 2):
        size_prods *= size[i + 2]
    if size_prods == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )
    return _group_norm(input, num_groups, weight, bias, eps)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) over its spatial dims.

    With ``use_input_stats`` the input's own statistics are used (and ``running_mean`` /
    ``running_var``, if given, updated in place); otherwise the running ones.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.instance_norm(torch.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
        tensor([[[-1.0000,  1.0000],
                 [-1.0000,  1.0000]]])
    """
    if use_input_stats:
        size = input.size()
        size_prods = 1
        for i in range(2, len(size)):
            size_prods *= size[i]
        if size_prods == 1:
            raise ValueError(
                f"Expected more than 1 spatial element when training, got input size {size}"
            )
    return _instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                          momentum, eps, False)


def _feature_dropout_nd(input: Tensor, p: float, training: bool, inplace: bool,
                        is_batched: bool) -> Tensor:
    """torch's dropout1d/2d core: an unbatched input is seen as a batch of one."""
    if not is_batched:
        if inplace:  # the mask drawn for the (1, C, ...) view, applied to input itself
            _feature_dropout_(input.unsqueeze(0), p, training)
            return input
        return _feature_dropout(input.unsqueeze(0), p, training).squeeze(0)
    return _feature_dropout_(input, p, training) if inplace else _feature_dropout(
        input, p, training)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of an ``(N, C, L)`` or ``(C, L)`` input with probability ``p``.

    The kept channels are scaled by ``1 / (1 - p)``; same mask as PyTorch for the same seed.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> _ = torch.manual_seed(0)
        >>> F.dropout1d(torch.ones(4, 2))
        tensor([[0., 0.],
                [0., 0.],
                [2., 2.],
                [0., 0.]])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs)."
        )
    return _feature_dropout_nd(input, p, training, inplace, is_batched=inp_dim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of an ``(N, C, H, W)`` input with probability ``p``.

    The kept channels are scaled by ``1 / (1 - p)``; same mask as PyTorch for the same seed.
    As in torch, a 3-D input is taken as ``(N, C, L)`` (with a warning).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> _ = torch.manual_seed(0)
        >>> F.dropout2d(torch.ones(1, 4, 1, 2))
        tensor([[[[0., 0.]],
        <BLANKLINE>
                 [[0., 0.]],
        <BLANKLINE>
                 [[2., 2.]],
        <BLANKLINE>
                 [[0., 0.]]]])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return _feature_dropout_nd(input, p, training, inplace, is_batched=True)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU's self-normalisation (mean and variance of the input).

    Dropped elements get SELU's negative saturation value, then everything is scaled and
    shifted; the mask is the one PyTorch draws for the same seed. Note ``training``
    defaults to ``False``, as in torch.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> _ = torch.manual_seed(0)
        >>> F.alpha_dropout(torch.zeros(4), 0.5, training=True)
        tensor([-0.7792, -0.7792,  0.7792, -0.7792])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _alpha_dropout_(input, p, training) if inplace else _alpha_dropout(input, p, training)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """:func:`alpha_dropout` of whole channels of an ``(N, C, *)`` input.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.feature_alpha_dropout(torch.ones(1, 2, 2))  # training=False: unchanged
        tensor([[[1., 1.],
                 [1., 1.]]])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if inplace:
        return _feature_alpha_dropout_(input, p, training)
    return _feature_alpha_dropout(input, p, training)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """``input / (k + alpha * mean of input**2 over size neighbouring channels) ** beta``.

    Composed from ops as in torch (the result's node is ``DivBackward0``); the channel
    window of an input with more than 3 dims is averaged with ``avg_pool2d`` on an
    ``(N, 1, C, rest)`` view where torch uses ``avg_pool3d`` (same numbers).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.local_response_norm(torch.tensor([[[2.0], [0.0]]]), 2, alpha=1.0, beta=1.0)
        tensor([[[0.6667],
                 [0.0000]]])
    """
    dim = input.dim()
    if dim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality                          input (got {dim} "
            "dimensions)"
        )
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = div.unsqueeze(1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], -1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


# ---------------------------------------------------------- attention
__all__ += ["scaled_dot_product_attention"]
from glasstorch._dtype import bool as _bool  # noqa: E402  (the mask dtype)
from glasstorch.ops.creation import ones as _ones  # noqa: E402
from glasstorch.ops.linalg import matmul as _matmul  # noqa: E402


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """``softmax(query @ key.T * scale + mask) @ value``, torch's math path, from glasstorch ops.

    ``scale`` defaults to ``1 / sqrt(E)``. A bool ``attn_mask`` marks the positions that
    TAKE PART (``False`` gets ``-inf``); a float one is added to the scores. Rows that are
    masked everywhere give zeros (torch's "safe softmax"). Dropout on the weights uses
    ``F.dropout``, so a seeded run drops the same weights as torch.

    Args:
        query: ``(..., L, E)``.
        key: ``(..., S, E)``.
        value: ``(..., S, Ev)``.
        attn_mask: bool or float, broadcastable to ``(..., L, S)``.
        dropout_p: dropout probability on the attention weights (always applied when > 0).
        is_causal: mask out the upper triangle (``attn_mask`` must then be ``None``).
        scale: the factor on the scores instead of ``1 / sqrt(E)``.
        enable_gqa: grouped-query attention; not supported (only ``False``).

    Returns:
        ``(..., L, Ev)``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> q = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
        >>> F.scaled_dot_product_attention(q, q, q, is_causal=True)
        tensor([[1.0000, 0.0000],
                [0.3302, 0.6698]])
    """
    if enable_gqa:
        raise NotImplementedError(
            "scaled_dot_product_attention: enable_gqa=True (grouped-query attention) is not "
            "supported by glasstorch; repeat key and value along the head dimension "
            "(key.repeat_interleave(groups, dim=-3)) and pass enable_gqa=False")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} "
            "instead.")
    if attn_mask is not None and attn_mask.dtype != _bool \
            and attn_mask.dtype != query.dtype and not attn_mask.is_floating_point():
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
            f"attn_mask.dtype: {attn_mask.dtype} and  query.dtype: {query.dtype} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True")
    length, source = query.shape[-2], key.shape[-2]
    scale_factor = 1.0 / float(np.sqrt(query.shape[-1])) if scale is None else scale
    scores = _matmul(query, key.transpose(-2, -1)) * scale_factor
    if is_causal:
        allowed = _ones(length, source, dtype=_bool).tril()
        scores = scores.masked_fill(allowed.logical_not(), float("-inf"))
    elif attn_mask is not None:
        if attn_mask.dtype == _bool:
            scores = scores.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            scores = scores + attn_mask
    with np.errstate(invalid="ignore"):  # fully masked rows: nan, replaced just below
        weights = softmax(scores, dim=-1)
    if is_causal or attn_mask is not None:
        # A row masked everywhere would be 0/0 = nan; torch's safe softmax makes it zeros.
        fully_masked = (scores == float("-inf")).all(dim=-1, keepdim=True)
        weights = weights.masked_fill(fully_masked, 0.0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return _matmul(weights, value)
