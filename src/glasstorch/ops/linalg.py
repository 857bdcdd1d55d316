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
from glasstorch.ops._util import dtype_name, mark_view, promote, wrap_dim
from glasstorch.ops.shape import t as _t

__all__ = [
    "matmul", "mm", "bmm", "mv", "dot", "outer", "linear",
    "addmm", "addmv", "addbmm", "baddbmm", "einsum", "tensordot", "kron",
    "tril", "triu", "diag", "diagonal", "diag_embed", "trace", "cross", "cdist", "meshgrid",
    "det", "inverse",
]


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
    """out = beta*bias + alpha*A@B;  dbias = beta*grad,  dA = alpha*grad@B^T,  dB = alpha*A^T@grad

    What ``nn.Linear`` records for a 2-D input: torch computes ``addmm(bias, x, W.t())``,
    so the graph is AddmmBackward0 <- (bias, x, TBackward0 <- W), which ``make_dot`` draws.
    ``torch.addmm`` reaches it with its ``beta`` and ``alpha`` (both 1 for ``nn.Linear``).
    """

    @staticmethod
    def forward(ctx: Any, bias: np.ndarray, a: np.ndarray, b: np.ndarray, beta: Any = 1,
                alpha: Any = 1) -> np.ndarray:
        need = ctx.needs_input_grad
        # dA needs B, dB needs A: keep only what will be used
        ctx.save_for_backward(b if need[1] else None, a if need[2] else None)
        ctx.scale = (beta, alpha)
        out = a @ b
        if alpha != 1:
            out = out * alpha
        if beta == 0:  # torch ignores the input then (even its nan and inf)
            return np.broadcast_to(out, np.broadcast_shapes(out.shape, bias.shape)).copy()
        if beta != 1:
            bias = bias * beta
        if out.shape[out.ndim - bias.ndim:] == bias.shape:
            out += bias  # in place into the fresh product: no second output-sized array
        else:
            out = out + bias
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        beta, alpha = ctx.scale
        dbias = (grad if beta == 1 else grad * beta) if need[0] else None  # the engine sums it
        g = grad if alpha == 1 else grad * alpha
        return dbias, (g @ b.T if need[1] else None), (a.T @ g if need[2] else None)


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


