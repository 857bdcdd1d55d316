"""``torch.backends.mps``: Apple's Metal backend, never available in glasstorch."""

from __future__ import annotations


def is_available() -> bool:
    """False: glasstorch computes on the CPU only."""
    return False


def is_built() -> bool:
    """False: glasstorch has no Metal backend."""
    return False
