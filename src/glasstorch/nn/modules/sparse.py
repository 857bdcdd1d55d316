"""``Embedding``: a lookup table of vectors, one row per index."""

from __future__ import annotations

__all__: list[str] = []
