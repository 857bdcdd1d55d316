"""Matrix products: matmul (torch's 1-D / 2-D / batched rules), mm, bmm, mv, dot, outer, linear.

Every gradient here is itself a matrix product: for ``out = a @ b``,
``da = grad @ b^T`` and ``db = a^T @ grad``. Several classes share one rule and differ only
in the ``grad_fn`` name torch records for that case (``UnsafeViewBackward0`` for batched
matmul, ``AddmmBackward0`` for ``F.linear`` on a batch of rows...).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glasstorch._errors import message
from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._broadcast import unbroadcast
from glasstorch.ops._util import dtype_name, promote
from glasstorch.ops.shape import t as _t

__all__ = ["matmul", "mm", "bmm", "mv", "dot", "outer", "linear"]


# ----------------------------------------------------------------------------- checks
def _cpp_name(arr: np.ndarray) -> str:
    """The C++ type name torch prints in some dtype errors (``float != double``)."""
    names = {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
             "Bool": "bool", "Half": "c10::Half", "Short": "short int", "Char": "signed char",
             "Byte": "unsigned char"}
    return names.get(dtype_name(arr), dtype_name(arr))


def _check_same_dtype(a: np.ndarray, b: np.ndarray) -> None:
    if a.dtype != b.dtype:
        names = _cpp_name(a), _cpp_name(b)
        key = "matmul_dtype_float_double" if set(names) == {"float", "double"} else "matmul_dtype"
        raise RuntimeError(message(key, a=names[0], b=names[1]))


def _shape_str(shape: tuple[int, ...]) -> str:
    return "x".join(str(s) for s in shape)


def _check_inner(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> None:
    """mm's check: ``(n, k) @ (k, m)`` (a 1-D ``a`` is the row ``(1, k)``)."""
    k_a = a_shape[-1]
    k_b = b_shape[-2]
    if k_a == k_b:
        return
    key = "matmul_shape_transposed" if b_shape[-1] == k_a else "matmul_shape"
    left = (1,) + a_shape if len(a_shape) == 1 else a_shape
    raise RuntimeError(message(key, left=_shape_str(left), right=_shape_str(b_shape), k_a=k_a,
                               k_b=k_b))


def _check_mv(rows: tuple[int, ...], cols: int, mat: np.ndarray, vec: np.ndarray) -> None:
    """mv's checks for a ``(prod(rows), cols)`` matrix: the sizes, then the dtypes."""
    n = vec.shape[0]
    if cols != n:
        raise RuntimeError(message("mv_shape", rows=int(np.prod(rows)), cols=cols, n=n))
    if mat.dtype != vec.dtype:
        raise RuntimeError(message("mv_dtype", mat=dtype_name(mat), vec=dtype_name(vec)))


def _check_folded(a: np.ndarray, b: np.ndarray) -> None:
    """matmul's checks where torch folds a batched operand into one matrix (mm / mv).

    torch folds ``batched @ 1-D or 2-D`` (and computes ``1-D @ 2-D`` as ``(1, k) @ (k, m)``),
    so its errors name the folded shapes: ``(2, 2, 4) @ (3, 2)`` reports ``4x4 and 3x2``. When
    a 1-D or 2-D ``a`` requires grad and ``b`` is batched, it folds the transposed product
    ``b^T @ a^T`` instead.
    """
    if b.ndim <= 2:
        if b.ndim == 1:
            _check_mv(a.shape[:-1], a.shape[-1], a, b)
        else:
            if a.shape[-1] != b.shape[0]:
                _check_inner((int(np.prod(a.shape[:-1])), a.shape[-1]), b.shape)
            _check_same_dtype(a, b)
        return
    rows = b.shape[:-2] + b.shape[-1:]
    if a.ndim == 1:
        _check_mv(rows, b.shape[-2], b, a)
    else:
        if b.shape[-2] != a.shape[1]:
            _check_inner((int(np.prod(rows)), b.shape[-2]), (a.shape[1], a.shape[0]))
        _check_same_dtype(b, a)


