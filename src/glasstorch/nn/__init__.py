"""``torch.nn``: ``Module``, ``Parameter``, layers and losses; ``functional`` and ``init``.

Example:
    >>> import glasstorch as torch
    >>> from glasstorch import nn
    >>> model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias']
"""

from __future__ import annotations

from glasstorch.nn import functional, init  # noqa: F401
from glasstorch.nn.modules import *  # noqa: F401,F403
from glasstorch.nn.modules import __all__ as _modules_all
from glasstorch.nn.parameter import Parameter

__all__ = ["Parameter", "functional", "init", *_modules_all]


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.nn.{name} yet")
