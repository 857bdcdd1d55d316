"""Convolution, pooling and padding ops (im2col on NumPy strides, no loops over pixels)."""

from __future__ import annotations

__all__: list[str] = []
