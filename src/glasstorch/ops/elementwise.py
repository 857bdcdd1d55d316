"""Elementwise ops: arithmetic, unary math, activations, comparisons, ``where``, ``clamp``.

Each op is a Function whose docstring gives the forward formula and the gradient of each
input. Rules are written for equal shapes; the engine undoes broadcasting. The gradient
formulas follow PyTorch's ``derivatives.yaml`` (same order of operations where it matters
for rounding).
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops import activation as _act
from glasstorch.ops._util import PY_NUMBERS, dtype_name, operand, promote

_ndarray = np.ndarray


def _is_float(arr: Any) -> bool:
    return type(arr) is not _ndarray or arr.dtype.kind == "f"


def _to_float(x: np.ndarray) -> np.ndarray:
    """Integer/bool arrays become the default float dtype (torch's int -> float ops)."""
    if x.dtype.kind == "f":
        return x
    return x.astype(_dtype.get_default_dtype().np)


def _operand(value: Any) -> Any:
    # inline fast path: most operands are Tensors or Python numbers already
    if isinstance(value, Tensor) or type(value) in PY_NUMBERS:
        return value
    return operand(value)


# ----------------------------------------------------------------------------- arithmetic
class Add(Function):
    """out = x + alpha * y;  dx = grad,  dy = alpha * grad"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, alpha: Any = 1) -> np.ndarray:
        if type(x) is not _ndarray or type(y) is not _ndarray or x.dtype is not y.dtype:
            x, y = promote(x, y)
        ctx.alpha = alpha
        if alpha != 1:
            y = y * alpha
        out = x + y
        return out if type(x) is _ndarray or type(y) is _ndarray else np.asarray(out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, None]:
        alpha = ctx.alpha
        if alpha == 1:
            return grad, grad, None
        return grad, (grad * alpha if ctx.needs_input_grad[1] else None), None


class Sub(Function):
    """out = x - alpha * y;  dx = grad,  dy = -alpha * grad"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, alpha: Any = 1) -> np.ndarray:
        # (inline: this is on the hot path) torch refuses `-` with any bool operand
        if (x.dtype.kind == "b" if type(x) is _ndarray else type(x) is builtins.bool) or \
                (y.dtype.kind == "b" if type(y) is _ndarray else type(y) is builtins.bool):
            _check_no_bool(x, y)
        x, y = promote(x, y)
        ctx.alpha = alpha
        return x - (y if alpha == 1 else y * alpha)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, None]:
        alpha = ctx.alpha
        if not ctx.needs_input_grad[1]:
            return grad, None, None
        return grad, (-grad if alpha == 1 else grad * -alpha), None


class Rsub(Function):
    """out = y - alpha * x (``number - tensor``);  dx = -alpha * grad"""

    grad_fn_name = "RsubBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: Any, alpha: Any = 1) -> np.ndarray:
        _check_no_bool(x, y)
        x, y = promote(x, y)
        ctx.alpha = alpha
        return y - (x if alpha == 1 else x * alpha)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None, None]:
        alpha = ctx.alpha
        return (-grad if alpha == 1 else grad * -alpha), None, None


def _check_no_bool(x: Any, y: Any) -> None:
    """torch refuses ``-`` when an operand (tensor or Python bool) is bool, before promotion."""
    x_bool = type(x) is builtins.bool or (type(x) is _ndarray and x.dtype.kind == "b")
    y_bool = type(y) is builtins.bool or (type(y) is _ndarray and y.dtype.kind == "b")
    if x_bool and y_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if x_bool or y_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


