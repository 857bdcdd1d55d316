"""Bit-exact float sums: ``torch_sum`` and everything built on it against real torch.

Float addition rounds at every step, so a sum's last bit depends on the order of the
additions. ``glasstorch.ops._sum.torch_sum`` replays the order of torch's CPU kernel; these
tests compare the raw bits (``view(np.uint32)``), not values within a tolerance: 1-D sums
of every size up to 300 and some large ones, every axis subset of 2-D to 4-D arrays,
transposed and sliced views, special values, ``sum``/``mean`` of tensors, and gradients
that the engine reduces over broadcast dims (the bias of ``x * W + b``).
"""

from __future__ import annotations

import itertools
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch
import glasstorch.nn.functional as gF
from glasstorch.ops import _sum
from glasstorch.ops._sum import torch_mean, torch_sum

DTYPES = [np.float32, np.float64, np.float16]
_UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}


@pytest.fixture(autouse=True)
def _torch_thread_count() -> Any:
    """Big full sums are split per thread: replay the thread count this torch really uses."""
    old = _sum.get_num_threads()
    _sum.set_num_threads(torch.get_num_threads())
    yield
    _sum.set_num_threads(old)


def bits(a: Any) -> np.ndarray:
    a = np.asarray(a)
    return a.view(_UINT[a.itemsize]) if a.dtype.kind == "f" else a


def assert_bits(got: Any, want: Any, what: str = "") -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != {want.dtype}"
    if got.dtype.kind == "f":  # NaN payloads may differ; where they are NaN must not
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(got), nan), f"{what}: NaN positions differ"
        got, want = np.where(nan, 0, got), np.where(nan, 0, want)
    bad = np.flatnonzero(bits(got) != bits(want))
    assert bad.size == 0, (f"{what}: {bad.size} of {got.size} differ, first at flat index "
                           f"{bad[0]}: {got.reshape(-1)[bad[0]]!r} != {want.reshape(-1)[bad[0]]!r}")


def rand(rng: np.random.Generator, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """Values of mixed magnitude (1e-3 .. 1e3), so that addition order shows in the bits."""
    if np.dtype(dtype) == np.float16:  # stay far from float16's overflow
        return rng.standard_normal(shape).astype(dtype)
    v = rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4, size=shape)
    return (np.abs(v) if rng.random() < 0.2 else v).astype(dtype)


def torch_ref(x: np.ndarray, axis: Any, keepdims: bool,
              view: Callable[[Any], Any] | None = None) -> np.ndarray:
    t = torch.from_numpy(x)
    if view is not None:
        t = view(t)
    if axis is None:
        return (t.sum(dim=tuple(range(t.ndim)), keepdim=True) if keepdims else t.sum()).numpy()
    return t.sum(dim=axis, keepdim=keepdims).numpy()


def check(x: np.ndarray, axis: Any = None, keepdims: bool = False,
          view: Callable[[Any], Any] | None = None) -> None:
    got = torch_sum(x if view is None else view(x), axis, keepdims)
    assert_bits(got, torch_ref(x, axis, keepdims, view), f"{x.dtype} {x.shape} axis={axis}")


