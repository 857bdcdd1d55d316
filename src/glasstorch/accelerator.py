"""``torch.accelerator`` on a CPU-only library: there is no accelerator.

PyTorch's quickstart writes ``device = torch.accelerator.current_accelerator().type if
torch.accelerator.is_available() else "cpu"``; here it picks ``"cpu"``, as torch does on a
machine without a GPU.

Example:
    >>> import glasstorch as torch
    >>> torch.accelerator.is_available(), torch.accelerator.current_accelerator()
    (False, None)
"""

from __future__ import annotations

from typing import Any

__all__ = ["current_accelerator", "current_device_index", "device_count", "is_available",
           "synchronize"]


def is_available() -> bool:
    """False: glasstorch computes on the CPU only."""
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator (torch returns None too)."""
    return None


def device_count() -> int:
    """0: there are no accelerator devices."""
    return 0


def current_device_index() -> int:
    """Raises torch's RuntimeError: there is no accelerator device to index."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


def synchronize(device: Any = None) -> None:
    """Raises torch's RuntimeError: there is no accelerator to wait for."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


def __getattr__(name: str) -> object:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.accelerator.{name} yet")