def _check_batched(a: np.ndarray, b: np.ndarray) -> None:
    """matmul's checks for a batched product (torch's bmm, after broadcasting the batch)."""
    a_shape, b_shape = a.shape, b.shape
    a_batch, b_batch = a_shape[:-2], b_shape[:-2]
    n = max(len(a_batch), len(b_batch))
    a_full = (1,) * (n - len(a_batch)) + a_batch  # align from the right, as broadcasting does
    b_full = (1,) * (n - len(b_batch)) + b_batch
    for i, (sa, sb) in enumerate(zip(a_full, b_full, strict=True)):
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(message(
                "matmul_batch_broadcast", sa=sa, sb=sb, dim=i, a_batch=a_batch,
                b_batch=b_batch, a_shape=a_shape, b_shape=b_shape,
            ))
    k_a, k_b = a_shape[-1], b_shape[-2]
    if k_a != k_b:
        batch = int(np.prod(np.broadcast_shapes(a_batch, b_batch)))
        raise RuntimeError(message("matmul_batch_shape", batch=batch, k_a=k_a, k_b=k_b,
                                   a_shape=a_shape, b_shape=b_shape))
    if a.dtype != b.dtype:
        raise RuntimeError(message("batch_matmul_dtype", a=dtype_name(a), b=dtype_name(b)))


def _tensor_arg(fn: str, name: str, position: int, value: Any) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(message("argument_not_tensor", function=fn, name=name,
                                position=position, type=type(value).__name__))


def _folded_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a batched ``a`` and a 2-D ``b`` as ONE matrix product.

    ``(B, n, k) @ (k, m)`` folds into ``(B*n, k) @ (k, m)``: a single BLAS call instead of
    one per batch entry (the reshape is free for contiguous ``a``).
    """
    if a.ndim <= 2:
        return a @ b
    return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + (b.shape[-1],))


# ----------------------------------------------------------------------------- Functions
class Dot(Function):
    """out = sum(x * y) for vectors;  dx = grad * y,  dy = grad * x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(y if need[0] else None, x if need[1] else None)
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        y, x = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad * y if need[0] else None), (grad * x if need[1] else None)


class Mv(Function):
    """out = A @ v;  dA = outer(grad, v),  dv = A^T @ grad"""

    @staticmethod
    def forward(ctx: Any, mat: np.ndarray, vec: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(vec if need[0] else None, mat if need[1] else None)
        return mat @ vec

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        vec, mat = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (np.outer(grad, vec) if need[0] else None), (grad @ mat if need[1] else None)


class Mm(Function):
    """out = A @ B;  dA = grad @ B^T,  dB = A^T @ grad"""

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[0] else None, a if need[1] else None)
        return a @ b

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad @ b.T if need[0] else None), (a.T @ grad if need[1] else None)


