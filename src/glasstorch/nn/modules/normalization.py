"""Normalization layers: ``BatchNorm1d``, ``BatchNorm2d``, ``LayerNorm``."""

from __future__ import annotations

__all__: list[str] = []
