"""``torch.cuda`` on a CPU-only library: nothing is available, as on a machine without a GPU.

Tutorials write ``device = 'cuda' if torch.cuda.is_available() else 'cpu'`` and call
``torch.cuda.manual_seed_all(...)``; both behave as torch's do without a GPU.
"""

from __future__ import annotations


def is_available() -> bool:
    """False: glasstorch computes on the CPU only."""
    return False


def device_count() -> int:
    """0: there are no GPUs to count."""
    return 0


def is_initialized() -> bool:
    """False: there is no CUDA state to initialize."""
    return False


def manual_seed(seed: int) -> None:
    """Does nothing, as torch does when there is no GPU."""


def manual_seed_all(seed: int) -> None:
    """Does nothing, as torch does when there is no GPU."""