# ----------------------------------------------------------------------------- torch_sum
def test_seed_example_sums_like_torch_not_like_numpy() -> None:
    x = np.array([1.0799999, -1.7200001, 1.7200001, -0.8, 1.7200001], dtype=np.float32)
    got = torch_sum(x)
    assert got == np.float32(2.0000002) and bits(got) == 0x40000001
    assert np.add.reduce(x) == np.float32(2.0)  # NumPy's pairwise order rounds differently
    assert_bits(got, torch.from_numpy(x).sum().numpy())


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_1d_every_size_up_to_300_and_large(dtype: Any) -> None:
    rng = np.random.default_rng(1)
    sizes = [*range(1, 301), 511, 512, 513, 1000, 4097, 32767, 32768, 32769, 100_000]
    for n in sizes:
        check(rand(rng, (n,), dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_1d_million(dtype: Any) -> None:
    # above GRAIN_SIZE torch splits the sum between threads and adds the partial sums
    rng = np.random.default_rng(2)
    check(rand(rng, (1_000_003,), dtype))
    check(rand(rng, (4096 * 16 + 1,), dtype))


SHAPES = [(7,), (3, 4), (5, 9), (9, 5), (33, 17), (64, 40), (40, 64), (300, 130), (2, 3, 4),
          (4, 1, 9), (8, 16, 33), (17, 9, 64), (3, 5, 7, 2), (1, 70), (70, 1), (6, 200, 40)]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_every_axis_subset(shape: tuple[int, ...], dtype: Any) -> None:
    rng = np.random.default_rng(sum(shape))
    x = rand(rng, shape, dtype)
    for r in range(1, len(shape) + 1):
        for axes in itertools.combinations(range(len(shape)), r):
            for keepdims in (False, True):
                check(x, axes, keepdims)
        check(x, r - 1)  # a plain int axis
    check(x, -1)
    check(x, None)
    check(x, None, keepdims=True)


def test_random_shapes() -> None:
    rng = np.random.default_rng(3)
    pool = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257]
    for _ in range(150):
        shape = tuple(int(rng.choice(pool)) for _ in range(int(rng.integers(2, 5))))
        while np.prod(shape) > 300_000:
            shape = tuple(max(1, s // 2) for s in shape)
        dtype = DTYPES[int(rng.integers(0, 3))]
        x = rand(rng, shape, dtype)
        axes = tuple(a for a in range(len(shape)) if rng.random() < 0.5) or None
        check(x, axes, bool(rng.random() < 0.3))


def _views(rng: np.random.Generator, ndim: int) -> list[Callable[[Any], Any]]:
    """Views that torch and NumPy make alike (same strides): permutes, steps, picks."""
    perm = tuple(int(p) for p in rng.permutation(ndim))
    steps = tuple(slice(int(rng.integers(0, 2)), None, int(rng.integers(1, 4)))
                  for _ in range(ndim))
    pick = (slice(None),) * int(rng.integers(0, ndim)) + (0,)

    def permute(a: Any) -> Any:
        return a.permute(*perm) if isinstance(a, torch.Tensor) else a.transpose(perm)

    return [permute, lambda a: a[steps], lambda a: a[pick], lambda a: permute(a)[steps]]


def test_transposed_and_sliced_views() -> None:
    rng = np.random.default_rng(4)
    pool = [1, 2, 3, 5, 8, 9, 16, 17, 33, 40, 64, 65, 100]
    for _ in range(120):
        shape = tuple(int(rng.choice(pool)) for _ in range(int(rng.integers(1, 4))))
        x = rand(rng, shape, DTYPES[int(rng.integers(0, 3))])
        for view in _views(rng, len(shape)):
            v = view(x)
            if v.size == 0:
                continue
            check(x, None, view=view)
            for axis in range(v.ndim):
                check(x, axis, view=view)
            if v.ndim > 1:
                check(x, (0, v.ndim - 1), True, view=view)


def test_big_strided_layouts_replay_the_thread_split() -> None:
    # >= 32768 elements: threads split a full sum mid-row, or split the columns of a
    # scalar outer sum; the partial sums depend on where the splits fall
    rng = np.random.default_rng(5)
    for dtype in DTYPES:
        x = rand(rng, (66, 40, 33), dtype)
        check(x, None, view=lambda a: a[:, ::2])
        check(x, (0, 1), view=lambda a: a[:, :, ::2])
        y = rand(rng, (64, 16, 100), dtype)
        check(y, (0, 1), view=lambda a: a[:, :, ::2])


def test_special_values_and_dtypes() -> None:
    rng = np.random.default_rng(6)
    cases: list[tuple[np.ndarray, Any]] = []
    for dtype in DTYPES:
        cases += [(np.array(-0.0, dtype), None), (np.full(5, -0.0, dtype), None),
                  (np.full((3, 9), -0.0, dtype), 0), (np.full((3, 9), -0.0, dtype), 1),
                  (np.array([np.inf, -np.inf, 1], dtype), None),
                  (np.array([np.nan, *range(1, 9)], dtype), None),
                  (np.array(3.5, dtype), None), (np.array(3.5, dtype), 0),
                  (np.zeros((0, 3), dtype), 0), (np.zeros((0, 3), dtype), None),
                  (rand(rng, (4, 1, 5), dtype), (0, 2)), (rand(rng, (1, 1, 1), dtype), 1)]
    cases.append((np.array([3e38, 3e38, -3e38], np.float32), None))  # overflows, like torch
    for dtype in (np.int32, np.int64, np.uint8, np.bool_):
        ints = rng.integers(0, 100, (4, 6))
        cases += [((ints > 50).astype(dtype) if dtype == np.bool_ else ints.astype(dtype), a)
                  for a in (None, 0, 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inf - inf, float32 overflow
        for x, axis in cases:
            for keepdims in (False, True):
                check(x, axis, keepdims)


def test_torch_mean_helper() -> None:
    rng = np.random.default_rng(7)
    for i in range(300):
        dtype = DTYPES[i % 3]
        shape = tuple(int(v) for v in rng.integers(1, 40, size=rng.integers(1, 4)))
        x = rand(rng, shape, dtype)
        axis = None if i % 2 else int(rng.integers(0, len(shape)))
        t = torch.from_numpy(x)
        assert_bits(torch_mean(x, axis), (t.mean() if axis is None else t.mean(axis)).numpy())


# ----------------------------------------------------------------------------- plans
# The second sum of a shape compiles a plan (scratch arrays + a fixed list of NumPy calls)
# that later sums of that shape reuse: these tests sum every shape several times, with new
# data each time, so that the plans' branches run and no state leaks from call to call.
PLAN_SIZES = [*range(1, 140), 255, 256, 257, 300, 511, 512, 513, 527, 528, 529, 543, 544, 760,
              1000, 1003, 1024, 1500, 2047, 2048, 2049, 3000, 4095, 4096, 4097, 4160, 4200,
              8191, 8192, 8193, 8200, 8704, 9000, 12345, 16384, 16420, 24601, 32767]


def check_repeatedly(rng: np.random.Generator, shape: tuple[int, ...], dtype: Any,
                     axis: Any = None, keepdims: bool = False) -> None:
    x = rand(rng, shape, dtype)
    check(x, axis, keepdims)  # the general code; the shape is remembered
    check(x, axis, keepdims)  # builds and runs the plan
    check(np.full(shape, -0.0, dtype), axis, keepdims)  # torch's zero is +0.0
    check(rand(rng, shape, dtype), axis, keepdims)
    y = rand(rng, shape, dtype)
    y.reshape(-1)[rng.integers(0, y.size)] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inf - inf
        check(y, axis, keepdims)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_repeated_1d_sums_run_plans_bit_exactly(dtype: Any) -> None:
    # every branch: fewer than 2 vectors, fewer than 4, one cascade level with 0-15 rows
    # after the last chunk, two levels, long runs (chunks summed in place), GRAIN_SIZE - 1
    rng = np.random.default_rng(10)
    for n in PLAN_SIZES:
        check_repeatedly(rng, (n,), dtype)
    for n in (40_000, 100_000):  # threads' chunks get plans too (many chunks: a 2nd way)
        check_repeatedly(rng, (n,), dtype)
    for shape in [(4, 25), (10, 100), (1, 1000, 1), (2, 3, 5)]:
        check_repeatedly(rng, shape, dtype)
        check_repeatedly(rng, shape, dtype, keepdims=True)
        check_repeatedly(rng, shape, dtype, tuple(range(len(shape))))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_repeated_bias_gradient_sums_run_plans_bit_exactly(dtype: Any) -> None:
    # sums over the leading dim(s) of C-contiguous arrays, as the engine does for biases:
    # whole blocks of 4 vectors (or 4 columns), the other columns with 4 accumulators,
    # 0-3 rows left over, one or two cascade levels
    rng = np.random.default_rng(11)
    for rows in [*range(1, 21), 31, 32, 33, 47, 64, 65, 100, 127, 255, 256, 257, 300, 1030]:
        for cols in [1, 2, 3, 4, 5, 8, 9, 10, 16, 31, 32, 33, 40, 100, 128]:
            if rows * cols <= 20000:
                check_repeatedly(rng, (rows, cols), dtype, 0, True)
    for shape, axis in [((64, 10), (0,)), ((3, 4, 5), (0, 1)), ((2, 60, 17), (0, 1)),
                        ((1, 30, 1, 7), (1,)), ((5, 1), 0), ((100, 1), (0,)), ((7, 3), 0)]:
        check_repeatedly(rng, shape, dtype, axis)
        check_repeatedly(rng, shape, dtype, axis, True)


def test_the_second_sum_of_a_shape_builds_its_plan() -> None:
    # (so that the two tests above do test the plans)
    x = rand(np.random.default_rng(12), (1000,), np.float32)
    key = (x.shape, x.dtype, None, False)
    _sum._PLANS.pop(key, None)
    torch_sum(x)
    assert not callable(_sum._PLANS.get(key))  # a one-off sum builds nothing
    torch_sum(x)
    assert callable(_sum._PLANS.get(key))


def test_plans_are_safe_across_threads() -> None:
    # a plan's scratch arrays serve one sum at a time: threads summing the same shape must
    # not mix their inputs (each takes the plan out of the cache while it runs)
    rng = np.random.default_rng(13)
    xs = [rand(rng, (1000,), np.float32) for _ in range(4)]
    want = [torch.from_numpy(x).sum().numpy() for x in xs]
    torch_sum(xs[0])
    torch_sum(xs[0])
    errors: list[int] = []

    def work(i: int) -> None:
        for _ in range(300):
            if bits(torch_sum(xs[i])) != bits(want[i]):
                errors.append(i)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors


# ----------------------------------------------------------------------------- through glasstorch
def test_tensor_sum_and_mean_match_torch_bits() -> None:
    rng = np.random.default_rng(8)
    for n in [*range(1, 70), 100, 1000, 5000]:
        for dtype in DTYPES:
            x = rand(rng, (n,), dtype)
            ours, theirs = glasstorch.tensor(x), torch.tensor(x)
            assert_bits(ours.sum().numpy(), theirs.sum().numpy(), f"sum n={n}")
            assert_bits(ours.mean().numpy(), theirs.mean().numpy(), f"mean n={n}")
    for shape in [(5, 3), (32, 10), (64, 9), (3, 40, 7)]:
        x = rand(rng, shape, np.float32)
        ours, theirs = glasstorch.tensor(x), torch.tensor(x)
        for dim in range(len(shape)):
            assert_bits(ours.sum(dim).numpy(), theirs.sum(dim).numpy(), f"sum({dim})")
            assert_bits(ours.mean(dim, keepdim=True).numpy(),
                        theirs.mean(dim, keepdim=True).numpy(), f"mean({dim})")
        assert_bits(ours.sum(dim=(0, -1)).numpy(), theirs.sum(dim=(0, -1)).numpy())
        assert_bits(ours.sum(dtype=glasstorch.float64).numpy(),
                    theirs.sum(dtype=torch.float64).numpy())


def _grads(lib: Any, x: np.ndarray, w: np.ndarray, b: np.ndarray, y: np.ndarray,
           linear: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    W = lib.tensor(w, requires_grad=True)
    B = lib.tensor(b, requires_grad=True)
    X, Y = lib.tensor(x), lib.tensor(y)
    pred = (gF if lib is glasstorch else torch.nn.functional).linear(X, W, B) if linear \
        else X * W + B
    loss = ((pred - Y) ** 2).mean()
    loss.backward()
    return loss.detach().numpy(), W.grad.numpy(), B.grad.numpy()


@pytest.mark.parametrize("x_shape,w_shape,b_shape", [
    ((5,), (), ()), ((5,), (1,), (1,)), ((3, 1), (1,), (1,)), ((3, 1), (), ()),
    ((40,), (), ()), ((7, 3), (3,), (3,)), ((100, 1), (1, 1), (1,)), ((6, 4, 9), (9,), (1, 9)),
])
def test_bias_gradient_through_the_engine(x_shape: tuple[int, ...], w_shape: tuple[int, ...],
                                          b_shape: tuple[int, ...]) -> None:
    # the engine sums broadcast gradients back to b's shape (torch's sum_to): every bias
    # gradient is such a sum, and mean()'s is one too
    rng = np.random.default_rng(len(x_shape) * 100 + sum(x_shape))
    for _ in range(20):
        x, y = rand(rng, x_shape, np.float32), rand(rng, x_shape, np.float32)
        w, b = rand(rng, w_shape, np.float32), rand(rng, b_shape, np.float32)
        for ours, theirs in zip(_grads(glasstorch, x, w, b, y, False),
                                _grads(torch, x, w, b, y, False), strict=True):
            assert_bits(ours, theirs, f"x{x_shape} * W{w_shape} + b{b_shape}")


def test_linear_layer_bias_gradient() -> None:
    # x and W hold small multiples of 1/4, so x @ W.T is exact in any order (the matmul's
    # own order is not what this file tests); the bias gradient is a sum over the batch
    rng = np.random.default_rng(9)
    for batch, fin, fout in [(5, 1, 1), (32, 3, 4), (64, 10, 40), (100, 8, 1), (128, 2, 33)]:
        x = rng.integers(-8, 9, (batch, fin)).astype(np.float32) / 4
        w = rng.integers(-8, 9, (fout, fin)).astype(np.float32) / 4
        y, b = rand(rng, (batch, fout), np.float32), rand(rng, (fout,), np.float32)
        ours, theirs = _grads(glasstorch, x, w, b, y, True), _grads(torch, x, w, b, y, True)
        assert_bits(ours[0], theirs[0], "loss")
        assert_bits(ours[2], theirs[2], "bias grad")
