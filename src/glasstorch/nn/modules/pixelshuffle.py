"""``PixelShuffle`` and ``PixelUnshuffle``: moving channels into space and back."""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle"]


class PixelShuffle(Module):
    """Rearrange ``(*, C * r * r, H, W)`` into ``(*, C, H * r, W * r)`` (sub-pixel upsampling).

    Args:
        upscale_factor: ``r``, the factor the height and width grow by.

    Example:
        >>> import glasstorch as torch
        >>> ps = torch.nn.PixelShuffle(2)
        >>> ps
        PixelShuffle(upscale_factor=2)
        >>> ps(torch.randn(1, 8, 3, 3)).shape
        torch.Size([1, 2, 6, 6])
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        """``F.pixel_shuffle(input, upscale_factor)``."""
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        """``upscale_factor=...``, as torch prints it."""
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearrange ``(*, C, H * r, W * r)`` into ``(*, C * r * r, H, W)``: ``PixelShuffle``'s inverse.

    Args:
        downscale_factor: ``r``, the factor the height and width shrink by.

    Example:
        >>> import glasstorch as torch
        >>> pu = torch.nn.PixelUnshuffle(2)
        >>> pu
        PixelUnshuffle(downscale_factor=2)
        >>> pu(torch.randn(1, 2, 6, 6)).shape
        torch.Size([1, 8, 3, 3])
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        """``F.pixel_unshuffle(input, downscale_factor)``."""
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        """``downscale_factor=...``, as torch prints it."""
        return f"downscale_factor={self.downscale_factor}"
