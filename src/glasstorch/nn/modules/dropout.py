"""Dropout layers: ``Dropout`` (elements), ``Dropout1d`` / ``Dropout2d`` (whole channels).

Also ``AlphaDropout`` / ``FeatureAlphaDropout``, the self-normalising variants for SELU.
"""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d", "FeatureAlphaDropout"]


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


class Dropout1d(_DropoutNd):
    """Zero whole channels of ``(N, C, L)`` (or ``(C, L)``) input with probability ``p``.

    One draw per (sample, channel), as PyTorch draws it; kept channels are scaled by
    ``1 / (1 - p)``. Identity in eval mode.

    Args:
        p: probability of zeroing a channel. Default: ``0.5``.
        inplace: multiply the input itself by the mask. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.nn.Dropout1d()(torch.ones(1, 4, 2))
        tensor([[[0., 0.],
                 [0., 0.],
                 [2., 2.],
                 [0., 0.]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``dropout1d(input, p)`` while training, ``input`` itself in eval mode."""
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels (feature maps) of ``(N, C, H, W)`` input with probability ``p``.

    One draw per (sample, channel), as PyTorch draws it; kept channels are scaled by
    ``1 / (1 - p)``. Identity in eval mode.

    Args:
        p: probability of zeroing a channel. Default: ``0.5``.
        inplace: multiply the input itself by the mask. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Dropout2d(0.2)
        Dropout2d(p=0.2, inplace=False)
    """

    def forward(self, input: Tensor) -> Tensor:
        """``dropout2d(input, p)`` while training, ``input`` itself in eval mode."""
        return F.dropout2d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks: keeps the input's mean and variance (training mode only).

    Dropped elements get SELU's negative saturation value, then the result is scaled and
    shifted; the mask is drawn as PyTorch draws it. As in torch, ``inplace`` is stored
    (and printed) but the layer never works in place.

    Args:
        p: probability of dropping an element. Default: ``0.5``.
        inplace: kept for torch's signature. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.nn.AlphaDropout()(torch.zeros(4))
        tensor([-0.7792, -0.7792,  0.7792, -0.7792])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``alpha_dropout(input, p)`` while training, ``input`` itself in eval mode."""
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """``AlphaDropout`` of whole channels of ``(N, C, *)`` input (training mode only).

    As in torch, ``inplace`` is stored (and printed) but the layer never works in place.

    Args:
        p: probability of dropping a channel. Default: ``0.5``.
        inplace: kept for torch's signature. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.FeatureAlphaDropout(0.2)
        FeatureAlphaDropout(p=0.2, inplace=False)
    """

    def forward(self, input: Tensor) -> Tensor:
        """``feature_alpha_dropout(input, p)`` while training, ``input`` in eval mode."""
        return F.feature_alpha_dropout(input, self.p, self.training)
