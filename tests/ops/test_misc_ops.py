"""tensor_split .. block_diag, sign/exponent helpers, logspace and the trapezoid rule vs torch.

The generic checks run from ``op_db_math_more.py``; this file pins the rest: every calling
form of the splits and stacks, integer and special inputs, bit-exact ``logspace``, Tensor
methods and torch's errors.
"""

# ruff: noqa: B023  (the lambdas in loops below are called at once, inside their iteration)
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

from torch_compare import close, compare, rand

NAN, INF = float("nan"), float("inf")


def _same_error(fn: Any) -> None:
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(type(theirs.value)) as ours:
        fn(glasstorch)
    first = str(theirs.value).split("\n")[0]
    assert str(ours.value).startswith(first[:40]), (str(ours.value), first)


def _forward(fn: Any) -> None:
    """Values and dtypes of every output, no gradient."""
    ours, theirs = fn(glasstorch), fn(torch)
    ours = list(ours) if isinstance(ours, (tuple, list)) else [ours]
    theirs = list(theirs) if isinstance(theirs, (tuple, list)) else [theirs]
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        assert repr(o.dtype) == repr(t.dtype)
        close(o.numpy(), t.numpy())


# ----------------------------------------------------------------------------- splits
@pytest.mark.parametrize("spec", [3, 4, 7, 9, 1, [2, 5], (1, 1, 3), [-2], [5, 2], [0, 10],
                                  [], "t_int", "t_list"])
def test_tensor_split_forms(spec: Any) -> None:
    def run(t: Any, x: Any) -> Any:
        s = {"t_int": t.tensor(3), "t_list": t.tensor([1, 4])}.get(spec, spec) \
            if isinstance(spec, str) else spec
        return t.tensor_split(x, s, dim=1)

    compare(run, rand(2, 7))


def test_split_family_and_methods() -> None:
    compare(lambda t, x: t.hsplit(x, 2), rand(3, 4))
    compare(lambda t, x: x.hsplit([1, 3]), rand(6))
    compare(lambda t, x: t.vsplit(x, [1]), rand(3, 4))
    compare(lambda t, x: x.dsplit(2), rand(2, 3, 4))
    compare(lambda t, x: x.tensor_split(2), rand(5, 2))
    compare(lambda t, x: x.vsplit(3), rand(3, 4))


def test_split_errors() -> None:
    for fn in (lambda t: t.hsplit(t.ones(6, 4), 3), lambda t: t.vsplit(t.ones(6, 4), 4),
               lambda t: t.dsplit(t.ones(6, 4), 2), lambda t: t.hsplit(t.tensor(1.0), 2),
               lambda t: t.vsplit(t.ones(3), 1), lambda t: t.tensor_split(t.ones(3), 0),
               lambda t: t.tensor_split(t.ones(3), t.tensor([[1]])),
               lambda t: t.tensor_split(t.ones(3), 1.5)):
        _same_error(fn)


# ----------------------------------------------------------------------------- stacks, flips
def test_stacks() -> None:
    compare(lambda t, a, b: t.dstack([a, b]), rand(3), rand(3, seed=1))
    compare(lambda t, a, b: t.dstack((a, b)), rand(2, 3), rand(2, 3, 2, seed=1))
    compare(lambda t, a, b: t.dstack([a, b]), rand(), rand(seed=1))
    compare(lambda t, a, b: t.column_stack([a, b]), rand(3), rand(3, 2, seed=1))
    compare(lambda t, a, b: t.column_stack([a, b]), rand(), rand(seed=1))
    compare(lambda t, a, b: t.row_stack([a, b]), rand(3), rand(2, 3, seed=1))
    compare(lambda t, a: t.atleast_3d(a), rand(2, 3))
    compare(lambda t, a: t.atleast_3d(a), rand(4))
    _forward(lambda t: t.dstack([t.tensor([1, 2]), t.tensor([3.0, 4.0])]))


def test_flips() -> None:
    compare(lambda t, x: t.flipud(x), rand(3, 4))
    compare(lambda t, x: t.flipud(x), rand(3))
    compare(lambda t, x: t.fliplr(x), rand(2, 3, 4))
    _same_error(lambda t: t.flipud(t.tensor(1.0)))
    _same_error(lambda t: t.fliplr(t.ones(2)))


