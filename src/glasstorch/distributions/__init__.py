"""``torch.distributions``: probability distributions to sample from and score."""

from __future__ import annotations

__all__: list[str] = []