class Mul(Function):
    """out = x * y;  dx = grad * y,  dy = grad * x"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        if type(x) is not _ndarray or type(y) is not _ndarray or x.dtype is not y.dtype:
            x, y = promote(x, y)
        need = ctx.needs_input_grad
        if need[0] or need[1]:
            # save only what the other input's gradient needs
            ctx.save_for_backward(y if need[0] else None, x if need[1] else None)
        return x * y

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        y, x = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad * y if need[0] else None), (grad * x if need[1] else None)


class Div(Function):
    """out = x / y;  dx = grad / y,  dy = -grad * (x / y) / y"""

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        # true division: integer inputs give the default float dtype, as in torch. With a
        # Python number the float conversion comes first (uint8_tensor / -1 is -1.0 each).
        if type(y) is not _ndarray and type(x) is _ndarray and x.dtype.kind != "f":
            x = _to_float(x)
        elif type(x) is not _ndarray and type(y) is _ndarray and y.dtype.kind != "f":
            y = _to_float(y)
        x, y = promote(x, y)
        if type(x) is _ndarray and x.dtype.kind != "f":
            x = _to_float(x)
            if type(y) is _ndarray:
                y = y.astype(x.dtype)
        elif type(y) is _ndarray and y.dtype.kind != "f":
            y = _to_float(y)
        ctx.save_for_backward(x, y)
        return x / y

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        dx = grad / y if need[0] else None
        dy = -grad * ((x / y) / y) if need[1] else None
        return dx, dy


class DivMode(Function):
    """out = floor(x / y) or trunc(x / y) (``div(rounding_mode=...)``);  dx = dy = 0"""

    grad_fn_name = "DivBackward2"

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any, rounding_mode: str = "floor") -> np.ndarray:
        return _rounded_div(x, y, rounding_mode)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        zero = np.zeros_like(grad)
        return zero, zero  # floor/trunc are piecewise constant


class FloorDivide(Function):
    """out = floor(x / y) (``x // y``);  no derivative: torch raises in backward"""

    grad_fn_name = "NotImplemented"  # torch records a node that only raises

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        return _rounded_div(x, y, "floor")

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> None:
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Remainder(Function):
    """out = x - floor(x / y) * y (sign of y, Python's %);  dx = grad,  dy = -grad * floor(x / y)"""

    grad_fn_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        x, y = promote(x, y)
        _no_bool_kernel(x, y, "remainder_cpu")
        if not (_is_float(x) and _is_float(y)) and np.any(np.asarray(y) == 0):
            raise RuntimeError("ZeroDivisionError")
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(x, y)
        return np.remainder(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        if not ctx.needs_input_grad[1]:
            return grad, None
        x, y = ctx.saved_tensors
        return grad, -grad * np.floor_divide(x, y)


class RemainderScalar(Remainder):
    """out = x % c (c a number);  dx = grad"""

    grad_fn_name = "RemainderBackward0"


class RRemainder(Function):
    """out = c % y (c a number);  no derivative: torch raises in backward"""

    grad_fn_name = "NotImplemented"

    @staticmethod
    def forward(ctx: Any, y: np.ndarray, c: Any) -> np.ndarray:
        y, c = promote(y, c)
        _no_bool_kernel(c, y, "remainder_cpu")
        if y.dtype.kind != "f" and type(c) is builtins.float:
            y = _to_float(y)
        if not _is_float(y) and np.any(y == 0):
            raise RuntimeError("ZeroDivisionError")
        return np.asarray(np.remainder(c, y))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> None:
        raise RuntimeError("derivative for aten::remainder is not implemented")


def _is_bool(value: Any) -> bool:
    return type(value) is builtins.bool or (type(value) is _ndarray and value.dtype.kind == "b")


def _no_bool_kernel(x: Any, y: Any, kernel: str) -> None:
    if _is_bool(x) and _is_bool(y):
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _rounded_div(x: Any, y: Any, rounding_mode: str) -> Any:
    x, y = promote(x, y)
    _no_bool_kernel(x, y, f"div_{rounding_mode}_cpu")
    if rounding_mode == "floor":
        return _floor_div(x, y)
    if rounding_mode == "trunc":
        return np.trunc(x / y) if _is_float(x) and _is_float(y) else _trunc_int_div(x, y)
    raise ValueError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


def _floor_div(x: Any, y: Any) -> Any:
    if _is_float(x) and _is_float(y):
        return np.floor_divide(x, y)
    if np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError: integer division by zero")
    return np.floor_divide(x, y)


def _trunc_int_div(x: Any, y: Any) -> Any:
    if np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError: integer division by zero")
    q = np.floor_divide(x, y)
    fix = (np.remainder(x, y) != 0) & ((np.asarray(x) < 0) != (np.asarray(y) < 0))
    return q + fix


class Pow(Function):
    """out = x ** c (c a number);  dx = grad * (c * x ** (c - 1))"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, c: Any) -> np.ndarray:
        if x.dtype.kind != "f":
            if type(c) is builtins.int and c < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            x, c = promote(x, c)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(x)
            ctx.exponent = c
        # torch's kernel special-cases these exponents; matching it keeps the same bits
        if c == 2:
            return x * x
        if c == 3:
            return x * x * x
        if c == 0.5:
            return np.sqrt(x)
        if c == 1:
            return x.copy()
        return np.power(x, x.dtype.type(c)) if x.dtype.kind == "f" else np.power(x, c)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return np.zeros_like(grad)
        if c == 2:
            return grad * (2.0 * x)
        return grad * (c * np.power(x, x.dtype.type(c - 1)))


class PowTensor(Function):
    """out = x ** y;  dx = grad * y * x ** (y - 1),  dy = grad * out * log(x)"""

    grad_fn_name = "PowBackward1"

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        x, y = promote(x, y)
        out = np.power(x, y)
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y, out = ctx.saved_tensors
        need = ctx.needs_input_grad
        dx = dy = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need[0]:
                dx = np.where(y == 0, 0.0, grad * y * np.power(x, y - 1)).astype(grad.dtype)
            if need[1]:
                # torch masks the 0 ** y (y >= 0) case, where log(0) would give nan
                dy = np.where((x == 0) & (y >= 0), 0.0, grad * out * np.log(x))
                dy = dy.astype(grad.dtype)
        return dx, dy


class RPow(Function):
    """out = c ** y (c a number);  dy = grad * out * log(c)"""

    grad_fn_name = "PowBackward2"

    @staticmethod
    def forward(ctx: Any, y: np.ndarray, c: Any) -> np.ndarray:
        y, c = promote(y, c)
        _no_bool_kernel(c, y, "pow")
        if y.dtype.kind != "f" and type(c) is builtins.float:
            y = _to_float(y)
        out = np.power(y.dtype.type(c), y) if y.dtype.kind == "f" else np.power(c, y)
        ctx.save_for_backward(out)
        ctx.base = c
        return np.asarray(out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None]:
        (out,) = ctx.saved_tensors
        c = ctx.base
        if c == 0:
            dy = np.where(out == 0, 0.0, grad * out * np.log(np.float64(c)))
            return dy.astype(grad.dtype), None
        return grad * (out * out.dtype.type(np.log(c))), None


class Neg(Function):
    """out = -x;  dx = -grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if x.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return -x

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return -grad


class Abs(Function):
    """out = |x|;  dx = grad * sign(x)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.sign(x)


class Exp(Function):
    """out = e ** x;  dx = grad * out"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.exp(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """out = ln x;  dx = grad / x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return grad / x


class Log1p(Function):
    """out = ln(1 + x);  dx = grad / (x + 1)"""

    grad_fn_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return grad / (x + 1)


class Log2(Function):
    """out = log2 x;  dx = grad / (x ln 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log2(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad / (x * x.dtype.type(np.log(2.0)))


class Log10(Function):
    """out = log10 x;  dx = grad / (x ln 10)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad / (x * x.dtype.type(np.log(10.0)))


class Sqrt(Function):
    """out = sqrt x;  dx = grad / (2 out)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            out = np.sqrt(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return grad / (2 * out)


class Rsqrt(Function):
    """out = 1 / sqrt x;  dx = -0.5 * grad * out ** 3"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 1 / np.sqrt(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return -0.5 * grad * (out * out * out)


class Reciprocal(Function):
    """out = 1 / x;  dx = -grad * out ** 2"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            out = 1 / _to_float(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return -grad * (out * out)


class Sin(Function):
    """out = sin x;  dx = grad * cos x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.cos(x)


class Cos(Function):
    """out = cos x;  dx = -grad * sin x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * -np.sin(x)


class Tan(Function):
    """out = tan x;  dx = grad * (1 + out ** 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.tan(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (1 + out * out)


class Tanh(Function):
    """out = tanh x;  dx = grad * (1 - out ** 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.tanh(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Function):
    """out = 1 / (1 + e ** -x);  dx = grad * (1 - out) * out"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        with np.errstate(over="ignore"):  # e ** -x overflows to inf for x < -88: out = 0
            out = 1 / (1 + np.exp(-x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (1 - out) * out


class Relu(Function):
    """out = max(x, 0);  dx = grad where out > 0, else 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if x.dtype == np.bool_:
            raise RuntimeError('"clamp_min_cpu" not implemented for \'Bool\'')
        out = np.maximum(x, x.dtype.type(0))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (out > 0)


class Sign(Function):
    """out = sign x;  dx = 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.sign(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.zeros_like(grad)


class Round(Function):
    """out = round x (half to even);  dx = 0 (piecewise constant)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, how: str = "round", decimals: int = 0) -> np.ndarray:
        if x.dtype.kind != "f":
            return x.copy()
        if how == "round":
            return np.round(x, decimals)  # NumPy rounds half to even, like torch
        return getattr(np, how)(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.zeros_like(grad)


# torch names a node after the exact function, so each rounding gets its own subclass
class RoundDecimals(Round):
    """out = round(x * 10 ** d) / 10 ** d;  dx = 0"""

    grad_fn_name = "RoundBackward1"


class Floor(Round):
    """out = floor x;  dx = 0"""


class Ceil(Round):
    """out = ceil x;  dx = 0"""


class Trunc(Round):
    """out = trunc x (toward zero);  dx = 0"""


class Clamp(Function):
    """out = min(max(x, lo), hi);  dx = grad where lo <= x <= hi, else 0"""

    grad_fn_name = "ClampBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        if lo is None and hi is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if x.dtype.kind != "f" and builtins.any(type(v) is builtins.float for v in (lo, hi)):
            x = _to_float(x)
        ctx.save_for_backward(x)
        ctx.bounds = (lo, hi)
        out = x
        if lo is not None:
            out = np.maximum(out, x.dtype.type(lo))
        if hi is not None:
            out = np.minimum(out, x.dtype.type(hi))
        return out if out is not x else x.copy()

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        mask = np.ones(x.shape, bool)
        if lo is not None:
            mask &= x >= lo
        if hi is not None:
            mask &= x <= hi
        return grad * mask


class ClampMin(Clamp):
    """out = max(x, lo) (``clamp_min``);  dx = grad where x >= lo"""

    grad_fn_name = "ClampMinBackward0"


class ClampMax(Clamp):
    """out = min(x, hi) (``clamp_max``);  dx = grad where x <= hi"""

    grad_fn_name = "ClampMaxBackward0"


class ClampTensor(Function):
    """out = min(max(x, lo), hi) with tensor bounds;  dx = grad where lo <= x <= hi,
    dlo = grad where x < lo < hi,  dhi = grad where x > hi or hi < lo (torch's rule)
    """

    grad_fn_name = "ClampBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        for bound in (lo, hi):
            if bound is not None:
                x, _ = promote(x, bound)
        lo = None if lo is None else lo.astype(x.dtype, copy=False)
        hi = None if hi is None else hi.astype(x.dtype, copy=False)
        ctx.save_for_backward(x, lo, hi)
        out = x if lo is None else np.maximum(x, lo)
        return out if hi is None else np.minimum(out, hi)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, lo, hi = ctx.saved_tensors
        need = ctx.needs_input_grad
        zero = grad.dtype.type(0)
        inside = True
        if lo is not None:
            inside = inside & (x >= lo)
        if hi is not None:
            inside = inside & (x <= hi)
        dx = np.where(inside, grad, zero) if need[0] else None
        dlo = dhi = None
        if need[1]:
            below = x < lo if hi is None else (x < lo) & (lo < hi)
            dlo = np.where(below, grad, zero)
        if need[2]:
            above = x > hi if lo is None else (x > hi) | (hi < lo)
            dhi = np.where(above, grad, zero)
        return dx, dlo, dhi


class Maximum(Function):
    """out = max(x, y);  the larger input gets grad (ties: grad / 2 each)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        ctx.save_for_backward(x, y)
        return np.maximum(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        return _split_ties(grad, x > y, x == y)


class Minimum(Function):
    """out = min(x, y);  the smaller input gets grad (ties: grad / 2 each)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        ctx.save_for_backward(x, y)
        return np.minimum(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        return _split_ties(grad, x < y, x == y)


def _split_ties(grad: np.ndarray, wins: np.ndarray, ties: np.ndarray) -> tuple[Any, Any]:
    half = grad / 2
    dx = np.where(wins, grad, np.where(ties, half, 0)).astype(grad.dtype)
    dy = np.where(wins, 0, np.where(ties, half, grad)).astype(grad.dtype)
    return dx, dy


class Where(Function):
    """out = x where cond else y;  dx = grad where cond,  dy = grad where not cond"""

    @staticmethod
    def forward(ctx: Any, cond: np.ndarray, x: Any, y: Any) -> np.ndarray:
        if cond.dtype != np.bool_:
            raise RuntimeError(
                f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                f"{_dtype._FROM_NUMPY[cond.dtype].name.capitalize()}"
            )
        x, y = promote(x, y)
        ctx.save_for_backward(cond)
        return np.asarray(np.where(cond, x, y))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[None, Any, Any]:
        (cond,) = ctx.saved_tensors
        need = ctx.needs_input_grad
        zero = grad.dtype.type(0)
        dx = np.where(cond, grad, zero) if need[1] else None
        dy = np.where(cond, zero, grad) if need[2] else None
        return None, dx, dy


class MaskedFill(Function):
    """out = x with value where mask;  dx = grad where not mask,  dvalue = sum(grad[mask])"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, mask: np.ndarray, value: Any) -> np.ndarray:
        if mask.dtype != np.bool_:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype "
                f"{_dtype._FROM_NUMPY[mask.dtype].name}"
            )
        if type(value) is _ndarray and value.ndim != 0:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        ctx.save_for_backward(mask)
        return np.where(mask, np.asarray(value, dtype=x.dtype), x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None, Any]:
        (mask,) = ctx.saved_tensors
        need = ctx.needs_input_grad
        dx = np.where(mask, grad.dtype.type(0), grad) if need[0] else None
        dv = np.asarray((grad * mask).sum()) if need[2] else None
        return dx, None, dv


class MaskedFillTensor(MaskedFill):
    """out = x with value (a 0-dim tensor) where mask;  dvalue = sum(grad[mask])"""

    grad_fn_name = "MaskedFillBackward1"


class Clone(Function):
    """out = copy of x;  dx = grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad


class ToCopy(Function):
    """out = x cast to another dtype;  dx = grad cast back (engine casts)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, np_dtype: np.dtype) -> np.ndarray:
        return x.astype(np_dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None]:
        return grad, None


class Fill(Function):
    """out = value everywhere (in-place ``fill_`` with grad);  dx = 0,  dvalue = sum(grad)"""

    grad_fn_name = "FillBackward2"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: Any) -> np.ndarray:
        return np.full_like(x, value)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        dv = np.asarray(grad.sum()) if ctx.needs_input_grad[1] else None
        return np.zeros_like(grad), dv


class FillTensor(Fill):
    """out = value (a 0-dim tensor) everywhere;  dx = 0,  dvalue = sum(grad)"""

    grad_fn_name = "FillBackward3"


class Zero(Function):
    """out = 0 everywhere (in-place ``zero_`` with grad);  dx = 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return np.zeros_like(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.zeros_like(grad)


class Copy(Function):
    """out = src broadcast to x's shape (in-place ``copy_`` with grad);  dsrc = grad"""

    grad_fn_name = "CopyBackwards"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: np.ndarray) -> np.ndarray:
        return np.broadcast_to(src, x.shape).astype(x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        return np.zeros_like(grad), grad


# ------------------------------------------------------------------------ math extras
_LN2 = math.log(2.0)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def _erfc(x: np.ndarray) -> np.ndarray:
    """``1 - erf(x)`` without the cancellation for large ``x`` (Cephes' tail ratio)."""
    if x.dtype not in _act._ERF_SATURATES:
        return _erfc(x.astype(np.float32)).astype(x.dtype)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        # beyond these |x|, erfc underflows to 0 (and the polynomials would overflow)
        a = np.minimum(np.abs(x), x.dtype.type(11.0 if x.dtype == np.float32 else 28.0))
        ratio = _act._polyval(_act._ERFC_P, a) / _act._polyval(_act._ERFC_Q, a)
        if x.dtype == np.float64:
            ratio = np.where(a < 8.0, ratio,
                             _act._polyval(_act._ERFC_R, a) / _act._polyval(_act._ERFC_S, a))
        tail = np.exp(-(a * a)) * ratio  # erfc(|x|)
        far = np.where(x < 0, 2 - tail, tail)
    return np.where(a <= 1.0, 1 - _act._erf(x), far)


class Erf(Function):
    """out = erf x;  dx = grad * 2 / sqrt(pi) * e ** (-x ** 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return _act._erf(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * (x.dtype.type(_TWO_OVER_SQRT_PI) * np.exp(-(x * x)))


class Erfc(Function):
    """out = 1 - erf x;  dx = -grad * 2 / sqrt(pi) * e ** (-x ** 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return _erfc(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * (x.dtype.type(-_TWO_OVER_SQRT_PI) * np.exp(-(x * x)))


# ATen's calc_erfinv: a rational first guess, then two Newton steps on erf(x) = y
_ERFINV_A = (0.886226899, -1.645349621, 0.914624893, -0.140543331)
_ERFINV_B = (-2.118377725, 1.442710462, -0.329097515, 0.012229801)
_ERFINV_C = (-1.970840454, -1.624906493, 3.429567803, 1.641345311)
_ERFINV_D = (3.543889200, 1.637067800)


class Erfinv(Function):
    """out = erf^-1(x);  dx = grad * sqrt(pi) / 2 * e ** (out ** 2)"""

    @staticmethod
    def forward(ctx: Any, y: np.ndarray) -> np.ndarray:
        y = _to_float(y)
        a, b, c, d = _ERFINV_A, _ERFINV_B, _ERFINV_C, _ERFINV_D
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            y_abs = np.abs(y)
            z = y * y
            central = y * (((a[3] * z + a[2]) * z + a[1]) * z + a[0]) / (
                (((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + 1)
            w = np.sqrt(-np.log((1 - np.minimum(y_abs, 1)) / 2))
            tail = np.copysign(((c[3] * w + c[2]) * w + c[1]) * w + c[0], y) / (
                (d[1] * w + d[0]) * w + 1)
            x = np.where(y_abs <= 0.7, central, tail).astype(y.dtype, copy=False)
            two_over_sqrt_pi = y.dtype.type(_TWO_OVER_SQRT_PI)
            for _ in range(2):
                x = x - (_act._erf(x) - y) / (two_over_sqrt_pi * np.exp(-(x * x)))
            x = np.where(y_abs == 1, np.copysign(np.inf, y), x)
            out = np.where(y_abs > 1, np.nan, x).astype(y.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (out.dtype.type(math.sqrt(math.pi) / 2) * np.exp(out * out))


def _lgamma(x: np.ndarray) -> np.ndarray:
    """log |Gamma(x)| elementwise (NumPy has none), computed in float64, returned in x's dtype.

    Stirling's series once x >= 12, reached by log Gamma(x) = log Gamma(x + 1) - log x;
    reflection (Gamma(x) Gamma(1 - x) = pi / sin(pi x)) below 1/2.
    """
    v = x.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reflect = v < 0.5
        w = np.where(reflect, 1 - v, v)
        prod = np.ones_like(w)
        for _ in range(12):
            small = w < 12
            prod = np.where(small, prod * w, prod)
            w = np.where(small, w + 1, w)
        inv = 1 / w
        inv2 = inv * inv
        series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (
            1 / 1680 - inv2 * (1 / 1188)))))
        direct = (w - 0.5) * np.log(w) - w + 0.5 * math.log(2 * math.pi) + series - np.log(prod)
        sin_pi = np.abs(np.sin(math.pi * np.where(reflect, v, 0.5)))
        out = np.where(reflect, math.log(math.pi) - np.log(sin_pi) - direct, direct)
        out = np.where(reflect & (v == np.floor(v)), np.inf, out)  # the poles 0, -1, -2, ...
        out = np.where(np.isinf(v), np.inf, out)
    return out.astype(x.dtype)


def _digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = d/dx log Gamma(x): recurrence up to x >= 12, then the asymptotic series."""
    v = x.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reflect = v < 0.5
        w = np.where(reflect, 1 - v, v)
        acc = np.zeros_like(w)
        for _ in range(12):  # psi(w) = psi(w + 1) - 1 / w
            small = w < 12
            acc -= np.where(small, 1 / w, 0)
            w = np.where(small, w + 1, w)
        inv2 = 1 / (w * w)
        series = np.log(w) - 0.5 / w - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (
            1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
        out = acc + series
        # psi(1 - x) - psi(x) = pi / tan(pi x)
        out = np.where(reflect, out - math.pi / np.tan(math.pi * np.where(reflect, v, 0.5)), out)
        poles = reflect & (v == np.floor(v))
        out = np.where(poles, np.where(v == 0, -np.inf, np.nan), out)  # torch: psi(0) = -inf
    return out.astype(x.dtype)


def _trigamma(x: np.ndarray) -> np.ndarray:
    """psi'(x): recurrence up to x >= 12, then the asymptotic series; reflection below 1/2."""
    v = x.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reflect = v < 0.5
        w = np.where(reflect, 1 - v, v)
        acc = np.zeros_like(w)
        for _ in range(12):  # psi'(w) = psi'(w + 1) + 1 / w ** 2
            small = w < 12
            acc += np.where(small, 1 / (w * w), 0)
            w = np.where(small, w + 1, w)
        inv2 = 1 / (w * w)
        series = 1 / w + inv2 / 2 + inv2 / w * (1 / 6 - inv2 * (1 / 30 - inv2 * (
            1 / 42 - inv2 * (1 / 30))))
        out = acc + series
        sin_pi = np.sin(math.pi * np.where(reflect, v, 0.5))
        out = np.where(reflect, math.pi ** 2 / (sin_pi * sin_pi) - out, out)
    return out.astype(x.dtype)


class Lgamma(Function):
    """out = log |Gamma(x)|;  dx = grad * digamma(x)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return _lgamma(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * _digamma(x)


class Digamma(Function):
    """out = digamma(x) = Gamma'(x) / Gamma(x);  dx = grad * polygamma(1, x)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        return _digamma(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * _trigamma(x)


def _float_pair(x: Any, y: Any) -> tuple[Any, Any]:
    """Promote two operands, then integer results become the default float dtype."""
    x, y = promote(x, y)
    if type(x) is _ndarray and x.dtype.kind != "f":
        x = _to_float(x)
        if type(y) is _ndarray:
            y = y.astype(x.dtype)
    elif type(y) is _ndarray and y.dtype.kind != "f":
        y = _to_float(y)
    return x, y


class Atan2(Function):
    """out = atan2(x, y);  dx = grad * y / (x ** 2 + y ** 2),  dy = -grad * x / (x ** 2 + y ** 2)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y)
        return np.arctan2(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        recip = 1 / (x * x + y * y)
        return grad * (y * recip), grad * (-x * recip)


class Hypot(Function):
    """out = sqrt(x ** 2 + y ** 2);  dx = grad * x / out,  dy = grad * y / out"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"hypot_cpu\" not implemented for '{dtype_name(x)}'")
        out = np.hypot(x, y)
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y, out = ctx.saved_tensors
        return grad * x / out, grad * y / out


class Logit(Function):
    """out = log(x / (1 - x)), x clamped to [eps, 1 - eps];
    dx = grad / (x (1 - x)) (0 outside [eps, 1 - eps])
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, eps: float | None = None) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        ctx.eps = eps
        z = x if eps is None else np.clip(x, x.dtype.type(eps), x.dtype.type(1 - eps))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(z / (1 - z))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        eps = ctx.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            dx = grad / (x * (1 - x))
        if eps is None:
            return dx
        return np.where((x < eps) | (x > 1 - eps), grad.dtype.type(0), dx)


class Sinc(Function):
    """out = sin(pi x) / (pi x) (1 at 0);  dx = grad * (cos(pi x) - out) / x (0 at 0)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        ctx.save_for_backward(x)
        pi_x = x * x.dtype.type(math.pi)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x == 0, x.dtype.type(1), np.sin(pi_x) / pi_x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        pi_x = x * x.dtype.type(math.pi)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = (pi_x * np.cos(pi_x) - np.sin(pi_x)) / (pi_x * x)
        return np.where(x == 0, grad.dtype.type(0), grad * d)


class Deg2Rad(Function):
    """out = x * pi / 180;  dx = grad * pi / 180"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        return x * x.dtype.type(math.pi / 180)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad * grad.dtype.type(math.pi / 180)


class Rad2Deg(Function):
    """out = x * 180 / pi;  dx = grad * 180 / pi"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x = _to_float(x)
        return x * x.dtype.type(180 / math.pi)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad * grad.dtype.type(180 / math.pi)


class NanToNum(Function):
    """out = x with nan, +inf, -inf replaced;  dx = grad where x is finite, else 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, nan: float = 0.0, posinf: float | None = None,
                neginf: float | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        if x.dtype.kind != "f":
            return x.copy()
        info = np.finfo(x.dtype)
        return np.nan_to_num(x, nan=nan, posinf=info.max if posinf is None else posinf,
                             neginf=info.min if neginf is None else neginf)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.isfinite(x)


class Heaviside(Function):
    """out = 0 if x < 0, values if x == 0, 1 if x > 0;  no derivative: torch raises"""

    grad_fn_name = "NotImplemented"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, values: np.ndarray) -> np.ndarray:
        if x.dtype != values.dtype:
            raise RuntimeError(
                "heaviside is not yet implemented for tensors with different dtypes; convert "
                "one first, e.g. values.to(input.dtype)"
            )
        return np.asarray(np.heaviside(x, values)).astype(x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> None:
        raise RuntimeError("derivative for aten::heaviside is not implemented")


class Addcmul(Function):
    """out = x + value * t1 * t2;  dx = grad,  dt1 = grad * value * t2,  dt2 = grad * value * t1"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t1: np.ndarray, t2: np.ndarray,
                value: Any = 1) -> np.ndarray:
        t1, t2 = promote(t1, t2)
        x, t1 = promote(x, t1)
        x, t2 = promote(x, t2)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        return x + value * (t1 * t2)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        t1, t2 = ctx.saved_tensors
        need = ctx.needs_input_grad
        v = ctx.value
        return (grad, grad * (t2 * v) if need[1] else None,
                grad * (t1 * v) if need[2] else None)


class Addcdiv(Function):
    """out = x + value * t1 / t2;  dx = grad,  dt1 = grad * value / t2,
    dt2 = -grad * value * t1 / t2 ** 2
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t1: np.ndarray, t2: np.ndarray,
                value: Any = 1) -> np.ndarray:
        if t1.dtype.kind in "biu" and t2.dtype.kind in "biu":
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future release "
                "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                "implementation: (input + value * tensor1 / tensor2), for all dtypes."
            )
        t1, t2 = promote(t1, t2)
        x, t1 = promote(x, t1)
        x, t2 = promote(x, t2)
        ctx.save_for_backward(t1, t2)
        ctx.value = value
        return x + value * (t1 / t2)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        t1, t2 = ctx.saved_tensors
        need = ctx.needs_input_grad
        v = ctx.value
        dt1 = grad * (v / t2) if need[1] else None
        dt2 = -grad * v * t1 / (t2 * t2) if need[2] else None
        return grad, dt1, dt2


class Xlogy(Function):
    """out = x * log(y) (0 where x == 0);  dx = grad * log(y) (0 where x == 0 and y <= 0),
    dy = grad * x / y
    """

    @staticmethod
    def forward(ctx: Any, x: Any, y: Any) -> np.ndarray:
        x, y = _float_pair(x, y)
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(np.isnan(y), np.nan, np.where(x == 0, 0, x * np.log(y)))
        dt = x.dtype if type(x) is _ndarray else y.dtype
        return np.asarray(out, dtype=dt)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        dx = dy = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if need[0]:
                dx = np.where((x == 0) & (y <= 0), 0, grad * np.log(y)).astype(grad.dtype)
            if need[1]:
                dy = np.asarray(grad * x / y, dtype=grad.dtype)
        return dx, dy


class XlogyScalarSelf(Xlogy):
    """out = c * log(y) (c a number);  dy = grad * c / y"""

    grad_fn_name = "XlogyBackward1"


class XlogyScalarOther(Xlogy):
    """out = x * log(c) (c a number);  dx = grad * log(c)"""

    grad_fn_name = "XlogyBackward2"


class Logaddexp(Function):
    """out = log(e ** x + e ** y);  dx = grad / (1 + e**(y - x)),  dy = grad / (1 + e**(x - y))"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"logaddexp_cpu\" not implemented for '{dtype_name(x)}'")
        ctx.save_for_backward(x, y)
        return np.logaddexp(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        with np.errstate(over="ignore"):
            return grad / (1 + np.exp(y - x)), grad / (1 + np.exp(x - y))


class Frac(Function):
    """out = x - trunc(x);  dx = grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"frac_cpu\" not implemented for '{dtype_name(x)}'")
        return x - np.trunc(x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad


class Exp2(Function):
    """out = 2 ** x;  dx = grad * out * ln 2"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.exp2(_to_float(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (out * out.dtype.type(_LN2))


# ------------------------------------------------------------------------ public functions
def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting (``torch.add``)."""
    return Add.apply(input, _operand(other), alpha=alpha)


def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting (``torch.sub``)."""
    return Sub.apply(input, _operand(other), alpha=alpha)


subtract = sub


def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input`` (what ``2 - x`` calls)."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return Sub.apply(other, input, alpha=alpha)
    return Rsub.apply(input, other, alpha=alpha)


def mul(input: Any, other: Any) -> Tensor:
    """Elementwise product with broadcasting (``torch.mul``)."""
    return Mul.apply(input, _operand(other))


multiply = mul


def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """``input / other``; integer inputs give float (``rounding_mode``: 'trunc' or 'floor')."""
    if not isinstance(input, Tensor):
        input = _operand(input)
    if rounding_mode is not None:
        return DivMode.apply(input, _operand(other), rounding_mode=rounding_mode)
    return Div.apply(input, _operand(other))


divide = true_divide = div


def rdiv(input: Tensor, other: Any) -> Tensor:
    """``other / input`` for a number ``other``: torch computes ``reciprocal(input) * other``."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return div(other, input)
    return mul(reciprocal(input), other)


def floor_divide(input: Any, other: Any) -> Tensor:
    """``input // other``, rounding toward minus infinity (``torch.floor_divide``).

    Not differentiable, as in torch: backward through it raises.
    """
    return FloorDivide.apply(_operand(input), _operand(other))


def remainder(input: Any, other: Any) -> Tensor:
    """``input % other`` with the sign of ``other``, as Python's ``%`` (``torch.remainder``)."""
    if not isinstance(input, Tensor):
        input = _operand(input)
    other = _operand(other)
    if not isinstance(input, Tensor):
        return RRemainder.apply(other, input)  # number % tensor: not differentiable in torch
    if isinstance(other, Tensor):
        return Remainder.apply(input, other)
    return RemainderScalar.apply(input, other)


def fmod(input: Any, other: Any) -> Tensor:
    """Remainder with the sign of ``input``, as C's ``fmod`` (``torch.fmod``)."""
    return input - div(input, other, rounding_mode="trunc") * other


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001
    """``input ** exponent`` (``torch.pow``); exponent a number or a tensor."""
    exponent = _operand(exponent)
    if not isinstance(input, Tensor):
        return rpow(exponent, input)
    if isinstance(exponent, Tensor):
        return PowTensor.apply(input, exponent)
    return Pow.apply(input, exponent)


def rpow(input: Tensor, other: Any) -> Tensor:
    """``other ** input`` for a number ``other``."""
    other = _operand(other)
    if isinstance(other, Tensor):
        return PowTensor.apply(other, input)
    return RPow.apply(input, other)


def square(input: Tensor) -> Tensor:
    """``input ** 2`` (``torch.square``)."""
    return Pow.apply(input, 2)


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    return Neg.apply(input)


negative = neg


def abs(input: Tensor) -> Tensor:  # noqa: A001
    """``|input|``."""
    return Abs.apply(input)


absolute = abs


def exp(input: Tensor) -> Tensor:
    """``e ** input``."""
    return Exp.apply(input)


def log(input: Tensor) -> Tensor:
    """Natural logarithm (``log(0) = -inf``, negative inputs give nan, as torch)."""
    return Log.apply(input)


def log1p(input: Tensor) -> Tensor:
    """``log(1 + input)``, accurate for small inputs."""
    return Log1p.apply(input)


def log2(input: Tensor) -> Tensor:
    """Base-2 logarithm."""
    return Log2.apply(input)


def log10(input: Tensor) -> Tensor:
    """Base-10 logarithm."""
    return Log10.apply(input)


def sqrt(input: Tensor) -> Tensor:
    """Square root (NaN for negative inputs)."""
    return Sqrt.apply(input)


def rsqrt(input: Tensor) -> Tensor:
    """``1 / sqrt(input)``."""
    return Rsqrt.apply(input)


def reciprocal(input: Tensor) -> Tensor:
    """``1 / input``."""
    return Reciprocal.apply(input)


def sin(input: Tensor) -> Tensor:
    """Sine (radians)."""
    return Sin.apply(input)


def cos(input: Tensor) -> Tensor:
    """Cosine (radians)."""
    return Cos.apply(input)


def tan(input: Tensor) -> Tensor:
    """Tangent (radians)."""
    return Tan.apply(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return Tanh.apply(input)


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-input))``.

    Example:
        >>> import glasstorch as torch
        >>> torch.sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return Sigmoid.apply(input)


def relu(input: Tensor) -> Tensor:
    """``max(input, 0)``."""
    return Relu.apply(input)


def sign(input: Tensor) -> Tensor:
    """-1, 0 or 1 by the sign of each element."""
    return Sign.apply(input)


def floor(input: Tensor) -> Tensor:
    """Round down to an integer value (the dtype is kept)."""
    return Floor.apply(input, how="floor")


def ceil(input: Tensor) -> Tensor:
    """Round up to an integer value (the dtype is kept)."""
    return Ceil.apply(input, how="ceil")


def trunc(input: Tensor) -> Tensor:
    """Round toward zero to an integer value (the dtype is kept)."""
    return Trunc.apply(input, how="trunc")


def round(input: Tensor, *, decimals: int | None = None) -> Tensor:  # noqa: A001
    """Round half to even; with ``decimals``, to that many decimal places."""
    if decimals is None:
        return Round.apply(input, how="round")
    return RoundDecimals.apply(input, how="round", decimals=decimals)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Limit values to ``[min, max]`` (either may be None; tensors allowed)."""
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = min if isinstance(min, Tensor) or min is None else _const_like(min, input)
        hi = max if isinstance(max, Tensor) or max is None else _const_like(max, input)
        return ClampTensor.apply(input, lo, hi)
    return Clamp.apply(input, min, max)


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """``max(input, min)`` (``torch.clamp_min``)."""
    if isinstance(min, Tensor):
        return clamp(input, min, None)
    return ClampMin.apply(input, min, None)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """``min(input, max)`` (``torch.clamp_max``)."""
    if isinstance(max, Tensor):
        return clamp(input, None, max)
    return ClampMax.apply(input, None, max)


clip = clamp


def _const_like(value: Any, like: Tensor) -> Tensor:
    return Tensor._wrap(np.asarray(value, dtype=like._data.dtype))


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum of two tensors."""
    if not isinstance(other, Tensor):
        raise TypeError(f"maximum(): argument 'other' must be Tensor, not {type(other).__name__}")
    return Maximum.apply(input, other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum of two tensors."""
    if not isinstance(other, Tensor):
        raise TypeError(f"minimum(): argument 'other' must be Tensor, not {type(other).__name__}")
    return Minimum.apply(input, other)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)`` (composite of sub, mul, add)."""
    return input + weight * (end - input)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """Pick from ``input`` where ``condition`` is True, else from ``other``.

    With only ``condition``, returns the indices of its True elements (``nonzero``).
    """
    if input is None and other is None:
        from glasstorch.ops.indexing import nonzero

        return nonzero(condition, as_tuple=True)
    return Where.apply(condition, _operand(input), _operand(other))


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``input`` with ``value`` written where ``mask`` is True."""
    value = _operand(value)
    if isinstance(value, Tensor):
        return MaskedFillTensor.apply(input, mask, value)
    return MaskedFill.apply(input, mask, value)


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """A copy that stays in the graph (gradient flows back unchanged)."""
    return Clone.apply(input)


def to_dtype(input: Tensor, dtype: Any) -> Tensor:
    """``input`` converted to ``dtype`` (a copy; gradient flows for float targets)."""
    np_dtype = _dtype.to_numpy_dtype(dtype)
    if input._rg and np_dtype.kind != "f":
        return Tensor._wrap(input._data.astype(np_dtype))  # int results leave the graph
    return ToCopy.apply(input, np_dtype)


def fill_like(input: Tensor, value: Any) -> Tensor:
    """A tensor like ``input`` full of ``value`` (what ``fill_`` records in a graph)."""
    value = _operand(value)
    if isinstance(value, Tensor):
        return FillTensor.apply(input, value)
    return Fill.apply(input, value)


def fill_zero(input: Tensor) -> Tensor:
    """A tensor like ``input`` full of zeros (what ``zero_`` records in a graph)."""
    return Zero.apply(input)


def copy_like(input: Tensor, src: Tensor) -> Tensor:
    """``src`` broadcast into ``input``'s shape and dtype (what ``copy_`` records)."""
    return Copy.apply(input, src)


# ------------------------------------------------------------------------ math extras
def erf(input: Tensor) -> Tensor:
    """The error function ``2 / sqrt(pi) * integral of e ** -t ** 2 from 0 to input``.

    Example:
        >>> import glasstorch as torch
        >>> torch.erf(torch.tensor([0.0, 1.0]))
        tensor([0.0000, 0.8427])
    """
    return Erf.apply(input)


def erfc(input: Tensor) -> Tensor:
    """``1 - erf(input)``, accurate where ``erf`` is close to 1.

    Example:
        >>> import glasstorch as torch
        >>> torch.erfc(torch.tensor([0.0, 1.0]))
        tensor([1.0000, 0.1573])
    """
    return Erfc.apply(input)


def erfinv(input: Tensor) -> Tensor:
    """The inverse of ``erf`` on ``(-1, 1)`` (``±inf`` at ``±1``, nan outside).

    Example:
        >>> import glasstorch as torch
        >>> torch.erfinv(torch.tensor([0.0, 0.5]))
        tensor([0.0000, 0.4769])
    """
    return Erfinv.apply(input)


def lgamma(input: Tensor) -> Tensor:
    """``log |Gamma(input)|``.

    Example:
        >>> import glasstorch as torch
        >>> torch.lgamma(torch.tensor([0.5, 3.0]))
        tensor([0.5724, 0.6931])
    """
    return Lgamma.apply(input)


def digamma(input: Tensor) -> Tensor:
    """The logarithmic derivative of Gamma, ``Gamma'(input) / Gamma(input)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.digamma(torch.tensor([1.0, 2.0]))
        tensor([-0.5772,  0.4228])
    """
    return Digamma.apply(input)


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of the point ``(other, input)``: ``atan(input / other)`` in the right quadrant.

    Example:
        >>> import glasstorch as torch
        >>> torch.atan2(torch.tensor([1.0, 1.0]), torch.tensor([1.0, -1.0]))
        tensor([0.7854, 2.3562])
    """
    return Atan2.apply(input, _operand(other))


arctan2 = atan2


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """``sqrt(input ** 2 + other ** 2)`` without overflow.

    Example:
        >>> import glasstorch as torch
        >>> torch.hypot(torch.tensor([3.0]), torch.tensor([4.0]))
        tensor([5.])
    """
    return Hypot.apply(input, other)


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """``log(p / (1 - p))``, the inverse of ``sigmoid``; with ``eps``, p is clamped first.

    Example:
        >>> import glasstorch as torch
        >>> torch.logit(torch.tensor([0.25, 0.5]))
        tensor([-1.0986,  0.0000])
    """
    return Logit.apply(input, eps=eps)


def sinc(input: Tensor) -> Tensor:
    """The normalised sinc, ``sin(pi x) / (pi x)`` (1 at 0).

    Example:
        >>> import glasstorch as torch
        >>> torch.sinc(torch.tensor([0.0, 0.5]))
        tensor([1.0000, 0.6366])
    """
    return Sinc.apply(input)


def deg2rad(input: Tensor) -> Tensor:
    """Degrees to radians.

    Example:
        >>> import glasstorch as torch
        >>> torch.deg2rad(torch.tensor([180.0]))
        tensor([3.1416])
    """
    return Deg2Rad.apply(input)


def rad2deg(input: Tensor) -> Tensor:
    """Radians to degrees.

    Example:
        >>> import glasstorch as torch
        >>> torch.rad2deg(torch.tensor([3.14159265]))
        tensor([180.])
    """
    return Rad2Deg.apply(input)


def float_power(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent`` computed in float64 (the result is always float64).

    Example:
        >>> import glasstorch as torch
        >>> torch.float_power(torch.tensor([2, 3]), 2)
        tensor([4., 9.], dtype=torch.float64)
    """
    exponent = _operand(exponent)
    if isinstance(input, Tensor):
        input = to_dtype(input, _dtype.float64)
    elif type(input) is not builtins.float:
        input = builtins.float(input)
    if isinstance(exponent, Tensor):
        exponent = to_dtype(exponent, _dtype.float64)
    elif type(exponent) is not builtins.float:
        exponent = builtins.float(exponent)
    return pow(input, exponent)


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """NaN becomes ``nan``, +inf ``posinf``, -inf ``neginf`` (default: the dtype's max/min).

    Example:
        >>> import glasstorch as torch
        >>> torch.nan_to_num(torch.tensor([float('nan'), 1.0, float('-inf')]), neginf=-9.0)
        tensor([ 0.,  1., -9.])
    """
    return NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """The step function: 0 where ``input < 0``, ``values`` where 0, 1 where positive.

    Example:
        >>> import glasstorch as torch
        >>> torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor(0.5))
        tensor([0.0000, 0.5000, 1.0000])
    """
    if not isinstance(values, Tensor):
        raise TypeError(
            f"heaviside(): argument 'values' must be Tensor, not {type(values).__name__}"
        )
    return Heaviside.apply(input, values)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``.

    Example:
        >>> import glasstorch as torch
        >>> torch.addcmul(torch.ones(2), torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]),
        ...               value=0.5)
        tensor([2.5000, 5.0000])
    """
    return Addcmul.apply(input, tensor1, tensor2, value=value)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``.

    Example:
        >>> import glasstorch as torch
        >>> torch.addcdiv(torch.ones(2), torch.tensor([1.0, 2.0]), torch.tensor([4.0, 4.0]))
        tensor([1.2500, 1.5000])
    """
    return Addcdiv.apply(input, tensor1, tensor2, value=value)


def xlogy(input: Any, other: Any) -> Tensor:
    """``input * log(other)``, taken to be 0 where ``input == 0`` (unless ``other`` is nan).

    Example:
        >>> import glasstorch as torch
        >>> torch.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0]))
        tensor([0.0000, 2.1972])
    """
    input, other = _operand(input), _operand(other)
    if not isinstance(input, Tensor):
        return XlogyScalarSelf.apply(input, other)
    if not isinstance(other, Tensor):
        return XlogyScalarOther.apply(input, other)
    return Xlogy.apply(input, other)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """``log(exp(input) + exp(other))`` without overflow.

    Example:
        >>> import glasstorch as torch
        >>> torch.logaddexp(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 2.0]))
        tensor([0.6931, 2.3133])
    """
    return Logaddexp.apply(input, other)


def frac(input: Tensor) -> Tensor:
    """The fractional part, ``input - trunc(input)`` (sign of ``input``).

    Example:
        >>> import glasstorch as torch
        >>> torch.frac(torch.tensor([1.5, -2.25]))
        tensor([ 0.5000, -0.2500])
    """
    return Frac.apply(input)


def exp2(input: Tensor) -> Tensor:
    """``2 ** input``.

    Example:
        >>> import glasstorch as torch
        >>> torch.exp2(torch.tensor([0.0, 3.0]))
        tensor([1., 8.])
    """
    return Exp2.apply(input)


# ----------------------------------------------------------------- comparisons and logic
def _compare(ufunc: Any, input: Any, other: Any) -> Tensor:
    other = _operand(other)
    a = input._data if isinstance(input, Tensor) else input
    b = other._data if isinstance(other, Tensor) else other
    a, b = promote(a, b)
    try:
        out = ufunc(a, b)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({np.shape(a)}) must match the size of tensor b "
            f"({np.shape(b)}) for a comparison (sizes must be equal or 1 in each dimension)."
        ) from None
    return Tensor._wrap(np.asarray(out))


def eq(input: Any, other: Any) -> Tensor:
    """``input == other`` elementwise, as a bool tensor."""
    return _compare(np.equal, input, other)


def ne(input: Any, other: Any) -> Tensor:
    """``input != other`` elementwise, as a bool tensor."""
    return _compare(np.not_equal, input, other)


def lt(input: Any, other: Any) -> Tensor:
    """``input < other`` elementwise, as a bool tensor."""
    return _compare(np.less, input, other)


def le(input: Any, other: Any) -> Tensor:
    """``input <= other`` elementwise, as a bool tensor."""
    return _compare(np.less_equal, input, other)


def gt(input: Any, other: Any) -> Tensor:
    """``input > other`` elementwise, as a bool tensor."""
    return _compare(np.greater, input, other)


def ge(input: Any, other: Any) -> Tensor:
    """``input >= other`` elementwise, as a bool tensor."""
    return _compare(np.greater_equal, input, other)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def logical_and(input: Tensor, other: Any) -> Tensor:
    """Elementwise AND of the truth values (nonzero is True), as a bool tensor."""
    return _compare(np.logical_and, input, other)


def logical_or(input: Tensor, other: Any) -> Tensor:
    """Elementwise OR of the truth values (nonzero is True), as a bool tensor."""
    return _compare(np.logical_or, input, other)


def logical_xor(input: Tensor, other: Any) -> Tensor:
    """Elementwise XOR of the truth values (nonzero is True), as a bool tensor."""
    return _compare(np.logical_xor, input, other)


def logical_not(input: Tensor) -> Tensor:
    """Elementwise NOT of the truth values (zero becomes True), as a bool tensor."""
    return Tensor._wrap(np.logical_not(input._data))


def _bitwise(ufunc: Any, name: str, input: Tensor, other: Any) -> Tensor:
    other = _operand(other)
    a = input._data
    b = other._data if isinstance(other, Tensor) else other
    if a.dtype.kind == "f" or (type(b) is _ndarray and b.dtype.kind == "f") or (
        type(b) is builtins.float
    ):
        raise RuntimeError(f'"{name}_cpu" not implemented for \'Float\'')
    a, b = promote(a, b)
    return Tensor._wrap(np.asarray(ufunc(a, b)))


def bitwise_and(input: Tensor, other: Any) -> Tensor:
    """``input & other`` for integer and bool tensors."""
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


def bitwise_or(input: Tensor, other: Any) -> Tensor:
    """``input | other`` for integer and bool tensors."""
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


def bitwise_xor(input: Tensor, other: Any) -> Tensor:
    """``input ^ other`` for integer and bool tensors."""
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


def bitwise_not(input: Tensor) -> Tensor:
    """``~input`` for integer and bool tensors (logical NOT for bool)."""
    if input._data.dtype.kind == "f":
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return Tensor._wrap(np.invert(input._data))


def isnan(input: Tensor) -> Tensor:
    """True where ``input`` is NaN."""
    return Tensor._wrap(np.isnan(input._data))


def isinf(input: Tensor) -> Tensor:
    """True where ``input`` is +inf or -inf."""
    return Tensor._wrap(np.isinf(input._data))


def isfinite(input: Tensor) -> Tensor:
    """True where ``input`` is neither NaN nor infinite."""
    return Tensor._wrap(np.isfinite(input._data))


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same shape and values."""
    return input._data.shape == other._data.shape and builtins.bool(
        np.array_equal(input._data, other._data)
    )


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """True where ``|input - other| <= atol + rtol * |other|``."""
    return Tensor._wrap(np.asarray(np.isclose(input._data, other._data, rtol, atol, equal_nan)))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """True if ``isclose`` holds everywhere."""
    return builtins.bool(np.allclose(input._data, other._data, rtol, atol, equal_nan))


# The public functions (torch.add, torch.sigmoid, ...). Classes stay here; the helpers the
# Tensor methods call (to_dtype, fill_like, ...) are not torch functions. A new function goes
# in one of the two (tests/ops/test_public_names.py checks), and __all__ stays a literal
# list so that type checkers see the names.
_INTERNAL = {"rsub", "rdiv", "rpow", "to_dtype", "fill_like", "fill_zero", "copy_like"}
__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "square", "neg", "negative", "abs", "absolute", "exp", "log",
    "log1p", "log2", "log10", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "tanh", "sigmoid",
    "relu", "sign", "floor", "ceil", "trunc", "round", "clamp", "clamp_min", "clamp_max", "clip",
    "maximum", "minimum", "lerp", "where", "masked_fill", "clone", "eq", "ne", "lt", "le", "gt",
    "ge", "greater", "greater_equal", "less", "less_equal", "not_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_not", "isnan", "isinf", "isfinite", "equal", "isclose", "allclose",
    "erf", "erfc", "erfinv", "lgamma", "digamma", "atan2", "arctan2", "hypot", "logit", "sinc",
    "deg2rad", "rad2deg", "float_power", "nan_to_num", "heaviside", "addcmul", "addcdiv",
    "xlogy", "logaddexp", "frac", "exp2",
    "sgn", "signbit", "copysign", "isin", "isreal", "is_complex", "nextafter", "ldexp", "frexp",
]


# ================================================================== sign bits and exponents
class Sgn(Sign):
    """out = sign x (0 for NaN: ``(0 < x) - (x < 0)``);  dx = 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        out = np.sign(x)
        if x.dtype.kind == "f":  # torch's sgn kernel compares, so NaN gives 0 (sign keeps NaN)
            out = np.where(np.isnan(x), x.dtype.type(0), out)
        return out


class Copysign(Function):
    """out = |x| with the sign of y;  dx = grad * out / x (0 where x == 0),  dy = 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: Any) -> np.ndarray:
        x, y = _float_pair(x, y)
        out = np.copysign(x, y)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, out = ctx.saved_tensors
        ratio = np.where(x == 0, 0, out / np.where(x == 0, 1, x))
        return grad * ratio, np.zeros_like(grad)


class CopysignScalar(Copysign):
    """out = |x| with the sign of a number y;  dx = grad * out / x (0 where x == 0)"""

    grad_fn_name = "CopysignBackward1"


class Nextafter(Function):
    """out = the next float after x towards y;  dx = grad (as torch),  dy = 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: Any) -> np.ndarray:
        x, y = promote(x, y)
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{dtype_name(x)}'")
        return np.nextafter(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        return grad, np.zeros_like(grad)


class Ldexp(Function):
    """out = x * 2 ** e;  dx = grad * 2 ** e,  de = grad * out * ln 2"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, e: np.ndarray) -> np.ndarray:
        x, e = _float_pair(x, e)
        scale = np.exp2(e)
        out = x * scale
        ctx.save_for_backward(scale, out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        scale, out = ctx.saved_tensors
        return grad * scale, grad * out * _LN2


class Frexp(Function):
    """out = mantissa m in [0.5, 1) with x = m * 2 ** e;  dx = grad / 2 ** e"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        mantissa, exponent = np.frexp(x)
        ctx.exponent = exponent
        return mantissa

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad / np.exp2(ctx.exponent).astype(grad.dtype)


def sgn(input: Tensor) -> Tensor:
    """The sign of each element (for real tensors the same as ``sign``).

    Example:
        >>> import glasstorch as torch
        >>> torch.sgn(torch.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    return Sgn.apply(input)


def signbit(input: Tensor) -> Tensor:
    """True where the sign bit is set (negative numbers and ``-0.0``).

    Example:
        >>> import glasstorch as torch
        >>> torch.signbit(torch.tensor([-0.0, 1.0, -3.0]))
        tensor([ True, False,  True])
    """
    return Tensor._wrap(np.signbit(input._data))


def copysign(input: Tensor, other: Any) -> Tensor:
    """``|input|`` with the sign of ``other`` (integers become floats).

    Example:
        >>> import glasstorch as torch
        >>> torch.copysign(torch.tensor([1.0, -2.0]), -1)
        tensor([-1., -2.])
    """
    other = _operand(other)
    if isinstance(other, Tensor):
        return Copysign.apply(input, other)
    return CopysignScalar.apply(input, other)


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """The next representable float after ``input`` in the direction of ``other``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nextafter(torch.tensor([1.0]), torch.tensor([2.0])) > 1
        tensor([True])
    """
    return Nextafter.apply(input, _operand(other))


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """``input * 2 ** other`` (integers become floats).

    Example:
        >>> import glasstorch as torch
        >>> torch.ldexp(torch.tensor([1.0, 3.0]), torch.tensor([2, 1]))
        tensor([4., 6.])
    """
    return Ldexp.apply(input, _operand(other))


def frexp(input: Tensor) -> Any:
    """Split into ``(mantissa, exponent)`` with ``input = mantissa * 2 ** exponent``.

    The mantissa lies in [0.5, 1) in absolute value; the exponent is int32.

    Example:
        >>> import glasstorch as torch
        >>> torch.frexp(torch.tensor([8.0, 0.3]))
        torch.return_types.frexp(
        mantissa=tensor([0.5000, 0.6000]),
        exponent=tensor([ 4, -1], dtype=torch.int32))
    """
    from glasstorch.ops.reduction import return_types

    if input._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa = Frexp.apply(input)
    exponent = Tensor._wrap(np.frexp(input._data)[1].astype(np.int32))
    return return_types.frexp(mantissa, exponent)


def isin(elements: Any, test_elements: Any, *, assume_unique: builtins.bool = False,
         invert: builtins.bool = False) -> Tensor:
    """True where an element of ``elements`` occurs in ``test_elements`` (False with ``invert``).

    Example:
        >>> import glasstorch as torch
        >>> torch.isin(torch.tensor([1, 2, 3]), torch.tensor([2, 5]))
        tensor([False,  True, False])
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() expects `elements` or `test_elements` to be a Tensor")
    a = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._wrap(np.asarray(np.isin(a, b, assume_unique=assume_unique, invert=invert)))


def isreal(input: Tensor) -> Tensor:
    """True everywhere: glasstorch tensors are never complex.

    Example:
        >>> import glasstorch as torch
        >>> torch.isreal(torch.tensor([1.0, 2.0]))
        tensor([True, True])
    """
    return Tensor._wrap(np.ones(input._data.shape, np.bool_))


def is_complex(input: Tensor) -> builtins.bool:
    """False: glasstorch has no complex dtypes.

    Example:
        >>> import glasstorch as torch
        >>> torch.is_complex(torch.tensor(1.0))
        False
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"is_complex(): argument 'input' must be Tensor, not {type(input).__name__}"
        )
    return False