def test_block_diag() -> None:
    compare(lambda t, a, b, c: t.block_diag(a, b, c), rand(), rand(3, seed=1), rand(2, 2, seed=2))
    compare(lambda t, a, b: t.block_diag(a, b), rand(0, 2), rand(2, 0, seed=1))
    _forward(lambda t: t.block_diag(t.tensor(2), t.tensor([1.0, 2]),
                                    t.ones(2, 1, dtype=t.int32)))
    _forward(lambda t: t.block_diag(t.tensor([[1, 2]]), t.tensor([3], dtype=t.uint8)))
    _forward(lambda t: t.block_diag())
    _same_error(lambda t: t.block_diag(t.ones(1, 1, 1)))


def test_cartesian_prod_and_combinations() -> None:
    compare(lambda t, a, b: t.cartesian_prod(a, b), rand(3), rand(2, seed=1))
    compare(lambda t, a, b, c: t.cartesian_prod(a, b, c), rand(2), rand(2, seed=1),
            rand(3, seed=2))
    compare(lambda t, a: t.cartesian_prod(a), rand(3))
    for r in (0, 1, 2, 3, 5):
        for rep in (False, True):
            compare(lambda t, a: t.combinations(a, r, rep), rand(4))
    _forward(lambda t: t.combinations(t.tensor([1, 2, 3]), with_replacement=True))
    _same_error(lambda t: t.combinations(t.ones(2, 2)))
    _same_error(lambda t: t.combinations(t.ones(2), -1))
    _same_error(lambda t: t.cartesian_prod(t.ones(2, 2), t.ones(2)))


# ----------------------------------------------------------------------------- elementwise
SPECIAL = np.array([NAN, INF, -INF, 0.0, -0.0, 1e-30, -3.5, 1e30, 2.0], "float32")


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_sign_family_dtypes(dtype: str) -> None:
    x = SPECIAL if dtype.startswith("float") else np.array([3, -2, 0, 1])
    x = x.astype(dtype)
    _forward(lambda t: t.signbit(t.tensor(x)))
    _forward(lambda t: t.isreal(t.tensor(x)))
    _forward(lambda t: t.tensor(x).isreal())
    if dtype != "bool":
        _forward(lambda t: t.sgn(t.tensor(x)))
        _forward(lambda t: t.copysign(t.tensor(x), -1))
        _forward(lambda t: t.copysign(t.tensor(x), t.tensor(x[::-1].copy())))
        _forward(lambda t: t.ldexp(t.tensor(x), t.tensor([1, 2, 3, 0, -1, 2, 3, 1, 0][:len(x)])))
    assert glasstorch.is_complex(glasstorch.tensor(x)) is torch.is_complex(torch.tensor(x))


def test_copysign_gradients_at_zero() -> None:
    x = np.array([0.0, -0.0, 1.5, -2.0], "float32")
    y = np.array([-1.0, 1.0, -0.0, 3.0], "float32")
    compare(lambda t, a, b: t.copysign(a, b), x, y, grads=(True, False))  # torch: dy is a
    # ZeroTensor (no NumPy view); ours is checked as zeros below
    b = glasstorch.tensor(y, requires_grad=True)
    glasstorch.copysign(glasstorch.tensor(x), b).sum().backward()
    assert b.grad is not None and not b.grad.numpy().any()
    compare(lambda t, a: a.copysign(-0.0), x)
    compare(lambda t, a: (a * 1).copysign_(-1.0), x)
    compare(lambda t, a: (a * 1).sgn_() * a, x)  # sgn's own gradient is a ZeroTensor
    compare(lambda t, a: a.sgn() * a, x)


def test_nextafter_ldexp_frexp() -> None:
    for dtype in ("float32", "float64"):
        x = SPECIAL.astype(dtype)
        _forward(lambda t: t.nextafter(t.tensor(x), t.tensor(x[::-1].copy())))
        _forward(lambda t: t.tensor(x).nextafter(t.tensor(0.0, dtype=getattr(t, dtype))))
        ours, theirs = glasstorch.frexp(glasstorch.tensor(x)), torch.frexp(torch.tensor(x))
        assert repr(ours) == repr(theirs)
        assert ours.mantissa is ours[0] and ours.exponent is ours[1]
    compare(lambda t, a: a.frexp()[0], rand(5) * 100)
    compare(lambda t, a, b: a.ldexp(b), rand(3), rand(3, seed=1))
    compare(lambda t, a, b: t.nextafter(a, b), rand(3), rand(3, seed=1))
    _same_error(lambda t: t.frexp(t.tensor([1, 2])))
    _same_error(lambda t: t.nextafter(t.tensor([1]), t.tensor([2])))


