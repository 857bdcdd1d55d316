"""Factory functions: ``tensor``, ``zeros``, ``ones``, ``arange``, ``linspace``, ``*_like`` ...

Python floats become the default dtype (float32), Python ints int64, bools bool, exactly
as torch infers them; NumPy arrays keep their dtype.
"""

from __future__ import annotations

import builtins
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._dtype import dtype as DType
from glasstorch._tensor import Tensor
from glasstorch.ops._util import shape_arg


def _check_device(device: Any) -> None:
    if device is None:
        return
    from glasstorch._device import check_device

    check_device(device)


def _infer_dtype(data: Any) -> DType:
    """torch's dtype for nested data: the promotion of every element's own dtype.

    Python floats count as the default float dtype, ints as int64, bools as bool; NumPy
    scalars and arrays and tensors bring their dtype (so ``[np.int32(1), 2]`` is int64 and
    ``[np.float64(1), 2.0]`` is float64, as in torch).
    """
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return _dtype.from_numpy_dtype(data.dtype)
    category = -1  # the highest category of the plain Python numbers seen
    typed: DType | None = None  # the promoted dtype of the typed elements seen
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (Tensor, np.ndarray, np.generic)):
            d = item.dtype if isinstance(item, Tensor) else _dtype.from_numpy_dtype(item.dtype)
            typed = d if typed is None else _dtype.promote_types(typed, d)
        elif isinstance(item, builtins.bool):
            category = builtins.max(category, 0)
        elif isinstance(item, builtins.int):
            category = builtins.max(category, 1)
        elif isinstance(item, builtins.float):
            category = 2
        else:
            raise TypeError(
                f"Could not infer dtype of {type(item).__name__}: tensor() takes numbers, "
                "nested lists/tuples of numbers, NumPy arrays or tensors."
            )
    plain = None if category == -1 else _dtype.category_default(category)
    if typed is None:
        return plain or _dtype.get_default_dtype()  # torch.tensor([]) is float32
    return typed if plain is None else _dtype.promote_types(typed, plain)


def _to_nested(data: Any) -> Any:
    """Replace tensors inside nested lists by their arrays so NumPy can stack them."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_to_nested(d) for d in data]
    return data


def array_from_data(data: Any, dtype: DType | None = None) -> np.ndarray:
    """A new array (a copy) holding ``data`` with torch's dtype inference."""
    target = dtype if dtype is not None else _infer_dtype(data)
    try:
        arr = np.array(_to_nested(data), dtype=target.np)
    except ValueError as err:
        raise ValueError(
            f"could not make a tensor from this data: {err}. Nested lists must be "
            "rectangular (every row the same length)."
        ) from None
    except OverflowError:
        raise RuntimeError(
            f"value cannot be converted to type {target.name} without overflow"
        ) from None
    if arr.dtype == object:
        raise TypeError("tensor(): nested data must hold numbers only")
    return arr


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (number, nested lists, array or tensor).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1.0], [2.0]])
        tensor([[1.],
                [2.]])
        >>> torch.tensor([1, 2]).dtype
        torch.int64
    """
    _check_device(device)
    if isinstance(data, Tensor):
        import warnings

        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    dt = _dtype_or_none(dtype)
    arr = array_from_data(data, dt)
    return _require_grad(Tensor._wrap(arr)) if requires_grad else Tensor._wrap(arr)


def _require_grad(t: Tensor) -> Tensor:
    """``requires_grad=True`` of a factory (torch's message differs from requires_grad_'s)."""
    from glasstorch._tensor import _set_requires_grad

    return _set_requires_grad(t, True, "Only Tensors of floating point and complex dtype")


def _dtype_or_none(dtype: Any) -> DType | None:
    if dtype is None:
        return None
    if isinstance(dtype, DType):
        return dtype
    return _dtype.from_numpy_dtype(_dtype.to_numpy_dtype(dtype))


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when it can."""
    _check_device(device)
    dt = _dtype_or_none(dtype)
    if isinstance(data, Tensor):
        return data if dt is None or dt.np == data._data.dtype else data.to(dt)
    if isinstance(data, np.ndarray) and (dt is None or dt.np == data.dtype):
        _dtype.from_numpy_dtype(data.dtype)
        return Tensor._wrap(data)
    return tensor(data, dtype=dt)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._wrap(ndarray)


def _factory(fill: Any, size: Sequence[Any], dtype: Any, device: Any, requires_grad: bool,
             default: DType | None = None) -> Tensor:
    _check_device(device)
    shape = shape_arg(size)
    if builtins.any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    dt = _dtype_or_none(dtype) or default or _dtype.get_default_dtype()
    if fill is None:
        arr = np.empty(shape, dt.np)
    elif fill == 0:
        arr = np.zeros(shape, dt.np)
    else:
        arr = np.full(shape, fill, dt.np)
    t = Tensor._wrap(arr)
    return _require_grad(t) if requires_grad else t


