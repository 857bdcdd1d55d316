"""``torch.utils``: ``data`` (datasets, samplers and the DataLoader) and ``hooks``."""

from __future__ import annotations

from glasstorch.utils import data as data, hooks as hooks

__all__ = ["data", "hooks"]
