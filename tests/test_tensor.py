"""Tensor creation, type promotion, attributes, conversion, printing, in-place ops and NumPy
interop, each compared with real torch (the oracle).

Most cases are one lambda taking the module (``t``): the test runs it with torch and with
glasstorch and compares dtype, shape and values (bit for bit unless noted), or checks that
both raise the same exception type with torch's message.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402


def same(ours: Any, theirs: Any, exact: bool = True) -> None:
    """Same type of result, dtype, shape and values (bitwise when ``exact``)."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, glasstorch.Tensor), f"got {type(ours).__name__}, not a Tensor"
        assert repr(ours.dtype) == repr(theirs.dtype), f"dtype {ours.dtype} != {theirs.dtype}"
        assert tuple(ours.shape) == tuple(theirs.shape), f"shape {ours.shape} != {theirs.shape}"
        a, b = ours.detach().numpy(), theirs.detach().numpy()
        if exact or b.dtype.kind in "biu":
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=2e-3 if b.dtype == np.float16 else 1e-6)
    else:
        assert type(ours) is type(theirs), f"{type(ours).__name__} != {type(theirs).__name__}"
        assert ours == theirs


def compare(case: Callable[[Any], Any], exact: bool = True) -> None:
    """Run ``case`` with both libraries: the same result, or the same exception type."""
    try:
        theirs = case(torch)
    except Exception as err:  # noqa: BLE001
        with pytest.raises(type(err)):
            case(glasstorch)
        return
    ours = case(glasstorch)
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            same(o, t, exact)
    else:
        same(ours, theirs, exact)


def cases(*items: tuple[str, Callable[[Any], Any]]) -> Any:
    return pytest.mark.parametrize("case", [pytest.param(f, id=name) for name, f in items])


# ----------------------------------------------------------------------------- creation
@cases(
    ("float_scalar", lambda t: t.tensor(3.5)),
    ("int_scalar", lambda t: t.tensor(3)),
    ("bool_scalar", lambda t: t.tensor(True)),
    ("int_list", lambda t: t.tensor([1, 2, 3])),
    ("mixed_list", lambda t: t.tensor([1, 2.5, True])),
    ("nested", lambda t: t.tensor([[1, 2], [3, 4]])),
    ("nested_float", lambda t: t.tensor([[1.0], [2.5]])),
    ("empty", lambda t: t.tensor([])),
    ("bool_list", lambda t: t.tensor([True, False])),
    ("tuple", lambda t: t.tensor((1.5, 2.5))),
    ("with_dtype", lambda t: t.tensor([1, 2], dtype=t.float32)),
    ("float_to_int_dtype", lambda t: t.tensor([[1.7, -1.7]], dtype=t.int64)),
    ("float64_dtype", lambda t: t.tensor(2.5, dtype=t.float64)),
    ("from_int32_array", lambda t: t.tensor(np.array([1, 2], dtype=np.int32))),
    ("from_float64_array", lambda t: t.tensor(np.array([0.1, 0.2]))),
    ("from_np_float64_scalar", lambda t: t.tensor(np.float64(2.5))),
    ("from_np_int32_scalar", lambda t: t.tensor(np.int32(3))),
    ("list_of_np_float64", lambda t: t.tensor([np.float64(1.0), 2.0])),
    ("list_of_np_float32", lambda t: t.tensor([np.float32(1.0), 2])),
    ("list_of_np_int32", lambda t: t.tensor([np.int32(1), 2])),
    ("list_of_0d_tensors", lambda t: t.tensor([t.tensor(1.5), t.tensor(2.5)])),
    ("ragged", lambda t: t.tensor([[1, 2], [3]])),
    ("string", lambda t: t.tensor("abc")),
    ("as_tensor_list", lambda t: t.as_tensor([1.5, 2])),
    ("as_tensor_array", lambda t: t.as_tensor(np.arange(3))),
    ("as_tensor_array_dtype", lambda t: t.as_tensor(np.arange(3), dtype=t.float32)),
    ("from_numpy", lambda t: t.from_numpy(np.array([[1.0, 2.0]], dtype=np.float32))),
    ("from_numpy_uint8", lambda t: t.from_numpy(np.array([1, 255], dtype=np.uint8))),
    ("FloatTensor_data", lambda t: t.FloatTensor([1, 2])),
    ("LongTensor_data", lambda t: t.LongTensor([1.7, 2])),
    ("DoubleTensor_data", lambda t: t.DoubleTensor([[1, 2]])),
    ("Tensor_data", lambda t: t.Tensor([1, 2])),
    ("zeros", lambda t: t.zeros(2, 3)),
    ("zeros_tuple", lambda t: t.zeros((2, 3))),
    ("zeros_list", lambda t: t.zeros([4])),
    ("zeros_0d", lambda t: t.zeros(())),
    ("zeros_size", lambda t: t.zeros(t.Size([2, 1]))),
    ("zeros_int", lambda t: t.zeros(2, dtype=t.int64)),
    ("zeros_negative", lambda t: t.zeros(-1)),
    ("ones", lambda t: t.ones(3)),
    ("ones_bool", lambda t: t.ones(2, 2, dtype=t.bool)),
    ("full_int", lambda t: t.full((2, 3), 7)),
    ("full_float", lambda t: t.full((2,), 1.5)),
    ("full_bool", lambda t: t.full((2,), True)),
    ("full_dtype", lambda t: t.full([2], 2, dtype=t.float32)),
    ("eye", lambda t: t.eye(3)),
    ("eye_rect", lambda t: t.eye(2, 4)),
    ("eye_int", lambda t: t.eye(3, dtype=t.int64)),
    ("zeros_like", lambda t: t.zeros_like(t.tensor([[1, 2]]))),
    ("ones_like_dtype", lambda t: t.ones_like(t.tensor([1, 2]), dtype=t.float64)),
    ("full_like", lambda t: t.full_like(t.tensor([1.5, 2.5]), 3)),
    ("full_like_int", lambda t: t.full_like(t.tensor([1, 2]), 3.7)),
    ("arange", lambda t: t.arange(5)),
    ("arange_start", lambda t: t.arange(1, 4)),
    ("arange_step", lambda t: t.arange(0, 10, 3)),
    ("arange_neg_step", lambda t: t.arange(10, 0, -2)),
    ("arange_float_end", lambda t: t.arange(1.5)),
    ("arange_tenths", lambda t: t.arange(0, 1, 0.1)),
    ("arange_quarters", lambda t: t.arange(-1, 1, 0.25)),
    ("arange_float_start", lambda t: t.arange(0.5, 3)),
    ("arange_odd_step", lambda t: t.arange(-3.3, 7.1, 0.37)),
    ("arange_dtype", lambda t: t.arange(5, dtype=t.float32)),
    ("arange_float64", lambda t: t.arange(0, 1, 0.1, dtype=t.float64)),
    ("arange_bad_step", lambda t: t.arange(0, 5, -1)),
    ("linspace_int_dtype", lambda t: t.linspace(0, 10, 5, dtype=t.int64)),
    ("linspace_empty", lambda t: t.linspace(2, 2, 0)),
    ("linspace_one", lambda t: t.linspace(0, 1, 1)),
    ("linspace_float64", lambda t: t.linspace(-1, 1, 9, dtype=t.float64)),
)
def test_creation(case: Callable[[Any], Any]) -> None:
    compare(case)


