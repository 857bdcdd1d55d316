"""Helpers for the nn tests: the same module tree built in glasstorch and in real torch."""

from __future__ import annotations

from typing import Any

import numpy as np


def copy_params(ours: Any, theirs: Any) -> None:
    """Give torch module ``theirs`` our parameters' values (same tree, same names)."""
    import torch

    mine = dict(ours.named_parameters())
    with torch.no_grad():
        for name, p in theirs.named_parameters():
            p.copy_(torch.from_numpy(mine[name].detach().numpy().copy()))


def build(lib: Any, kind: str) -> Any:
    """One of several module trees, written once for both libraries."""
    nn = lib.nn
    if kind == "sequential":
        return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Sigmoid())
    if kind == "nested":

        class Encoder(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.fc = nn.Linear(3, 4)
                self.act = nn.Tanh()
                self.register_buffer("scale", lib.ones(4))
                self.register_buffer("cache", lib.zeros(2), persistent=False)

            def forward(self, x: Any) -> Any:
                return self.act(self.fc(x)) * self.scale

        class Model(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.encoder = Encoder()
                self.head = nn.Sequential(nn.Linear(4, 4), nn.ReLU(inplace=True))
                self.out = nn.Linear(4, 1, bias=False)
                self.loss = nn.BCELoss()

            def forward(self, x: Any) -> Any:
                return self.out(self.head(self.encoder(x)))

        return Model()
    if kind == "shared":

        class Shared(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.first = nn.Linear(2, 2)
                self.second = self.first  # the same layer under two names
                self.tail = nn.Sequential(self.first, nn.Identity(), nn.Linear(2, 1))

            def forward(self, x: Any) -> Any:
                return self.tail(self.second(self.first(x)))

        return Shared()
    raise ValueError(kind)


KINDS = ["sequential", "nested", "shared"]


def as_np(t: Any) -> np.ndarray:
    return t.detach().numpy()


def assert_close(ours: Any, theirs: Any, rtol: float = 1e-6, atol: float = 1e-7) -> None:
    np.testing.assert_allclose(as_np(ours), as_np(theirs), rtol=rtol, atol=atol)

