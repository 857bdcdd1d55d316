"""Elementwise math extras, more reductions and shape ops against real torch.

The generic checks (values, dtypes, grad_fn names, gradients, gradcheck) run from
``op_db_math_more.py``; this file pins what those cannot: special values (NaN, ±inf, poles,
exact zeros), integer inputs, gradients at the edges, tensor methods and in-place forms, and
torch's errors.
"""

# ruff: noqa: B023  (the lambdas in loops below are called at once, inside their iteration)
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

from torch_compare import close, compare

NAN, INF = float("nan"), float("inf")
SPECIAL = np.array([NAN, INF, -INF, 0.0, -0.0, 1e-30, -1e-30, 1e30, -1e30])


def _both(fn: Any, *arrays: np.ndarray) -> None:
    """Forward values and dtype only (no gradient)."""
    ours = fn(glasstorch, *[glasstorch.tensor(a) for a in arrays])
    theirs = fn(torch, *[torch.tensor(a) for a in arrays])
    assert repr(ours.dtype) == repr(theirs.dtype)
    close(ours.numpy(), theirs.numpy())


def _same_error(fn: Any, *arrays: Any) -> None:
    with pytest.raises(Exception) as theirs:
        fn(torch, *[torch.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays])
    with pytest.raises(type(theirs.value)) as ours:
        fn(glasstorch, *[glasstorch.tensor(a) if isinstance(a, np.ndarray) else a
                         for a in arrays])
    first = str(theirs.value).split("\n")[0]
    assert str(ours.value).startswith(first[:40]), (str(ours.value), first)


# ----------------------------------------------------------------------------- special values
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["erf", "erfc", "exp2", "sinc", "frac", "deg2rad", "rad2deg",
                                  "lgamma", "nan_to_num", "logit"])