# ============================================================================ more linear algebra
# addmv/addbmm/baddbmm, einsum/tensordot/kron, the triangle and diagonal ops, cross, cdist,
# meshgrid, det and inverse. Each gradient is again a product, or the inverse of a view.
class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a singular matrix where an invertible one is needed."""


def _scaled(x: np.ndarray, factor: Any) -> np.ndarray:
    return x if factor == 1 else x * factor


def _add_scaled(bias: np.ndarray, prod: np.ndarray, beta: Any, alpha: Any) -> np.ndarray:
    """``beta * bias + alpha * prod``; ``beta == 0`` ignores ``bias`` (its nan too), as torch."""
    prod = _scaled(prod, alpha)
    if beta == 0:
        return np.broadcast_to(prod, np.broadcast_shapes(prod.shape, bias.shape)).copy()
    return _scaled(bias, beta) + prod


class Addmv(Function):
    """out = beta*v + alpha*A@x;  dv = beta*grad,  dA = alpha*outer(grad,x),  dx = alpha*A^T@grad"""

    @staticmethod
    def forward(ctx: Any, bias: np.ndarray, mat: np.ndarray, vec: np.ndarray, beta: Any = 1,
                alpha: Any = 1) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(vec if need[1] else None, mat if need[2] else None)
        ctx.scale = (beta, alpha)
        return _add_scaled(bias, mat @ vec, beta, alpha)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        vec, mat = ctx.saved_tensors
        need = ctx.needs_input_grad
        beta, alpha = ctx.scale
        g = _scaled(grad, alpha)
        return ((_scaled(grad, beta) if need[0] else None),
                (np.outer(g, vec) if need[1] else None), (g @ mat if need[2] else None))


class Baddbmm(Function):
    """out[i] = beta*C[i] + alpha*A[i]@B[i];  dC = beta*grad,  dA[i] = alpha*grad[i]@B[i]^T,  dB[i] = alpha*A[i]^T@grad[i]"""  # noqa: E501  (list_ops prints this one line)

    @staticmethod
    def forward(ctx: Any, bias: np.ndarray, a: np.ndarray, b: np.ndarray, beta: Any = 1,
                alpha: Any = 1) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[1] else None, a if need[2] else None)
        ctx.scale = (beta, alpha)
        return _add_scaled(bias, np.matmul(a, b), beta, alpha)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        beta, alpha = ctx.scale
        g = _scaled(grad, alpha)
        da = np.matmul(g, b.swapaxes(-1, -2)) if need[1] else None
        db = np.matmul(a.swapaxes(-1, -2), g) if need[2] else None
        return (_scaled(grad, beta) if need[0] else None), da, db


class Addbmm(Function):
    """out = beta*C + alpha*sum_i A[i]@B[i];  dC = beta*grad,  dA[i] = alpha*grad@B[i]^T,  dB[i] = alpha*A[i]^T@grad"""  # noqa: E501  (list_ops prints this one line)

    @staticmethod
    def forward(ctx: Any, bias: np.ndarray, a: np.ndarray, b: np.ndarray, beta: Any = 1,
                alpha: Any = 1) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[1] else None, a if need[2] else None)
        ctx.scale = (beta, alpha)
        # sum_i A[i] @ B[i] is one matrix product: (n, b*k) @ (b*k, m)
        prod = a.transpose(1, 0, 2).reshape(a.shape[1], -1) @ b.reshape(-1, b.shape[2])
        return _add_scaled(bias, prod, beta, alpha)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        b, a = ctx.saved_tensors
        need = ctx.needs_input_grad
        beta, alpha = ctx.scale
        g = _scaled(grad, alpha)
        da = np.matmul(g, b.swapaxes(-1, -2)) if need[1] else None
        db = np.matmul(a.swapaxes(-1, -2), g) if need[2] else None
        return (_scaled(grad, beta) if need[0] else None), da, db


# ----------------------------------------------------------------------------- einsum
def _letters_view(x: np.ndarray, subs: str) -> np.ndarray:
    """A writable view of ``x`` with one axis per distinct letter of ``subs``.

    A letter repeated in ``subs`` walks a diagonal: its stride is the sum of the strides of
    the axes it labels (``'ii'`` of a 3x3 matrix steps 4 elements at a time).
    """
    order = list(dict.fromkeys(subs))
    shape = tuple(x.shape[subs.index(c)] for c in order)
    strides = tuple(sum(x.strides[i] for i, d in enumerate(subs) if d == c)
                    for c in order)
    return np.lib.stride_tricks.as_strided(x, shape, strides)



class _Einsum(Function):
    """out = einsum(eq, x1, x2, ...);  dx_i = einsum(grad, other x's -> x_i's subscripts)

    One node for the whole contraction (torch records a chain of permute/view/bmm nodes).
    Each operand's gradient is itself an einsum: the output's subscripts and the other
    operands' in, this operand's subscripts out. A letter only this operand has is a sum,
    so its gradient is broadcast back along it; a repeated letter (``'ii'``) is a
    diagonal, so the gradient is written onto that diagonal of zeros. The subclasses below
    only set the name of the node torch's decomposition ends with.
    """

    @staticmethod
    def forward(ctx: Any, *operands: np.ndarray, subs: tuple[str, ...],
                out_subs: str) -> np.ndarray:
        need = ctx.needs_input_grad
        ctx.subs = (subs, out_subs)
        ctx.save_for_backward(*(operands if any(need) else ()))
        ctx.shapes = [o.shape for o in operands]
        eq = ",".join(subs) + "->" + out_subs
        return np.asarray(np.einsum(eq, *operands, optimize=len(operands) > 2))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, ...]:
        subs, out_subs = ctx.subs
        operands = ctx.saved_tensors
        grads: list[Any] = []
        for i, sub in enumerate(subs):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(subs) if j != i]
            arrays = [o for j, o in enumerate(operands) if j != i]
            known = set(out_subs).union(*others)
            order = "".join(dict.fromkeys(sub))
            target = "".join(c for c in order if c in known)
            eq = ",".join([out_subs] + others) + "->" + target
            g = np.asarray(np.einsum(eq, grad, *arrays, optimize=len(arrays) > 1))
            # letters summed in the forward: broadcast the gradient back along them;
            # letters this operand broadcast (size 1): sum the gradient back to size 1
            shape = ctx.shapes[i]
            own = tuple(shape[sub.index(c)] for c in order)
            g = g.reshape(tuple(g.shape[target.index(c)] if c in target else 1 for c in order))
            now: tuple[int, ...] = g.shape
            ones = tuple(k for k in range(len(own)) if own[k] == 1 and now[k] != 1)
            if ones:
                g = g.sum(axis=ones, keepdims=True)
            if order == sub:
                grads.append(np.broadcast_to(g, own).astype(grad.dtype, copy=True))
            else:
                dx = np.zeros(shape, grad.dtype)
                _letters_view(dx, sub)[...] = g
                grads.append(dx)
        return tuple(grads)



class EinsumView(_Einsum):
    """out = einsum(eq, ...) with a contraction (torch ends with a view of a bmm)"""

    grad_fn_name = "ViewBackward0"


class EinsumMul(_Einsum):
    """out = einsum(eq, ...) without a summed letter (torch ends with a broadcast mul)"""

    grad_fn_name = "MulBackward0"


class EinsumSum(_Einsum):
    """out = einsum(eq, x) summing over some letters (torch ends with sum)"""

    grad_fn_name = "SumBackward1"


class EinsumPermute(_Einsum):
    """out = einsum(eq, x) without a sum: a transpose or a diagonal (torch: permute)"""

    grad_fn_name = "PermuteBackward0"


class Kron(Function):
    """out[i*m + k, j*n + l] = a[i, j] * b[k, l];  da = sum_kl grad * b,  db = sum_ij grad * a"""

    grad_fn_name = "UnsafeViewBackward0"  # torch: a broadcast product, then _unsafe_view

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = promote(a, b)
        nd = max(a.ndim, b.ndim)
        a = a.reshape((1,) * (nd - a.ndim) + a.shape)
        b = b.reshape((1,) * (nd - b.ndim) + b.shape)
        ctx.shapes = (a.shape, b.shape)
        need = ctx.needs_input_grad
        ctx.save_for_backward(b if need[0] else None, a if need[1] else None)
        # interleave the axes: a's dim d and b's dim d become neighbours, then merge them
        prod = np.multiply.outer(a, b)
        perm = [k for d in range(nd) for k in (d, nd + d)]
        return prod.transpose(perm).reshape(tuple(int(n) for n in np.multiply(a.shape, b.shape)))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        b, a = ctx.saved_tensors
        a_shape, b_shape = ctx.shapes
        nd = len(a_shape)
        split = grad.reshape(tuple(k for pair in zip(a_shape, b_shape, strict=True)
                                   for k in pair))
        a_axes = tuple(range(0, 2 * nd, 2))
        b_axes = tuple(range(1, 2 * nd, 2))
        da = db = None
        if ctx.needs_input_grad[0]:
            da = (split * b.reshape(_interleave_ones(b_shape, first=False))).sum(axis=b_axes)
        if ctx.needs_input_grad[1]:
            db = (split * a.reshape(_interleave_ones(a_shape, first=True))).sum(axis=a_axes)
        return da, db


def _interleave_ones(shape: tuple[int, ...], first: bool) -> tuple[int, ...]:
    """``(2, 3) -> (2, 1, 3, 1)`` (``first``) or ``(1, 2, 1, 3)``: kron's split layout."""
    return tuple(k for s in shape for k in ((s, 1) if first else (1, s)))



