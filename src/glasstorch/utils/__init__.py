"""``torch.utils``: ``data`` (datasets, samplers and the DataLoader)."""

from __future__ import annotations

from glasstorch.utils import data as data

__all__ = ["data"]