def test_unary_special_values(name: str, dtype: str) -> None:
    _both(lambda t, x: getattr(t, name)(x), SPECIAL.astype(dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erfinv_edges(dtype: str) -> None:
    x = np.array([-1.0, 1.0, 1.5, -2.0, NAN, 0.0, 0.999, -0.9999, 1e-8], dtype)
    _both(lambda t, x: t.erfinv(x), x)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erfc_tail_is_accurate(dtype: str) -> None:
    # 1 - erf(x) would round to 0 here; erfc keeps the tiny values
    x = np.array([3.0, 5.0, 8.0, 9.5, 12.0, 27.0, -3.0, -8.0], dtype)
    ours = glasstorch.erfc(glasstorch.tensor(x)).numpy()
    theirs = torch.erfc(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lgamma_digamma_poles(dtype: str) -> None:
    x = np.array([0.0, -1.0, -2.0, -3.5, -0.5, 1.0, 2.0, 1e-6, 171.5, 1e10, INF, -INF, NAN],
                 dtype)
    _both(lambda t, x: t.lgamma(x), x)
    _both(lambda t, x: t.digamma(x), x[np.isfinite(x) | np.isnan(x)])


def test_nan_to_num_arguments_and_gradient() -> None:
    x = np.array([NAN, INF, -INF, 1.5, -2.0], np.float32)
    _both(lambda t, x: t.nan_to_num(x, nan=2.0, posinf=9.0, neginf=-9.0), x)
    _both(lambda t, x: x.nan_to_num(neginf=0.0), x)
    compare(lambda t, x: t.nan_to_num(x, 1.0), x)
    _both(lambda t, x: t.nan_to_num(x), np.array([1, 2], np.int64))


def test_integer_inputs_become_float() -> None:
    ints = np.array([0, 1, 2, 5], np.int64)
    for name in ("erf", "erfc", "erfinv", "lgamma", "digamma", "exp2", "sinc", "deg2rad",
                 "rad2deg", "logit"):
        _both(lambda t, x: getattr(t, name)(x), ints)
    _both(lambda t, x: t.atan2(x, x + 1), ints)
    _both(lambda t, x: t.xlogy(x, x + 1), ints)
    _same_error(lambda t, x: t.logaddexp(x, x), ints)
    _both(lambda t, x: t.float_power(x, 2), ints)
    _both(lambda t, x: t.float_power(x, x), ints)


def test_int_only_kernels_raise() -> None:
    ints = np.array([1, 2], np.int64)
    _same_error(lambda t, x: t.hypot(x, x), ints)
    _same_error(lambda t, x: t.frac(x), ints)


# ----------------------------------------------------------------------------- binary
def test_xlogy_zero_and_nan() -> None:
    x = np.array([0.0, 0.0, 0.0, 2.0, 0.0, 1.0], np.float64)
    y = np.array([0.0, -1.0, NAN, 0.0, 3.0, -1.0], np.float64)
    _both(lambda t, x, y: t.xlogy(x, y), x, y)
    # the gradient where x == 0 and y <= 0 is 0, not nan
    compare(lambda t, x, y: t.xlogy(x, y), x[[0, 1, 4]], np.array([0.5, -1.0, 3.0]),
            grads=(True, False))


def test_atan2_quadrants_and_logaddexp_infinities() -> None:
    y = np.array([1.0, 1.0, -1.0, -1.0, 0.0, -0.0, INF, -INF])
    x = np.array([1.0, -1.0, -1.0, 1.0, -1.0, -1.0, INF, 2.0])
    _both(lambda t, a, b: t.atan2(a, b), y, x)
    _both(lambda t, a, b: t.logaddexp(a, b), np.array([-INF, INF, 1e30, -1e30]),
          np.array([-INF, INF, 1e30, 0.0]))


def test_heaviside() -> None:
    x = np.array([-1.5, 0.0, 2.0, -0.0], np.float32)
    _both(lambda t, x, v: t.heaviside(x, v), x, np.array(0.25, np.float32))
    _both(lambda t, x, v: x.heaviside(v), x, np.array([1.0, 2.0, 3.0, 4.0], np.float32))
    _same_error(lambda t, x, v: t.heaviside(x, v), x, np.array(1.0))  # float32 vs float64


def test_addcmul_addcdiv_inplace_and_errors() -> None:
    a, b, c = (np.random.default_rng(i).uniform(0.5, 2, (3, 4)) for i in range(3))
    compare(lambda t, x, y, z: (x * 1).addcmul_(y, z, value=-0.5), a, b, c)
    compare(lambda t, x, y, z: (x * 1).addcdiv_(y, z, value=3), a, b, c)
    ints = np.array([1, 2], np.int64)
    _same_error(lambda t, x: t.addcdiv(x, x, x), ints)
    _both(lambda t, x: t.addcmul(x, x, x, value=2), ints)


def test_logit_eps_gradient_outside_is_zero() -> None:
    x = np.array([0.05, 0.1, 0.5, 0.95, 0.99])
    compare(lambda t, x: t.logit(x, eps=0.2), x)
    compare(lambda t, x: (x * 1).logit_(0.3), x)


def test_inplace_methods() -> None:
    x = np.random.default_rng(0).uniform(0.1, 0.9, (2, 3))
    y = np.random.default_rng(1).uniform(0.5, 1.5, (2, 3))
    _both(lambda t, x: x.digamma_(), x)  # (its gradient: op_db, torch's polygamma is ~1e-9)
    for name in ("erf_", "erfc_", "erfinv_", "lgamma_", "sinc_", "deg2rad_",
                 "rad2deg_", "nan_to_num_", "frac_", "exp2_", "square_"):
        compare(lambda t, x: getattr(x * 1, name)(), x)
    for name in ("atan2_", "arctan2_", "hypot_", "xlogy_"):
        compare(lambda t, x, y: getattr(x * 1, name)(y), x, y)
    for name in ("logaddexp", "hypot", "atan2", "xlogy", "float_power"):
        compare(lambda t, x, y: getattr(x, name)(y), x, y)


# ----------------------------------------------------------------------------- reductions
def test_cumprod_with_zeros_gradient() -> None:
    x = np.array([[2.0, 0.0, 3.0, 0.0, 4.0], [1.5, 2.0, 0.0, 1.0, -1.0]])
    compare(lambda t, x: t.cumprod(x, 1), x)
    compare(lambda t, x: x.cumprod(0), x.T.copy())
    _both(lambda t, x: t.cumprod(x, 0, dtype=t.float64), np.array([1, 2, 3], np.int32))
    _both(lambda t, x: t.cumprod(x, 0), np.array([True, True, False]))


def test_var_std_mean_options() -> None:
    x = np.random.default_rng(0).standard_normal((3, 4, 2))
    for fn in ("var_mean", "std_mean"):
        compare(lambda t, x: getattr(t, fn)(x, (0, 2), keepdim=True), x)
        compare(lambda t, x: getattr(t, fn)(x, 1, correction=0), x)
        compare(lambda t, x: getattr(t, fn)(x, unbiased=False), x)
        compare(lambda t, x: getattr(t, fn)(x, dim=None), x)
    _same_error(lambda t, x: t.var_mean(x), np.array([1, 2]))


def test_nansum_nanmean_ignore_nan() -> None:
    x = np.array([[1.0, NAN, 2.0], [NAN, NAN, NAN], [0.5, -1.0, 4.0]])
    compare(lambda t, x: t.nansum(x), x)
    compare(lambda t, x: t.nansum(x, 1, keepdim=True), x)
    compare(lambda t, x: t.nanmean(x, 0), x)
    compare(lambda t, x: x.nanmean(), x)
    _both(lambda t, x: t.nanmean(x, 1), x)  # an all-NaN row: 0 / 0
    _both(lambda t, x: t.nansum(x), np.array([1, 2], np.int32))
    _same_error(lambda t, x: t.nanmean(x), np.array([1, 2]))


def test_aminmax() -> None:
    x = np.array([[1.0, 3.0, 3.0], [2.0, -1.0, -1.0]])
    ours = compare(lambda t, x: tuple(t.aminmax(x, dim=1)), x)
    assert len(ours) == 2
    compare(lambda t, x: tuple(t.aminmax(x)), x)
    compare(lambda t, x: tuple(x.aminmax(keepdim=True)), x)
    ours_r, theirs_r = glasstorch.aminmax(glasstorch.tensor(x)), torch.aminmax(torch.tensor(x))
    assert repr(ours_r) == repr(theirs_r)
    assert float(ours_r.min) == float(theirs_r.min) and float(ours_r.max) == float(theirs_r.max)
    _same_error(lambda t, x: t.aminmax(x), np.zeros((0,)))
    _same_error(lambda t, x: t.aminmax(x, dim=1), np.zeros((2, 0)))
    _same_error(lambda t, x: t.aminmax(x, dim=2), x)


# ----------------------------------------------------------------------------- shape
def test_diff_variants_and_errors() -> None:
    x = np.random.default_rng(0).standard_normal((3, 5))
    compare(lambda t, x, a: t.diff(x, 2, -1, append=a), x, np.ones((3, 2)))
    compare(lambda t, x: t.diff(x, n=0), x)
    compare(lambda t, x: t.diff(x, n=7), x)
    _both(lambda t, x: t.diff(x), np.array([True, False, False, True]))
    _both(lambda t, x: t.diff(x), np.array([3, 1, 7], np.uint8))
    _same_error(lambda t, x: t.diff(x), np.array(1.0))
    _same_error(lambda t, x: t.diff(x, 1, 0, t.zeros(3)), x)
    _same_error(lambda t, x: t.diff(x, 1, 2), x)


def test_repeat_interleave_variants_and_errors() -> None:
    x = np.arange(6.0).reshape(2, 3)
    compare(lambda t, x: t.repeat_interleave(x, t.tensor([1, 0, 2]), dim=1), x)
    compare(lambda t, x: t.repeat_interleave(x, t.tensor(2)), x)
    compare(lambda t, x: x.repeat_interleave(0, dim=0), x)
    compare(lambda t, x: t.repeat_interleave(x, 2, dim=0, output_size=4), x)
    _both(lambda t, r: t.repeat_interleave(r), np.array([2, 0, 3]))
    _same_error(lambda t, x: t.repeat_interleave(x, -1), x)
    _same_error(lambda t, x: t.repeat_interleave(x, t.tensor([1, 2, 3]), dim=0), x)
    _same_error(lambda t, x: t.repeat_interleave(x, 2, dim=0, output_size=5), x)


def test_rot90_errors() -> None:
    x = np.arange(6.0).reshape(2, 3)
    for k in (-5, 0, 1, 2, 6):
        compare(lambda t, x: t.rot90(x, k, (1, 0)), x)
    _same_error(lambda t, x: t.rot90(x, 1, [0]), x)
    _same_error(lambda t, x: t.rot90(x, 1, [1, 1]), x)
    _same_error(lambda t, x: t.rot90(x), np.ones(3))
    _same_error(lambda t, x: t.rot90(x, 1, [0, 2]), x)