@pytest.mark.parametrize("start, end, steps", [
    (0, 1, 5), (-1, 1, 7), (0, 10, 11), (0, 1, 100), (-3.7, 2.2, 33), (1e-3, 1.0, 50),
    (-10, 10, 1000), (0, 2 * np.pi, 64), (5, -5, 20), (0.1, 0.7, 3), (0, 1, 2),
])
def test_linspace_is_bit_exact(start: float, end: float, steps: int) -> None:
    compare(lambda t: t.linspace(start, end, steps))


@pytest.mark.parametrize("start, end, step", [
    (0, 1, 0.1), (0, 2, 0.01), (-5, 5, 0.3), (1, 100, 7.5), (0, 3.14159, 0.05), (2.5, -1, -0.7),
])
def test_arange_is_bit_exact(start: float, end: float, step: float) -> None:
    compare(lambda t: t.arange(start, end, step))


@cases(
    ("empty", lambda t: t.empty(2, 3)),
    ("empty_dtype", lambda t: t.empty((4,), dtype=t.int64)),
    ("empty_like", lambda t: t.empty_like(t.tensor([1.0, 2.0]))),
    ("FloatTensor_sizes", lambda t: t.FloatTensor(2, 3)),
    ("Tensor_sizes", lambda t: t.Tensor(3)),
    ("Tensor_empty", lambda t: t.Tensor()),
)
def test_uninitialised_creation_dtype_and_shape(case: Callable[[Any], Any]) -> None:
    ours, theirs = case(glasstorch), case(torch)
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)


def test_requires_grad_in_factories() -> None:
    for lib in (torch, glasstorch):
        assert lib.zeros(2, requires_grad=True).requires_grad
        assert lib.tensor([1.0], requires_grad=True).is_leaf
        assert lib.ones(2, dtype=lib.float64, requires_grad=True).requires_grad
        with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
            lib.zeros(2, dtype=lib.int64, requires_grad=True)


def test_from_numpy_shares_memory_both_ways() -> None:
    arr = np.array([1.0, 2.0, 3.0])
    t = glasstorch.from_numpy(arr)
    arr[0] = 10.0
    assert t[0].item() == 10.0
    t[1] = 20.0
    assert arr[1] == 20.0
    assert t.dtype == glasstorch.float64


