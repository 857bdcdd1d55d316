"""Reductions against real torch: prod, max/min, amax/amin, argmax/argmin, var/std, norm,
logsumexp, cumsum, all/any (sum and mean as a baseline).

Each case runs the same function on glasstorch and torch tensors made from the same arrays
and compares values, dtype, shape, the ``grad_fn`` name and every input's gradient for one
random upstream gradient. Edge cases torch defines precisely are pinned: ties (shared
gradient for full reductions, the returned index for ``max(dim)``), zeros in ``prod``, the
gradient of ``norm`` and ``std`` at 0, NaN, and the error messages.
"""

# ruff: noqa: B023  (the lambdas in loops below are called at once, inside their iteration)
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

from torch_compare import compare as _compare, rand

SHAPES = [(), (5,), (3, 4), (1, 4), (3, 1), (2, 3, 4)]
DTYPES = ["float32", "float64"]

def compare(fn: Callable[..., Any], *arrays: np.ndarray, grad: bool = True,
            seed: int = 0) -> list[Any]:
    """tests/torch_compare.compare, quiet (std/var warn about degrees of freedom)."""
    return _compare(fn, *arrays, grads=grad, seed=seed, quiet=True)



def distinct(*shape: int, dtype: str = "float32", seed: int = 0) -> np.ndarray:
    """Values with no ties (so max/argmax are unambiguous)."""
    n = int(np.prod(shape))
    values = (np.random.default_rng(seed).permutation(n) - n // 2) * 0.25 + 0.1
    return values.reshape(shape).astype(dtype)


def same_error(fn: Callable[..., Any], *arrays: np.ndarray, match: str) -> None:
    """torch raises; glasstorch raises the same exception type with a message matching ``match``."""
    with pytest.raises(Exception) as theirs:
        fn(torch, *[torch.tensor(a) for a in arrays])
    with pytest.raises(theirs.type, match=match):
        fn(glasstorch, *[glasstorch.tensor(a) for a in arrays])


def _dims(shape: tuple[int, ...]) -> list[int]:
    """Every valid dim of ``shape``, negative ones included (0 and -1 for a 0-d tensor)."""
    n = max(len(shape), 1)
    return list(range(-n, n))


def test_compare_can_fail() -> None:
    a = rand(3, 4)
    with pytest.raises(AssertionError):  # values
        compare(lambda t, x: x.amax(0) if t is torch else x.amin(0), a)
    with pytest.raises(AssertionError):  # grad_fn name: AmaxBackward0 vs MaxBackward0
        compare(lambda t, x: x.amax(0) if t is torch else x.max(0).values, a)
    with pytest.raises(AssertionError):  # gradient: ties shared vs given to one index
        compare(lambda t, x: x.max() if t is torch else x.amax(), np.ones((2, 2), np.float32))


# ----------------------------------------------------------------------------- sum / mean
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sum_mean_baseline(shape: tuple[int, ...]) -> None:
    compare(lambda t, x: x.sum(), rand(*shape))
    compare(lambda t, x: x.mean(-1, keepdim=True), rand(*shape))


# ----------------------------------------------------------------------------- prod
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_prod(shape: tuple[int, ...], dtype: str) -> None:
    x = rand(*shape, dtype=dtype)
    compare(lambda t, x: x.prod(), x)
    compare(lambda t, x: t.prod(x), x)
    for dim in _dims(shape):
        for keepdim in (False, True):
            compare(lambda t, x: x.prod(dim, keepdim=keepdim), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_prod_gradient_with_zeros(dtype: str) -> None:
    one_zero = np.array([[2.0, 0.0, 3.0], [1.5, 2.0, -1.0]], dtype)
    two_zeros = np.array([[0.0, 0.0, 2.0], [0.0, 1.0, 2.0], [1.0, 2.0, 3.0]], dtype)
    for x in (one_zero, two_zeros, np.zeros((2, 3), dtype), np.array(0.0, dtype)):
        compare(lambda t, x: x.prod(), x)
        for dim in _dims(x.shape):
            compare(lambda t, x: x.prod(dim), x)
            compare(lambda t, x: x.prod(dim, keepdim=True), x)
    # one zero: its gradient is the product of the others, everything else gets 0
    x = glasstorch.tensor(one_zero[0], requires_grad=True)
    x.prod().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 6.0, 0.0])


