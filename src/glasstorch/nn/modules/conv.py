"""``Conv2d``: 2-D convolution over ``(N, C, H, W)`` input."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty

__all__ = ["Conv2d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _pair(value: int | Sequence[int]) -> tuple[int, ...]:
    """An int as ``(value, value)``; a sequence as a tuple (torch's ``_pair``)."""
    if isinstance(value, Sequence):
        return tuple(value)
    return (value, value)


class Conv2d(Module):
    """2-D convolution (cross-correlation) of ``in_channels`` planes into ``out_channels``.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output (number of filters).
        kernel_size: filter size, an int or ``(kH, kW)``.
        stride: filter step. Default: 1.
        padding: added on each side: an int, ``(pH, pW)``, ``'valid'`` or ``'same'``.
        dilation: spacing between filter elements. Default: 1.
        groups: independent channel groups (``in_channels`` and ``out_channels`` must be
            divisible by it). Default: 1.
        bias: add a learnable bias per output channel. Default: ``True``.
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype (default: the default dtype, float32).

    Shape:
        - Input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        - Output: ``(N, C_out, H_out, W_out)``, ``H_out = (H + 2 pH - dH (kH - 1) - 1) // sH + 1``.

    Attributes:
        weight: ``(out_channels, in_channels / groups, kH, kW)``, initialised like
            PyTorch (``kaiming_uniform_(a=sqrt(5))``: ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``
            with ``fan_in = in_channels / groups * kH * kW``).
        bias: ``(out_channels,)``, from the same distribution.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Conv2d(1, 8, 3, padding=1)
        >>> m
        Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        >>> m(torch.randn(4, 1, 28, 28)).shape
        torch.Size([4, 8, 28, 28])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and any(s != 1 for s in _pair(stride)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {_PADDING_MODES}, but got "
                f"padding_mode='{padding_mode}'"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride)
        self.padding: str | tuple[int, ...] = padding if isinstance(padding, str) \
            else _pair(padding)
        self.dilation = _pair(dilation)
        self.transposed = False
        self.output_padding = (0, 0)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's (left, right, top, bottom) for the non-zeros padding modes
        if isinstance(self.padding, str):
            reversed_pad = [0, 0] * len(self.kernel_size)
            if self.padding == "same":
                for d, k, i in zip(self.dilation, self.kernel_size,
                                   range(len(self.kernel_size) - 1, -1, -1), strict=True):
                    total = d * (k - 1)
                    reversed_pad[2 * i] = total // 2
                    reversed_pad[2 * i + 1] = total - total // 2
            self._reversed_padding_repeated_twice: Sequence[int] = reversed_pad
        else:  # a tuple here and a list above, as in torch
            self._reversed_padding_repeated_twice = tuple(
                p for p in reversed(self.padding) for _ in range(2)
            )
        self.weight = Parameter(empty((out_channels, in_channels // groups, *self.kernel_size),
                                      device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights exactly as PyTorch does (same random calls, same order)."""
        # kaiming_uniform_ with a=sqrt(5) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (see Linear)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """The convolution of ``input`` (padded first for the non-zeros padding modes)."""
        if self.padding_mode != "zeros":
            return F.conv2d(
                F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode),
                self.weight, self.bias, self.stride, 0, self.dilation, self.groups,
            )
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)

    def extra_repr(self) -> str:
        """torch's text: sizes, kernel and stride, then whatever differs from the defaults."""
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s
