"""Pooling layers: max, average and adaptive pooling over 1-d and 2-d inputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AvgPool1d", "AvgPool2d",
           "MaxPool1d", "MaxPool2d"]

IntPair = int | Sequence[int]


class _MaxPoolNd(Module):
    """The settings and repr MaxPool1d and MaxPool2d share (torch's ``_MaxPoolNd``)."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 dilation: IntPair = 1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        """The settings, as torch prints them."""
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool2d(_MaxPoolNd):
    """The largest value of each ``kernel_size`` window, per channel.

    Args:
        kernel_size: window size, an int or ``(kH, kW)``.
        stride: window step. Default: ``kernel_size``.
        padding: ``-inf`` added on each side (at most half the kernel). Default: 0.
        dilation: spacing between window elements. Default: 1.
        return_indices: also return where each maximum was (for ``MaxUnpool2d``).
        ceil_mode: round the output size up instead of down.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.MaxPool2d(2)
        >>> pool
        MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
        >>> pool(torch.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    def forward(self, input: Tensor) -> Any:
        """``F.max_pool2d`` with this layer's settings."""
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class AvgPool2d(Module):
    """The mean of each ``kernel_size`` window, per channel.

    Args:
        kernel_size: window size, an int or ``(kH, kW)``.
        stride: window step. Default: ``kernel_size``.
        padding: zeros added on each side (at most half the kernel). Default: 0.
        ceil_mode: round the output size up instead of down.
        count_include_pad: count the padding zeros in the divisor. Default: ``True``.
        divisor_override: divide every window's sum by this instead.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.AvgPool2d(2)
        >>> pool
        AvgPool2d(kernel_size=2, stride=2, padding=0)
        >>> pool(torch.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        """``F.avg_pool2d`` with this layer's settings."""
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        """The settings, as torch prints them."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed ``output_size``, whatever the input's size.

    Args:
        output_size: ``(OH, OW)``, or one int for both; ``None`` keeps the input's size.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.AdaptiveAvgPool2d((1, 1))
        >>> pool
        AdaptiveAvgPool2d(output_size=(1, 1))
        >>> pool(torch.randn(2, 3, 5, 7)).shape
        torch.Size([2, 3, 1, 1])
    """

    def __init__(self, output_size: int | None | Sequence[int | None]) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        """``F.adaptive_avg_pool2d`` to this layer's size."""
        return F.adaptive_avg_pool2d(input, self.output_size)  # type: ignore[arg-type]

    def extra_repr(self) -> str:
        """The target size, as torch prints it."""
        return f"output_size={self.output_size}"


class MaxPool1d(_MaxPoolNd):
    """The largest value of each ``kernel_size`` window of ``(N, C, L)`` input, per channel.

    Args:
        kernel_size: window size.
        stride: window step. Default: ``kernel_size``.
        padding: ``-inf`` added on each side (at most half the kernel). Default: 0.
        dilation: spacing between window elements. Default: 1.
        return_indices: also return where each maximum was.
        ceil_mode: round the output size up instead of down.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.MaxPool1d(2)
        >>> pool
        MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
        >>> pool(torch.tensor([[[1.0, 3.0, 2.0, 0.0]]]))
        tensor([[[3., 2.]]])
    """

    def forward(self, input: Tensor) -> Any:
        """``F.max_pool1d`` with this layer's settings."""
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


def _single(value: IntPair) -> tuple[int, ...]:
    """An int as ``(value,)``; a sequence as a tuple (torch's ``_single``)."""
    return tuple(value) if isinstance(value, Sequence) else (value,)


class AvgPool1d(Module):
    """The mean of each ``kernel_size`` window of ``(N, C, L)`` input, per channel.

    Args:
        kernel_size: window size.
        stride: window step. Default: ``kernel_size``.
        padding: zeros added on each side (at most half the kernel). Default: 0.
        ceil_mode: round the output size up instead of down.
        count_include_pad: count the padding zeros in the divisor. Default: ``True``.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.AvgPool1d(2)
        >>> pool
        AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))
        >>> pool(torch.tensor([[[1.0, 3.0, 2.0, 0.0]]]))
        tensor([[[2., 1.]]])
    """

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        """``F.avg_pool1d`` with this layer's settings."""
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        """The settings, as torch prints them."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool1d(Module):
    """Average pooling of ``(N, C, L)`` input to a fixed length ``output_size``.

    Args:
        output_size: the output length.

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.AdaptiveAvgPool1d(3)
        >>> pool
        AdaptiveAvgPool1d(output_size=3)
        >>> pool(torch.randn(2, 4, 10)).shape
        torch.Size([2, 4, 3])
    """

    def __init__(self, output_size: IntPair) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        """``F.adaptive_avg_pool1d`` to this layer's size."""
        return F.adaptive_avg_pool1d(input, self.output_size)

    def extra_repr(self) -> str:
        """The target size, as torch prints it."""
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(Module):
    """Max pooling to a fixed ``output_size``, whatever the input's size.

    Args:
        output_size: ``(OH, OW)``, or one int for both; ``None`` keeps the input's size.
        return_indices: also return where each maximum was (``h * W + w``).

    Example:
        >>> import glasstorch as torch
        >>> pool = torch.nn.AdaptiveMaxPool2d((1, 2))
        >>> pool
        AdaptiveMaxPool2d(output_size=(1, 2))
        >>> pool(torch.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[13., 15.]]]])
    """

    def __init__(self, output_size: int | None | Sequence[int | None],
                 return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Any:
        """``F.adaptive_max_pool2d`` to this layer's size."""
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        """The target size, as torch prints it."""
        return f"output_size={self.output_size}"