def test_as_tensor_shares_memory_only_without_conversion() -> None:
    arr = np.array([1, 2, 3])
    shared = glasstorch.as_tensor(arr)
    copied = glasstorch.as_tensor(arr, dtype=glasstorch.float32)
    arr[0] = 9
    assert shared[0].item() == 9
    assert copied[0].item() == 1.0
    t = glasstorch.tensor([1.0])
    assert glasstorch.as_tensor(t) is t


def test_tensor_copies_its_data() -> None:
    arr = np.array([1.0, 2.0])
    t = glasstorch.tensor(arr)
    arr[0] = 5.0
    assert t[0].item() == 1.0


def test_tensor_from_tensor_warns_like_torch() -> None:
    for lib in (torch, glasstorch):
        with pytest.warns(UserWarning, match="To copy construct from a tensor, it is recommended "
                                             "to use sourceTensor.detach\\(\\).clone\\(\\)"):
            lib.tensor(lib.tensor([1.0]))


def test_from_numpy_rejects_unsupported_dtype() -> None:
    for lib in (torch, glasstorch):
        with pytest.raises(TypeError, match="can't convert np.ndarray of type"):
            lib.from_numpy(np.array(["a"]))


def test_legacy_isinstance_checks() -> None:
    for lib in (torch, glasstorch):
        assert isinstance(lib.tensor([1.0]), lib.FloatTensor)
        assert not isinstance(lib.tensor([1]), lib.FloatTensor)
        assert isinstance(lib.tensor([1]), lib.LongTensor)
        assert isinstance(lib.tensor([1]), lib.Tensor)


# ----------------------------------------------------------------------------- promotion
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [2, 2.5, True, -1]


def _values_for(dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    if dtype == "bool":
        return np.resize(np.array([True, False, True]), shape)
    return np.resize(np.array([1, 2, 3], dtype=dtype), shape)


def _promotion_mismatches(op: Callable[[Any, Any], Any], left: Any, right: Any) -> list[str]:
    """Run ``op`` on every dtype pair; return a line for each difference from torch."""
    problems = []
    for da in DTYPES:
        for db in DTYPES:
            a, b = _values_for(da, left), _values_for(db, right)
            try:
                theirs = op(torch.tensor(a), torch.tensor(b))
            except Exception as err:  # noqa: BLE001
                try:
                    op(glasstorch.tensor(a), glasstorch.tensor(b))
                    problems.append(f"{da},{db}: torch raises {type(err).__name__}, we don't")
                except Exception as ours_err:  # noqa: BLE001
                    if type(ours_err) is not type(err):
                        problems.append(
                            f"{da},{db}: {type(ours_err).__name__} != {type(err).__name__}")
                continue
            try:
                same(op(glasstorch.tensor(a), glasstorch.tensor(b)), theirs, exact=False)
            except Exception as err:  # noqa: BLE001
                problems.append(f"{da},{db}: {type(err).__name__}: {str(err).splitlines()[0]}")
    return problems


BINARY_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / b,
    "floordiv": lambda a, b: a // b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "maximum": lambda a, b: (torch if isinstance(a, torch.Tensor) else glasstorch).maximum(a, b),
    "where": lambda a, b: (torch if isinstance(a, torch.Tensor) else glasstorch).where(
        a > 1, a, b),
}
LAYOUTS = {"dim_dim": ((3,), (3,)), "dim_0d": ((3,), ()), "0d_dim": ((), (3,)), "0d_0d": ((), ())}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("op", list(BINARY_OPS))
def test_promotion_of_tensor_pairs(op: str, layout: str) -> None:
    problems = _promotion_mismatches(BINARY_OPS[op], *LAYOUTS[layout])
    assert not problems, "\n".join(problems)


SCALAR_OPS = {
    "add": lambda a, s: a + s,
    "radd": lambda a, s: s + a,
    "sub": lambda a, s: a - s,
    "rsub": lambda a, s: s - a,
    "mul": lambda a, s: a * s,
    "truediv": lambda a, s: a / s,
    "rtruediv": lambda a, s: s / a,
    "floordiv": lambda a, s: a // s,
    "mod": lambda a, s: a % s,
    "pow": lambda a, s: a ** s,
    "rpow": lambda a, s: s ** a,
    "gt": lambda a, s: a > s,
    "eq": lambda a, s: a == s,
    "np_float64": lambda a, s: a + np.float64(s),
    "np_int64": lambda a, s: a * np.int64(int(s)),
}


@pytest.mark.parametrize("dims", [(3,), ()], ids=["dim", "0d"])
@pytest.mark.parametrize("op", list(SCALAR_OPS))
def test_promotion_with_python_scalars(op: str, dims: tuple[int, ...]) -> None:
    problems = []
    for dtype in DTYPES:
        for scalar in SCALARS:
            def case(t: Any, dtype: str = dtype, scalar: Any = scalar) -> Any:
                return SCALAR_OPS[op](t.tensor(_values_for(dtype, dims)), scalar)

            try:
                compare(case, exact=False)
            except BaseException as err:  # noqa: BLE001 - collect every difference
                problems.append(f"{dtype} {op} {scalar!r}: {str(err).splitlines()[0]}")
    assert not problems, "\n".join(problems)