@pytest.mark.parametrize("kwargs", [{}, {"invert": True}, {"assume_unique": True}])
def test_isin(kwargs: dict[str, Any]) -> None:
    _forward(lambda t: t.isin(t.tensor([[1, 2], [3, 4]]), t.tensor([2, 5, 4]), **kwargs))
    _forward(lambda t: t.isin(t.tensor([1.0, 2.5, NAN]), t.tensor([2.5, NAN]), **kwargs))
    _forward(lambda t: t.isin(t.tensor([1, 2, 3]), 2, **kwargs))
    _forward(lambda t: t.isin(2, t.tensor([1, 2]), **kwargs))
    _forward(lambda t: t.isin(t.tensor([1.0, 2]), t.tensor([2]), **kwargs))


# ----------------------------------------------------------------------------- logspace
@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 7), (0, 3, 4, 2), (-10.5, 10.25, 101),
                                  (1.0, 1.0, 1), (0, 5, 0), (2, -3, 33, 3.0), (0, 1, 1000, 0.5)])
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "float16"])
def test_logspace_bit_exact(args: tuple[Any, ...], dtype: str | None) -> None:
    def run(t: Any) -> Any:
        return t.logspace(*args, dtype=None if dtype is None else getattr(t, dtype))

    ours, theirs = run(glasstorch), run(torch)
    assert repr(ours.dtype) == repr(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_logspace_requires_grad_and_errors() -> None:
    t = glasstorch.logspace(0, 1, 3, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    _same_error(lambda t: t.logspace(0, 1, -1))


# ----------------------------------------------------------------------------- trapezoid
def test_trapezoid_forms() -> None:
    y, x = rand(3, 4), np.sort(rand(4, seed=1))
    compare(lambda t, a: t.trapezoid(a), y)
    compare(lambda t, a: t.trapezoid(a, dx=0.25, dim=0), y)
    _same_error(lambda t: t.trapezoid(t.ones(3), 2.0))
    _same_error(lambda t: t.trapz(t.ones(3), 2.0))
    _same_error(lambda t: t.trapezoid(t.ones(3), t.ones(3), dx=2.0))
    _same_error(lambda t: t.trapezoid(t.ones(3), dx=True))
    compare(lambda t, a, b: t.trapezoid(a, b), y, x)
    compare(lambda t, a, b: t.trapz(a, b, dim=-1), y, x)
    compare(lambda t, a, b: t.trapezoid(a, b, dim=0), y, rand(3, 4, seed=2))
    compare(lambda t, a: t.cumulative_trapezoid(a), y)
    compare(lambda t, a: t.cumulative_trapezoid(a, dx=3), y)
    compare(lambda t, a, b: t.cumulative_trapezoid(a, b), y, x)
    _forward(lambda t: t.trapezoid(t.tensor([1, 2, 3])))
    _forward(lambda t: t.trapezoid(t.tensor([1, 2, 3]), t.tensor([0, 1, 3])))
    _forward(lambda t: t.cumulative_trapezoid(t.tensor([[1, 2, 3]]), dx=2))
    _forward(lambda t: t.trapezoid(t.ones(2, 0)))
    _forward(lambda t: t.cumulative_trapezoid(t.ones(2, 0)))
    _same_error(lambda t: t.trapezoid(t.tensor([True, False])))
    _same_error(lambda t: t.trapezoid(t.ones(3), t.ones(4)))
    _same_error(lambda t: t.cumulative_trapezoid(t.ones(3), t.ones(4)))


# ----------------------------------------------------------------------------- mT
def test_mT_needs_a_matrix() -> None:  # noqa: N802
    _same_error(lambda t: t.ones(3).mT)
    with pytest.warns(UserWarning, match="Tensor.mT is deprecated on 0-D tensors"):
        x = glasstorch.tensor(1.0)
        assert x.mT is x
    compare(lambda t, a: a.mT, rand(2, 3, 4))
