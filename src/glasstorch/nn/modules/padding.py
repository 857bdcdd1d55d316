"""Padding layers: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``, ``ReplicationPad``, ...

All in 1d and 2d: ``ZeroPad1d/2d`` to ``CircularPad1d/2d``.

Each is ``F.pad`` with the amounts fixed at construction (1d: ``(left, right)``, 2d:
``(left, right, top, bottom)``; an int pads every side by it), as torch's are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["CircularPad1d", "CircularPad2d", "ConstantPad1d", "ConstantPad2d",
           "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d",
           "ZeroPad1d", "ZeroPad2d"]


def _ntuple(padding: Any, n: int) -> tuple[Any, ...]:
    """torch's ``_pair`` / ``_quadruple``: a sequence as a tuple, a number repeated ``n`` times."""
    if isinstance(padding, Sequence) and not isinstance(padding, str):
        return tuple(padding)
    return (padding,) * n


class _PadNd(Module):
    """``F.pad(input, padding, mode)``; the repr shows the padding tuple."""

    mode = "constant"
    padding: tuple[int, ...]

    def __init__(self, padding: Any, n: int) -> None:
        super().__init__()
        self.padding = _ntuple(padding, n)

    def forward(self, input: Tensor) -> Tensor:
        """Pad ``input``'s last dims by ``self.padding``."""
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        """The padding tuple, as torch prints it."""
        return f"{self.padding}"


class _ConstantPadNd(Module):
    """``F.pad(input, padding, 'constant', value)``."""

    padding: tuple[int, ...]

    def __init__(self, padding: Any, value: float, n: int) -> None:
        super().__init__()
        self.padding = _ntuple(padding, n)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        """Pad ``input``'s last dims by ``self.padding`` with ``self.value``."""
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        """``padding=..., value=...``, as torch prints them."""
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``: ``padding`` is an int or ``(left, right)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ConstantPad1d((1, 2), 3.5)(torch.tensor([[1.0, 2.0]]))
        tensor([[3.5000, 1.0000, 2.0000, 3.5000, 3.5000]])
    """

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding, value, 2)


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: an int or ``(left, right, top, bottom)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ConstantPad2d(1, 0.5)
        ConstantPad2d(padding=(1, 1, 1, 1), value=0.5)
    """

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding, value, 4)


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros: ``padding`` is an int or ``(left, right)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ZeroPad1d((1, 0))(torch.tensor([[1.0, 2.0]]))
        tensor([[0., 1., 2.]])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        """The padding tuple, as torch prints it."""
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros: an int or ``(left, right, top, bottom)``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.ZeroPad2d((1, 1, 2, 0))
        >>> m
        ZeroPad2d((1, 1, 2, 0))
        >>> m(torch.ones(1, 1, 1, 1)).shape
        torch.Size([1, 1, 3, 3])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        """The padding tuple, as torch prints it."""
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Pad the last dim by mirroring it (without repeating the edge).

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReflectionPad1d(2)(torch.tensor([[1.0, 2.0, 3.0]]))
        tensor([[3., 2., 1., 2., 3., 2., 1.]])
    """

    mode = "reflect"

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 2)


class ReflectionPad2d(_PadNd):
    """Pad the last two dims by mirroring them: an int or ``(left, right, top, bottom)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReflectionPad2d(1)(torch.ones(1, 2, 2)).shape
        torch.Size([1, 4, 4])
    """

    mode = "reflect"

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 4)


class ReplicationPad1d(_PadNd):
    """Pad the last dim by repeating its edge values.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReplicationPad1d((2, 1))(torch.tensor([[1.0, 2.0]]))
        tensor([[1., 1., 1., 2., 2.]])
    """

    mode = "replicate"

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 2)


class ReplicationPad2d(_PadNd):
    """Pad the last two dims by repeating their edges: an int or ``(left, right, top, bottom)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReplicationPad2d((1, 1, 2, 0))
        ReplicationPad2d((1, 1, 2, 0))
    """

    mode = "replicate"

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 4)


class _CircularPadNd(_PadNd):
    """Circular padding; checks the input's number of dims first, as torch does."""

    mode = "circular"
    _dims: tuple[int, int] = (2, 3)

    def forward(self, input: Tensor) -> Tensor:
        """Pad ``input``'s last dims by wrapping around."""
        if input.dim() not in self._dims:
            lo, hi = self._dims
            raise ValueError(f"expected {lo}D or {hi}D input (got {input.dim()}D input)")
        return F.pad(input, self.padding, "circular")


class CircularPad1d(_CircularPadNd):
    """Pad the last dim of ``(C, L)`` or ``(N, C, L)`` input by wrapping around.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.CircularPad1d(1)(torch.tensor([[1.0, 2.0, 3.0]]))
        tensor([[3., 1., 2., 3., 1.]])
    """

    _dims = (2, 3)

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 2)


class CircularPad2d(_CircularPadNd):
    """Pad the last two dims of ``(C, H, W)`` or ``(N, C, H, W)`` input by wrapping around.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.CircularPad2d(1)(torch.ones(1, 2, 2)).shape
        torch.Size([1, 4, 4])
    """

    _dims = (3, 4)

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 4)
