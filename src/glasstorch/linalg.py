"""``torch.linalg``: norms, inverse, determinant, solve, cross and diagonal.

Thin wrappers over the ops in ``glasstorch/ops/linalg.py`` and ``ops/reduction.py``
(the nodes carry torch's ``Linalg...Backward0`` names).
"""

from __future__ import annotations

from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.ops import linalg as _ops
from glasstorch.ops._util import dtype_name
from glasstorch.ops.linalg import LinAlgError
from glasstorch.ops.reduction import norm as _norm

__all__ = ["LinAlgError", "norm", "vector_norm", "matrix_norm", "inv", "det", "solve", "cross",
           "diagonal"]


def vector_norm(x: Tensor, ord: float = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """Vector ``ord``-norm over ``dim`` (all elements when None).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.vector_norm(torch.tensor([3., 4.]))
        tensor(5.)
    """
    return _norm(x, p=float(ord), dim=dim, keepdim=keepdim, dtype=dtype)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1),  # noqa: N803
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Frobenius (``'fro'``) or nuclear (``'nuc'``) norm of the matrices in dims ``dim``.

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.matrix_norm(torch.tensor([[3., 0.], [0., 4.]]))
        tensor(5.)
        >>> torch.linalg.matrix_norm(torch.tensor([[3., 0.], [0., 4.]]), 'nuc')
        tensor(7.)
    """
    if A._data.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if ord == "fro":
        return _norm(A, p=2.0, dim=tuple(dim), keepdim=keepdim, dtype=dtype)
    if ord == "nuc":
        if dtype is not None or tuple(dim) not in ((-2, -1), (A._data.ndim - 2, A._data.ndim - 1)):
            raise NotImplementedError("glasstorch's nuclear norm supports only the last two "
                                      "dims and dtype=None; move the dims with .movedim first")
        return _ops.NuclearNorm.apply(A, keepdim=keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported. glasstorch supports "
                       "'fro' and 'nuc'.")


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: N803
         dtype: Any = None) -> Tensor:
    """Vector norm (1-D input, or ``dim`` an int) or matrix norm (``ord`` 'fro'/'nuc').

    With ``ord=None`` it is the 2-norm of all elements (Frobenius for a matrix).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.norm(torch.tensor([[1., 2.], [2., 4.]]))
        tensor(5.)
    """
    if ord is None:
        return _norm(A, p=2.0, dim=dim, keepdim=keepdim, dtype=dtype)
    if isinstance(ord, str) or (dim is None and A._data.ndim == 2) or (
            isinstance(dim, (tuple, list)) and len(dim) == 2):
        if not isinstance(ord, str):
            raise NotImplementedError(f"glasstorch's linalg.norm supports numeric ord={ord} "
                                      "only for vector norms; pass dim=int or use vector_norm")
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)


def inv(A: Tensor) -> Tensor:  # noqa: N803
    """Inverse of square matrices (LinAlgError when singular).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.inv(torch.tensor([[2., 0.], [0., 4.]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]])
    """
    return _ops.inverse(A)


def det(A: Tensor) -> Tensor:  # noqa: N803
    """Determinant of square matrices.

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.det(torch.eye(3) * 2)
        tensor(8.)
    """
    return _ops.det(A)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:  # noqa: N803
    """The ``X`` with ``A @ X = B`` (``B`` a vector or matrices).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.solve(torch.tensor([[2., 0.], [0., 4.]]), torch.tensor([2., 2.]))
        tensor([1.0000, 0.5000])
    """
    if not left:
        raise NotImplementedError("glasstorch's linalg.solve supports only left=True; solve "
                                  "A^T X^T = B^T instead")
    a, b = A._data, B._data
    _ops._square("linalg.solve", a)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    rows = b.shape[-1] if vector else b.shape[-2]
    if rows != a.shape[-1]:
        cols = 1 if vector else b.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"AX = B ({a.shape[-2]}x{a.shape[-1]} and {rows}x{cols})")
    if a.dtype != b.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {dtype_name(a)} and B of type "
                           f"{dtype_name(b)} instead")
    return _ops.LinalgSolveEx.apply(A, B, vector=vector)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (default the last).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.cross(torch.tensor([0., 1., 0.]), torch.tensor([0., 0., 1.]))
        tensor([1., 0., 0.])
    """
    return _ops._cross("linalg.cross", input, other, dim)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """The diagonal of the matrices in dims ``dim1``, ``dim2`` (a view).

    Example:
        >>> import glasstorch as torch
        >>> torch.linalg.diagonal(torch.eye(2) * 3)
        tensor([3., 3.])
    """
    return _ops.diagonal(A, offset, dim1, dim2)


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.linalg.{name} yet")
