"""Dropout layers: ``Dropout`` (zeroes inputs with probability ``p`` in training mode)."""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["Dropout"]


class _DropoutNd(Module):
    """What the dropout layers share: ``p``, ``inplace`` and their repr."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        """``p=..., inplace=...``, as torch prints them."""
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zero each element with probability ``p`` in training mode; identity in eval mode.

    While training, the elements kept are scaled by ``1 / (1 - p)`` so the expected value
    is unchanged; after ``model.eval()`` the input is returned as it is.

    The mask is drawn from the global generator exactly as PyTorch draws it, so a seeded
    run zeroes the same elements.

    Args:
        p: probability of zeroing an element. Default: ``0.5``.
        inplace: multiply the input itself by the mask. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> drop = torch.nn.Dropout(p=0.5)
        >>> drop
        Dropout(p=0.5, inplace=False)
        >>> _ = torch.manual_seed(0)
        >>> drop(torch.ones(8))
        tensor([0., 0., 2., 0., 0., 0., 2., 2.])
        >>> drop.eval()(torch.ones(3))
        tensor([1., 1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``dropout(input, p)`` while training, ``input`` itself in eval mode."""
        return F.dropout(input, self.p, self.training, self.inplace)
