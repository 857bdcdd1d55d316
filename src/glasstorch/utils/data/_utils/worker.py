"""``get_worker_info``: glasstorch loads all data in the main process, so there is none."""

from __future__ import annotations

from typing import Any

__all__ = ["get_worker_info"]


def get_worker_info() -> Any:
    """Information about the current DataLoader worker process; None in the main process.

    glasstorch never starts worker processes (``num_workers > 0`` loads in the main
    process), so this is always None, as torch's is outside a worker.

    Example:
        >>> import glasstorch as torch
        >>> print(torch.utils.data.get_worker_info())
        None
    """
    return None
