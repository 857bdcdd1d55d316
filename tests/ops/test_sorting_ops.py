"""Sorting, selection and counting against real torch: values, indices, dtypes, ties, NaN,
gradients, return types and errors.

Every expected value comes from torch run on the same input (torch is the oracle).
"""

# ruff: noqa: B023  (the lambdas in loops below are called at once, inside their iteration)
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch

NAN = float("nan")


def _np(t: Any) -> np.ndarray:
    return np.asarray(t.detach().numpy())


def _same(ours: Any, theirs: Any) -> None:
    """Equal values (NaN equal), dtype and shape; tuples compared item by item."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            _same(o, t)
        return
    assert isinstance(ours, glasstorch.Tensor)
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(_np(ours), _np(theirs))


def both(fn: Callable[[Any, Any], Any], array: Any) -> tuple[Any, Any]:
    a = np.asarray(array)
    return fn(glasstorch, glasstorch.tensor(a)), fn(torch, torch.tensor(a))


def check(fn: Callable[[Any, Any], Any], array: Any) -> None:
    ours, theirs = both(fn, array)
    _same(ours, theirs)


TIES = np.array([[3., 1., 2., 1., 3., 0., 1., 3.], [2., 2., 1., 1., 0., 0., 5., 5.]])
INT_TIES = np.random.default_rng(0).integers(-2, 3, (4, 7))
WITH_NAN = np.array([[1., NAN, 2., 0.], [3., 1., 2., 0.], [NAN, 1., NAN, 1.]])


# ----------------------------------------------------------------------------- sort
@pytest.mark.parametrize("array", [TIES, INT_TIES, WITH_NAN, INT_TIES.astype(np.uint8),
                                   INT_TIES > 0])
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_ties_and_nan(array: np.ndarray, dim: int, descending: bool) -> None:
    check(lambda t, x: tuple(t.sort(x, dim, descending)), array)
    check(lambda t, x: tuple(x.sort(dim=dim, descending=descending, stable=True)), array)
    check(lambda t, x: t.argsort(x, dim, descending=descending), array)
    check(lambda t, x: x.argsort(dim=dim, descending=descending, stable=True), array)


def test_sort_return_type_and_repr() -> None:
    ours, theirs = both(lambda t, x: t.sort(x), TIES[0])
    assert repr(ours) == repr(theirs)
    assert type(ours).__name__ == "sort"
    _same(ours.values, theirs.values)
    _same(ours.indices, theirs.indices)
    for name in ("topk", "kthvalue", "median", "mode"):
        assert getattr(glasstorch.return_types, name).__name__ == name


def test_sort_gradient_and_grad_fn() -> None:
    x = TIES.astype(np.float32)
    results = []
    for lib in (glasstorch, torch):
        a = lib.tensor(x, requires_grad=True)
        s = a.sort(dim=-1, descending=True)
        b = lib.tensor(x, requires_grad=True)
        s2 = b.sort(stable=False)
        (s.values * lib.arange(8.0)).sum().backward()
        assert not s.indices.requires_grad
        results.append((a.grad, s.values.grad_fn, s2.values.grad_fn, lib.msort(b).grad_fn))
    (og, *ofn), (tg, *tfn) = results
    _same(og, tg)
    assert [f.name() for f in ofn] == [type(f).__name__ for f in tfn]


def test_zero_dim() -> None:
    for fn in (lambda t, x: tuple(x.sort()), lambda t, x: tuple(x.topk(1)),
               lambda t, x: tuple(x.kthvalue(1)), lambda t, x: tuple(x.median(0)),
               lambda t, x: tuple(x.mode()), lambda t, x: x.argsort(),
               lambda t, x: x.median()):
        check(fn, np.float32(2.5))


# ----------------------------------------------------------------------------- topk
@pytest.mark.parametrize("largest", [True, False])
def test_topk_distinct(largest: bool) -> None:
    x = np.random.default_rng(1).permutation(24).reshape(4, 6).astype(np.float32)
    for k in (0, 1, 3, 6):
        check(lambda t, a: tuple(a.topk(k, largest=largest)), x)
        check(lambda t, a: tuple(t.topk(a, k if k <= 4 else 4, 0, largest)), x)


def test_topk_ties_values() -> None:
    # among equal values torch's selection may return other indices: compare the values
    ours, theirs = both(lambda t, x: x.topk(3).values, TIES)
    _same(ours, theirs)
    ours, theirs = both(lambda t, x: x.topk(5, largest=False).values, TIES)
    _same(ours, theirs)


def test_topk_unsorted_same_set() -> None:
    x = np.random.default_rng(2).permutation(20).astype(np.float32)
    ours, theirs = both(lambda t, a: a.topk(5, sorted=False), x)
    assert sorted(_np(ours.indices)) == sorted(_np(theirs.indices))


def test_topk_gradient() -> None:
    x = np.random.default_rng(3).permutation(12).reshape(3, 4).astype(np.float64)
    grads = []
    for lib in (glasstorch, torch):
        a = lib.tensor(x, requires_grad=True)
        v = a.topk(2, dim=0).values
        assert type(v.grad_fn).__name__ == "TopkBackward0" or v.grad_fn.name() == "TopkBackward0"
        (v * lib.tensor([[1.0, 2, 3, 4], [5, 6, 7, 8]], dtype=lib.float64)).sum().backward()
        grads.append(a.grad)
    _same(*grads)


# ----------------------------------------------------------------------------- median & co
@pytest.mark.parametrize("array", [TIES, INT_TIES])
def test_kthvalue_values(array: np.ndarray) -> None:
    for k in range(1, 5):
        check(lambda t, x: x.kthvalue(k).values, array)
        check(lambda t, x: t.kthvalue(x, 1, 0, keepdim=True).values, array)


@pytest.mark.parametrize("array", [TIES, INT_TIES, WITH_NAN])
def test_median(array: np.ndarray) -> None:
    check(lambda t, x: x.median(), array)
    check(lambda t, x: t.median(x, -1).values, array)
    check(lambda t, x: t.median(x, 0, keepdim=True).values, array)


def test_median_nan_index() -> None:
    check(lambda t, x: tuple(x.median(1)), WITH_NAN)


def test_median_global_ties_share_gradient() -> None:
    grads = []
    for lib in (glasstorch, torch):
        a = lib.tensor([1.0, 2.0, 2.0, 3.0, 2.0], requires_grad=True)
        m = a.median()
        m.backward()
        grads.append(a.grad)
    _same(*grads)


def test_median_empty() -> None:
    check(lambda t, x: x.median(), np.zeros(0, np.float32))


@pytest.mark.parametrize("array", [TIES, INT_TIES, np.array([2., 2., 1., 1.]),
                                   np.array([[5, 5, 1], [1, 2, 3]])])
def test_mode_ties(array: np.ndarray) -> None:
    check(lambda t, x: tuple(x.mode()), array)
    check(lambda t, x: tuple(t.mode(x, 0, keepdim=True)), array)


@pytest.mark.parametrize("name", ["kthvalue", "median", "mode"])
def test_selection_gradient(name: str) -> None:
    x = np.random.default_rng(4).permutation(12).reshape(3, 4).astype(np.float64)
    grads = []
    for lib in (glasstorch, torch):
        a = lib.tensor(x, requires_grad=True)
        args = (2, 0) if name == "kthvalue" else (0,)
        out = getattr(a, name)(*args)
        (out.values * lib.tensor([1.0, -2.0, 3.0, 0.5], dtype=lib.float64)).sum().backward()
        grads.append(a.grad)
    _same(*grads)


# ----------------------------------------------------------------------------- unique & co
@pytest.mark.parametrize("array", [TIES, INT_TIES, INT_TIES > 0])
def test_unique(array: np.ndarray) -> None:
    check(lambda t, x: t.unique(x), array)
    check(lambda t, x: x.unique(return_inverse=True), array)
    check(lambda t, x: x.unique(return_counts=True), array)
    check(lambda t, x: t.unique(x, return_inverse=True, return_counts=True, dim=0), array)
    check(lambda t, x: t.unique(x, return_inverse=True, return_counts=True, dim=1), array)


def test_unique_consecutive() -> None:
    check(lambda t, x: t.unique_consecutive(x, return_inverse=True, return_counts=True),
          np.array([1, 1, 2, 2, 3, 1, 1]))
    check(lambda t, x: x.unique_consecutive(), INT_TIES)
    rows = np.array([[1, 2], [1, 2], [0, 3], [1, 2]])
    check(lambda t, x: t.unique_consecutive(x, True, True, dim=0), rows)
    check(lambda t, x: t.unique_consecutive(x, True, True, dim=1), rows)


def test_unique_has_no_derivative() -> None:
    for fn, msg in ((lambda t, a: t.unique(a), "_unique2"),
                    (lambda t, a: t.unique(a, dim=0), "unique_dim"),
                    (lambda t, a: t.unique_consecutive(a), "unique_consecutive")):
        for lib in (glasstorch, torch):
            out = fn(lib, lib.tensor([1.0, 2.0, 1.0], requires_grad=True))
            assert out.requires_grad
            with pytest.raises(NotImplementedError, match=f"derivative for '{msg}'"):
                out.sum().backward()


def test_count_nonzero() -> None:
    for dim in (None, 0, 1, -1, (0, 1)):
        check(lambda t, x: t.count_nonzero(x, dim), INT_TIES)
        check(lambda t, x: x.count_nonzero(dim=dim), TIES)


def test_bincount() -> None:
    x = np.array([1, 3, 1, 0, 7])
    check(lambda t, a: t.bincount(a), x)
    check(lambda t, a: a.bincount(minlength=10), x)
    check(lambda t, a: a.bincount(minlength=2), x)
    check(lambda t, a: t.bincount(a), np.zeros(0, np.int64))
    for w in (np.array([0.5, 1, 2, 3, 4], np.float32), np.arange(5.0), np.arange(5)):
        ours = glasstorch.bincount(glasstorch.tensor(x), glasstorch.tensor(w))
        theirs = torch.bincount(torch.tensor(x), torch.tensor(w))
        _same(ours, theirs)


def test_histc() -> None:
    x = np.random.default_rng(5).normal(size=200).astype(np.float32)
    check(lambda t, a: t.histc(a), x)
    check(lambda t, a: a.histc(bins=7, min=-1, max=1), x)
    check(lambda t, a: t.histc(a, 4, 0, 3), np.array([1., 2, 1, 4, 3, 0]))
    check(lambda t, a: t.histc(a, 3), np.array([2., 2.]))  # equal min and max: +-1
    check(lambda t, a: t.histc(a, 5), x.astype(np.float64))


def test_searchsorted_and_bucketize() -> None:
    s = np.array([1, 3, 5, 7, 9])
    v = np.array([[3, 6, 9], [0, 10, 5]])
    for kw in ({}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}):
        ours = glasstorch.searchsorted(glasstorch.tensor(s), glasstorch.tensor(v), **kw)
        theirs = torch.searchsorted(torch.tensor(s), torch.tensor(v), **kw)
        _same(ours, theirs)
    _same(glasstorch.searchsorted(glasstorch.tensor(s), 5),
          torch.searchsorted(torch.tensor(s), 5))
    batch = np.array([[1., 2, 3], [0, 5, 6]])
    vals = np.array([[2.5, 0], [5, 7]])
    _same(glasstorch.searchsorted(glasstorch.tensor(batch), glasstorch.tensor(vals), right=True),
          torch.searchsorted(torch.tensor(batch), torch.tensor(vals), right=True))
    unsorted = np.array([5, 1, 9, 3, 7])
    sorter = np.argsort(unsorted)
    _same(glasstorch.searchsorted(glasstorch.tensor(unsorted), glasstorch.tensor(v),
                                  sorter=glasstorch.tensor(sorter)),
          torch.searchsorted(torch.tensor(unsorted), torch.tensor(v), sorter=torch.tensor(sorter)))
    for right in (False, True):
        for out_int32 in (False, True):
            _same(glasstorch.bucketize(glasstorch.tensor(v), glasstorch.tensor(s), right=right,
                                       out_int32=out_int32),
                  torch.bucketize(torch.tensor(v), torch.tensor(s), right=right,
                                  out_int32=out_int32))


# ----------------------------------------------------------------------------- errors
ERRORS: list[tuple[str, Callable[[Any, Any], Any], Any]] = [
    ("topk_k_too_big", lambda t, x: x.topk(9), TIES),
    ("topk_k_negative", lambda t, x: x.topk(-1), TIES),
    ("kthvalue_zero", lambda t, x: x.kthvalue(0), TIES),
    ("kthvalue_too_big", lambda t, x: x.kthvalue(9), TIES),
    ("sort_bad_dim", lambda t, x: x.sort(dim=2), TIES),
    ("median_bad_dim", lambda t, x: x.median(-3), TIES),
    ("bincount_negative", lambda t, x: t.bincount(x), np.array([1, -1])),
    ("bincount_2d", lambda t, x: t.bincount(x), np.array([[1, 1]])),
    ("bincount_float", lambda t, x: t.bincount(x), np.array([1.0])),
    ("histc_int", lambda t, x: t.histc(x, bins=3), np.array([1, 2])),
    ("histc_bad_range", lambda t, x: t.histc(x, 3, min=2, max=1), np.array([1.0, 2.0])),
    ("searchsorted_side", lambda t, x: t.searchsorted(x, x, side="middle"), np.array([1, 2])),
    ("searchsorted_opposites", lambda t, x: t.searchsorted(x, x, right=True, side="left"),
     np.array([1, 2])),
    ("bucketize_2d", lambda t, x: t.bucketize(x, x), np.array([[1, 2]])),
]


@pytest.mark.parametrize("fn, array", [pytest.param(f, a, id=n) for n, f, a in ERRORS])
def test_errors(fn: Callable[[Any, Any], Any], array: Any) -> None:
    a = np.asarray(array)
    with pytest.raises(Exception) as theirs:
        fn(torch, torch.tensor(a))
    with pytest.raises(type(theirs.value)) as ours:
        fn(glasstorch, glasstorch.tensor(a))
    # torch's text first, then ours may add a hint
    assert str(ours.value).startswith(str(theirs.value).split("\n")[0][:40])


MORE_ERRORS: list[tuple[str, Callable[[Any, Any], Any], Any]] = [
    ("histc_zero_bins", lambda t, x: t.histc(x, 0), np.array([1.0])),
    ("bincount_minlength", lambda t, x: t.bincount(x, minlength=-1), np.array([1])),
    ("bincount_weights", lambda t, x: t.bincount(x, t.tensor([1.0])), np.array([1, 2])),
    ("searchsorted_batch", lambda t, x: t.searchsorted(x, t.tensor([[1], [2]])),
     np.array([[1, 2]])),
]


@pytest.mark.parametrize("fn, array", [pytest.param(f, a, id=n) for n, f, a in MORE_ERRORS])
def test_more_errors(fn: Callable[[Any, Any], Any], array: Any) -> None:
    test_errors(fn, array)


@pytest.mark.parametrize("largest", [True, False])
def test_topk_few_of_many(largest: bool) -> None:
    # k much smaller than the dim takes the partition path
    x = np.random.default_rng(6).permutation(600).reshape(3, 200).astype(np.float32)
    check(lambda t, a: tuple(a.topk(7, largest=largest)), x)
    check(lambda t, a: tuple(t.topk(a.T, 5, 0, largest)), x)
