"""Tensor printing must match real PyTorch character for character.

Every test builds values with NumPy, makes the real torch tensor from them (the oracle), and a
glasstorch tensor with the same values, dtype and autograd state, then compares ``repr``/``str``.

The glasstorch side is made by ``ours_like`` from small stand-in classes below, because the real
``Tensor`` class is written separately; ``ours_like`` is the only thing to swap for the real
class later (the grad_fn stand-in can stay: printing only asks a grad_fn for its ``name()``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch
from glasstorch import _dtype  # noqa: E402
from glasstorch._tensor_str import (  # noqa: E402
    get_printoptions,
    set_printoptions,
    size_repr,
)

# ------------------------------------------------------------------------------------------
# The stand-in for glasstorch's Tensor (swap ``ours_like`` for the real class later)
# ------------------------------------------------------------------------------------------


class FakeGradFn:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


def ours_like(t: Any) -> Any:
    """A real glasstorch tensor with the values, dtype, autograd state and class of ``t``.

    The grad_fn is a stand-in carrying torch's node name, so any name torch prints can be
    checked; everything else is glasstorch's own Tensor / nn.Parameter.
    """
    data = t.detach().numpy().copy()
    if isinstance(t, torch.nn.Parameter):
        return glasstorch.nn.Parameter(glasstorch.from_numpy(data), requires_grad=t.requires_grad)
    ours = glasstorch.from_numpy(data)
    if t.requires_grad:
        ours.requires_grad_(True)
    if t.grad_fn is not None:
        ours.grad_fn = FakeGradFn(type(t.grad_fn).__name__)
    return ours


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_defaults():
    yield
    torch.set_printoptions(profile="default", sci_mode=None)
    set_printoptions(profile="default", sci_mode=None)
    torch.set_default_dtype(torch.float32)
    _dtype.set_default_dtype(_dtype.float32)


def set_both(**options: Any) -> None:
    """The same print options for torch and for us."""
    torch.set_printoptions(**options)
    set_printoptions(**options)


def check(a: Any, requires_grad: bool = False) -> str:
    """Assert a NumPy array prints the same as torch prints it; return torch's text."""
    t = torch.from_numpy(np.array(a))
    if requires_grad:
        t.requires_grad_()
    return check_tensor(t)


def check_tensor(t: Any) -> str:
    """Assert our copy of torch tensor ``t`` prints exactly like ``t``; return the text."""
    ours = ours_like(t)
    expected = repr(t)
    assert repr(ours) == expected
    assert str(ours) == str(t)
    return expected


FLOATS = [np.float32, np.float64]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8]


# ------------------------------------------------------------------------------------------
# What the seed tutorials print
# ------------------------------------------------------------------------------------------


def test_tutorial_column_vector():
    text = check(np.array([[1.0], [2.0], [3.0]], dtype=np.float32))
    assert text == "tensor([[1.],\n        [2.],\n        [3.]])"


def test_tutorial_scalar_requires_grad():
    text = check(np.array(1.0190, dtype=np.float32), requires_grad=True)
    assert text == "tensor(1.0190, requires_grad=True)"


def test_tutorial_vector_requires_grad():
    text = check(np.array([29.5617], dtype=np.float32), requires_grad=True)
    assert text == "tensor([29.5617], requires_grad=True)"


def test_tutorial_zero_scalar():
    assert check(np.array(0.0, dtype=np.float32)) == "tensor(0.)"


def test_tutorial_matrix_indentation():
    text = check(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32))
    assert text == "tensor([[1., 2.],\n        [3., 4.]])"


# ------------------------------------------------------------------------------------------
# Number formats
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("exponent", [-8, -5, -4, -3, -1, 0, 1, 2, 3, 4, 6, 8, 9, 10])
@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (6, 1)])
def test_random_floats_of_one_magnitude(dtype, exponent, shape):
    rng = np.random.default_rng(abs(exponent) * 7 + len(shape))
    for signs in ("mixed", "positive", "negative"):
        a = rng.uniform(1, 10, size=shape) * 10.0**exponent
        if signs == "mixed":
            a *= rng.choice([-1, 1], size=shape)
        elif signs == "negative":
            a = -a
        check(a.astype(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("seed", range(8))
def test_random_floats_of_mixed_magnitudes(dtype, seed):
    rng = np.random.default_rng(seed)
    low, high = sorted(rng.uniform(-8, 10, size=2))
    a = rng.standard_normal((4, 5)) * 10.0 ** rng.uniform(low, high, size=(4, 5))
    check(a.astype(dtype))
    check(a[0].astype(dtype))


@pytest.mark.parametrize("dtype", FLOATS)
def test_standard_normal(dtype):
    rng = np.random.default_rng(0)
    for shape in [(3,), (2, 3), (4, 4), (1, 1), (10,)]:
        check(rng.standard_normal(shape).astype(dtype))


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2.0],
        [-3.0, 100.0],
        [0.0, 5.0, -5.0],
        [1.0e10, 2.0],  # integral but huge: scientific
        [123456789.0],
        [1.0e5, 1.0],  # ratio > 1000: scientific
        [-0.0],
        [0.0, -0.0],
        [-0.0, 1.0],
        [-0.0, 1.5],
        [0.0, 0.0, 0.0],
        [1000.0, 1.0],
        [1001.0, 1.0],
    ],
)
@pytest.mark.parametrize("dtype", FLOATS)
def test_integral_and_zero_floats(values, dtype):
    check(np.array(values, dtype=dtype))


