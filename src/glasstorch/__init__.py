"""glasstorch: PyTorch you can see through.

PyTorch's API on NumPy, for learners: ``import glasstorch as torch`` runs tutorial code
unchanged and prints the same numbers, while every op's math is one readable class in
``glasstorch/ops``.
"""

from __future__ import annotations

from typing import Any

from glasstorch import autograd  # noqa: F401  (torch.autograd)
from glasstorch._device import device  # noqa: F401
from glasstorch._dtype import (  # noqa: F401
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    set_default_dtype,
    short,
    uint8,
)
from glasstorch._tensor import Size, Tensor  # noqa: F401
from glasstorch._tensor_str import get_printoptions, set_printoptions  # noqa: F401
from glasstorch.autograd.grad_mode import (  # noqa: F401
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from glasstorch.ops import *  # noqa: F401,F403
from glasstorch.ops import list_ops  # noqa: F401
from glasstorch.ops._broadcast import broadcast_shapes  # noqa: F401
from glasstorch.autograd.explain import explain  # noqa: F401,E402  (after ops: it replays them)

__version__ = "0.1.0"


def is_tensor(obj: Any) -> builtins_bool:
    """True if ``obj`` is a glasstorch Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> builtins_bool:
    """True if ``input`` has a floating-point dtype (``float16``, ``float32``, ``float64``)."""
    return input.is_floating_point()


def numel(input: Tensor) -> builtins_int:
    """The number of elements of ``input``."""
    return input.numel()


import builtins as _builtins  # noqa: E402

builtins_bool = _builtins.bool
builtins_int = _builtins.int


def __getattr__(name: str) -> Any:
    # Submodules load on first use (keeps `import glasstorch` fast); anything else torch
    # has and we don't is named exactly in the error.
    import importlib

    if name in ("nn", "optim", "random", "cuda", "viz"):
        return importlib.import_module(f"glasstorch.{name}")
    raise AttributeError(f"glasstorch does not implement torch.{name} yet")
