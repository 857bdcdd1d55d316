"""Padding layers: ``ZeroPad2d``, ``ConstantPad1d/2d``, ``ReflectionPad1d/2d``, ``ReplicationPad1d/2d``."""

from __future__ import annotations

__all__: list[str] = []
