"""``torch.backends.cudnn``: NVIDIA's cuDNN, never available in glasstorch.

The flags scripts set (``deterministic``, ``benchmark``, ``enabled``, ``allow_tf32``) are
plain module attributes with torch's defaults; on the CPU they change nothing, in torch as
here.
"""

from __future__ import annotations

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    """False: there is no cuDNN without a GPU."""
    return False


def version() -> None:
    """None, as torch reports when cuDNN is not there."""
    return None
