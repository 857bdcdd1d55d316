"""``Upsample``: nearest and (bi)linear resizing of images."""

from __future__ import annotations

__all__: list[str] = []
