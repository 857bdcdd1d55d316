"""Dropout layers: ``Dropout`` (zeroes inputs with probability ``p`` in training mode)."""

from __future__ import annotations

__all__: list[str] = []
