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
"""

from __future__ import annotations

import numpy as np

from glasstorch import _generator as _gen
from glasstorch._tensor import Tensor
from glasstorch.ops._util import dtype_name

__all__ = ["dropout", "dropout_"]


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
    t = data.dtype.type
    scale = t(1) / t(q)  # div_ by the number 1 - p, in the tensor's dtype
    return np.where(keep, scale, t(0))


def _dropout(input: Tensor, p: float, train: bool, inplace: bool) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout(): argument 'input' must be Tensor, not {type(input).__name__}")
    _check_p(p)
    if p == 0 or not train or input._data.size == 0:
        return input
    if p == 1:
        zero = Tensor._wrap(np.zeros((), input._data.dtype))
        return input.mul_(zero) if inplace else input * zero
    noise = Tensor._wrap(_noise(input._data, p))
    return input.mul_(noise) if inplace else input * noise


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

