"""``Conv2d``: 2-D convolution over ``(N, C, H, W)`` input."""

from __future__ import annotations

__all__: list[str] = []