@pytest.mark.parametrize(
    "values",
    [
        [9.99996, 1.0],  # rounds up to 10.0000: one digit wider
        [-9.99996, 0.5],
        [0.99995, 0.5],
        [99999.5, 100.0],
        [1.00004e-4, 1.0e-3],  # just above the sci threshold
        [9.9999e-5, 1.0e-3],  # just below it
        [999.9999, 1.0],  # ratio just under 1000
        [1.0e8, 2.0e7],
        [1.00001e8, 2.0e7],
        [0.1, 0.2, 0.3],
        [1.0 / 3.0, -2.0 / 3.0, 100.0 / 7.0],
    ],
)
@pytest.mark.parametrize("dtype", FLOATS)
def test_rounding_edges(values, dtype):
    check(np.array(values, dtype=dtype))


def test_three_digit_exponents():
    check(np.array([9.999999e-100, 1.0, -2.5e-120]))
    check(np.array([1.0e300, -1.0e-300, 5.0]))
    check(np.array([np.finfo(np.float64).max, np.finfo(np.float64).tiny]))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(
    "values",
    [
        [np.nan],
        [np.inf, -np.inf],
        [np.nan, np.inf, -np.inf],
        [np.nan, -np.inf, 1.5],
        [np.nan, 1.0],
        [np.inf, 1.0e-5, 3.0],
        [-np.inf, 0.0, 2.0],
        [np.nan, 1.0e10],
        [np.nan, 0.0, -0.0],
    ],
)
def test_nan_and_inf(values, dtype):
    check(np.array(values, dtype=dtype))
    check(np.array([values, values], dtype=dtype))


def test_float16():
    rng = np.random.default_rng(3)
    check(rng.standard_normal((3, 4)).astype(np.float16))
    check(np.array([1.0, 2.0, 60000.0], dtype=np.float16))
    check(np.array([1.0e-7, 1.0], dtype=np.float16))


@pytest.mark.parametrize("dtype", INTS)
def test_int_dtypes(dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(1)
    check(rng.integers(info.min, info.max, size=(3, 4), dtype=dtype, endpoint=True))
    check(rng.integers(0, 10, size=7, dtype=dtype))
    check(np.array([info.min, info.max], dtype=dtype))
    check(np.array(5, dtype=dtype))


def test_bool():
    # torch pads "True" to the width of "False"
    assert check(np.array([True, False])) == "tensor([ True, False])"
    check(np.array([True, True]))
    check(np.array([[True, False, True], [False, False, False]]))
    check(np.array(True))
    check(np.array(False))


# ------------------------------------------------------------------------------------------
# Shapes
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
def test_zero_dim(dtype):
    for value in [0, 1, -3, 2.5, 1.0e-6, 123456.789, 1.0e12]:
        if dtype == np.bool_ or (np.dtype(dtype).kind == "i" and value not in (0, 1, -3)):
            continue
        check(np.array(value, dtype=dtype))
    if dtype == np.bool_:
        check(np.array(True))
        check(np.array(False))
    if dtype in FLOATS:
        check(np.array(np.nan, dtype=dtype))
        check(np.array(-np.inf, dtype=dtype))
        check(np.array(-0.0, dtype=dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 4), (0, 0)])
def test_empty(dtype, shape):
    check(np.zeros(shape, dtype=dtype))


def test_empty_examples():
    assert check(np.zeros((0,), np.float32)) == "tensor([])"
    assert check(np.zeros((0, 3), np.float32)) == "tensor([], size=(0, 3))"
    assert check(np.zeros((0,), np.int64)) == "tensor([], dtype=torch.int64)"


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_])
def test_three_and_four_dims(dtype):
    rng = np.random.default_rng(2)
    for shape in [(2, 3, 4), (1, 1, 1), (2, 1, 3), (2, 2, 2, 2), (1, 2, 1, 2, 1)]:
        a = rng.standard_normal(shape) * 10
        check(a.astype(dtype) if dtype != np.bool_ else a > 0)


