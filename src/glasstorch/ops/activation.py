"""Activation ops: softmax, log_softmax, leaky_relu, elu, gelu, silu, softplus, hardtanh."""

from __future__ import annotations

__all__: list[str] = []
