"""Dropout: the random mask drawn from torch's bernoulli stream, scaled by 1/(1-p).

PyTorch's CPU dropout is not one op but three steps (``_dropout_impl`` in ATen's
``Dropout.cpp``), and glasstorch takes the same steps so that a seeded run zeroes exactly
the same elements:

1. ``noise = empty_like(input).bernoulli_(1 - p)``: one double uniform ``u`` per element
   (two 32-bit words of the generator), drawn in the input's memory order; keep iff
   ``u < 1 - p``.
2. ``noise.div_(1 - p)``: the kept elements become ``1 / (1 - p)`` in the input's dtype.
3. ``input * noise``: so the result's ``grad_fn`` is ``MulBackward0`` and the gradient is
   ``grad * noise``.

``p = 0``, ``train=False`` and empty inputs return ``input`` itself; ``p = 1`` returns
``input * 0``. Neither draws any random numbers.

Feature dropout (``feature_dropout``, behind ``F.dropout1d`` / ``F.dropout2d``) takes the
same steps with a noise of shape ``(N, C, 1, ..., 1)`` (ATen's ``make_feature_noise``):
one draw per (sample, channel), broadcast over the spatial dims by the multiply.

Alpha dropout (``alpha_dropout``, for SELU networks) draws the same mask and then, as ATen
does, ``b = (keep - 1) * (alpha * a) + alpha * a * p`` and ``out = input * (keep * a) + b``
with ``a = 1 / sqrt((alpha ** 2 * p + 1) * (1 - p))``: dropped elements become SELU's
negative saturation value, and mean and variance are kept (``AddBackward0``, like torch).
"""

from __future__ import annotations

import numpy as np

from glasstorch import _generator as _gen
from glasstorch._tensor import Tensor
from glasstorch.ops._util import dtype_name

__all__ = ["alpha_dropout", "alpha_dropout_", "dropout", "dropout_", "feature_alpha_dropout",
           "feature_alpha_dropout_", "feature_dropout", "feature_dropout_"]


def _check_p(p: float) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")


def _noise(data: np.ndarray, p: float) -> np.ndarray:
    """``bernoulli_(1 - p)`` then ``div_(1 - p)`` on an array shaped and laid out like ``data``."""
    if data.dtype.kind != "f":
        # torch fails at div_ (after drawing); here nothing is drawn and nothing changes
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {dtype_name(data)} "
            "(dropout needs a float tensor: convert it first, e.g. x.float())"
        )
    t = data.dtype.type
    scale = t(1) / t(1.0 - p)  # div_ by the number 1 - p, in the tensor's dtype
    return np.where(_keep(data, p), scale, t(0))


def _keep(data: np.ndarray, p: float) -> np.ndarray:
    """The boolean mask of ``bernoulli_(1 - p)`` on an array shaped and laid out like ``data``."""
    q = 1.0 - p
    gen = _gen.default_generator
    # empty_like keeps a dense tensor's layout (a transposed input is filled column by
    # column), anything else is filled in C order.
    axes = sorted(range(data.ndim), key=lambda a: -abs(data.strides[a]))
    in_memory_order = data.transpose(axes)
    if data.ndim > 1 and not data.flags.c_contiguous and in_memory_order.flags.c_contiguous:
        keep = gen.bernoulli(q, in_memory_order.shape, np.bool_)
        keep = keep.transpose(np.argsort(axes))
    else:
        keep = gen.bernoulli(q, data.shape, np.bool_)
    return keep


_SELU_ALPHA = 1.7580993408473766  # -SELU's saturation value, ATen's alpha_dropout constant


def _dropout(input: Tensor, p: float, train: bool, inplace: bool,
             feature: bool = False, alpha: bool = False) -> Tensor:
    name = ("feature_" if feature else "") + ("alpha_dropout" if alpha else "dropout")
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    if feature and input._data.ndim < 2:
        raise RuntimeError(
            "Feature dropout requires at least 2 dimensions in the input (shape (N, C, ...): "
            "use dropout for element-wise dropout)"
        )
    _check_p(p)
    if p == 0 or not train or input._data.size == 0:
        return input
    if p == 1:
        zero = Tensor._wrap(np.zeros((), input._data.dtype))
        return input.mul_(zero) if inplace else input * zero
    data = input._data
    if feature:  # ATen's make_feature_noise: a fresh contiguous (N, C, 1, ..., 1) tensor
        data = np.empty(data.shape[:2] + (1,) * (data.ndim - 2), data.dtype)
    if alpha:
        return _alpha_apply(input, data, p, inplace)
    noise = Tensor._wrap(_noise(data, p))
    return input.mul_(noise) if inplace else input * noise


