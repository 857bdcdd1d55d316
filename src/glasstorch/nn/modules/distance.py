"""``CosineSimilarity`` and ``PairwiseDistance``."""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__: list[str] = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    """The cosine of the angle between ``x1`` and ``x2`` along ``dim``.

    Args:
        dim: the dimension to compare along. Default: ``1``.
        eps: the smallest norm divided by (avoids division by zero). Default: ``1e-8``.

    Example:
        >>> import glasstorch as torch
        >>> cos = torch.nn.CosineSimilarity(dim=0)
        >>> cos(torch.tensor([1.0, 0.0]), torch.tensor([1.0, 1.0]))
        tensor(0.7071)
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """``cosine_similarity(x1, x2, dim, eps)``."""
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The ``p``-norm distance between matching rows: ``||x1 - x2 + eps||_p`` over the last dim.

    Args:
        p: the norm degree. Default: ``2.0``.
        eps: added to the difference to avoid a zero norm. Default: ``1e-6``.
        keepdim: keep the reduced dimension. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> pdist = torch.nn.PairwiseDistance()
        >>> pdist(torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0]]))
        tensor([5.0000])
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        """``pairwise_distance(x1, x2, p, eps, keepdim)``."""
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
