"""``Conv1d``, ``Conv2d`` and ``ConvTranspose2d`` (their shared ``_ConvNd`` base as in torch)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _pair(value: int | Sequence[int]) -> tuple[int, ...]:
    """An int as ``(value, value)``; a sequence as a tuple (torch's ``_pair``)."""
    if isinstance(value, Sequence):
        return tuple(value)
    return (value, value)


def _single(value: int | Sequence[int]) -> tuple[int, ...]:
    """An int as ``(value,)``; a sequence as a tuple (torch's ``_single``)."""
    if isinstance(value, Sequence):
        return tuple(value)
    return (value,)


class _ConvNd(Module):
    """What every convolution layer shares: checks, attributes, init and repr (torch's)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: tuple[int, ...],
                 stride: tuple[int, ...], padding: str | tuple[int, ...],
                 dilation: tuple[int, ...], transposed: bool, output_padding: tuple[int, ...],
                 groups: int, bias: bool, padding_mode: str, device: Any = None,
                 dtype: Any = None) -> None:
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
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {_PADDING_MODES}, but got "
                f"padding_mode='{padding_mode}'"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding: str | tuple[int, ...] = padding
        self.dilation = dilation
        self.transposed = transposed
        self.output_padding = output_padding
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
        # a transposed convolution's weight maps the other way: (in, out / groups, ...)
        shape = (in_channels, out_channels // groups) if transposed \
            else (out_channels, in_channels // groups)
        self.weight = Parameter(empty((*shape, *self.kernel_size), device=device, dtype=dtype))
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

    def extra_repr(self) -> str:
        """torch's text: sizes, kernel and stride, then whatever differs from the defaults."""
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """1-D convolution (cross-correlation) of ``in_channels`` sequences into ``out_channels``.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output (number of filters).
        kernel_size: filter length.
        stride: filter step. Default: 1.
        padding: added on each side: an int, ``'valid'`` or ``'same'``.
        dilation: spacing between filter elements. Default: 1.
        groups: independent channel groups. Default: 1.
        bias: add a learnable bias per output channel. Default: ``True``.
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype (default: the default dtype, float32).

    Shape:
        - Input: ``(N, C_in, L)`` or ``(C_in, L)``.
        - Output: ``(N, C_out, L_out)``, ``L_out = (L + 2 p - d (k - 1) - 1) // s + 1``.

    Attributes:
        weight: ``(out_channels, in_channels / groups, k)``, initialised like PyTorch
            (``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, ``fan_in = in_channels / groups * k``).
        bias: ``(out_channels,)``, from the same distribution.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Conv1d(4, 8, 3, padding=1)
        >>> m
        Conv1d(4, 8, kernel_size=(3,), stride=(1,), padding=(1,))
        >>> m(torch.randn(2, 4, 10)).shape
        torch.Size([2, 8, 10])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, _single(kernel_size), _single(stride),
                         padding if isinstance(padding, str) else _single(padding),
                         _single(dilation), False, (0,), groups, bias, padding_mode,
                         device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        """The convolution of ``input`` (padded first for the non-zeros padding modes)."""
        if self.padding_mode != "zeros":
            return F.conv1d(
                F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode),
                self.weight, self.bias, self.stride, 0, self.dilation, self.groups,
            )
        return F.conv1d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class Conv2d(_ConvNd):
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
        super().__init__(in_channels, out_channels, _pair(kernel_size), _pair(stride),
                         padding if isinstance(padding, str) else _pair(padding),
                         _pair(dilation), False, (0, 0), groups, bias, padding_mode,
                         device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        """The convolution of ``input`` (padded first for the non-zeros padding modes)."""
        if self.padding_mode != "zeros":
            return F.conv2d(
                F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode),
                self.weight, self.bias, self.stride, 0, self.dilation, self.groups,
            )
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """2-D transposed convolution: upsamples ``(N, C_in, H, W)`` with learned ``k x k`` stamps.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output.
        kernel_size: filter size, an int or ``(kH, kW)``.
        stride: step between the stamps (the upsampling factor). Default: 1.
        padding: ``dilation * (kernel_size - 1) - padding`` implicit zeros (crops the output).
        output_padding: extra rows/columns at the bottom/right of the output. Default: 0.
        groups: independent channel groups. Default: 1.
        bias: add a learnable bias per output channel. Default: ``True``.
        dilation: spacing between filter elements. Default: 1.
        padding_mode: only ``'zeros'``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype (default: the default dtype, float32).

    Shape:
        - Input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        - Output: ``H_out = (H - 1) sH - 2 pH + dH (kH - 1) + opH + 1`` (the same for W).

    Attributes:
        weight: ``(in_channels, out_channels / groups, kH, kW)``, initialised like PyTorch
            (``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, ``fan_in = out_channels / groups * kH * kW``:
            torch computes it from this layout's second dim).
        bias: ``(out_channels,)``, from the same distribution.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.ConvTranspose2d(8, 4, 2, stride=2)
        >>> m
        ConvTranspose2d(8, 4, kernel_size=(2, 2), stride=(2, 2))
        >>> m(torch.randn(2, 8, 5, 5)).shape
        torch.Size([2, 4, 10, 10])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 output_padding: int | Sequence[int] = 0, groups: int = 1, bias: bool = True,
                 dilation: int | Sequence[int] = 1, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(
                f'Only "zeros" padding mode is supported for {self.__class__.__name__}'
            )
        super().__init__(in_channels, out_channels, _pair(kernel_size), _pair(stride),
                         _pair(padding), _pair(dilation), True, _pair(output_padding), groups,
                         bias, padding_mode, device, dtype)

    def _output_padding(self, input: Tensor, output_size: Sequence[int] | None) -> tuple[int, ...]:
        """``output_padding``, or what makes the output ``output_size`` (torch's rule)."""
        if output_size is None:
            return self.output_padding
        batched = input.dim() == 4
        non_spatial = 2 if batched else 1
        sizes = list(output_size)
        if len(sizes) == non_spatial + 2:
            sizes = sizes[non_spatial:]
        if len(sizes) != 2:
            raise ValueError(
                f"ConvTranspose2D: for {input.dim()}D input, output_size must have 2 "
                f"or {non_spatial + 2} elements (got {len(sizes)})"
            )
        assert not isinstance(self.padding, str)  # noqa: S101  (never a string here)
        min_sizes = [
            (input.size(d + non_spatial) - 1) * self.stride[d] - 2 * self.padding[d]
            + self.dilation[d] * (self.kernel_size[d] - 1) + 1
            for d in range(2)
        ]
        max_sizes = [m + s - 1 for m, s in zip(min_sizes, self.stride, strict=True)]
        for size, low, high in zip(sizes, min_sizes, max_sizes, strict=True):
            if size < low or size > high:
                raise ValueError(
                    f"requested an output size of {list(output_size)}, but valid sizes range "
                    f"from {min_sizes} to {max_sizes} (for an input of "
                    f"{input.size()[non_spatial:]})"
                )
        return tuple(size - low for size, low in zip(sizes, min_sizes, strict=True))

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        """The transposed convolution of ``input`` (``output_size`` picks output_padding)."""
        assert not isinstance(self.padding, str)  # noqa: S101  (never a string here)
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)
