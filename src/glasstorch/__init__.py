"""glasstorch: PyTorch you can see through.

PyTorch's API on NumPy, for learners: ``import glasstorch as torch`` runs tutorial code
unchanged and prints the same numbers, while every op's math is one readable class in
``glasstorch/ops``.
"""

from __future__ import annotations

from typing import Any

# `name as name` marks a re-export (PEP 484), so type checkers see `torch.float32` too.
from glasstorch import autograd as autograd, utils as utils
from glasstorch._config import (
    are_deterministic_algorithms_enabled as are_deterministic_algorithms_enabled,
    compile as compile,
    get_float32_matmul_precision as get_float32_matmul_precision,
    is_deterministic_algorithms_warn_only_enabled as is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision as set_float32_matmul_precision,
    typename as typename,
    use_deterministic_algorithms as use_deterministic_algorithms,
)
from glasstorch._device import device as device
from glasstorch._dtype import (
    bool as bool,
    double as double,
    dtype as dtype,
    float as float,
    float16 as float16,
    float32 as float32,
    float64 as float64,
    get_default_dtype as get_default_dtype,
    half as half,
    int as int,
    int8 as int8,
    int16 as int16,
    int32 as int32,
    int64 as int64,
    long as long,
    promote_types as promote_types,
    set_default_dtype as set_default_dtype,
    short as short,
    uint8 as uint8,
)
from glasstorch._finfo import finfo as finfo, iinfo as iinfo
from glasstorch._tensor import Size as Size, Tensor as Tensor
from glasstorch._tensor_str import (
    get_printoptions as get_printoptions,
    set_printoptions as set_printoptions,
)
from glasstorch.autograd.grad_mode import (
    enable_grad as enable_grad,
    inference_mode as inference_mode,
    is_grad_enabled as is_grad_enabled,
    no_grad as no_grad,
    set_grad_enabled as set_grad_enabled,
)
from glasstorch.ops import *  # noqa: F403
from glasstorch.ops import list_ops as list_ops
from glasstorch.ops._broadcast import broadcast_shapes as broadcast_shapes
from glasstorch.ops._out import OUT_FUNCTIONS as _OUT_FUNCTIONS, with_out as _with_out
from glasstorch.serialization import load as load, save as save

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


# torch.<op>(..., out=t) for the functions torch gives an `out=` (see ops/_out.py)
for _name in _OUT_FUNCTIONS:
    if _name in globals():
        globals()[_name] = _with_out(globals()[_name])
del _name

import builtins as _builtins  # noqa: E402

builtins_bool = _builtins.bool
builtins_int = _builtins.int


def __getattr__(name: str) -> Any:
    # Submodules load on first use (keeps `import glasstorch` fast); anything else torch
    # has and we don't is named exactly in the error.
    import importlib

    if name in ("nn", "optim", "random", "cuda", "viz", "backends", "accelerator",
                "distributions", "linalg"):
        return importlib.import_module(f"glasstorch.{name}")
    if name == "explain":  # glasstorch.explain(loss): its module loads on first use too
        return importlib.import_module("glasstorch.autograd.explain").explain
    raise AttributeError(f"glasstorch does not implement torch.{name} yet")
