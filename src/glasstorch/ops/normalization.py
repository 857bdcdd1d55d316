"""Normalization ops: batch_norm and layer_norm, each one fused node."""

from __future__ import annotations

__all__: list[str] = []
