"""``torch.utils.data``: ``Dataset``, ``DataLoader``, samplers and ``random_split``."""

from __future__ import annotations

__all__: list[str] = []