# ----------------------------------------------------------------------------- triangles, diagonals
class Tril(Function):
    """out = x with the entries above diagonal k zeroed;  dx = tril(grad, k)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, diagonal: int) -> np.ndarray:
        ctx.k = diagonal
        return np.tril(x, diagonal)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.tril(grad, ctx.k)


class Triu(Function):
    """out = x with the entries below diagonal k zeroed;  dx = triu(grad, k)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, diagonal: int) -> np.ndarray:
        ctx.k = diagonal
        return np.triu(x, diagonal)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.triu(grad, ctx.k)


def _diagonal_view(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """A writable view of a diagonal of ``x`` (``np.diagonal``'s own view is read-only)."""
    y = np.moveaxis(x, (dim1, dim2), (-2, -1))
    y = y[..., :, offset:] if offset >= 0 else y[..., -offset:, :]
    length = max(min(y.shape[-2], y.shape[-1]), 0)
    return np.lib.stride_tricks.as_strided(
        y, y.shape[:-2] + (length,), y.strides[:-2] + (y.strides[-2] + y.strides[-1],))



class Diagonal(Function):
    """out = the diagonal of x (a view);  dx = zeros with grad written onto that diagonal"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
        ctx.args = (x.shape, offset, dim1, dim2)
        return _diagonal_view(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, offset, dim1, dim2 = ctx.args
        dx = np.zeros(shape, grad.dtype)
        _diagonal_view(dx, offset, dim1, dim2)[...] = grad
        return dx


class DiagCopy(Diagonal):
    """out = the diagonal of a matrix, copied (torch.diag);  dx = zeros with grad on it"""

    grad_fn_name = "DiagonalBackward0_copy"  # torch.diag of a matrix is diagonal_copy

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
        ctx.args = (x.shape, offset, dim1, dim2)
        return _diagonal_view(x, offset, dim1, dim2).copy()


class DiagEmbed(Function):
    """out = matrices with x's last dim on diagonal k (dims dim1, dim2);  dx = that diagonal of grad"""  # noqa: E501  (list_ops prints this one line)

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
        ctx.args = (offset, dim1, dim2)
        n = x.shape[-1] + abs(offset)
        shape = list(x.shape[:-1])
        lo, hi = sorted((dim1, dim2))
        shape.insert(lo, n)
        shape.insert(hi, n)
        out = np.zeros(shape, x.dtype)
        _diagonal_view(out, offset, dim1, dim2)[...] = x
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        offset, dim1, dim2 = ctx.args
        return _diagonal_view(grad, offset, dim1, dim2).copy()


class Trace(Function):
    """out = sum_i x[i, i];  dx = grad * eye (rectangular too)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.shape = x.shape
        out = np.trace(x)
        # torch sums integer matrices in int64, as sum does
        return np.asarray(out, np.int64 if x.dtype.kind in "biu" else x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.eye(*ctx.shape, dtype=grad.dtype) * grad


# ----------------------------------------------------------------------------- cross, cdist
class LinalgCross(Function):
    """out = x × y along dim;  dx = y × grad,  dy = grad × x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray, dim: int) -> np.ndarray:
        x, y = promote(x, y)
        need = ctx.needs_input_grad
        ctx.save_for_backward(y if need[0] else None, x if need[1] else None)
        ctx.dim = dim
        return np.cross(x, y, axis=dim)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        y, x = ctx.saved_tensors
        need = ctx.needs_input_grad
        d = ctx.dim
        dx = np.cross(y, grad, axis=d) if need[0] else None
        dy = np.cross(grad, x, axis=d) if need[1] else None
        return dx, dy


