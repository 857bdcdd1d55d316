"""Padding layers: ``ZeroPad2d``, ``ConstantPad2d``, ``ReflectionPad2d``, ``ReplicationPad2d``."""

from __future__ import annotations

__all__: list[str] = []