@cases(
    ("float32_plus_float_scalar", lambda t: t.tensor([1.0, 2.0]) + 0.1),
    ("float32_times_huge_scalar", lambda t: t.tensor([1.0]) * 1e300),
    ("int_true_division", lambda t: t.tensor([1, 2]) / t.tensor([2, 4])),
    ("int_true_division_scalar", lambda t: t.tensor([1, 3]) / 2),
    ("int_plus_float_scalar", lambda t: t.tensor([1, 2]) + 0.5),
    ("int32_plus_int_scalar", lambda t: t.tensor([1, 2], dtype=t.int32) + 5),
    ("uint8_wraps", lambda t: t.tensor([1], dtype=t.uint8) - 2),
    ("bool_plus_int", lambda t: t.tensor([True, False]) + 1),
    ("bool_plus_bool", lambda t: t.tensor([True, False]) + t.tensor([True, True])),
    ("bool_times_float", lambda t: t.tensor([True, False]) * 1.5),
    ("int_tensor_plus_0d_float64", lambda t: t.tensor([1, 2]) + t.tensor(1.5, dtype=t.float64)),
    ("float32_plus_0d_float64", lambda t: t.tensor([1.0]) + t.tensor(1.5, dtype=t.float64)),
    ("float16_plus_0d_float64",
     lambda t: t.tensor([1.0], dtype=t.float16) + t.tensor(1.5, dtype=t.float64)),
    ("int32_plus_0d_int64", lambda t: t.tensor([1], dtype=t.int32) + t.tensor(7)),
    ("0d_plus_0d", lambda t: t.tensor(1, dtype=t.int32) + t.tensor(2.5, dtype=t.float64)),
    ("comparison_is_bool", lambda t: t.tensor([1.0, 2.0]) > 1),
    ("int_pow_negative", lambda t: t.tensor([2]) ** -1),
    ("int_pow_float", lambda t: t.tensor([2]) ** 0.5),
    ("two_bool_sub", lambda t: t.tensor([True]) - t.tensor([False])),
    ("bool_sub_scalar", lambda t: t.tensor([True]) - 1),
    ("int_minus_bool", lambda t: t.tensor([3]) - t.tensor([True])),
    ("float_minus_true", lambda t: t.tensor([1.0]) - True),
    ("bool_neg", lambda t: -t.tensor([True])),
    ("mean_of_int", lambda t: t.tensor([1, 2]).mean()),
    ("sum_of_bool", lambda t: t.tensor([True, True, False]).sum()),
    ("sum_of_int32", lambda t: t.tensor([1, 2], dtype=t.int32).sum()),
    ("promote_types", lambda t: t.tensor([1], dtype=t.promote_types(t.uint8, t.int8))),
    ("result_int_float", lambda t: t.tensor([1], dtype=t.promote_types(t.int64, t.float32))),
    ("int_floor_div_by_zero", lambda t: t.tensor([1]) // 0),
)
def test_promotion_cases(case: Callable[[Any], Any]) -> None:
    compare(case)


def test_mean_of_int_tensor_message() -> None:
    for lib in (torch, glasstorch):
        with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype. Input "
                                               "dtype must be either a floating point or complex "
                                               "dtype. Got: Long"):
            lib.tensor([1, 2]).mean()


def test_bool_subtraction_messages() -> None:
    for lib in (torch, glasstorch):
        with pytest.raises(RuntimeError, match="with two bool tensors is not supported. Use the "
                                               "`\\^` or `logical_xor\\(\\)` operator instead"):
            lib.tensor([True]) - lib.tensor([True])
        with pytest.raises(RuntimeError, match="with a bool tensor is not supported. If you are "
                                               "trying to invert a mask, use the `~`"):
            1 - lib.tensor([True])


def test_default_dtype_float64() -> None:
    for lib in (torch, glasstorch):
        lib.set_default_dtype(lib.float64)
        try:
            assert lib.tensor(1.5).dtype == lib.float64
            assert (lib.tensor([1, 2]) / 2).dtype == lib.float64
            assert (lib.tensor([1, 2]) + 0.5).dtype == lib.float64
            assert lib.zeros(2).dtype == lib.float64
            assert lib.arange(0, 1, 0.5).dtype == lib.float64
            assert (lib.tensor([1.0], dtype=lib.float32) * 2.5).dtype == lib.float32
        finally:
            lib.set_default_dtype(lib.float32)
        assert lib.tensor(1.5).dtype == lib.float32


# ----------------------------------------------------------------------------- attributes
def _matrix(t: Any) -> Any:
    return t.tensor([[1.5, -2.0, 3.0], [4.0, 5.25, -6.0]])


