"""Loss layers: ``MSELoss``, ``L1Loss``, ``BCELoss`` (thin wrappers over nn.functional).

``reduction`` is ``'mean'`` (default), ``'sum'`` or ``'none'``. The deprecated
``size_average`` / ``reduce`` arguments are mapped to a reduction as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["BCELoss", "L1Loss", "MSELoss"]


class _Loss(Module):
    reduction: str

    def __init__(self, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = F._legacy_reduction(size_average, reduce)
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error: ``mean((input - target) ** 2)`` (or its sum, or per element).

    Args:
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.

    Shape:
        - Input and target: the same shape (a different but broadcastable target warns).
        - Output: a scalar, or the input's shape for ``'none'``.

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.MSELoss()
        >>> loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))
        tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.mse_loss(input, target)`` with this module's ``reduction``."""
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: ``mean(|input - target|)`` (or its sum, or per element).

    Args:
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.L1Loss()(torch.tensor([1.0, 2.0]), torch.tensor([2.0, 4.0]))
        tensor(1.5000)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.l1_loss(input, target)`` with this module's ``reduction``."""
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross entropy on probabilities: ``-mean(w (y log p + (1 - y) log(1 - p)))``.

    Each log is clamped at -100 (as in PyTorch), so ``p = 0`` or ``1`` gives a large but
    finite loss. The input must hold probabilities (apply ``torch.sigmoid`` first) and the
    target floats of the same dtype and shape.

    Args:
        weight: a rescaling weight for each element (broadcast to the target's shape);
            registered as a buffer, so it is saved in ``state_dict``.
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.BCELoss()
        >>> loss(torch.tensor([0.8, 0.2]), torch.tensor([1.0, 0.0]))
        tensor(0.2231)
    """

    weight: Tensor | None

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.binary_cross_entropy`` with this module's ``weight`` and ``reduction``."""
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)
