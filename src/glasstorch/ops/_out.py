"""The ``out=`` argument of torch's functions (``torch.mul(a, b, out=c)``), in one place.

PyTorch's tensor tutorial writes results into existing tensors with ``out=``. Each op here
computes its result as usual; :func:`with_out` then copies it into ``out`` the way torch
does: the result is cast to ``out``'s dtype when torch allows the cast (not float into an
integer tensor), an ``out`` of another shape is resized (with torch's warning unless it
was empty), and autograd refuses ``out=`` when an argument requires grad.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd import grad_mode

# torch functions that take ``out=`` and that glasstorch's ops answer without it. (The
# creation and random functions take ``out`` in their own signatures.)
OUT_FUNCTIONS = (
    "abs", "add", "all", "amax", "amin", "any", "bmm", "cat", "ceil", "clamp", "clip",
    "concat", "concatenate", "cos", "cosh", "cumprod", "cumsum", "div", "divide", "dot", "eq",
    "exp", "expm1", "floor", "floor_divide", "fmod", "gather", "ge", "greater",
    "greater_equal", "gt", "hstack", "index_select", "le", "lerp", "less", "less_equal",
    "log", "log10", "log1p", "log2", "logical_and", "logical_not", "logical_or", "logical_xor",
    "logsumexp", "lt", "masked_select", "matmul", "maximum", "mean", "minimum", "mm", "mul",
    "multiply", "mv", "ne", "neg", "negative", "nonzero", "not_equal", "outer", "pow", "prod",
    "reciprocal", "remainder", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt",
    "stack", "std", "sub", "subtract", "sum", "tan", "tanh", "true_divide", "trunc", "var",
    "vstack", "where",
)


def with_out(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with torch's ``out=`` keyword added (``fn`` itself never sees it)."""

    @functools.wraps(fn)
    def function(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        if grad_mode._enabled[0] and (out.requires_grad or any(
                isinstance(a, Tensor) and a.requires_grad for a in args)):
            raise RuntimeError(
                f"{fn.__name__}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad. Compute the result "
                "without out= (y = op(...)), or inside torch.no_grad()."
            )
        return write_out(fn(*args, **kwargs), out)

    return function


def write_out(result: Tensor, out: Tensor) -> Tensor:
    """Copy ``result`` into ``out`` (cast, and resized if needed) and return ``out``."""
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    src, dst = result.dtype, out.dtype
    if dst._category < src._category:
        raise RuntimeError(f"result type {_title(src.name)} can't be cast to the desired output "
                           f"type {_title(dst.name)}")
    data = result._data
    if out._data.shape != data.shape:
        if out._data.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._data.shape)}, which does not match the required output shape "
                f"{list(data.shape)}. This behavior is deprecated, and in a future PyTorch "
                "release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                "with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = np.empty(data.shape, dst.np)
    np.copyto(out._data, data, casting="unsafe")
    out._bump()
    return out


def _title(name: str) -> str:
    """torch's ScalarType name: 'Float', 'Long', 'Bool'..."""
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[name]
