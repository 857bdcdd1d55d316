"""``unbroadcast``: the one helper that sums a gradient back to its input's shape.

Rules compute gradients in the output's (broadcast) shape; the engine calls this right
after each rule, so no rule has to think about broadcasting.
"""

from __future__ import annotations

import numpy as np

from glasstorch.ops._sum import torch_sum


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...], op_name: str = "op") -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``.

    Example:
        >>> unbroadcast(np.ones((2, 3)), (3,)).tolist()
        [2.0, 2.0, 2.0]
        >>> unbroadcast(np.ones((2, 3)), (2, 1)).tolist()
        [[3.0], [3.0]]
    """
    if grad.shape == shape:
        return grad
    if not shape:  # the common 0-dim parameter (w * x with w a scalar)
        return np.asarray(torch_sum(grad))  # torch's summation order (bit-exact grads)
    extra = grad.ndim - len(shape)
    if extra < 0:
        return _shape_bug(grad, shape, op_name)
    axes = list(range(extra))
    for i, size in enumerate(shape):
        gsize = grad.shape[extra + i]
        if size == 1 and gsize != 1:
            axes.append(extra + i)
        elif size != gsize:
            return _shape_bug(grad, shape, op_name)
    # torch's sum_to: sum(reduce_dims, keepdim=True), adding in torch's order
    out = torch_sum(grad, tuple(axes), True) if axes else grad
    return out.reshape(shape)


def _shape_bug(grad: np.ndarray, shape: tuple[int, ...], op_name: str) -> np.ndarray:
    raise RuntimeError(
        f"{op_name} returned a gradient of shape {tuple(grad.shape)} for an input of shape "
        f"{tuple(shape)}; the shapes cannot be matched by summing broadcast axes. This is a "
        "bug in that op's backward rule."
    )


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to (``torch.broadcast_shapes``)."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise RuntimeError(
            "shapes " + ", ".join(str(tuple(s)) for s in shapes) + " cannot be broadcast "
            "together: sizes must match or be 1 in every dimension, counting from the last."
        ) from None
