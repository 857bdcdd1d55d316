"""``Upsample``: nearest and (bi)linear resizing of images."""

from __future__ import annotations

from collections.abc import Sequence

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__: list[str] = ["Upsample"]


class Upsample(Module):
    """Resize ``(N, C, L)`` or ``(N, C, H, W)`` input (``F.interpolate`` as a layer).

    Args:
        size: the output's spatial size (an int, or one per spatial dim).
        scale_factor: multiplier for the spatial size (exactly one of ``size`` and
            ``scale_factor``).
        mode: ``'nearest'``, ``'linear'`` (3-D input), ``'bilinear'`` (4-D input) or
            ``'area'``.
        align_corners: for the linear modes: align the corner pixels' centres.
        recompute_scale_factor: compute the scale from the rounded output size.

    Example:
        >>> import glasstorch as torch
        >>> up = torch.nn.Upsample(scale_factor=2, mode='nearest')
        >>> up
        Upsample(scale_factor=2.0, mode='nearest')
        >>> up(torch.tensor([[[[1.0, 2.0]]]]))
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.]]]])
    """

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                 align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        self.scale_factor: float | tuple[float, ...] | None
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(factor) for factor in scale_factor)
        else:  # torch's test: a scale_factor of 0 is taken as none given
            self.scale_factor = float(scale_factor) if scale_factor else None  # type: ignore[arg-type]
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        """``F.interpolate`` with this layer's settings."""
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        """The size or scale and the mode, as torch prints them."""
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)