def test_prod_dtypes() -> None:
    ints = np.array([[1, 2, 3], [4, 5, 6]])
    compare(lambda t, x: x.prod(), ints)
    compare(lambda t, x: x.prod(1), ints.astype(np.int32))
    compare(lambda t, x: x.prod(dtype=t.float64), rand(3, 4), grad=True)
    compare(lambda t, x: x.prod(0, dtype=t.float32), ints)
    compare(lambda t, x: x.prod(), np.array([True, False]))


# ----------------------------------------------------------------------------- max / min
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min(name: str, shape: tuple[int, ...], dtype: str) -> None:
    x = distinct(*shape, dtype=dtype)
    compare(lambda t, x: getattr(x, name)(), x)
    compare(lambda t, x: getattr(t, name)(x), x)
    for dim in _dims(shape):
        for keepdim in (False, True):
            compare(lambda t, x: tuple(getattr(x, name)(dim, keepdim)), x)
            compare(lambda t, x: tuple(getattr(t, name)(x, dim=dim, keepdim=keepdim)), x)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_full_reduction_shares_the_gradient_among_ties(name: str) -> None:
    x = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 0.0]], np.float32)
    compare(lambda t, x: getattr(x, name)(), x)
    ours = glasstorch.tensor(x, requires_grad=True)
    getattr(ours, name)().backward()
    k = 3 if name in ("max", "amax") else 2
    np.testing.assert_array_equal(np.unique(ours.grad.numpy()), np.float32([0.0, 1.0 / k]))


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_dim_ties_take_the_first_index(name: str) -> None:
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [0.0, 0.0, 0.0]], np.float32)
    for dim in (0, 1, -1):
        values, indices = compare(lambda t, x: tuple(getattr(x, name)(dim)), x)
    ours = glasstorch.tensor(x, requires_grad=True)
    ours.max(1).values.sum().backward()
    np.testing.assert_array_equal(ours.grad.numpy(), [[0, 1, 0], [1, 0, 0], [1, 0, 0]])


@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin_ties_keepdim(name: str, dim: Any) -> None:
    x = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 3.0]], np.float64)
    for keepdim in (False, True):
        if dim is None:
            compare(lambda t, x: getattr(x, name)(keepdim=keepdim), x)
        else:
            compare(lambda t, x: getattr(t, name)(x, dim, keepdim), x)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_amax_amin_shapes(shape: tuple[int, ...]) -> None:
    x = distinct(*shape)
    compare(lambda t, x: x.amax(), x)
    for dim in _dims(shape):
        compare(lambda t, x: x.amax(dim), x)
        compare(lambda t, x: x.amin(dim, keepdim=True), x)


def test_max_min_with_nan() -> None:
    x = np.array([1.0, np.nan, 3.0, np.nan], np.float32)
    compare(lambda t, x: x.max(), x)
    compare(lambda t, x: x.min(), x)
    compare(lambda t, x: tuple(x.max(0)), x)
    compare(lambda t, x: x.amax(0), x)
    compare(lambda t, x: x.argmax(), x, grad=False)
    compare(lambda t, x: x.argmin(), x, grad=False)


def test_max_dim_result_is_a_named_tuple() -> None:
    x = glasstorch.tensor([[1.0, 5.0], [7.0, 2.0]])
    result = x.max(dim=1)
    values, indices = result
    assert result.values is values and result.indices is indices
    assert isinstance(result, tuple) and len(result) == 2 and result[1] is indices
    assert indices.dtype == glasstorch.int64
    assert type(result).__name__ == "max" and isinstance(result, glasstorch.return_types.max)
    theirs = torch.tensor([[1.0, 5.0], [7.0, 2.0]]).max(dim=1)
    assert repr(result) == repr(theirs)
    assert repr(x.min(0)) == repr(torch.tensor([[1.0, 5.0], [7.0, 2.0]]).min(0))


