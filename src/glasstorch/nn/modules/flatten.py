"""``Flatten`` and ``Unflatten``: reshape layers for moving between conv and linear layers."""

from __future__ import annotations

__all__: list[str] = []