# ------------------------------------------------------------------------------------------
# Summarised and wrapped output
# ------------------------------------------------------------------------------------------


def test_summarised_vectors():
    rng = np.random.default_rng(4)
    check(np.arange(2000))
    check(np.arange(1001, dtype=np.float32))
    check(np.arange(1000, dtype=np.float32))  # exactly the threshold: not summarised
    check(rng.standard_normal(2000).astype(np.float32))
    check(rng.standard_normal(2000))


def test_summarised_matrices_and_blocks():
    rng = np.random.default_rng(5)
    check(rng.standard_normal((100, 100)).astype(np.float32))
    check(np.arange(10000).reshape(100, 100))
    check(rng.standard_normal((10, 20, 30)).astype(np.float32))
    check(rng.standard_normal((2, 600)).astype(np.float32))  # short first dimension
    check(rng.standard_normal((600, 2)).astype(np.float32))
    check(rng.standard_normal((5, 5, 5, 5, 5)).astype(np.float32))


def test_summary_only_formats_the_shown_values():
    # The hidden middle holds a huge and a tiny value; only the edges decide the format.
    a = np.ones(2000, dtype=np.float32)
    a[1000], a[1001] = 1.0e20, 1.0e-20
    check(a)


def test_million_elements():
    """Printing reads only the edges it shows (speed is a benchmark matter, not a test)."""
    a = np.random.default_rng(6).standard_normal(1_000_000).astype(np.float32)
    check(a)
    check(a.reshape(1000, 1000))


def test_long_vectors_wrap():
    rng = np.random.default_rng(7)
    check(rng.standard_normal(30).astype(np.float32))
    check(np.arange(100))
    check(rng.standard_normal(25) * 1.0e5)  # sci mode, float64 suffix
    check(rng.standard_normal((3, 40)).astype(np.float32))  # rows wrap at a deeper indent
    check(rng.standard_normal((2, 2, 40)).astype(np.float32))
    check(np.arange(1, 500, dtype=np.float32) * 1000.0)


def test_suffixes_wrap_onto_a_new_line():
    rng = np.random.default_rng(8)
    for n in range(1, 14):
        check(rng.standard_normal(n), requires_grad=True)  # dtype= and requires_grad=
        check(rng.standard_normal(n).astype(np.float32), requires_grad=True)
        check(np.arange(n, dtype=np.int32))


# ------------------------------------------------------------------------------------------
# Autograd suffixes and Parameter
# ------------------------------------------------------------------------------------------


def test_requires_grad_leaf():
    check(np.array([1.0, 2.0], np.float32), requires_grad=True)
    check(np.array([[1.5, -2.0], [3.0, 4.0]]), requires_grad=True)
    check(np.array(2.0, np.float64), requires_grad=True)


def test_grad_fn():
    a = np.array([[0.5, -1.25], [3.0, 4.0]], dtype=np.float32)
    x = torch.from_numpy(a).requires_grad_()
    assert check_tensor(x * 2) == (
        "tensor([[ 1.0000, -2.5000],\n        [ 6.0000,  8.0000]], grad_fn=<MulBackward0>)"
    )
    check_tensor(x.sum())
    check_tensor(x + 1)
    check_tensor(x.mean())
    x64 = torch.from_numpy(a.astype(np.float64)).requires_grad_()
    check_tensor(x64 @ x64)  # dtype= and grad_fn= suffixes together
    check_tensor(torch.from_numpy(np.arange(40.0)).requires_grad_() * 3)


