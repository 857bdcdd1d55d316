"""The layer classes of ``torch.nn``, one family per file."""

from __future__ import annotations

from glasstorch.nn.modules.activation import ReLU, Sigmoid, Tanh
from glasstorch.nn.modules.container import Sequential
from glasstorch.nn.modules.linear import Identity, Linear
from glasstorch.nn.modules.loss import BCELoss, L1Loss, MSELoss
from glasstorch.nn.modules.module import Module

__all__ = [
    "BCELoss",
    "Identity",
    "L1Loss",
    "Linear",
    "MSELoss",
    "Module",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
]