def test_max_of_two_tensors_is_maximum() -> None:
    a, b = rand(3, 4), rand(4, seed=1)
    compare(lambda t, x, y: t.max(x, y), a, b)
    compare(lambda t, x, y: x.min(y), a, b)


def test_max_min_int_and_bool() -> None:
    ints = np.array([[1, 5, 5], [7, 2, 7]])
    compare(lambda t, x: x.max(), ints)
    compare(lambda t, x: tuple(x.min(1)), ints.astype(np.int32))
    compare(lambda t, x: x.amax(0), ints)
    compare(lambda t, x: x.max(), np.array([True, False]))


# ----------------------------------------------------------------------------- argmax / argmin
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name: str, shape: tuple[int, ...]) -> None:
    x = distinct(*shape)
    for keepdim in (False, True):
        compare(lambda t, x: getattr(x, name)(keepdim=keepdim), x)  # flat index
        for dim in _dims(shape):
            compare(lambda t, x: getattr(t, name)(x, dim, keepdim), x)
    compare(lambda t, x: getattr(x, name)(), np.array([[3, 1, 3], [0, 3, 1]]))  # ties: first


def test_argmax_results() -> None:
    x = glasstorch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    assert x.argmax().item() == 1 and x.argmin().item() == 5
    assert x.argmax(1).tolist() == [1, 0]
    assert x.argmax(keepdim=True).shape == (1, 1)
    assert not x.requires_grad_().argmax().requires_grad


# ----------------------------------------------------------------------------- var / std
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (1, 4), (3, 1), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std(name: str, shape: tuple[int, ...], dtype: str) -> None:
    x = rand(*shape, dtype=dtype)
    compare(lambda t, x: getattr(x, name)(), x)
    compare(lambda t, x: getattr(t, name)(x), x)
    compare(lambda t, x: getattr(x, name)(dim=None, keepdim=True), x)
    for dim in _dims(shape):
        for keepdim in (False, True):
            compare(lambda t, x: getattr(x, name)(dim, keepdim=keepdim), x)
            compare(lambda t, x: getattr(x, name)(dim, False, keepdim), x)  # unbiased=False
        compare(lambda t, x: getattr(t, name)(x, dim, correction=0), x)
        compare(lambda t, x: getattr(x, name)(dim, correction=2), x)
    compare(lambda t, x: getattr(x, name)(False), x)  # the old var(unbiased) overload
    compare(lambda t, x: getattr(x, name)(unbiased=True), x)
    compare(lambda t, x: getattr(x, name)(list(range(len(shape)))), x)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_edge_cases(name: str) -> None:
    compare(lambda t, x: getattr(x, name)(1), np.zeros((2, 3), np.float32))  # std grad 0 at 0
    compare(lambda t, x: getattr(x, name)(), np.zeros((2, 3), np.float32))
    compare(lambda t, x: getattr(x, name)(), np.array([2.0], np.float32))  # N - 1 = 0: nan
    compare(lambda t, x: getattr(x, name)(), np.array(2.0, np.float32))
    compare(lambda t, x: getattr(x, name)(0, correction=0), np.array(2.0, np.float32))
    compare(lambda t, x: getattr(x, name)(1, correction=3), rand(2, 3))  # no dof: inf/nan
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        getattr(glasstorch.tensor([1.0]), name)()


def test_var_std_errors() -> None:
    same_error(lambda t, x: x.var(), np.arange(4),
               match="std and var only support floating point and complex dtypes")
    same_error(lambda t, x: x.std(0), np.arange(4), match=r"Convert first, e\.g\. t\.float\(\)")
    same_error(lambda t, x: x.std(1, unbiased=False, correction=0), rand(2, 3),
               match="pass either unbiased or correction, not both")
    same_error(lambda t, x: x.var(2), rand(2, 3), match=r"Dimension out of range")
    same_error(lambda t, x: x.var((0, 0)), rand(2, 3), match="dim 0 appears multiple times")