def test_parameter():
    rng = np.random.default_rng(9)
    p = torch.nn.Parameter(torch.from_numpy(np.array([1.0, 2.0], np.float32)))
    assert check_tensor(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    check_tensor(torch.nn.Parameter(torch.from_numpy(rng.standard_normal((3, 2)).astype("f4"))))
    check_tensor(torch.nn.Parameter(torch.from_numpy(rng.standard_normal(4))))
    check_tensor(torch.nn.Parameter(torch.from_numpy(np.array(0.5, np.float32))))
    frozen = torch.from_numpy(np.array([1.0], np.float32))
    check_tensor(torch.nn.Parameter(frozen, requires_grad=False))


# ------------------------------------------------------------------------------------------
# Print options
# ------------------------------------------------------------------------------------------


def torch_options() -> dict:
    return torch._tensor_str.get_printoptions()


def test_default_options_match_torch():
    assert get_printoptions() == torch_options()
    assert get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


@pytest.mark.parametrize(
    "options",
    [
        {"precision": 2},
        {"precision": 0},
        {"precision": 8},
        {"sci_mode": False},
        {"sci_mode": True},
        {"profile": "full"},
        {"profile": "short"},
        {"profile": "full", "precision": 6},
        {"threshold": 5},
        {"threshold": 5, "edgeitems": 1},
        {"threshold": 5, "edgeitems": 0},
        {"edgeitems": 1, "threshold": 20},
        {"linewidth": 40},
        {"linewidth": 5},
        {"linewidth": 200},
    ],
)
def test_set_printoptions(options):
    set_both(**options)
    assert get_printoptions() == torch_options()
    rng = np.random.default_rng(10)
    check(np.array([1.12345, -20.5], np.float32))
    check(np.array([1.0e-6, 3.0e-5, 0.25], np.float32))
    check(np.array([1.0e10, 2.0]))
    check(np.array([0.0, 0.0], np.float32))
    check(np.array([np.nan, 1.5], np.float32))
    check(np.array(3.14159, np.float32))
    check(np.arange(10))
    check(rng.standard_normal(2000).astype(np.float32))
    check(rng.standard_normal((30, 40)).astype(np.float32))
    check(rng.standard_normal((3, 4, 5)), requires_grad=True)


def test_precision_example_from_torch_docs():
    set_both(precision=2)
    assert check(np.array([1.12345], np.float32)) == "tensor([1.12])"
    set_both(threshold=5)
    assert check(np.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    set_both(profile="default")
    assert check(np.array([1.12345], np.float32)) == "tensor([1.1235])"


def test_sci_mode_resets_with_every_call():
    set_both(sci_mode=True)
    set_both(precision=3)  # like torch, this puts sci_mode back to None
    assert get_printoptions() == torch_options()
    check(np.array([1.5, 2.5], np.float32))


def test_full_profile_prints_everything():
    set_both(profile="full")
    check(np.arange(2000, dtype=np.float32))
    check(np.random.default_rng(11).standard_normal((40, 40)).astype(np.float32))


def test_default_dtype_float64():
    torch.set_default_dtype(torch.float64)
    _dtype.set_default_dtype(_dtype.float64)
    assert "dtype" not in check(np.array([1.5, 2.0]))
    assert "dtype=torch.float32" in check(np.array([1.5, 2.0], np.float32))
    check(np.zeros((0,), np.float32))
    check(np.zeros((0,), np.float64))


# ------------------------------------------------------------------------------------------
# torch.Size
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (0, 3), (1, 2, 3, 4)])
def test_size_repr(shape):
    assert size_repr(shape) == repr(torch.Size(shape))


# ------------------------------------------------------------------------------------------
# Random sweep over shapes, dtypes, special values and options
# ------------------------------------------------------------------------------------------


def _random_array(rng: np.random.Generator) -> np.ndarray:
    ndim = int(rng.integers(0, 5))
    shape = tuple(int(n) for n in rng.integers(1, 6 if ndim > 2 else 15, size=ndim))
    kind = rng.choice(["float32", "float64", "float16", "int", "bool"], p=[0.4, 0.3, 0.1, 0.1, 0.1])
    if kind == "bool":
        return rng.random(shape) > 0.5
    if kind == "int":
        dtype = np.dtype(rng.choice(INTS))
        info = np.iinfo(dtype)
        bound = int(rng.choice([10, 1000, 10**12]))
        return rng.integers(max(info.min, -bound), min(info.max, bound), size=shape, dtype=dtype)
    # One magnitude for the whole tensor, or a different one for every element.
    exponent_shape = shape if rng.random() < 0.5 else ()
    a = rng.standard_normal(shape) * 10.0 ** rng.uniform(-9, 11, size=exponent_shape)
    if rng.random() < 0.3:
        a = np.round(a)  # integral floats
    mask = rng.random(shape)
    a = np.where(mask < 0.05, np.nan, a)
    a = np.where((mask >= 0.05) & (mask < 0.1), np.inf * np.sign(a - 0.5), a)
    a = np.where((mask >= 0.1) & (mask < 0.15), 0.0, a)
    with np.errstate(over="ignore"):
        return np.asarray(a, dtype=kind)


@pytest.mark.parametrize("seed", range(20))
def test_random_sweep(seed):
    rng = np.random.default_rng(1000 + seed)
    for _ in range(25):
        check(_random_array(rng), requires_grad=False)


@pytest.mark.parametrize("seed", range(10))
def test_random_sweep_with_options(seed):
    rng = np.random.default_rng(2000 + seed)
    set_both(
        precision=int(rng.integers(0, 7)),
        threshold=int(rng.integers(1, 60)),
        edgeitems=int(rng.integers(0, 4)),
        linewidth=int(rng.integers(10, 120)),
        sci_mode=[None, True, False][int(rng.integers(0, 3))],
    )
    assert get_printoptions() == torch_options()
    for _ in range(25):
        check(_random_array(rng))