class Cdist(Function):
    """out[i, j] = ||x1[i] - x2[j]||_p;  dx1[i] = sum_j grad[i,j] * d out[i,j] / d x1[i],  dx2 likewise"""  # noqa: E501  (list_ops prints this one line)

    @staticmethod
    def forward(ctx: Any, x1: np.ndarray, x2: np.ndarray, p: float) -> np.ndarray:
        diff = x1[..., :, None, :] - x2[..., None, :, :]  # (*, P, R, M)
        ctx.p = p
        if p == 2.0:
            # the dense (P, R, M) difference is kept for backward; the result itself
            # comes from it too, so both agree exactly
            out = np.sqrt(np.einsum("...k,...k->...", diff, diff))
        elif p == 0.0:
            out = (diff != 0).sum(-1).astype(x1.dtype)
        elif p == np.inf:
            out = np.abs(diff).max(-1)
        elif p == 1.0:
            out = np.abs(diff).sum(-1)
        else:
            out = (np.abs(diff) ** p).sum(-1) ** (1.0 / p)
        ctx.save_for_backward(diff, out)
        return np.asarray(out, x1.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        diff, out = ctx.saved_tensors
        p = ctx.p
        o = out[..., None]
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0.0:
                d = np.zeros_like(diff)
            elif p == 1.0:
                d = np.sign(diff)
            elif p == np.inf:
                # torch: the sign at the coordinates that reach the maximum
                d = np.sign(diff) * (np.abs(diff) == o)
            elif p < 2.0:
                d = np.sign(diff) * np.abs(diff) ** (p - 1) / o ** (p - 1)
            else:
                d = diff * np.abs(diff) ** (p - 2) / o ** (p - 1)
            d = np.where(o == 0, 0.0, d).astype(diff.dtype)
        g = grad[..., None] * d  # (*, P, R, M)
        need = ctx.needs_input_grad
        return (g.sum(-2) if need[0] else None), (-g.sum(-3) if need[1] else None)


# ----------------------------------------------------------------------------- det, inverse, solve
class LinalgDet(Function):
    """out = det(A);  dA = grad * out * inv(A)^T"""

    @staticmethod
    def forward(ctx: Any, a: np.ndarray) -> np.ndarray:
        out = np.linalg.det(a).astype(a.dtype)
        ctx.save_for_backward(a, out)
        return np.asarray(out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        a, out = ctx.saved_tensors
        g = (grad * out)[..., None, None]
        try:
            return g * np.linalg.inv(a).swapaxes(-1, -2)
        except np.linalg.LinAlgError:
            # singular A: d det / dA is the adjugate's transpose, from the SVD
            u, s, vh = np.linalg.svd(a)
            prods = np.stack([np.prod(np.delete(s, k, axis=-1), axis=-1)
                              for k in range(s.shape[-1])], axis=-1)
            sign = np.linalg.det(u) * np.linalg.det(vh)
            adj_t = (u * (prods * sign[..., None])[..., None, :]) @ vh
            return grad[..., None, None] * adj_t


class LinalgInvEx(Function):
    """out = inv(A);  dA = -out^T @ grad @ out^T"""

    @staticmethod
    def forward(ctx: Any, a: np.ndarray) -> np.ndarray:
        out = _inv(a, "linalg.inv")
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        out_t = out.swapaxes(-1, -2)
        return -(out_t @ grad @ out_t)


def _inv(a: np.ndarray, fn: str) -> np.ndarray:
    try:
        return np.linalg.inv(a).astype(a.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise LinAlgError(
            f"{fn}: The diagonal element is zero, the inversion could not be completed "
            "because the input matrix is singular. Check for linearly dependent rows, or "
            "use torch.linalg.pinv."
        ) from None


class LinalgSolveEx(Function):
    """out = A^-1 @ B;  dB = A^-T @ grad,  dA = -dB @ out^T"""

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray, vector: bool) -> np.ndarray:
        rhs = b[..., None] if vector else b
        try:
            out = np.linalg.solve(a, rhs).astype(a.dtype, copy=False)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "torch.linalg.solve: The solver failed because the input matrix is singular. "
                "Check A for linearly dependent rows, or use torch.linalg.lstsq."
            ) from None
        ctx.vector = vector
        ctx.save_for_backward(a, out)
        return out[..., 0] if vector else out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        a, out = ctx.saved_tensors
        g = grad[..., None] if ctx.vector else grad
        db = np.linalg.solve(a.swapaxes(-1, -2), g)
        da = -(db @ out.swapaxes(-1, -2)) if ctx.needs_input_grad[0] else None
        return da, (db[..., 0] if ctx.vector else db)


class NuclearNorm(Function):
    """out = sum of the singular values of A;  dA = grad * U @ V^T"""

    grad_fn_name = "SumBackward1"  # torch: svdvals(A).sum(-1)

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, keepdim: bool) -> np.ndarray:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.keepdim = keepdim
        ctx.save_for_backward(u @ vh)
        out = s.sum(-1).astype(a.dtype)
        return np.asarray(out[..., None, None] if keepdim else out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (uv,) = ctx.saved_tensors
        g = grad if ctx.keepdim else grad[..., None, None]
        return g * uv


# ----------------------------------------------------------------------------- public API (more)
def _dims(fn: str, x: np.ndarray, want: int, what: str) -> None:
    if x.ndim != want:
        raise RuntimeError(f"{fn}: expected {what}, but got a {x.ndim}-D tensor of shape "
                           f"{tuple(x.shape)}.")


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1,
          alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)`` for 2-D ``mat1``, ``mat2`` (input broadcasts).

    Example:
        >>> import glasstorch as torch
        >>> torch.addmm(torch.ones(2), torch.eye(2), torch.ones(2, 2), beta=2, alpha=3)
        tensor([[5., 5.],
                [5., 5.]])
    """
    _dims("addmm", mat1._data, 2, "mat1 to be a matrix")
    _dims("addmm", mat2._data, 2, "mat2 to be a matrix")
    _check_inner(mat1._data.shape, mat2._data.shape)
    _check_same_dtype(mat1._data, mat2._data)
    shape = (mat1._data.shape[0], mat2._data.shape[1])
    try:
        if np.broadcast_shapes(input._data.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({shape[1]}) must match the "
                           f"existing size ({input._data.shape[-1]}): addmm's input "
                           f"{tuple(input._data.shape)} must broadcast to {shape}.") from None
    return Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)`` for a 2-D ``mat`` and a 1-D ``vec``.

    Example:
        >>> import glasstorch as torch
        >>> torch.addmv(torch.ones(2), torch.eye(2), torch.tensor([1., 2.]), alpha=10)
        tensor([11., 21.])
    """
    m, v, b = mat._data, vec._data, input._data
    if m.ndim != 2 or v.ndim != 1 or b.ndim > 1 or (b.ndim == 1 and b.shape[0] not in (
            1, m.shape[0])) or m.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({', '.join(map(str, b.shape))}), mat "
            f"({_shape_str(m.shape)}), vec ({_shape_str(v.shape)}): addmv needs input (n,), "
            "mat (n, k) and vec (k,)."
        )
    _check_mv(m.shape[:1], m.shape[1], m, v)
    return Addmv.apply(input, mat, vec, beta=beta, alpha=alpha)


