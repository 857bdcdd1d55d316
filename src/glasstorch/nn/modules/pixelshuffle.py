"""``PixelShuffle`` and ``PixelUnshuffle``: moving channels into space and back."""

from __future__ import annotations

__all__: list[str] = []