@cases(
    ("shape", lambda t: tuple(_matrix(t).shape)),
    ("shape_repr", lambda t: repr(_matrix(t).shape)),
    ("size", lambda t: repr(_matrix(t).size())),
    ("size_dim", lambda t: _matrix(t).size(1)),
    ("size_neg_dim", lambda t: _matrix(t).size(-1)),
    ("size_bad_dim", lambda t: _matrix(t).size(2)),
    ("dim", lambda t: _matrix(t).dim()),
    ("ndim", lambda t: _matrix(t).ndim),
    ("numel", lambda t: _matrix(t).numel()),
    ("nelement", lambda t: _matrix(t).nelement()),
    ("dtype_repr", lambda t: repr(_matrix(t).dtype)),
    ("dtype_str", lambda t: str(t.tensor([1]).dtype)),
    ("T", lambda t: _matrix(t).T),
    ("mT", lambda t: _matrix(t).mT),
    ("len", lambda t: len(_matrix(t))),
    ("len_0d", lambda t: len(t.tensor(1.0))),
    ("item", lambda t: t.tensor([[2.5]]).item()),
    ("item_int", lambda t: t.tensor(7).item()),
    ("item_bool", lambda t: t.tensor(True).item()),
    ("item_many", lambda t: _matrix(t).item()),
    ("tolist", lambda t: _matrix(t).tolist()),
    ("tolist_int", lambda t: t.tensor([[1, 2]]).tolist()),
    ("tolist_0d", lambda t: t.tensor(2.5).tolist()),
    ("float", lambda t: t.tensor([1, 2]).float()),
    ("double", lambda t: _matrix(t).double()),
    ("half", lambda t: _matrix(t).half()),
    ("long", lambda t: _matrix(t).long()),
    ("int", lambda t: _matrix(t).int()),
    ("bool", lambda t: _matrix(t).bool()),
    ("to_dtype", lambda t: _matrix(t).to(t.int64)),
    ("to_dtype_kw", lambda t: _matrix(t).to(dtype=t.float64)),
    ("to_cpu", lambda t: _matrix(t).to("cpu")),
    ("to_tensor", lambda t: t.tensor([1, 2]).to(_matrix(t))),
    ("to_cpu_dtype", lambda t: _matrix(t).to("cpu", t.float64)),
    ("cpu", lambda t: _matrix(t).cpu()),
    ("clone", lambda t: _matrix(t).clone()),
    ("contiguous", lambda t: _matrix(t).t().contiguous()),
    ("is_contiguous", lambda t: _matrix(t).t().is_contiguous()),
    ("data", lambda t: _matrix(t).requires_grad_().data),
    ("type", lambda t: _matrix(t).type()),
    ("type_long", lambda t: t.tensor([1, 2]).type()),
    ("type_convert_str", lambda t: _matrix(t).type("torch.LongTensor")),
    ("type_convert_class", lambda t: _matrix(t).type(t.DoubleTensor)),
    ("type_convert_dtype", lambda t: _matrix(t).type(t.int32)),
    ("is_floating_point", lambda t: _matrix(t).is_floating_point()),
    ("element_size", lambda t: _matrix(t).element_size()),
    ("device", lambda t: repr(_matrix(t).device)),
    ("device_type", lambda t: _matrix(t).device.type),
    ("is_cuda", lambda t: _matrix(t).is_cuda),
    ("float_of_0d", lambda t: float(t.tensor(2.5))),
    ("int_of_0d", lambda t: int(t.tensor(3.9))),
    ("bool_of_0d", lambda t: bool(t.tensor(0.0))),
    ("bool_of_many", lambda t: bool(t.tensor([1.0, 2.0]))),
    ("index_with_0d_long", lambda t: [10, 20, 30][t.tensor(2)]),
    ("stride", lambda t: _matrix(t).t().stride()),
    ("eq_scalar_bool", lambda t: t.tensor(2.0) == 2),
)
def test_attributes_and_conversion(case: Callable[[Any], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(case)


def test_to_returns_self_when_nothing_changes() -> None:
    for lib in (torch, glasstorch):
        x = lib.tensor([1.0])
        assert x.to(lib.float32) is x
        assert x.to("cpu") is x
        assert x.cpu() is x
        assert x.contiguous() is x
        assert x.float() is x
        assert x.to(lib.float32, copy=True) is not x


def test_clone_and_data_memory() -> None:
    for lib in (torch, glasstorch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        c = x.clone()
        assert c.grad_fn is not None and c.grad_fn.name() == "CloneBackward0"
        d = x.data
        assert not d.requires_grad and d.is_leaf
        d[0] = 5.0  # .data shares memory
        assert x[0].item() == 5.0
        with lib.no_grad():
            c[1] = 9.0  # clone does not
        assert x[1].item() == 2.0


def test_numpy_conversion_shares_memory() -> None:
    for lib in (torch, glasstorch):
        x = lib.tensor([1.0, 2.0])
        arr = x.numpy()
        arr[0] = 7.0
        assert x[0].item() == 7.0
        with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires "
                                               "grad. Use tensor.detach\\(\\).numpy\\(\\) instead"):
            lib.tensor([1.0], requires_grad=True).numpy()


def test_T_warns_on_1d_like_torch() -> None:
    for lib in (torch, glasstorch):
        with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other"):
            _ = lib.tensor([1.0, 2.0]).T


# ----------------------------------------------------------------------------- printing
@cases(
    ("sum_with_grad_fn", lambda t: (t.tensor([1.5, 2.0], requires_grad=True) * 2).sum()),
    ("mean", lambda t: t.tensor([[1.0, 2.0], [3.0, 4.5]], requires_grad=True).mean()),
    ("linear_layer", lambda t: t.tensor([[0.5, -1.0]], requires_grad=True)
     @ t.tensor([[1.0], [2.0]]) + t.tensor([0.1])),
    ("sigmoid", lambda t: t.tensor([-1.0, 0.0, 2.0], requires_grad=True).sigmoid()),
    ("leaf_requires_grad", lambda t: t.tensor([1.0, 2.0], requires_grad=True)),
    ("float64", lambda t: t.tensor([1.0, 2.0], dtype=t.float64) * 3),
    ("int_division", lambda t: t.tensor([1, 2, 3]) / 3),
    ("big_and_small", lambda t: t.tensor([1e-5, 1.0, 12345.678])),
    ("grad_after_backward", lambda t: _grad_of(t)),
    ("int64", lambda t: t.arange(6).reshape(2, 3) * 2),
    ("bool", lambda t: t.tensor([1.0, -1.0]) > 0),
    ("0d_int", lambda t: t.tensor([1, 2, 3]).sum()),
    ("scalar_loss", lambda t: ((t.tensor([1.0, 2.0], requires_grad=True) - t.tensor([1.5, 1.0]))
                               ** 2).mean()),
    ("neg_zero", lambda t: -t.tensor([0.0, 1.0])),
    ("nan_inf", lambda t: t.tensor([1.0, 0.0]) / 0),
    ("linspace", lambda t: t.linspace(0, 1, 7)),
    ("div_floor_no_grad_fn", lambda t: t.tensor([1.5], requires_grad=True) // 1),
)
def test_printing_of_results(case: Callable[[Any], Any]) -> None:
    ours, theirs = case(glasstorch), case(torch)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


def _grad_of(t: Any) -> Any:
    w = t.tensor([0.5, -0.25], requires_grad=True)
    ((w * t.tensor([2.0, 4.0])).sum() ** 2).backward()
    return w.grad


@cases(
    ("fixed", lambda t: f"{t.tensor(1.23456):.4f}"),
    ("width", lambda t: f"{t.tensor(3.14159):8.3f}|"),
    ("int", lambda t: f"{t.tensor(3):d}"),
    ("int_width", lambda t: f"{t.tensor(3):5}"),
    ("plain", lambda t: f"{t.tensor(2.5)}"),
    ("bool", lambda t: f"{t.tensor(True)}"),
    ("loss_with_grad",
     lambda t: f"loss: {(t.tensor([1.0, 2.0], requires_grad=True) ** 2).mean():.4f}"),
    ("percent", lambda t: f"{t.tensor(0.8125):.1%}"),
    # str.format is what this case tests, so no f-string
    ("format_method", lambda t: "{:.2e}".format(t.tensor(12345.678))),  # noqa: UP032
    ("1d_plain", lambda t: f"{t.tensor([1.0, 2.0])}"),
    ("1d_with_spec", lambda t: f"{t.tensor([1.0, 2.0]):.2f}"),
)
def test_format_of_tensors(case: Callable[[Any], Any]) -> None:
    compare(case)


# ----------------------------------------------------------------------------- in place
def _inplace(method: str, start: Any, *args: Any, **kw: Any) -> Callable[[Any], Any]:
    def case(t: Any) -> Any:
        x = t.tensor(start)
        converted = [t.tensor(a) if isinstance(a, (list, np.ndarray)) else a for a in args]
        out = getattr(x, method)(*converted, **kw)
        assert out is x  # in-place methods return the tensor itself
        return x

    return case


def _augmented(op: str, start: Any, other: Any) -> Callable[[Any], Any]:
    def case(t: Any) -> Any:
        x = t.tensor(start)
        before = x
        value = t.tensor(other) if isinstance(other, list) else other
        if op == "-=":
            x -= value
        elif op == "*=":
            x *= value
        elif op == "+=":
            x += value
        elif op == "/=":
            x /= value
        elif op == "//=":
            x //= value
        elif op == "%=":
            x %= value
        assert x is before
        return x

    return case


@cases(
    ("add_", _inplace("add_", [1.0, 2.0], [0.5, 0.25])),
    ("add_alpha", _inplace("add_", [1.0, 2.0], [0.5, 0.25], alpha=2)),
    ("add_scalar", _inplace("add_", [1.0, 2.0], 3)),
    ("add_broadcast", _inplace("add_", [[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])),
    ("add_bad_broadcast", _inplace("add_", [1.0, 2.0, 3.0], [[1.0, 2.0, 3.0]] * 2)),
    ("add_float_to_int", _inplace("add_", [1, 2], 1.5)),
    ("add_float_tensor_to_int", _inplace("add_", [1, 2], [0.5, 0.5])),
    ("add_int_to_float", _inplace("add_", [1.0, 2.0], [1, 2])),
    ("add_float64_to_float32", _inplace("add_", [1.0, 2.0], np.array([0.1, 0.2]))),
    ("add_bool_to_int", _inplace("add_", [1, 2], True)),
    ("sub_", _inplace("sub_", [1.0, 2.0], [0.5, 0.25])),
    ("sub_int", _inplace("sub_", [5, 6], 2)),
    ("mul_", _inplace("mul_", [1.0, 2.0], 2.5)),
    ("mul_int_by_float", _inplace("mul_", [1, 2], 2.5)),
    ("div_", _inplace("div_", [1.0, 2.0], 4)),
    ("div_int", _inplace("div_", [1, 2], 2)),
    ("div_floor_int", _inplace("div_", [7, -7], 2, rounding_mode="floor")),
    ("zero_", _inplace("zero_", [1.0, 2.0])),
    ("fill_", _inplace("fill_", [1.0, 2.0], 7)),
    ("fill_int_with_float", _inplace("fill_", [1, 2], 2.7)),
    ("fill_0d_tensor", _inplace("fill_", [1.0, 2.0], np.array(3.5))),
    ("copy_", _inplace("copy_", [1.0, 2.0], [5.0, 6.0])),
    ("copy_broadcast", _inplace("copy_", [[1.0, 2.0], [3.0, 4.0]], [5.0, 6.0])),
    ("copy_float_into_int", _inplace("copy_", [0, 0], [1.7, -1.7])),
    ("copy_bad_shape", _inplace("copy_", [0.0, 0.0], [1.0, 2.0, 3.0])),
    ("clamp_", _inplace("clamp_", [-1.0, 0.5, 2.0], 0, 1)),
    ("clamp_min_", _inplace("clamp_", [-1.0, 0.5, 2.0], min=0)),
    ("clamp_int_with_float", _inplace("clamp_", [-1, 0, 2], 0.5)),
    ("neg_", _inplace("neg_", [1.0, -2.0])),
    ("sqrt_", _inplace("sqrt_", [4.0, 9.0])),
    ("exp_on_int", _inplace("exp_", [0, 1])),
    ("pow_", _inplace("pow_", [2.0, 3.0], 2)),
    ("masked_fill_",
     lambda t: t.tensor([1.0, 2.0, 3.0]).masked_fill_(t.tensor([True, False, True]), 0)),
    ("isub", _augmented("-=", [1.0, 2.0], [0.5, 0.5])),
    ("imul", _augmented("*=", [1.0, 2.0], 3)),
    ("iadd_int_float", _augmented("+=", [1, 2], 0.5)),
    ("itruediv_int", _augmented("/=", [1, 2], 2)),
    ("itruediv_float", _augmented("/=", [1.0, 2.0], 2)),
    ("ifloordiv_int", _augmented("//=", [7, -7], 2)),
    ("imod_float", _augmented("%=", [7.5, -7.5], 2)),
    ("isub_bool", _augmented("-=", [True, False], [True, True])),
)
def test_in_place_ops(case: Callable[[Any], Any]) -> None:
    compare(case)


def test_in_place_dtype_error_message() -> None:
    for lib in (torch, glasstorch):
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                               "output type Long"):
            lib.tensor([1, 2]).add_(1.5)
        x = lib.tensor([1, 2])
        with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                               "output type Long"):
            x /= 2
        with pytest.raises(RuntimeError, match="output with shape \\[3\\] doesn't match the "
                                               "broadcast shape \\[2, 3\\]"):
            lib.zeros(3).add_(lib.ones(2, 3))


def test_in_place_changes_are_seen_through_views() -> None:
    for lib in (torch, glasstorch):
        x = lib.zeros(2, 3)
        row = x[1]
        col = x[:, 0]
        row.add_(1)
        col.mul_(5)
        x.view(-1)[0] = 9
        assert x.tolist() == [[9.0, 0.0, 0.0], [5.0, 1.0, 1.0]]


# ----------------------------------------------------------------------------- numpy interop
@cases(
    ("float32_plus_np_float64", lambda t: t.tensor([1.0, 2.0]) + np.float64(2.5)),
    ("np_float64_plus_float32", lambda t: np.float64(2.5) + t.tensor([1.0, 2.0])),
    ("np_float64_times", lambda t: np.float64(0.1) * t.tensor([1.0, 2.0])),
    ("int_plus_np_int64", lambda t: t.tensor([1, 2]) + np.int64(3)),
    ("int_plus_np_float32", lambda t: t.tensor([1, 2]) + np.float32(1.5)),
    ("int_plus_np_float64", lambda t: t.tensor([1, 2]) + np.float64(1.5)),
    ("float64_plus_np_float32", lambda t: np.float32(1.5) + t.tensor([1.0], dtype=t.float64)),
    ("tensor_times_ndarray", lambda t: t.tensor([1.0, 2.0]) * np.array([1.0, 2.0])),
    ("ndarray_times_tensor", lambda t: np.array([1.0, 2.0]) * t.tensor([1.0, 2.0])),
    ("ndarray_minus_tensor", lambda t: np.array([1.0, 2.0]) - t.tensor([1.0, 2.0])),
    ("0d_ndarray_times_tensor", lambda t: np.array(2.0) * t.tensor([1.0, 2.0])),
    ("ndarray_div_tensor", lambda t: np.array([1.0, 2.0]) / t.tensor([1.0, 2.0])),
    ("ndarray_eq_tensor", lambda t: np.array([1.0, 2.0]) == t.tensor([1.0, 3.0])),
    ("ndarray_matmul_tensor", lambda t: np.ones((2, 2)) @ t.ones(2, 2)),
)
def test_numpy_operands(case: Callable[[Any], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        compare(case)


@pytest.mark.parametrize("data", [[1.0, 2.0], [[1, 2], [3, 4]], [True, False], 2.5],
                         ids=["float", "int", "bool", "0d"])
def test_np_array_of_tensor(data: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = np.array(torch.tensor(data))
        ours = np.array(glasstorch.tensor(data))
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)
        assert np.asarray(glasstorch.tensor(data)).dtype == np.asarray(torch.tensor(data)).dtype
        ours64 = np.array(glasstorch.tensor(data), dtype=np.float64)
        assert ours64.dtype == np.float64


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0, 3), (3, 0), (2, 3, 0)])
def test_empty_tensor_strides_are_torchs(shape: tuple[int, ...]) -> None:
    assert glasstorch.zeros(shape).stride() == torch.zeros(shape).stride()
    assert glasstorch.empty(shape).stride(-1) == torch.empty(shape).stride(-1)


@pytest.mark.parametrize("dtype", ["float64", "int64", "float32"])
def test_new_factories_keep_the_dtype_like_torch(dtype: str) -> None:
    def run(lib: Any) -> list[Any]:
        x = lib.ones(2, dtype=getattr(lib, dtype))
        made = [x.new_ones(3), x.new_zeros((2, 2)), x.new_full((2,), 5), x.new_tensor([1, 2]),
                x.new_empty(2, 3), x.new_ones(2, dtype=lib.float32), x.new_zeros(2, 3)]
        return [(str(t.dtype).split(".")[-1], tuple(t.shape),
                 t.tolist() if t is not made[4] else None) for t in made]
    assert run(glasstorch) == run(torch)
    assert glasstorch.ones(1).new_ones(2, requires_grad=True).requires_grad


@pytest.mark.parametrize("name", ["float16", "float32", "float64", None])
def test_finfo_like_torch(name: str | None) -> None:
    ours = glasstorch.finfo(getattr(glasstorch, name)) if name else glasstorch.finfo()
    theirs = torch.finfo(getattr(torch, name)) if name else torch.finfo()
    assert repr(ours) == repr(theirs)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_like_torch(name: str) -> None:
    ours, theirs = glasstorch.iinfo(getattr(glasstorch, name)), torch.iinfo(getattr(torch, name))
    assert repr(ours) == repr(theirs)
    assert (ours.bits, ours.min, ours.max, ours.dtype) == \
        (theirs.bits, theirs.min, theirs.max, theirs.dtype)


def test_finfo_iinfo_errors_like_torch() -> None:
    for lib in (glasstorch, torch):
        with pytest.raises(TypeError, match="requires a floating point input type"):
            lib.finfo(lib.int64)
        with pytest.raises(TypeError, match="requires an integer input type"):
            lib.iinfo(lib.float32)
        with pytest.raises(TypeError, match="torch.bool is not supported by torch.iinfo"):
            lib.iinfo(lib.bool)


def test_broadcast_tensors_like_torch() -> None:
    out = {}
    for lib in (glasstorch, torch):
        x = lib.ones(2, 1, requires_grad=True)
        a, b = lib.broadcast_tensors(x, lib.arange(3.0))
        (a * b).sum().backward()
        (same,) = lib.broadcast_tensors(x)
        out[lib.__name__] = (tuple(a.shape), tuple(b.shape), b.tolist(), x.grad.tolist(),
                             same is x)
    assert out["glasstorch"] == out["torch"]
    with pytest.raises(RuntimeError):
        glasstorch.broadcast_tensors(glasstorch.ones(2), glasstorch.ones(3))
