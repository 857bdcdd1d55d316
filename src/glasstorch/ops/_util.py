"""Small helpers shared by the op modules: operands, dims, shapes and torch's promotion."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._tensor import Size, Tensor

_ndarray = np.ndarray
PY_NUMBERS = (builtins.int, builtins.float, builtins.bool)


def operand(value: Any) -> Any:
    """A Tensor or Python number as ops accept it; NumPy scalars become Python numbers.

    torch treats ``np.float64(2.5)`` like the Python float 2.5 (it never widens a float32
    tensor); arrays and lists become tensors.
    """
    if isinstance(value, Tensor) or type(value) in PY_NUMBERS:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, list, tuple)):
        from glasstorch.ops.creation import tensor

        return tensor(value)
    if isinstance(value, (builtins.int, builtins.float)):  # int/float subclasses
        return value
    raise TypeError(
        f"unsupported operand type: {type(value).__name__}; expected a Tensor or a number"
    )


def as_operand_tensor(value: Any, like: Tensor) -> Tensor:
    """``value`` as a Tensor (numbers become 0-dim tensors of their own default dtype)."""
    value = operand(value)
    if isinstance(value, Tensor):
        return value
    dt = _dtype.category_default(_dtype.scalar_category(value))
    return Tensor._wrap(np.asarray(value, dtype=dt.np))


def wrap_dim(dim: int, ndim: int) -> int:
    """A dim in ``[-ndim, ndim)`` as a non-negative index, with torch's IndexError."""
    n = builtins.max(ndim, 1)  # a 0-d tensor accepts dim 0 and -1
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n


def shape_arg(args: Sequence[Any]) -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(torch.Size)``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = args[0]
    out = []
    for a in args:
        if isinstance(a, Tensor):
            a = a.item()
        if not isinstance(a, (builtins.int, np.integer)) or isinstance(a, builtins.bool):
            raise TypeError(
                f"sizes must be integers, but got {type(a).__name__} ({a!r}) in {tuple(args)}"
            )
        out.append(builtins.int(a))
    return tuple(out)


def result_dtype(x: Any, y: Any) -> np.dtype | None:
    """torch's result dtype for a binary op on arrays / Python numbers (None: NumPy's is right).

    Order of precedence: dimensioned tensors, then 0-dim tensors, then Python numbers; a
    later group only matters when it is of a higher category (bool < int < float).
    """
    x_arr = type(x) is _ndarray
    y_arr = type(y) is _ndarray
    if x_arr and y_arr:
        if x.dtype is y.dtype or x.dtype == y.dtype:
            return None
        dx, dy = _dtype._FROM_NUMPY[x.dtype], _dtype._FROM_NUMPY[y.dtype]
        if (x.ndim == 0) == (y.ndim == 0):
            return _dtype.promote_types(dx, dy).np
        dim_t, zero_t = (dx, dy) if y.ndim == 0 else (dy, dx)
        if zero_t._category > dim_t._category:
            return zero_t.np
        return dim_t.np
    if x_arr or y_arr:
        arr, num = (x, y) if x_arr else (y, x)
        kind = arr.dtype.kind
        if kind == "f":
            return None  # Python numbers never widen a float tensor
        tensor_cat = 0 if kind == "b" else 1
        num_cat = _dtype.scalar_category(num)
        if num_cat > tensor_cat:
            return _dtype.category_default(num_cat).np
        return None
    return None


def promote(x: Any, y: Any) -> tuple[Any, Any]:
    """Cast the array operands of a binary op to torch's result dtype where NumPy differs."""
    # fast paths: equal dtypes, or a float tensor with a Python number
    if type(x) is _ndarray:
        if type(y) is _ndarray:
            if x.dtype is y.dtype:
                return x, y
        elif x.dtype.kind == "f":
            return x, y
    elif type(y) is _ndarray and y.dtype.kind == "f":
        return x, y
    dt = result_dtype(x, y)
    if dt is None:
        # an int that does not fit the tensor's integer dtype wraps around, as in torch
        # (uint8_tensor - 1 subtracts 255 modulo 256); NumPy would raise OverflowError
        if type(y) is builtins.int and type(x) is _ndarray and x.dtype.kind in "iu":
            y = _wrap_int(y, x.dtype)
        elif type(x) is builtins.int and type(y) is _ndarray and y.dtype.kind in "iu":
            x = _wrap_int(x, y.dtype)
        return x, y
    if type(x) is _ndarray and x.dtype != dt:
        x = x.astype(dt)
    if type(y) is _ndarray and y.dtype != dt:
        y = y.astype(dt)
    return x, y


def _wrap_int(value: int, dtype: np.dtype) -> Any:
    """``value`` as a scalar of integer ``dtype``, wrapped modulo 2**bits if out of range."""
    bounds = _INT_BOUNDS.get(dtype)
    if bounds is None:
        info = np.iinfo(dtype)
        bounds = _INT_BOUNDS[dtype] = (info.min, info.max, info.bits)
    if bounds[0] <= value <= bounds[1]:
        return value
    return np.array(value % (1 << bounds[2])).astype(dtype)[()]


_INT_BOUNDS: dict[Any, tuple[int, int, int]] = {}


def dtype_name(arr: Any) -> str:
    """torch's short type name for messages: Float, Long, Bool..."""
    names = {"f4": "Float", "f8": "Double", "i8": "Long", "i4": "Int", "b1": "Bool",
             "u1": "Byte", "f2": "Half", "i2": "Short", "i1": "Char"}
    return names.get(np.asarray(arr).dtype.str[1:], str(np.asarray(arr).dtype))


def mark_view(out: Tensor, base: Tensor) -> Tensor:
    """Record that ``out`` shares ``base``'s memory: same version counter, same ``_base``.

    Call it on the result of any op whose forward returned a NumPy view of its input
    (reshape, transpose, slicing...), so an in-place change through either is seen by
    autograd's saved-tensor check, as in torch.
    """
    if np.shares_memory(out._data, base._data) if out._data.size < 64 else \
            np.may_share_memory(out._data, base._data):
        out._vc = base._vc_get()
        out._base = base._base if base._base is not None else base
    return out


def evenly_distribute(x: np.ndarray, out: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Gradient of a full reduction that picks one value (max, min, median), as torch's
    ``evenly_distribute_backward``: the elements equal to ``out`` share ``grad`` evenly
    (for a NaN result, the NaN positions share it).
    """
    mask = np.isnan(x) if np.isnan(out) else x == out
    dx = np.zeros(x.shape, grad.dtype)
    dx[mask] = grad / mask.sum()
    return dx