def zeros(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor of zeros, e.g. ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    _no_out(out, "zeros")
    return _factory(0, size, dtype, device, requires_grad)


def ones(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    _no_out(out, "ones")
    return _factory(1, size, dtype, device, requires_grad)


def empty(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """An uninitialised tensor (glasstorch fills it with zeros, which is one valid content)."""
    _no_out(out, "empty")
    return _factory(0, size, dtype, device, requires_grad)


def full(size: Sequence[int], fill_value: Any, *, out: Any = None, dtype: Any = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value`` (its dtype inferred like ``tensor``)."""
    _no_out(out, "full")
    default = _infer_dtype(fill_value)
    return _factory(fill_value, (size,), dtype, device, requires_grad, default)


def _like(input: Tensor, dtype: Any) -> tuple[tuple[int, ...], Any]:
    return input._data.shape, dtype if dtype is not None else input.dtype


def zeros_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Zeros with ``input``'s shape and (unless ``dtype`` is given) its dtype."""
    shape, dt = _like(input, dtype)
    return _factory(0, (shape,), dt, device, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Ones with ``input``'s shape and (unless ``dtype`` is given) its dtype."""
    shape, dt = _like(input, dtype)
    return _factory(1, (shape,), dt, device, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Like ``zeros_like`` (glasstorch fills "uninitialised" memory with zeros)."""
    shape, dt = _like(input, dtype)
    return _factory(0, (shape,), dt, device, requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """``fill_value`` everywhere, with ``input``'s shape and (unless given) its dtype."""
    shape, dt = _like(input, dtype)
    return _factory(fill_value, (shape,), dt, device, requires_grad)


def arange(start: Any = 0, end: Any = None, step: Any = 1, *, out: Any = None, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``.

    ``arange(5)`` gives 0 to 4, ``arange(1, 4, 0.5)`` gives 1 to 3.5.

    Integer arguments give int64; any float argument gives the default float dtype.
    """
    _no_out(out, "arange")
    _check_device(device)
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = values
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    is_float = builtins.any(isinstance(v, (builtins.float, np.floating)) for v in values)
    dt = _dtype_or_none(dtype) or (_dtype.get_default_dtype() if is_float else _dtype.int64)
    n = builtins.max(0, math.ceil((end - start) / step))
    if is_float or dt.is_floating_point:
        arr = _arange_values(start, step, n, dt.np)
    else:
        arr = np.arange(start, end, step, dtype=np.int64)
    t = Tensor._wrap(np.asarray(arr).astype(dt.np))
    return _require_grad(t) if requires_grad else t


def linspace(start: Any, end: Any, steps: int, *, out: Any = None, dtype: Any = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Matches torch's CPU kernel bit for bit: the first half is ``start + i * step`` and the
    second half ``end - (steps - 1 - i) * step``, each rounded once (a fused multiply-add)
    to the output dtype; ``step`` is computed in the output dtype (in double for integers).
    """
    _no_out(out, "linspace")
    _check_device(device)
    if steps < 0:
        raise RuntimeError("linspace: number of steps must be non-negative")
    dt = _dtype_or_none(dtype) or _dtype.get_default_dtype()
    start = start.item() if isinstance(start, Tensor) else start
    end = end.item() if isinstance(end, Tensor) else end
    ftype = dt.np.type if dt.is_floating_point else np.float64
    first, last = (ftype(start), ftype(end)) if dt.is_floating_point else \
        (np.float64(builtins.int(start)), np.float64(builtins.int(end)))
    idx = np.arange(steps, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        step = (last - first) / ftype(steps - 1) if steps > 1 else ftype(0)
        if dt.np == np.float16:  # c10::Half rounds after every operation (no fused form)
            arr = np.where(idx < steps // 2, first + step * idx.astype(np.float16),
                           last - step * (steps - 1 - idx).astype(np.float16))
        else:
            arr = np.where(idx < steps // 2, _fma(step, idx, first),
                           _fma(-step, steps - 1 - idx, last))
        arr = arr.astype(dt.np)
    if steps == 1:
        arr = np.array([start], dt.np)
    t = Tensor._wrap(arr)
    return _require_grad(t) if requires_grad else t


def _fma(a: Any, k: np.ndarray, c: Any) -> np.ndarray:
    """``a * k + c`` rounded once, as a fused multiply-add, in float64 (``k``: whole numbers).

    ``a`` is split into two halves of 26 bits so that both partial products are exact
    (for ``|k| < 2**26``); adding them to ``c`` with an error-free sum then rounds the exact
    result once (except in astronomically rare ties). For float32 inputs the float64 result
    is rounded to float32 by the caller.
    """
    a = np.float64(a)
    c = np.asarray(c, dtype=np.float64)
    split = 134217729.0 * a  # Veltkamp splitting with 2**27 + 1
    high = split - (split - a)
    low = a - high
    product = high * k  # exact
    total = product + c
    back = total - product
    error = (product - (total - back)) + (c - back)  # what `total` lost (two-sum)
    return total + (error + low * k)


def _arange_values(start: Any, step: Any, n: int, np_dtype: np.dtype) -> np.ndarray:
    """torch's CPU arange kernel for a floating dtype, bit for bit (up to 32,768 values).

    It works in double, in 32-byte vectors (8 float32 / 4 float64 values): the vectorized
    part (pairs of vectors) starts each vector at ``start + c * step`` rounded to the output
    dtype and adds ``j * step`` from there; the remaining tail is ``start + i * step``.
    """
    width = builtins.max(1, 32 // np.dtype(np_dtype).itemsize)
    vectorized = (n // (2 * width)) * 2 * width
    idx = np.arange(n, dtype=np.float64)
    offset = idx % width
    with np.errstate(invalid="ignore", over="ignore"):
        bases = _fma(step, idx - offset, start).astype(np_dtype).astype(np.float64)
        in_vectors = _fma(step, offset, bases)
        return np.where(idx < vectorized, in_vectors, _fma(step, idx, start)).astype(np_dtype)


def eye(n: int, m: int | None = None, *, out: Any = None, dtype: Any = None, layout: Any = None,
        device: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    _no_out(out, "eye")
    _check_device(device)
    dt = _dtype_or_none(dtype) or _dtype.get_default_dtype()
    t = Tensor._wrap(np.eye(n, m, dtype=dt.np))
    return _require_grad(t) if requires_grad else t


def _no_out(out: Any, name: str) -> None:
    if out is not None:
        raise TypeError(f"glasstorch does not implement the out= argument of {name}() yet; "
                        "assign the result instead")


class _LegacyTensorType(type):
    """Metaclass so ``isinstance(t, torch.FloatTensor)`` checks the dtype, as in torch."""

    _legacy_dtype: DType

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype is cls._legacy_dtype


def _legacy_type(name: str, dt: DType) -> type:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Tensor:  # noqa: N807
        from glasstorch._tensor import _legacy_new

        return _legacy_new(Tensor, dt, args, kwargs)

    return _LegacyTensorType(name, (), {"__new__": __new__, "_legacy_dtype": dt,
                                        "__doc__": f"``torch.{name}(data)``: a {dt.name} tensor."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)


__all__ = [
    "tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
    "zeros_like", "ones_like", "empty_like", "full_like", "arange", "linspace", "logspace", "eye",
    "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
    "CharTensor", "ByteTensor", "BoolTensor",
]


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Any = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` values ``base ** e`` for ``e`` evenly spaced from ``start`` to ``end``.

    As torch's CPU kernel: ``step = (end - start) / (steps - 1)`` (the difference in the
    output dtype, the division in double), the exponents ``start + step * i`` (first half)
    and ``end - step * (steps - 1 - i)`` (second half) in double, then ``pow`` in double,
    rounded once to the output dtype.

    Example:
        >>> import glasstorch as torch
        >>> torch.logspace(0, 2, 3)
        tensor([  1.,  10., 100.])
    """
    _no_out(out, "logspace")
    _check_device(device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _dtype_or_none(dtype) or _dtype.get_default_dtype()
    start = start.item() if isinstance(start, Tensor) else start
    end = end.item() if isinstance(end, Tensor) else end
    if dt.is_floating_point:
        first, last = dt.np.type(start), dt.np.type(end)
    else:
        first, last = dt.np.type(builtins.int(start)), dt.np.type(builtins.int(end))
    idx = np.arange(steps, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        step = np.float64(last - first) / (steps - 1) if steps > 1 else 0.0
        exps = np.where(idx < steps // 2, np.float64(first) + step * idx,
                        np.float64(last) - step * (steps - 1 - idx))
        if steps == 1:  # torch uses the number itself here, not its output-dtype rounding
            exps = np.array([builtins.float(start)])
        # the C library's pow, as torch's kernel calls it: NumPy's SIMD power can differ in
        # the last bit (map() over math.pow runs at C speed, ~60 ns per element)
        powers = map(math.pow, itertools.repeat(builtins.float(base), steps), exps.tolist())
        try:
            arr = np.fromiter(powers, np.float64, steps).astype(dt.np)
        except (OverflowError, ValueError):  # math.pow raises where C's pow gives inf/nan
            arr = np.power(np.float64(base), exps).astype(dt.np)
    t = Tensor._wrap(arr)
    return _require_grad(t) if requires_grad else t
