"""Loss layers: ``MSELoss``, ``CrossEntropyLoss``, ``BCEWithLogitsLoss``... (wrappers over F).

``reduction`` is ``'mean'`` (default), ``'sum'`` or ``'none'``. The deprecated
``size_average`` / ``reduce`` arguments are mapped to a reduction as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "HuberLoss", "KLDivLoss",
           "L1Loss", "MSELoss", "NLLLoss", "SmoothL1Loss"]


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


class _WeightedLoss(_Loss):
    weight: Tensor | None

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class NLLLoss(_WeightedLoss):
    """Negative log likelihood of class indices; the input holds log-probabilities.

    Args:
        weight: a weight for each class, shape (C,) (a buffer: saved in ``state_dict``).
        ignore_index: a target value that is left out of the loss and its mean.
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.

    Shape:
        - Input: (C,), (N, C) or (N, C, d1, ...); target: (), (N,) or (N, d1, ...) int64.

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.NLLLoss()
        >>> loss(torch.tensor([[-0.5, -1.5], [-2.0, -0.1]]), torch.tensor([0, 1]))
        tensor(0.3000)
    """

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.nll_loss`` with this module's settings."""
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross entropy between raw scores (logits) and class indices or class probabilities.

    Computes ``log_softmax`` and the negative log likelihood in one fused, numerically
    stable node. Do not apply ``softmax`` to the model's output first.

    Args:
        weight: a weight for each class, shape (C,) (a buffer: saved in ``state_dict``).
        ignore_index: a target value that is left out of the loss and its mean.
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.
        label_smoothing: in [0, 1]; mixes the targets with the uniform distribution.

    Shape:
        - Input: (C,), (N, C) or (N, C, d1, ...).
        - Target: class indices (int64) of shape (), (N,) or (N, d1, ...), or class
          probabilities of the input's shape.

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.CrossEntropyLoss()
        >>> loss(torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]), torch.tensor([0, 2]))
        tensor(0.1755)
    """

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.cross_entropy`` with this module's settings."""
        return F.cross_entropy(input, target, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy on raw scores: ``sigmoid`` and BCE in one stable node.

    Args:
        weight: a rescaling weight broadcast to the input (a buffer).
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.
        pos_weight: a weight of the positive examples, broadcast along the last dim
            (a buffer).

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.BCEWithLogitsLoss()
        >>> loss(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 0.0]))
        tensor(1.4100)
    """

    weight: Tensor | None
    pos_weight: Tensor | None

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.binary_cross_entropy_with_logits`` with this module's settings."""
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1: quadratic for ``|input - target| < beta``, linear (L1) beyond.

    Args:
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.
        beta: where the loss turns linear (>= 0; 0 is plain L1). Default: 1.0.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.SmoothL1Loss()(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]))
        tensor(1.3125)
    """

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.smooth_l1_loss`` with this module's settings."""
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Huber loss: ``0.5 z**2`` for ``z = |input - target| < delta``, else ``delta (z - delta/2)``.

    Args:
        reduction: ``'mean'`` | ``'sum'`` | ``'none'``. Default: ``'mean'``.
        delta: where the loss turns linear (> 0). Default: 1.0.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.HuberLoss(delta=2.0)(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]))
        tensor(2.0625)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.huber_loss`` with this module's settings."""
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence; the input holds log-probabilities.

    Args:
        reduction: ``'mean'`` (warns, as in torch) | ``'batchmean'`` | ``'sum'`` |
            ``'none'``. Default: ``'mean'``.
        log_target: whether the target holds log-probabilities too. Default: False.

    Example:
        >>> import glasstorch as torch
        >>> loss = torch.nn.KLDivLoss(reduction="batchmean")
        >>> loss(torch.tensor([[-1.0, -0.5]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.0569)
    """

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """``F.kl_div`` with this module's settings."""
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
