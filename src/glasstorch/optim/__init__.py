"""``torch.optim``: optimizers that update parameters from their gradients.

Example:
    >>> import glasstorch as torch
    >>> w = torch.tensor([2.0], requires_grad=True)
    >>> optimizer = torch.optim.SGD([w], lr=0.25)
    >>> (w ** 2).sum().backward()
    >>> optimizer.step()
    >>> w
    tensor([1.], requires_grad=True)
"""

from __future__ import annotations

from glasstorch.optim import (  # noqa: F401
    adadelta,
    adagrad,
    adam,
    adamax,
    adamw,
    lr_scheduler,
    nadam,
    optimizer,
    radam,
    rmsprop,
    sgd,
)
from glasstorch.optim.adadelta import Adadelta
from glasstorch.optim.adagrad import Adagrad
from glasstorch.optim.adam import Adam
from glasstorch.optim.adamax import Adamax
from glasstorch.optim.adamw import AdamW
from glasstorch.optim.nadam import NAdam
from glasstorch.optim.optimizer import Optimizer
from glasstorch.optim.radam import RAdam
from glasstorch.optim.rmsprop import RMSprop
from glasstorch.optim.sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "Optimizer",
    "RAdam",
    "RMSprop",
    "lr_scheduler",
]


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.optim.{name} yet")
