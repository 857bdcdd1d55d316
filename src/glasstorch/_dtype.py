"""dtypes (``glasstorch.float32`` ...) and PyTorch's type-promotion rules.

A ``dtype`` names a NumPy dtype the way torch does (``repr`` is ``torch.float32``, so printed
output matches a PyTorch tutorial). Promotion follows torch, not NumPy: a Python scalar never
widens a tensor of its own category, and a 0-dim tensor only wins when it is of a higher
category (bool < integer < floating) than the dimensioned tensors.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class dtype:  # noqa: N801  (torch spells it lowercase)
    """A tensor element type, e.g. ``glasstorch.float32``.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1.0]).dtype
        torch.float32
    """

    __slots__ = ("name", "np", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype: Any, category: builtins_int) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = self.np.kind in "if"
        self.itemsize = self.np.itemsize
        self._category = category  # 0 bool, 1 integer, 2 floating: torch's promotion order

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self) -> str:
        return self.name  # pickles as the module-level constant of the same name

    @property
    def is_complex(self) -> builtins_bool:
        return False

    def to_real(self) -> dtype:
        return self


float16 = dtype("float16", np.float16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
bool = dtype("bool", np.bool_, 0)  # noqa: A001  (torch.bool)

half = float16
float = float32  # noqa: A001
double = float64
short = int16
int = int32  # noqa: A001
long = int64

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
# numpy dtype -> glasstorch dtype; both np.dtype objects and scalar types are keys.
_FROM_NUMPY: dict[Any, dtype] = {}
for _d in ALL:
    _FROM_NUMPY[_d.np] = _d
    _FROM_NUMPY[_d.np.type] = _d

_default_float = [float32]


def get_default_dtype() -> dtype:
    """The dtype Python floats become (``float32`` unless changed by ``set_default_dtype``)."""
    return _default_float[0]


def set_default_dtype(d: dtype) -> None:
    """Set the dtype of tensors made from Python floats (``float32`` or ``float64``)."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float[0] = d


def from_numpy_dtype(np_dtype: Any) -> dtype:
    """The glasstorch dtype for a NumPy dtype; raise ``TypeError`` for unsupported ones."""
    try:
        return _FROM_NUMPY[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NUMPY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types "
            "are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_numpy_dtype(d: Any) -> np.dtype:
    """The NumPy dtype behind a glasstorch dtype (NumPy dtypes and Python types accepted)."""
    if isinstance(d, dtype):
        return d.np
    if d is builtins_float:
        return get_default_dtype().np
    if d is builtins_int:
        return np.dtype(np.int64)
    if d is builtins_bool:
        return np.dtype(np.bool_)
    return from_numpy_dtype(d).np


import builtins as _builtins  # noqa: E402

builtins_float = _builtins.float
builtins_int = _builtins.int
builtins_bool = _builtins.bool


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both can be cast to (``torch.promote_types``)."""
    if type1 is type2:
        return type1
    if {type1, type2} == {uint8, int8}:
        return int16  # torch (and NumPy) widen here; kept explicit for the reader
    float1, float2 = type1.np.kind == "f", type2.np.kind == "f"
    if float1 != float2:
        return type1 if float1 else type2  # torch: int64 with float32 is float32 (NumPy: f64)
    return _FROM_NUMPY[np.promote_types(type1.np, type2.np)]


def scalar_category(value: Any) -> builtins_int:
    """Promotion category of a Python scalar: 0 bool, 1 int, 2 float."""
    if isinstance(value, builtins_bool):
        return 0
    if isinstance(value, builtins_int):
        return 1
    return 2


def category_default(category: builtins_int) -> dtype:
    """The dtype a Python scalar of this category becomes on its own."""
    return (bool, int64, get_default_dtype())[category]