def _alpha_apply(input: Tensor, data: np.ndarray, p: float, inplace: bool) -> Tensor:
    """ATen's alpha-dropout arithmetic on the ``bernoulli_(1 - p)`` mask drawn for ``data``."""
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"alpha_dropout needs a float tensor, got {dtype_name(data)} (convert it first, "
            "e.g. x.float())"
        )
    t = data.dtype.type
    keep = _keep(data, p).astype(data.dtype)
    a = 1.0 / np.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
    # each Python-number operand is rounded to the tensor's dtype, as in ATen's kernels
    b = Tensor._wrap((keep - t(1)) * t(_SELU_ALPHA * a) + t(_SELU_ALPHA * a * p))
    noise = Tensor._wrap(keep * t(a))
    if inplace:
        return input.mul_(noise).add_(b)
    return input * noise + b


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    The mask is the one PyTorch draws for the same seed (``MulBackward0``, like torch).

    Args:
        input: a float tensor.
        p: probability of zeroing an element, in [0, 1].
        train: ``False`` returns ``input`` unchanged.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.dropout(torch.ones(6), 0.5, True)
        tensor([0., 0., 2., 0., 0., 0.])
    """
    return _dropout(input, p, train, inplace=False)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place :func:`dropout`: ``input`` is multiplied by the mask.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> x = torch.ones(4)
        >>> _ = torch.dropout_(x, 0.25, True)
        >>> x
        tensor([0.0000, 1.3333, 1.3333, 0.0000])
    """
    return _dropout(input, p, train, inplace=True)



def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Zero whole channels: one draw per ``(sample, channel)`` of an ``(N, C, *)`` input.

    The kept channels are scaled by ``1 / (1 - p)``; the mask is the one PyTorch draws for
    the same seed (``MulBackward0``, like torch). ``F.dropout1d`` / ``F.dropout2d`` call it.

    Args:
        input: a float tensor of at least 2 dims ``(N, C, *)``.
        p: probability of zeroing a channel, in [0, 1].
        train: ``False`` returns ``input`` unchanged.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.feature_dropout(torch.ones(1, 4, 2), 0.5, True)
        tensor([[[0., 0.],
                 [0., 0.],
                 [2., 2.],
                 [0., 0.]]])
    """
    return _dropout(input, p, train, inplace=False, feature=True)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place :func:`feature_dropout`: ``input`` is multiplied by the channel mask.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> x = torch.ones(2, 2, 1)
        >>> _ = torch.feature_dropout_(x, 0.5, True)
        >>> x
        tensor([[[0.],
                 [0.]],
        <BLANKLINE>
                [[2.],
                 [0.]]])
    """
    return _dropout(input, p, train, inplace=True, feature=True)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Dropout for SELU networks: dropped elements get SELU's saturation value, and the
    result is rescaled so the mean and variance stay those of the input (``AddBackward0``).

    Args:
        input: a float tensor.
        p: probability of dropping an element, in [0, 1].
        train: ``False`` returns ``input`` unchanged.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.alpha_dropout(torch.zeros(4), 0.5, True)
        tensor([-0.7792, -0.7792,  0.7792, -0.7792])
    """
    return _dropout(input, p, train, inplace=False, alpha=True)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place :func:`alpha_dropout`.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> x = torch.zeros(2)
        >>> _ = torch.alpha_dropout_(x, 0.5, True)
        >>> x
        tensor([-0.7792, -0.7792])
    """
    return _dropout(input, p, train, inplace=True, alpha=True)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """:func:`alpha_dropout` of whole channels: one draw per (sample, channel) of ``(N, C, *)``.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.feature_alpha_dropout(torch.zeros(1, 2, 2), 0.5, True)
        tensor([[[-0.7792, -0.7792],
                 [-0.7792, -0.7792]]])
    """
    return _dropout(input, p, train, inplace=False, feature=True, alpha=True)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """In-place :func:`feature_alpha_dropout`.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> x = torch.zeros(2, 1)
        >>> _ = torch.feature_alpha_dropout_(x, 0.5, True)
        >>> x
        tensor([[-0.7792],
                [-0.7792]])
    """
    return _dropout(input, p, train, inplace=True, feature=True, alpha=True)
