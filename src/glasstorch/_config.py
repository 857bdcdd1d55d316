"""Process-wide settings scripts set: ``torch.compile``, determinism, matmul precision.

glasstorch computes every op the same way on every run, with NumPy on the CPU, so these
settings have nothing to switch; each keeps torch's signature, checks its arguments as
torch does, and remembers what it was told, so that scripts written for torch run as is.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = [
    "are_deterministic_algorithms_enabled", "compile", "get_float32_matmul_precision",
    "is_deterministic_algorithms_warn_only_enabled", "set_float32_matmul_precision",
    "typename", "use_deterministic_algorithms",
]

_COMPILE_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs",
                  "max-autotune")
_state: dict[str, Any] = {"deterministic": False, "warn_only": False, "precision": "highest"}


def compile(model: Callable[..., Any] | None = None, *, fullgraph: bool = False,  # noqa: A001
            dynamic: bool | None = None, backend: Any = None, mode: str | None = None,
            options: dict[str, Any] | None = None, name: str | None = None,
            disable: bool = False, **kwargs: Any) -> Any:
    """``torch.compile``: returns ``model`` itself (as a decorator too).

    torch compiles a model into faster kernels that compute the same results. glasstorch
    has no compiler: the model it returns is the one it was given, and it runs as before.

    Example:
        >>> import glasstorch as torch
        >>> model = torch.nn.Linear(2, 1)
        >>> torch.compile(model) is model
        True
    """
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if mode is not None and mode not in _COMPILE_MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: "
                           f"{', '.join(_COMPILE_MODES)}")
    if model is None:
        return lambda fn: fn
    return model


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms: glasstorch's are always deterministic."""
    if not isinstance(mode, bool):
        raise TypeError(f"use_deterministic_algorithms expects a bool, but got "
                        f"{type(mode).__name__}")
    _state["deterministic"] = mode
    _state["warn_only"] = bool(warn_only) and mode


def are_deterministic_algorithms_enabled() -> bool:
    """What ``use_deterministic_algorithms`` was last given (False at first, as in torch)."""
    return bool(_state["deterministic"])


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The ``warn_only`` flag of the last ``use_deterministic_algorithms(True, ...)``."""
    return bool(_state["warn_only"])


def set_float32_matmul_precision(precision: str) -> None:
    """Accept ``'highest'``, ``'high'`` or ``'medium'``: glasstorch's matmul is float32 always."""
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning,
                      stacklevel=2)
        return
    _state["precision"] = precision


def get_float32_matmul_precision() -> str:
    """The value last given to ``set_float32_matmul_precision`` (``'highest'`` at first)."""
    return str(_state["precision"])


def typename(obj: Any) -> str:
    """torch's type name: ``'torch.FloatTensor'`` for a float32 tensor, else the class name.

    Example:
        >>> import glasstorch as torch
        >>> torch.typename(torch.ones(2))
        'torch.FloatTensor'
    """
    from glasstorch._tensor import Tensor

    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(type(obj), "__module__", "")
    qualname = type(obj).__qualname__
    return qualname if module in ("builtins", "", None) else f"{module}.{qualname}"