# ----------------------------------------------------------------------------- norm
NORM_PS = [2, 1, 3, 0.5, -1, math.inf, -math.inf, 0, "fro"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", NORM_PS, ids=str)
def test_norm(p: Any, dtype: str) -> None:
    for shape in SHAPES:
        x = distinct(*shape, dtype=dtype)
        compare(lambda t, x: x.norm(p=p), x)
        compare(lambda t, x: t.norm(x, p), x)
        for dim in _dims(shape):
            compare(lambda t, x: x.norm(p, dim), x)
            compare(lambda t, x: t.norm(x, p=p, dim=dim, keepdim=True), x)
    compare(lambda t, x: x.norm(p, (0, 2)), rand(2, 3, 4, dtype=dtype))


@pytest.mark.parametrize("p", NORM_PS, ids=str)
def test_norm_gradient_at_zero_is_zero(p: Any) -> None:
    compare(lambda t, x: x.norm(p=p), np.zeros((2, 3), np.float32))
    compare(lambda t, x: x.norm(p=p, dim=1), np.array([[0.0, 0.0], [3.0, -4.0]], np.float32))
    compare(lambda t, x: x.norm(p=p), np.array([1.0, 0.0, -2.0], np.float32))  # one zero


def test_norm_ties_and_dtype() -> None:
    compare(lambda t, x: x.norm(p=math.inf), np.array([-2.0, 1.0, 2.0], np.float32))
    compare(lambda t, x: x.norm(p=-math.inf), np.array([1.0, -1.0, 2.0], np.float32))
    compare(lambda t, x: x.norm(dtype=t.float64), rand(3, 4))
    compare(lambda t, x: x.norm(2, 1, True, dtype=t.float64), rand(3, 4))


def test_norm_errors() -> None:
    same_error(lambda t, x: x.norm(), np.arange(4),
               match=r"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                     r"Got Long")
    same_error(lambda t, x: x.norm(p="abc"), rand(3), match=r"Order abc not supported")
    with pytest.raises(NotImplementedError, match="nuclear norm"):
        glasstorch.tensor(rand(3, 3)).norm(p="nuc")


# ----------------------------------------------------------------------------- logsumexp
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_logsumexp(shape: tuple[int, ...], dtype: str) -> None:
    x = rand(*shape, dtype=dtype)
    for dim in _dims(shape):
        compare(lambda t, x: x.logsumexp(dim), x)
        compare(lambda t, x: t.logsumexp(x, dim, keepdim=True), x)
        compare(lambda t, x: t.logsumexp(x, dim=dim), x)
    if len(shape) > 1:
        compare(lambda t, x: t.logsumexp(x, (0, -1)), x)


def test_logsumexp_is_stable() -> None:
    compare(lambda t, x: t.logsumexp(x, 0), np.array([1000.0, 1000.0, -1000.0], np.float32))
    compare(lambda t, x: t.logsumexp(x, 1), np.array([[-1e4, -1e4], [88.0, 89.0]], np.float32))
    compare(lambda t, x: t.logsumexp(x, 0), np.array([-np.inf, -np.inf], np.float32))
    compare(lambda t, x: t.logsumexp(x, 0), np.array([np.inf, 1.0], np.float32))
    compare(lambda t, x: t.logsumexp(x, 1), np.arange(6).reshape(2, 3))  # int -> float
    out = glasstorch.logsumexp(glasstorch.tensor([1000.0, 1000.0]), 0)
    assert math.isclose(out.item(), 1000 + math.log(2), rel_tol=1e-6)


# ----------------------------------------------------------------------------- cumsum
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_cumsum(shape: tuple[int, ...], dtype: str) -> None:
    x = rand(*shape, dtype=dtype)
    for dim in _dims(shape):
        compare(lambda t, x: x.cumsum(dim), x)
        compare(lambda t, x: t.cumsum(x, dim=dim), x)


def test_cumsum_dtypes() -> None:
    ints = np.arange(6).reshape(2, 3)
    compare(lambda t, x: x.cumsum(1), ints)
    compare(lambda t, x: x.cumsum(0), ints.astype(np.int32))  # int32 sums in int64
    compare(lambda t, x: x.cumsum(0), np.array([True, True, False]))
    compare(lambda t, x: x.cumsum(1, dtype=t.float64), rand(2, 3))
    same_error(lambda t, x: x.cumsum(2), rand(2, 3), match="Dimension out of range")


# ----------------------------------------------------------------------------- all / any
@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any(name: str) -> None:
    cases = [np.array([[True, False, True], [True, True, True]]), np.array([[1.0, 0.0], [2, 3]]),
             np.array([[1, 2], [0, 3]]), np.array([[1, 2], [0, 3]], np.uint8),
             np.array(0.0), np.zeros((0, 3))]
    for x in cases:
        compare(lambda t, x: getattr(x, name)(), x, grad=False)
        compare(lambda t, x: getattr(t, name)(x), x, grad=False)
        for dim in _dims(x.shape):
            compare(lambda t, x: getattr(x, name)(dim), x, grad=False)
            compare(lambda t, x: getattr(x, name)(dim, keepdim=True), x, grad=False)
    x = cases[0]
    compare(lambda t, x: getattr(x, name)(dim=(0, 1), keepdim=True), x, grad=False)
    compare(lambda t, x: getattr(x, name)(), rand(2, 3), grad=True)  # no gradient flows


# ----------------------------------------------------------------------------- empty input
def test_reductions_of_empty_tensors() -> None:
    same_error(lambda t, x: x.max(), np.zeros(0, np.float32),
               match=r"max\(\): Expected reduction dim to be specified for input.numel\(\) == 0")
    same_error(lambda t, x: x.min(0), np.zeros((0, 3), np.float32),
               match=r"min\(\): Expected reduction dim 0 to have non-zero size")
    same_error(lambda t, x: x.amax(0), np.zeros((0, 3), np.float32),
               match=r"amax\(\): Expected reduction dim 0 to have non-zero size")
    same_error(lambda t, x: x.argmax(), np.zeros(0, np.float32),
               match=r"argmax\(\): Expected reduction dim to be specified")
    compare(lambda t, x: tuple(x.max(1)), np.zeros((0, 3), np.float32))
    compare(lambda t, x: x.amax(1), np.zeros((0, 3), np.float32))
    compare(lambda t, x: x.prod(), np.zeros(0, np.float32))
    compare(lambda t, x: x.norm(), np.zeros(0, np.float32))
    compare(lambda t, x: t.logsumexp(x, 0), np.zeros(0, np.float32))


def test_other_errors() -> None:
    same_error(lambda t, x: x.max(2), rand(2, 3), match="Dimension out of range")
    same_error(lambda t, x: x.argmax(2), rand(2, 3), match="Dimension out of range")
    same_error(lambda t, x: x.amax((0, 0)), rand(2, 3), match="dim 0 appears multiple times")
    same_error(lambda t, x: x.prod(dim=(0, 1)), rand(2, 3), match="must be int")
    same_error(lambda t, x: t.max(x, 2.0), rand(2, 3), match="must be int or a Tensor")
    same_error(lambda t, x: x.bool().argmax(), rand(2, 3), match="does not support bool input")
    same_error(lambda t, x: x.max(keepdim=True), rand(2, 3), match="keepdim=True needs a dim")
    same_error(lambda t, x: x.cumsum(None), rand(2, 3), match="'dim' must be int, not NoneType")
    with pytest.raises(TypeError):
        glasstorch.logsumexp(glasstorch.tensor([1.0]))  # torch requires dim too


def test_functions_are_exported() -> None:
    for name in ["prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std", "norm",
                 "logsumexp", "cumsum", "all", "any", "matmul", "mm", "bmm", "mv", "dot",
                 "outer"]:
        assert callable(getattr(glasstorch, name)), name
