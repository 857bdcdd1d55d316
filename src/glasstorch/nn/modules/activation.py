"""Activation layers: ``ReLU``, ``Sigmoid``, ``Tanh`` (each calls the op of the same name)."""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["ReLU", "Sigmoid", "Tanh"]


class ReLU(Module):
    """``max(0, x)`` elementwise.

    Args:
        inplace: overwrite the input instead of returning a new tensor. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReLU()(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``relu(input)``, written into ``input`` when ``inplace``."""
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        """``'inplace=True'`` when set, as torch prints it."""
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Sigmoid()(torch.tensor([0.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``sigmoid(input)``."""
        return F.sigmoid(input)


class Tanh(Module):
    """``tanh(x)`` elementwise.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Tanh()(torch.tensor([0.0]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``tanh(input)``."""
        return F.tanh(input)
