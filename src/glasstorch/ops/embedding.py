"""Embedding lookup (with padding_idx) and one_hot."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function

__all__ = ["embedding"]

_TENSOR_TYPES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
                 "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
                 "bool": "BoolTensor"}


class Embedding(Function):
    """out = weight[indices];  dweight[i] = sum of grad rows whose index is i
    (0 for the padding_idx row; divided by the count of i with scale_grad_by_freq)
    """

    @staticmethod
    def forward(ctx: Any, weight: np.ndarray, indices: np.ndarray, padding_idx: int = -1,
                scale_grad_by_freq: bool = False) -> np.ndarray:
        ctx.save_for_backward(indices)
        ctx.num_weights = weight.shape[0]
        ctx.padding_idx = padding_idx
        ctx.scale_grad_by_freq = scale_grad_by_freq
        return weight[indices]  # rows copied (advanced indexing), as torch's index_select

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None]:
        (indices,) = ctx.saved_tensors
        flat = indices.reshape(-1)
        rows = grad.reshape(flat.size, -1)
        num = ctx.num_weights
        if ctx.scale_grad_by_freq:
            counts = np.bincount(flat, minlength=num)
            rows = rows / counts[flat][:, None].astype(rows.dtype)
        if 0 <= ctx.padding_idx:
            rows = np.where((flat == ctx.padding_idx)[:, None], rows.dtype.type(0), rows)
        dw = np.zeros((num, rows.shape[1]), dtype=grad.dtype)
        np.add.at(dw, flat, rows)  # repeated indices accumulate
        return dw, None


def _check_indices(indices: Tensor, num_weights: int) -> None:
    """torch's dtype and range checks on embedding indices."""
    data = indices._data
    if data.dtype not in (np.int64, np.int32):
        name = "torch." + _TENSOR_TYPES.get(str(data.dtype), str(data.dtype))
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got {name} instead (while checking arguments for "
            "embedding). Convert the indices with .long()"
        )
    if data.size and (data.min() < 0 or data.max() >= num_weights):
        raise IndexError(
            f"index out of range in self: embedding indices must lie in [0, {num_weights - 1}]"
            f" (the table has {num_weights} rows); got values from {data.min()} to {data.max()}"
        )


def embedding(weight: Tensor, indices: Tensor, padding_idx: builtins.int = -1,
              scale_grad_by_freq: builtins.bool = False,
              sparse: builtins.bool = False) -> Tensor:
    """Rows of ``weight`` picked by ``indices`` (``EmbeddingBackward0``).

    The ``padding_idx`` row (``-1``: none) gets no gradient; repeated indices add up.
    ``torch.nn.functional.embedding(input, weight)`` is the usual way to call it.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.ops.embedding import embedding
        >>> embedding(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([1, 1]))
        tensor([[3., 4.],
                [3., 4.]])
    """
    if sparse:
        raise NotImplementedError(
            "glasstorch does not implement sparse gradients (sparse=True); use sparse=False"
        )
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(indices, weight.shape[0])
    return Embedding.apply(weight, indices, padding_idx=builtins.int(padding_idx),
                           scale_grad_by_freq=builtins.bool(scale_grad_by_freq))


def one_hot(tensor: Tensor, num_classes: builtins.int = -1) -> Tensor:
    """``(*, num_classes)`` int64 tensor with a 1 at each value's position.

    ``num_classes=-1`` takes ``tensor.max() + 1``.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.ops.embedding import one_hot
        >>> one_hot(torch.tensor([0, 2]))
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    data = tensor._data
    if data.dtype != np.int64:
        raise RuntimeError(
            "one_hot is only applicable to index tensor of type LongTensor. Convert it with "
            ".long()"
        )
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError(
                "Can not infer total number of classes from empty tensor. Pass num_classes"
            )
        num_classes = builtins.int(data.max()) + 1
    if data.size:
        if data.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if data.max() >= num_classes:
            raise RuntimeError(
                f"Class values must be smaller than num_classes. (num_classes={num_classes}, "
                f"largest value {builtins.int(data.max())})"
            )
    elif num_classes < 0:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(data.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, data[..., None], 1, axis=-1)
    return Tensor._wrap(out)
