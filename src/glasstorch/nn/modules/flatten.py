"""``Flatten`` and ``Unflatten``: reshape layers for moving between conv and linear layers."""

from __future__ import annotations

from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn.modules.module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Flattens dims ``start_dim`` to ``end_dim`` into one (the batch dim 0 is kept by default).

    Args:
        start_dim: first dim to flatten. Default: ``1``.
        end_dim: last dim to flatten. Default: ``-1``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Flatten()
        >>> m
        Flatten(start_dim=1, end_dim=-1)
        >>> m(torch.zeros(32, 1, 5, 5)).shape
        torch.Size([32, 25])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        """``input.flatten(start_dim, end_dim)``."""
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """``start_dim=..., end_dim=...``."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dim ``dim`` into the shape ``unflattened_size`` (the inverse of ``Flatten``).

    Args:
        dim: the dim to split.
        unflattened_size: its new shape, a tuple or list of ints (one may be ``-1``).

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Unflatten(1, (2, 5))
        >>> m
        Unflatten(dim=1, unflattened_size=(2, 5))
        >>> m(torch.zeros(3, 10)).shape
        torch.Size([3, 2, 5])
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        self._require_tuple_int(unflattened_size)
        self.dim = dim
        self.unflattened_size = unflattened_size

    def _require_tuple_int(self, input: Any) -> None:
        if isinstance(input, (tuple, list)):
            for idx, elem in enumerate(input):
                if not isinstance(elem, int):
                    raise TypeError(
                        "unflattened_size must be tuple of ints, "
                        f"but found element of type {type(elem).__name__} at pos {idx}"
                    )
            return
        raise TypeError(
            f"unflattened_size must be a tuple of ints, but found type {type(input).__name__}"
        )

    def forward(self, input: Tensor) -> Tensor:
        """``input.unflatten(dim, unflattened_size)``."""
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        """``dim=..., unflattened_size=...``."""
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
