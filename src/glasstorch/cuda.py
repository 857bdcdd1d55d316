"""``torch.cuda`` on a CPU-only library: nothing is available, as on a machine without a GPU.

Tutorials write ``device = 'cuda' if torch.cuda.is_available() else 'cpu'`` and call
``torch.cuda.manual_seed_all(...)``; both behave as torch's do without a GPU.
"""

from __future__ import annotations

from typing import Any

from glasstorch._device import cuda_unavailable


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


def empty_cache() -> None:
    """Does nothing, as torch does when there is no GPU."""


def memory_allocated(device: Any = None) -> int:
    """0: no GPU memory is in use."""
    return 0


def max_memory_allocated(device: Any = None) -> int:
    """0: no GPU memory was ever in use."""
    return 0


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """False: there is no GPU."""
    return False


def current_device() -> int:
    """Raises torch's error: there is no current GPU."""
    raise cuda_unavailable()


def get_device_name(device: Any = None) -> str:
    """Raises torch's error: there is no GPU to name."""
    raise cuda_unavailable()


def get_device_properties(device: Any = None) -> Any:
    """Raises torch's error: there is no GPU."""
    raise cuda_unavailable()


def synchronize(device: Any = None) -> None:
    """Raises torch's error: there is no GPU to wait for."""
    raise cuda_unavailable()
