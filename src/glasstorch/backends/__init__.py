"""``torch.backends`` on a CPU-only library: no GPU backend is built or available.

PyTorch's quickstart picks its device with ``torch.backends.mps.is_available()``, and
scripts set ``torch.backends.cudnn.deterministic = True`` for reproducibility; both work
here as on a machine without those backends (the cuDNN flags are kept, and change nothing
on the CPU, as in torch).

Example:
    >>> import glasstorch as torch
    >>> torch.backends.mps.is_available(), torch.backends.cudnn.is_available()
    (False, False)
"""

from __future__ import annotations

from glasstorch.backends import cudnn as cudnn, mps as mps

__all__ = ["cudnn", "mps"]


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.backends.{name} yet")
