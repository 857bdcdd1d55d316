"""Dropout: the random mask drawn from torch's bernoulli stream, scaled by 1/(1-p)."""

from __future__ import annotations

__all__: list[str] = []