class Addmm(Function):
    """out = bias + A @ B;  dbias = grad (summed to its shape),  dA = grad @ B^T,  dB = A^T @ grad

    What ``nn.Linear`` records for a 2-D input: torch computes ``addmm(bias, x, W.t())``,
    so the graph is AddmmBackward0 <- (bias, x, TBackward0 <- W), which ``make_dot`` draws.
    """

    @staticmethod
    def forward(ctx: Any, bias: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        # dA needs B, dB needs A: keep only what will be used
        ctx.save_for_backward(b if need[1] else None, a if need[2] else None)
        out = a @ b
        if out.shape[out.ndim - bias.ndim:] == bias.shape:
            out += bias  # in place into the fresh product: no second output-sized array
        else:
            out = out + bias
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        dbias = grad if need[0] else None  # the engine sums it over the rows, as torch does
        return dbias, (grad @ b.T if need[1] else None), (a.T @ grad if need[2] else None)


class Bmm(Function):
    """out[i] = A[i] @ B[i];  dA[i] = grad[i] @ B[i]^T,  dB[i] = A[i]^T @ grad[i]"""

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[0] else None, a if need[1] else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        da = np.matmul(grad, b.swapaxes(-1, -2)) if need[0] else None
        db = np.matmul(a.swapaxes(-1, -2), grad) if need[1] else None
        return da, db


class Matmul(Function):
    """out = a @ b with broadcast batch dims;  da = grad @ b^T,  db = a^T @ grad (batch-summed)

    A 1-D ``a`` acts as a row (1, k) and a 1-D ``b`` as a column (k, 1); gradients of
    operands whose batch dims were broadcast are summed back to their own shape.
    """

    grad_fn_name = "UnsafeViewBackward0"  # torch reshapes a batched product with _unsafe_view

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.shapes = (a.shape, b.shape)
        ctx.save_for_backward(a if need[1] else None, b if need[0] else None)
        if a.ndim > 2 and b.ndim == 2:
            return _folded_matmul(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        need = ctx.needs_input_grad
        # view 1-D operands as matrices, and give grad the matching size-1 axis
        if len(a_shape) == 1:
            grad = np.expand_dims(grad, -2)
            a = a.reshape(1, -1) if a is not None else None
        if len(b_shape) == 1:
            grad = np.expand_dims(grad, -1)
            b = b.reshape(-1, 1) if b is not None else None
        da = db = None
        if need[0]:
            b_t = b.swapaxes(-1, -2)
            da = _folded_matmul(grad, b_t) if b_t.ndim == 2 else np.matmul(grad, b_t)
            da = unbroadcast(da, a_shape if len(a_shape) > 1 else (1, a_shape[0]))
            da = da.reshape(a_shape)
        if need[1]:
            if len(b_shape) <= 2 and a.ndim > 2:
                # b is shared by every batch: one big product instead of a batch + a sum
                k, m = a.shape[-1], grad.shape[-1]
                db = a.reshape(-1, k).T @ grad.reshape(-1, m)
            else:
                db = np.matmul(a.swapaxes(-1, -2), grad)
                db = unbroadcast(db, b_shape if len(b_shape) > 1 else (b_shape[0], 1))
            db = db.reshape(b_shape)
        return da, db


class MatmulVecMat(Matmul):
    """out = v @ B (1-D @ 2-D);  dv = B @ grad,  dB = outer(v, grad)"""

    grad_fn_name = "SqueezeBackward4"  # torch: v.unsqueeze(0).mm(B).squeeze_(0)


class MatmulTransposed(Matmul):
    """out = A @ B (2-D A, batched B);  dA = sum_i grad[i] @ B[i]^T,  dB = A^T @ grad"""

    grad_fn_name = "CloneBackward0"  # torch folds B^T into a matrix, then .contiguous()s


class Outer(Function):
    """out[i, j] = x[i] * y[j];  dx = grad @ y,  dy = grad^T @ x"""

    grad_fn_name = "MulBackward0"  # torch computes outer as x.unsqueeze(1) * y

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        need = ctx.needs_input_grad
        ctx.save_for_backward(y if need[0] else None, x if need[1] else None)
        return np.multiply.outer(x, y)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        y, x = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad @ y if need[0] else None), (x @ grad if need[1] else None)


class _FusedLinear(Function):
    """out = x @ W^T + b;  dx = grad @ W,  dW = grad^T @ x,  db = grad (summed over rows)

    One fused node for ``nn.Linear`` on 1-D and batched inputs (2-D inputs record torch's
    own Addmm/Mm with TBackward0): BLAS reads ``W^T`` in place (no copy), the bias is
    added into the fresh output, and only the gradients someone needs are computed. The
    subclasses below only set the node name torch uses for each case.
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray,
                bias: np.ndarray | None = None) -> np.ndarray:
        need = ctx.needs_input_grad
        # dx needs W, dW needs x: keep only what will be used
        ctx.save_for_backward(x if need[1] else None, weight if need[0] else None)
        out = _folded_matmul(x, weight.T)
        if bias is not None:
            if out.ndim >= bias.ndim and out.shape[out.ndim - bias.ndim:] == bias.shape:
                out += bias  # in place: no second output-sized array
            else:
                out = out + bias
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        dx = _folded_matmul(grad, weight) if need[0] else None
        dw = None
        if need[1]:
            if grad.ndim == 1:
                dw = np.outer(grad, x)
            else:  # fold every leading dim into the rows of one matrix product
                dw = grad.reshape(-1, grad.shape[-1]).T @ x.reshape(-1, x.shape[-1])
        db = grad if len(need) > 2 and need[2] else None  # the engine sums it to b's shape
        return dx, dw, db


class LinearView(_FusedLinear):
    """out = x @ W^T + b for 1-D or batched x (torch flattens x, runs addmm, then views)"""

    grad_fn_name = "ViewBackward0"


class LinearUnsafeView(_FusedLinear):
    """out = x @ W^T for batched x without bias (torch's folded matmul)"""

    grad_fn_name = "UnsafeViewBackward0"


class LinearSqueeze(_FusedLinear):
    """out = x @ W^T for 1-D x without bias (torch: x.unsqueeze(0).mm(W.t()).squeeze_(0))"""

    grad_fn_name = "SqueezeBackward4"


class LinearAdd(_FusedLinear):
    """out = x @ W^T + b for batched x and a bias that is not 1-D (torch: matmul, then add)"""

    grad_fn_name = "AddBackward0"


# ----------------------------------------------------------------------------- public API
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with torch's rules for 1-D, 2-D and batched operands (``a @ b``).

    1-D @ 1-D is a dot product; a 1-D left operand acts as a row, a 1-D right operand as a
    column (that size-1 dim is dropped from the result); dims before the last two are
    batch dims and broadcast. Integer tensors stay integer.

    Example:
        >>> import glasstorch as torch
        >>> a = torch.ones(4, 2, 3)
        >>> (a @ torch.ones(3, 5)).shape
        torch.Size([4, 2, 5])
        >>> torch.tensor([1., 2.]) @ torch.tensor([3., 4.])
        tensor(11.)
    """
    _tensor_arg("matmul", "other", 2, other)
    a, b = input._data, other._data
    a_nd, b_nd = a.ndim, b.ndim
    if a_nd == 0 or b_nd == 0:
        raise RuntimeError(message("matmul_0d", a_nd=a_nd, b_nd=b_nd))
    if a_nd == 1 and b_nd == 1:
        return dot(input, other)
    if a_nd == 2 and b_nd == 1:
        return mv(input, other)
    if a_nd == 2 and b_nd == 2:
        return mm(input, other)
    if b_nd <= 2 or (a_nd <= 2 and input._rg):
        _check_folded(a, b)
    elif a_nd == 3 and b_nd == 3 and a.shape[0] != b.shape[0] and a.shape[0] == 1 and input._rg:
        _check_folded(a[0], b)  # torch drops the size-1 batch of an operand needing grad
    elif a_nd == 3 and b_nd == 3 and a.shape[0] != b.shape[0] and b.shape[0] == 1 and other._rg:
        _check_folded(a, b[0])
    else:
        _check_batched(a, b)
    if a_nd == 1 and b_nd == 2:
        return MatmulVecMat.apply(input, other)
    return _matmul_class(input, other).apply(input, other)


def _matmul_class(input: Tensor, other: Tensor) -> type[Matmul]:
    """Which node torch records for a batched product (only the grad_fn name differs).

    torch squeezes a size-1 batch of a 3-D operand that requires grad when the two batches
    differ, and then computes ``2-D @ batched`` through a transpose + ``contiguous()``
    (``CloneBackward0``) when the 2-D operand requires grad.
    """
    a, b = input._data, other._data
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
        if a.shape[0] == 1 and input.requires_grad:
            return MatmulTransposed
        return Matmul
    if a.ndim == 2 and b.ndim >= 3 and input.requires_grad:
        return MatmulTransposed
    return Matmul


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two 2-D matrices, ``(n, k) @ (k, m) -> (n, m)`` (no broadcasting).

    Example:
        >>> import glasstorch as torch
        >>> torch.mm(torch.ones(2, 3), torch.ones(3, 4)).shape
        torch.Size([2, 4])
    """
    _tensor_arg("mm", "mat2", 2, mat2)
    a, b = input._data, mat2._data
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix, but got a {a.ndim}-D tensor of shape "
                           f"{tuple(a.shape)}. Use torch.matmul for 1-D or batched operands.")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, but got a {b.ndim}-D tensor of shape "
                           f"{tuple(b.shape)}. Use torch.matmul for 1-D or batched operands.")
    _check_inner(a.shape, b.shape)  # torch checks the sizes first, then the dtypes
    _check_same_dtype(a, b)
    return Mm.apply(input, mat2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched product of 3-D tensors, ``(b, n, k) @ (b, k, m) -> (b, n, m)`` (no broadcasting).

    Example:
        >>> import glasstorch as torch
        >>> torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape
        torch.Size([5, 2, 4])
    """
    _tensor_arg("bmm", "mat2", 2, mat2)
    a, b = input._data, mat2._data
    for name, arr in (("batch1", a), ("batch2", b)):
        if arr.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor, but got shape {tuple(arr.shape)}. "
                               "Use torch.matmul for broadcasting batch dims.")
    if b.shape[:2] != (a.shape[0], a.shape[2]):  # torch checks the sizes before the dtypes
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}]. "
            f"bmm needs (b, n, k) @ (b, k, m); got {tuple(a.shape)} and {tuple(b.shape)}."
        )
    if a.dtype != b.dtype:
        raise RuntimeError(message("batch_matmul_dtype", a=dtype_name(a), b=dtype_name(b)))
    return Bmm.apply(input, mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product, ``(n, k) @ (k,) -> (n,)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.mv(torch.ones(2, 3), torch.tensor([1., 2., 3.]))
        tensor([6., 6.])
    """
    _tensor_arg("mv", "vec", 2, vec)
    mat, v = input._data, vec._data
    if mat.ndim != 2 or v.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {mat.ndim}, {v.ndim}: mv needs a 2-D "
            f"matrix and a 1-D vector, got shapes {tuple(mat.shape)} and {tuple(v.shape)}."
        )
    _check_mv(mat.shape[:1], mat.shape[1], mat, v)
    return Mv.apply(input, vec)