def _check_batches(fn: str, a: np.ndarray, b: np.ndarray) -> None:
    for name, arr in (("batch1", a), ("batch2", b)):
        if arr.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor: {fn} needs (b, n, k) and "
                               f"(b, k, m), got shape {tuple(arr.shape)}.")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for bmm ({a.shape[1]}x{a.shape[2]} and "
            f"{b.shape[1]}x{b.shape[2]}): {fn} needs (b, n, k) @ (b, k, m), got "
            f"{tuple(a.shape)} and {tuple(b.shape)}."
        )
    _check_same_dtype(a, b)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
            alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)`` (input broadcasts to ``(b, n, m)``).

    Example:
        >>> import glasstorch as torch
        >>> torch.baddbmm(torch.zeros(3, 2, 2), torch.ones(3, 2, 4), torch.ones(3, 4, 2)).shape
        torch.Size([3, 2, 2])
    """
    a, b = batch1._data, batch2._data
    _check_batches("baddbmm", a, b)
    shape = (a.shape[0], a.shape[1], b.shape[2])
    if np.broadcast_shapes(input._data.shape, shape) != shape:
        raise RuntimeError(f"baddbmm: input of shape {tuple(input._data.shape)} does not "
                           f"broadcast to the product's shape {shape}.")
    return Baddbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
           alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * sum_i batch1[i] @ batch2[i]`` (a 2-D result).

    Example:
        >>> import glasstorch as torch
        >>> torch.addbmm(torch.zeros(2, 2), torch.ones(3, 2, 4), torch.ones(3, 4, 2))
        tensor([[12., 12.],
                [12., 12.]])
    """
    a, b = batch1._data, batch2._data
    _check_batches("addbmm", a, b)
    shape = (a.shape[1], b.shape[2])
    if np.broadcast_shapes(input._data.shape, shape) != shape:
        raise RuntimeError(f"addbmm: input of shape {tuple(input._data.shape)} does not "
                           f"broadcast to the product's shape {shape}.")
    return Addbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _parse_einsum(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """Subscripts per operand and for the output, with ``...`` spelled out as spare letters."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           f"equation '{equation}'")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           f"equation '{equation}'")
    for c in eq:
        if c not in _LETTERS and c not in ",.->":
            raise RuntimeError(f"einsum(): invalid subscript given at index {eq.index(c)} in "
                               f"the equation string, subscripts must be in [a-zA-Z]")
    spare = [c for c in _LETTERS if c not in eq]
    ell = 0  # how many dims the ellipsis covers (the most over the operands)
    for i, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        n_labels = len(term.replace("...", ""))
        if "..." in term:
            ell = max(ell, len(shape) - n_labels)
        if ("..." not in term and n_labels != len(shape)) or n_labels > len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n_labels}) does not "
                f"match the number of dimensions ({len(shape)}) for operand {i} and no "
                "ellipsis was given"
            )
    ell_letters = "".join(spare[:ell])
    subs = [t.replace("...", ell_letters[ell - (len(s) - len(t.replace("...", ""))):])
            for t, s in zip(terms, shapes, strict=True)]
    if arrow:
        out = rhs.replace("...", ell_letters)
        for c in out:
            if not any(c in s for s in subs):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
    else:  # implicit: the ellipsis dims, then the letters seen once, sorted
        counts = {c: "".join(terms).count(c) for c in set("".join(terms)) if c != "."}
        out = ell_letters + "".join(sorted(c for c, k in counts.items() if k == 1))
    sizes: dict[str, int] = {}
    for i, (sub, shape) in enumerate(zip(subs, shapes, strict=True)):
        for c, n in zip(sub, shape, strict=True):
            seen = sizes.get(c, 1)
            if n != seen and n != 1 and seen != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} "
                                   f"which does not broadcast with previously seen size {seen}")
            sizes[c] = max(seen, n)
    return subs, out


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum of products over the letters of ``equation`` (``'ij,jk->ik'`` is ``a @ b``).

    Operands may be given one by one or as one list; ``...`` stands for broadcast dims;
    without ``->`` the output has the letters seen once, sorted.

    Example:
        >>> import glasstorch as torch
        >>> a = torch.tensor([[1., 2.], [3., 4.]])
        >>> torch.einsum('ij,jk->ik', a, a)
        tensor([[ 7., 10.],
                [15., 22.]])
        >>> torch.einsum('ii', a)
        tensor(5.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"einsum(): operand {i} must be a Tensor, not {type(op).__name__} "
                            "(the sublist format einsum(a, [0, 1], ...) is not supported; "
                            "use an equation string)")
    arrays = [op._data for op in operands]
    subs, out = _parse_einsum(equation, [a.shape for a in arrays])
    for a in arrays[1:]:
        if a.dtype != arrays[0].dtype:
            raise RuntimeError(f"expected scalar type {dtype_name(arrays[0])} but found "
                               f"{dtype_name(a)}. Convert the operands to one dtype first.")
    return _einsum_class(subs, out).apply(*operands, subs=tuple(subs), out_subs=out)


def _einsum_class(subs: list[str], out: str) -> type[_Einsum]:
    """The node torch's decomposition of this equation ends with (only the name differs)."""
    summed = any(c not in out for s in subs for c in s)
    if len(subs) == 1:
        return EinsumSum if summed else EinsumPermute
    return EinsumView if summed else EinsumMul


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract the last ``dims`` dims of ``a`` with the first ``dims`` of ``b``.

    ``dims`` may also be two lists of dims, ``([1, 0], [0, 1])``, contracted in pairs.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensordot(torch.ones(3, 4, 5), torch.ones(4, 5, 2)).shape
        torch.Size([3, 2])
    """
    x, y = a._data, b._data
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > x.ndim or dims > y.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a = list(range(x.ndim - dims, x.ndim))
        dims_b = list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
        dims_a = [wrap_dim(d, x.ndim) for d in dims_a]
        dims_b = [wrap_dim(d, y.ndim) for d in dims_b]
    for da, db in zip(dims_a, dims_b, strict=True):
        if x.shape[da] != y.shape[db]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {x.shape[da]} in "
                f"dim {da} and second has size {y.shape[db]} in dim {db}"
            )
    sub_a = _LETTERS[:x.ndim]
    sub_b = list(_LETTERS[x.ndim:x.ndim + y.ndim])
    for da, db in zip(dims_a, dims_b, strict=True):
        sub_b[db] = sub_a[da]
    out = "".join(c for i, c in enumerate(sub_a) if i not in dims_a)
    out += "".join(c for i, c in enumerate(sub_b) if i not in dims_b)
    if x.dtype != y.dtype:
        raise RuntimeError(f"expected scalar type {dtype_name(x)} but found {dtype_name(y)}. "
                           "Convert both to one dtype first.")
    return EinsumView.apply(a, b, subs=(sub_a, "".join(sub_b)), out_subs=out)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: every entry of ``input`` times the whole of ``other``.

    Example:
        >>> import glasstorch as torch
        >>> torch.kron(torch.tensor([1, 2]), torch.tensor([1, 10]))
        tensor([ 1, 10,  2, 20])
    """
    _tensor_arg("kron", "other", 2, other)
    return Kron.apply(input, other)


def _at_least_2d(fn: str, x: np.ndarray) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{fn}: input tensor must have at least 2 dimensions (got shape "
                           f"{tuple(x.shape)}). Use torch.diag to make a matrix from a vector.")


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """Lower triangle of the last two dims: entries above diagonal ``diagonal`` become 0.

    Example:
        >>> import glasstorch as torch
        >>> torch.tril(torch.ones(3, 3))
        tensor([[1., 0., 0.],
                [1., 1., 0.],
                [1., 1., 1.]])
    """
    _at_least_2d("tril", input._data)
    return Tril.apply(input, diagonal=int(diagonal))


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """Upper triangle of the last two dims: entries below diagonal ``diagonal`` become 0.

    Example:
        >>> import glasstorch as torch
        >>> torch.triu(torch.ones(2, 3), diagonal=1)
        tensor([[0., 1., 1.],
                [0., 0., 1.]])
    """
    _at_least_2d("triu", input._data)
    return Triu.apply(input, diagonal=int(diagonal))


def _diag_dims(x_ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    d1, d2 = wrap_dim(dim1, x_ndim), wrap_dim(dim2, x_ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of ``dim1`` x ``dim2`` (offset above/below), as a view moved to the end.

    Example:
        >>> import glasstorch as torch
        >>> torch.diagonal(torch.arange(9.).reshape(3, 3), offset=1)
        tensor([1., 5.])
    """
    d1, d2 = _diag_dims(input._data.ndim, dim1, dim2)
    return mark_view(Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2), input)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose diagonal ``offset`` (in dims ``dim1``, ``dim2``) is ``input``'s last dim.

    Example:
        >>> import glasstorch as torch
        >>> torch.diag_embed(torch.tensor([1., 2.]))
        tensor([[1., 0.],
                [0., 2.]])
    """
    d1, d2 = _diag_dims(input._data.ndim + 1, dim1, dim2)
    return DiagEmbed.apply(input, offset=offset, dim1=d1, dim2=d2)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D input becomes a diagonal matrix; a 2-D input gives its diagonal (a copy).

    Example:
        >>> import glasstorch as torch
        >>> torch.diag(torch.tensor([1., 2.]))
        tensor([[1., 0.],
                [0., 2.]])
        >>> torch.diag(torch.tensor([[1., 2.], [3., 4.]]))
        tensor([1., 4.])
    """
    nd = input._data.ndim
    if nd == 1:
        return DiagEmbed.apply(input, offset=diagonal, dim1=0, dim2=1)
    if nd == 2:
        return DiagCopy.apply(input, offset=diagonal, dim1=0, dim2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D. Use torch.diagonal or "
                       "torch.diag_embed for batches.")


def trace(input: Tensor) -> Tensor:
    """Sum of the main diagonal of a 2-D tensor.

    Example:
        >>> import glasstorch as torch
        >>> torch.trace(torch.tensor([[1., 2.], [3., 4.]]))
        tensor(5.)
    """
    x = input._data
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}. Use "
                           "torch.diagonal(x, dim1=-2, dim2=-1).sum(-1) for a batch.")
    return Trace.apply(input)


def _cross(fn: str, input: Tensor, other: Tensor, dim: int) -> Tensor:
    x, y = input._data, other._data
    if x.ndim != y.ndim:
        raise RuntimeError(f"{fn}: inputs must have the same number of dimensions.")
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise RuntimeError(f"{fn}: shapes {tuple(x.shape)} and {tuple(y.shape)} do not "
                           "broadcast.") from None
    d = wrap_dim(dim, len(shape))
    if x.shape[d] != 3 or y.shape[d] != 3:
        raise RuntimeError(f"{fn}: inputs dimension {dim} must have length 3. Got "
                           f"{x.shape[d]} and {y.shape[d]}")
    return LinalgCross.apply(input, other, dim=d)


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (default: the first dim of size 3, deprecated).

    Example:
        >>> import glasstorch as torch
        >>> torch.cross(torch.tensor([1., 0., 0.]), torch.tensor([0., 1., 0.]), dim=0)
        tensor([0., 0., 1.])
    """
    _tensor_arg("cross", "other", 2, other)
    if dim is None:
        import warnings

        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\n"
            "Please either pass the dim explicitly or simply use torch.linalg.cross.\n"
            "The default value of dim will change to agree with that of linalg.cross in a "
            "future release.", UserWarning, stacklevel=2)
        shape = np.broadcast_shapes(input._data.shape, other._data.shape)
        found = [i for i, n in enumerate(shape) if n == 3]
        if not found:
            raise RuntimeError("no dimension of size 3 in input")
        dim = found[0]
    return _cross("linalg.cross", input, other, dim)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """p-norm distance between each row of ``x1`` ``(*, P, M)`` and of ``x2`` ``(*, R, M)``.

    ``compute_mode`` is accepted for torch's signature; glasstorch always computes the
    distances directly (the exact result the matrix-product shortcut approximates).

    Example:
        >>> import glasstorch as torch
        >>> torch.cdist(torch.tensor([[0., 0.]]), torch.tensor([[3., 4.], [1., 0.]]))
        tensor([[5., 1.]])
    """
    a, b = x1._data, x2._data
    for name, arr in (("X1", a), ("X2", b)):
        if arr.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{arr.ndim}D")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{a.shape[-1]} X2: {b.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: "
                           f"{dtype_name(a)}")
    if compute_mode not in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    return Cdist.apply(x1, x2, p=float(p))


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors: ``'ij'`` (matrix) or ``'xy'`` (Cartesian) order.

    Example:
        >>> import glasstorch as torch
        >>> x, y = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), indexing='ij')
        >>> x.shape, y[0]
        (torch.Size([2, 3]), tensor([3, 4, 5]))
    """
    from glasstorch.ops.shape import expand, reshape

    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings

        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got a {t._data.ndim}-D tensor of shape "
                               f"{tuple(t._data.shape)}")
    sizes = [int(t._data.size) for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:  # 'xy' is 'ij' with the first two inputs (and then outputs) swapped
        sizes[0], sizes[1] = sizes[1], sizes[0]
        tensors = (tensors[1], tensors[0]) + tuple(tensors[2:])
    grids = []
    for i, t in enumerate(tensors):
        shape = [1] * len(tensors)
        shape[i] = -1
        grids.append(expand(reshape(t, shape), sizes))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def _square(fn: str, x: np.ndarray) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"{fn}: A must be batches of square matrices, but they are "
                           f"{x.shape[-2]} by {x.shape[-1]} matrices")
    if x.dtype.kind != "f":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{dtype_name(x)}")


def det(input: Tensor) -> Tensor:
    """Determinant of a square matrix (or of each in a batch).

    Example:
        >>> import glasstorch as torch
        >>> torch.det(torch.tensor([[2., 1.], [1., 3.]]))
        tensor(5.)
    """
    _square("linalg.det", input._data)
    return LinalgDet.apply(input)


def inverse(input: Tensor) -> Tensor:
    """Inverse of a square matrix (or of each in a batch); singular raises LinAlgError.

    Example:
        >>> import glasstorch as torch
        >>> torch.inverse(torch.tensor([[2., 0.], [0., 4.]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]])
    """
    _square("linalg.inv", input._data)
    return LinalgInvEx.apply(input)