def dot(input: Tensor, other: Tensor) -> Tensor:
    """Dot product of two 1-D tensors of the same size and dtype.

    Example:
        >>> import glasstorch as torch
        >>> torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.]))
        tensor(11.)
    """
    _tensor_arg("dot", "other", 2, other)
    x, y = input._data, other._data
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors. "
                           "Use torch.matmul for matrices, or flatten() both first.")
    if x.dtype != y.dtype:
        raise RuntimeError(message("dot_dtype", a=dtype_name(x), b=dtype_name(y)))
    if x.shape[0] != y.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{x.shape[0]}] and src [{y.shape[0]}] "
            f"to have the same number of elements, but got {x.shape[0]} and {y.shape[0]} "
            "elements respectively"
        )
    return Dot.apply(input, other)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two 1-D tensors: ``out[i, j] = input[i] * vec2[j]``.

    Example:
        >>> import glasstorch as torch
        >>> torch.outer(torch.tensor([1., 2.]), torch.tensor([1., 10., 100.]))
        tensor([[  1.,  10., 100.],
                [  2.,  20., 200.]])
    """
    _tensor_arg("outer", "vec2", 2, vec2)
    for name, arr in (("self", input._data), ("vec2", vec2._data)):
        if arr.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {arr.ndim}-D")
    return Outer.apply(input, vec2)


def _dtype_repr(arr: np.ndarray) -> str:
    """``'torch.float32'`` for a float32 array (for code in hints)."""
    return f"torch.{arr.dtype.name}"


def _linear_shape_error(x: np.ndarray, w: np.ndarray) -> RuntimeError:
    """torch's error for an input whose last size is not in_features, with the fix."""
    features, (out_features, in_features) = x.shape[-1], w.shape
    rows = int(np.prod(x.shape[:-1]))
    fields: dict[str, Any] = {
        "left": f"{rows}x{features}", "right": f"{in_features}x{out_features}",
        "features": features, "in_features": in_features, "out_features": out_features,
        "weight_shape": tuple(w.shape),
    }
    if x.ndim == 1 and features % in_features == 0:
        return RuntimeError(message("linear_shape_1d", samples=features // in_features,
                                    **fields))
    if x.ndim == 2 and x.shape[0] == in_features and features > in_features:
        return RuntimeError(message("linear_shape_transposed", transposed=(features, rows),
                                    **fields))
    return RuntimeError(message("linear_shape", **fields))


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` in one node, as ``torch.nn.functional.linear``.

    Args:
        input: ``(*, in_features)``.
        weight: ``(out_features, in_features)`` (PyTorch's layout, hence the transpose).
        bias: ``(out_features,)`` or ``None``.

    Returns:
        ``(*, out_features)``.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.ones(4, 3)
        >>> w = torch.ones(2, 3, requires_grad=True)
        >>> out = torch.nn.functional.linear(x, w, torch.zeros(2))
        >>> out.shape, out.grad_fn.name()
        (torch.Size([4, 2]), 'AddmmBackward0')
    """
    x, w = input._data, weight._data
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and "
            f"{w.ndim}D"
        )
    if w.ndim == 1 and bias is None:
        return matmul(input, weight)  # torch allows a 1-D weight: a dot product per row
    if w.ndim != 2:
        raise RuntimeError(
            f"linear: weight must be 2-D (out_features, in_features), but got shape "
            f"{tuple(w.shape)}."
        )
    if bias is None:  # torch: matmul(x, w.T), which checks the sizes, then the dtypes
        if x.shape[-1] != w.shape[1]:
            raise _linear_shape_error(x, w)
        _check_same_dtype(x, w)
    else:  # torch: addmm(bias, x, w.T), which checks the dtypes first
        if bias._data.dtype != w.dtype:
            raise RuntimeError(message(
                "linear_bias_dtype", b=dtype_name(bias._data), w=dtype_name(w)
            ))
        if x.dtype != w.dtype:
            raise RuntimeError(message(
                "linear_dtype", x=dtype_name(x), w=dtype_name(w), x_name=_dtype_repr(x),
                w_name=_dtype_repr(w),
            ))
        if x.shape[-1] != w.shape[1]:
            raise _linear_shape_error(x, w)
    if x.ndim == 2:
        # torch: addmm(bias, x, W.t()) / x.mm(W.t()); the same nodes give the same graph
        weight_t = _t(weight)
        if bias is None:
            return Mm.apply(input, weight_t)
    cls: type[_FusedLinear]
    if bias is None:
        cls = LinearSqueeze if x.ndim == 1 else LinearUnsafeView
        return cls.apply(input, weight)
    b = bias._data
    out_shape = x.shape[:-1] + (w.shape[0],)
    try:
        if b.shape != (w.shape[0],):  # the usual (out_features,) bias needs no check
            np.broadcast_shapes(b.shape, out_shape)
    except ValueError:
        if b.ndim == 1:  # torch's addmm expands the bias to (rows, out_features)
            raise RuntimeError(message(
                "linear_bias_size", size=b.shape[0], rows=int(np.prod(x.shape[:-1])),
                out_features=w.shape[0],
            )) from None
        raise RuntimeError(message(
            "linear_bias_shape", bias_shape=tuple(b.shape), out_shape=out_shape,
            out_features=w.shape[0],
        )) from None
    if x.ndim == 2:
        return Addmm.apply(bias, input, weight_t)
    if x.ndim == 1 or b.ndim == 1:
        cls = LinearView
    else:
        cls = LinearAdd
    return cls.apply(input, weight, bias)
