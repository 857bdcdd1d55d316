"""Indexing against real torch: ``x[index]``, ``x[index] = value``, gather/scatter,
index_select, masked_select, take, nonzero.

Reading: values, the whole chain of ``grad_fn`` names (torch records basic indexing as a
chain of Select/Slice/Unsqueeze nodes, then one IndexBackward0), gradients (repeated indices
must add up), which results share memory, and the errors. Writing: values, version counter,
the ``grad_fn`` torch gives the written tensor (CopySlices, IndexPutBackward0, ...), the
gradients of the old values and of the written value, and the in-place errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

try:
    from test_shape_ops import DTYPES, _arrays, compare, node_name, raises_like, shares
except ImportError:  # tests/ops became a package
    from .test_shape_ops import (  # type: ignore[no-redef]
        DTYPES,
        _arrays,
        compare,
        node_name,
        raises_like,
        shares,
    )

# ----------------------------------------------------------------------------- x[index]
# Each entry: an index built from the library module `t` (so tensors are the same for both).
GETITEM_3D: dict[str, Callable[[Any], Any]] = {
    "int": lambda t: 0,
    "neg_int": lambda t: -1,
    "slice": lambda t: slice(0, 1),
    "full_slice": lambda t: slice(None),
    "step": lambda t: slice(None, None, 2),
    "slice_past_end": lambda t: slice(1, 100),
    "slice_neg_start": lambda t: slice(-5, None),
    "empty_slice": lambda t: slice(3, 1),
    "tuple_full_slices": lambda t: (slice(None), slice(None)),
    "col": lambda t: (slice(None), 0),
    "int_int_int": lambda t: (0, 1, 2),
    "int_slice": lambda t: (1, slice(1, None)),
    "full_then_slice": lambda t: (slice(0, 2, 1), slice(1, 3)),
    "neg_start_then_slice": lambda t: (slice(-5, None), slice(1, 3)),
    "none": lambda t: None,
    "none_none": lambda t: (None, None),
    "slice_none": lambda t: (slice(1, None), None),
    "ellipsis": lambda t: Ellipsis,
    "ellipsis_none": lambda t: (Ellipsis, None),
    "ellipsis_int": lambda t: (Ellipsis, 0),
    "int_ellipsis": lambda t: (0, Ellipsis),
    "none_ellipsis_none_int": lambda t: (None, Ellipsis, None, 0),
    "int_none_slice_int": lambda t: (1, None, slice(None), 2),
    "empty_tuple": lambda t: (),
    "true": lambda t: True,
    "false": lambda t: False,
    "0d_long": lambda t: t.tensor(1),
    "0d_long_pair": lambda t: (0, t.tensor(2)),
    "0d_bool": lambda t: t.tensor(True),
    "list": lambda t: [0, 1],
    "list_dup": lambda t: [1, 1, 0, 1],
    "list_neg": lambda t: [-2, 1],
    "empty_list": lambda t: [],
    "bool_list": lambda t: [True, False],
    "long_tensor": lambda t: t.tensor([1, 0, 1]),
    "int32_tensor": lambda t: t.tensor([1, 0], dtype=t.int32),
    "long_2d": lambda t: t.tensor([[0, 1], [1, 1]]),
    "two_lists": lambda t: ([0, 1, 1], [1, 2, 2]),
    "broadcast_lists": lambda t: (t.tensor([[0], [1]]), t.tensor([0, 2, 2])),
    "int_then_list": lambda t: (0, [1, 2]),
    "list_then_int": lambda t: ([0, 1], 1),
    "int_slice_list": lambda t: (0, slice(None), [0, 3]),  # torch differs from NumPy here
    "list_slice_int": lambda t: ([0, 1], slice(None), 0),
    "slice_int_list": lambda t: (slice(None), 0, [1, 2, 1]),
    "list_slice_list": lambda t: ([0, 1], slice(None), [1, 2]),
    "slice_list_none_list": lambda t: (slice(None), [0, 1], None, [1, 2]),
    "none_slice_list": lambda t: (None, slice(None), [0, 2]),
    "slice_then_list": lambda t: (slice(1, None), [2, 0]),
    "mask_rows": lambda t: t.tensor([True, False]),
    "mask_2d": lambda t: t.tensor([[True, False, True], [False, True, True]]),
    "mask_2d_int": lambda t: (t.tensor([[True, False, True], [False, True, True]]), 0),
    "mask_2d_slice": lambda t: (t.tensor([[True, False, True], [False, True, True]]),
                                slice(1, None)),
    "mask_2d_none": lambda t: (t.tensor([[True, False, True], [False, True, True]]), None),
    "none_mask_2d": lambda t: (None, t.tensor([[True, False, True], [False, True, True]])),
    "slice_mask_int": lambda t: (slice(None), t.tensor([True, False, True]), 0),
    "mask_and_list": lambda t: (t.tensor([[True, False, True], [False, True, True]]),
                                [0, 1, 2, 3]),
    "ellipsis_mask": lambda t: (Ellipsis, t.tensor([True, False, True, True])),
    "all_false_mask": lambda t: t.tensor([False, False]),
    "list_of_lists_as_tuple": lambda t: [[0, 1], [1, 0]],  # a list of lists means a tuple
    "list_with_slice": lambda t: [0, slice(None)],
    "numpy_int": lambda t: np.int64(1),
    "numpy_array": lambda t: np.array([1, 0]),
    "numpy_0d": lambda t: np.array(1),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(GETITEM_3D))
def test_getitem_3d(name: str, dtype: str) -> None:
    x = _arrays([(2, 3, 4)], dtype)[0]
    index = GETITEM_3D[name]
    compare(lambda t, a: a[index(t)], x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (1, 4), (3, 1)])
def test_getitem_small_shapes(shape: tuple[int, ...], dtype: str) -> None:
    x = _arrays([shape], dtype)[0]
    compare(lambda t, a: a[None], x)
    compare(lambda t, a: a[...], x)
    compare(lambda t, a: a[..., None, True], x)
    compare(lambda t, a: a[a > 0], x)
    if shape:
        compare(lambda t, a: a[0], x)
        compare(lambda t, a: a[-1:], x)
        compare(lambda t, a: a[[0, -1, 0]], x)  # repeated rows: gradients add up
        compare(lambda t, a: a[t.tensor([[0, 0], [0, 0]])], x)
    if len(shape) == 2:
        compare(lambda t, a: a[:, -1], x)
        compare(lambda t, a: a[[0, 0], [-1, -1]], x)
        compare(lambda t, a: a[1:, ::2], x)


def test_getitem_int_values_and_dtypes() -> None:
    i = np.arange(24).reshape(2, 3, 4)
    for name, index in GETITEM_3D.items():
        ours = glasstorch.tensor(i)[index(glasstorch)]
        theirs = torch.tensor(i)[index(torch)]
        assert ours.dtype == glasstorch.int64, name
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=name)


def test_getitem_repeated_indices_add_gradients() -> None:
    x = glasstorch.zeros(3, requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]
    y = glasstorch.zeros(2, 2, requires_grad=True)
    y[glasstorch.tensor([[1, 1], [1, 0]]), 0].sum().backward()
    assert y.grad.tolist() == [[1.0, 0.0], [3.0, 0.0]]


def test_basic_indexing_shares_memory_advanced_copies() -> None:
    base = glasstorch.tensor(np.arange(24.0).reshape(2, 3, 4))
    for index in (0, (slice(None), 1), (Ellipsis, None), slice(1, None), (0, 1, 2), (),
                  (None, 1, slice(None, None, 2))):
        view = base[index]
        assert shares(view, base), index
        assert view._base is base
        before = view._version
        base.add_(1)
        assert view._version == before + 1
    for index in ([0, 1], (0, [1, 2]), base > 3, glasstorch.tensor(1) > 0):
        copy = base[index]
        assert not shares(copy, base), index
        assert copy._base is None
    x = glasstorch.tensor(np.arange(6.0))
    x[1:4][0] = 100.0  # writing through a view of a view changes the base
    assert x[1].item() == 100.0


def test_getitem_errors() -> None:
    x = np.zeros((2, 3, 4), np.float32)

    def idx(index: Any) -> Callable[[Any], Any]:
        return lambda t: t.tensor(x)[index(t) if callable(index) else index]

    raises_like(idx(5), "index 5 is out of bounds for dimension 0 with size 2", IndexError)
    raises_like(idx(-3), "index -3 is out of bounds for dimension 0 with size 2", IndexError)
    raises_like(idx((0, 7)), "index 7 is out of bounds for dimension 1 with size 3", IndexError)
    raises_like(idx([0, 5]), r"index 5 is out of bounds for dimension \d with size 2",
                IndexError)
    raises_like(idx((0, slice(None), [0, 7])), r"index 7 is out of bounds .* with size 4",
                IndexError)
    raises_like(idx(slice(None, None, -1)), "step must be greater than zero", ValueError)
    raises_like(idx((slice(None), slice(None, None, -2))), "step must be greater than zero",
                ValueError)
    raises_like(idx(slice(None, None, 0)), "slice step cannot be zero", ValueError)
    raises_like(idx((0, 0, 0, 0)), "too many indices for tensor of dimension 3", IndexError)
    raises_like(idx(1.5), r"only integers, slices .* are valid indices \(got float\)",
                IndexError)
    raises_like(idx(lambda t: t.tensor([0.0, 1.0])),
                "tensors used as indices must be long, int, byte or bool tensors", IndexError)
    raises_like(idx(lambda t: t.tensor([True, False, True])),
                r"The shape of the mask \[3\] at index 0 does not match the shape of the "
                r"indexed tensor \[2, 3, 4\] at index 0", IndexError)
    raises_like(idx(lambda t: (t.tensor([True, False, True]), 0)),
                r"indexed tensor \[2, 4\] at index 0", IndexError)
    raises_like(idx(([0, 1], [0, 1, 2])),
                r"shape mismatch: indexing tensors could not be broadcast together with "
                r"shapes \[2\], \[3\]", IndexError)
    raises_like(lambda t: t.tensor(5.0)[0], "invalid index of a 0-dim tensor", IndexError)
    raises_like(lambda t: t.tensor(5.0)[:], r"slice\(\) cannot be applied to a 0-dim tensor",
                IndexError)


def test_uint8_index_is_a_deprecated_mask() -> None:
    x = np.arange(6.0).reshape(2, 3)
    with pytest.warns(UserWarning, match="uint8 is now deprecated"):
        ours = glasstorch.tensor(x)[glasstorch.tensor([0, 1], dtype=glasstorch.uint8)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.tensor(x)[torch.tensor([0, 1], dtype=torch.uint8)]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- x[index] = v
SETITEM: dict[str, Callable[[Any], Any]] = {
    "int": lambda t: 0,
    "slice": lambda t: slice(0, 1),
    "full_slice": lambda t: slice(None),
    "col": lambda t: (slice(None), 1),
    "int_int": lambda t: (1, 2),
    "ellipsis": lambda t: Ellipsis,
    "full_slices": lambda t: (slice(None), slice(None)),
    "none": lambda t: None,
    "list": lambda t: [0, 1],
    "list_dup": lambda t: [1, 1],
    "mask_rows": lambda t: t.tensor([True, False]),
    "mask_2d": lambda t: t.tensor([[True, False, True], [False, False, True]]),
    "int_list": lambda t: (0, [1, 2]),
    "two_lists": lambda t: ([0, 1], [2, 0]),
    "0d_long": lambda t: t.tensor(1),
    "step": lambda t: (slice(None), slice(None, None, 2)),
}
# Values: a number, a 0-d tensor, a broadcastable tensor, one with leading 1-dims.
VALUES: dict[str, Callable[[Any, tuple[int, ...], bool], Any]] = {
    "number": lambda t, shape, rg: 5.0,
    "0d": lambda t, shape, rg: t.tensor(7.0, requires_grad=rg),
    "one": lambda t, shape, rg: t.tensor([3.0], requires_grad=rg),
    "full": lambda t, shape, rg: t.tensor(np.linspace(-1, 1, max(int(np.prod(shape)), 1))
                                           .reshape(shape) if shape else 2.0,
                                           dtype=t.float32, requires_grad=rg),
    "leading_ones": lambda t, shape, rg: t.tensor(np.full((1, 1) + shape, 4.0),
                                                  dtype=t.float32, requires_grad=rg),
}


def _setitem_target_shape(index: Callable[[Any], Any]) -> tuple[int, ...]:
    return tuple(torch.zeros(2, 3)[index(torch)].shape)


def _run_setitem(t: Any, x: np.ndarray, index: Any, value: Any, track: bool) -> tuple[Any, ...]:
    leaf = t.tensor(x, requires_grad=track)
    out = leaf * 1 if track else leaf
    version = out._version
    out[index(t)] = value
    return leaf, out, out._version - version


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("value", list(VALUES))
@pytest.mark.parametrize("name", list(SETITEM))
def test_setitem(name: str, value: str, dtype: str) -> None:
    x = _arrays([(2, 3)], dtype)[0]
    index = SETITEM[name]
    shape = _setitem_target_shape(index)
    for track, value_rg in ((False, False), (True, False), (True, True), (False, True)):
        v_ours = VALUES[value](glasstorch, shape, value_rg)
        v_theirs = VALUES[value](torch, shape, value_rg)
        if name == "list_dup" and value in ("full", "leading_ones"):
            # the same element written twice: which value wins is up to the implementation
            v_ours = VALUES["one"](glasstorch, shape, value_rg)
            v_theirs = VALUES["one"](torch, shape, value_rg)
        if isinstance(v_ours, glasstorch.Tensor) and dtype == "float64":
            if name in ("list", "list_dup", "int_list", "two_lists"):  # index_put: same dtype
                raises_like(lambda t: _run_setitem(t, x, index, VALUES[value](t, shape, False),
                                                   False), "Index put requires the source and "
                            "destination dtypes match, got Double for the destination and "
                            "Float for the source")
            v_ours = v_ours.detach().double().requires_grad_(value_rg)
            v_theirs = v_theirs.detach().double().requires_grad_(value_rg)
        leaf_o, out_o, bumps_o = _run_setitem(glasstorch, x, index, v_ours, track)
        leaf_t, out_t, bumps_t = _run_setitem(torch, x, index, v_theirs, track)
        np.testing.assert_array_equal(out_o.detach().numpy(), out_t.detach().numpy())
        assert bumps_o == bumps_t == 1
        assert out_o.requires_grad == out_t.requires_grad
        assert node_name(out_o.grad_fn) == node_name(out_t.grad_fn)
        if not out_t.requires_grad:
            continue
        up = np.random.default_rng(3).standard_normal((2, 3)).astype(dtype)
        out_o.backward(glasstorch.tensor(up))
        out_t.backward(torch.tensor(up))
        for o, t in ((leaf_o, leaf_t), (v_ours, v_theirs)):
            if isinstance(t, torch.Tensor) and t.requires_grad and t.is_leaf:
                np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-6)
                assert o.grad.dtype == glasstorch.tensor(t.grad.numpy()).dtype


def test_setitem_gradients_with_other_users() -> None:
    """The written tensor was used before the write: that use keeps the old values' grad."""
    for lib in (glasstorch, torch):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        v = lib.tensor(10.0, requires_grad=True)
        y = w * 2
        before = (y * 3).exp().sum()  # uses the old y (and saves nothing of it)
        y[1] = v * 3
        (before + (y * lib.tensor([1.0, 10.0, 100.0])).sum()).backward()
        if lib is torch:
            expected = (w.grad.numpy().copy(), v.grad.numpy().copy())
        else:
            got = (w.grad.numpy(), v.grad.numpy())
    np.testing.assert_allclose(got[0], expected[0])
    np.testing.assert_allclose(got[1], expected[1])


def test_setitem_through_a_view_updates_the_base_graph() -> None:
    results = {}
    for lib in (glasstorch, torch):
        a = lib.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        w = lib.tensor(7.0, requires_grad=True)
        b = a * 1
        v = b[0]  # a view of b
        v[1] = w  # written through the view: b gets CopySlices, v an AsStrided view
        names = (node_name(b.grad_fn), node_name(v.grad_fn))
        (b.sum() + v.sum() * 10).backward()
        results[lib.__name__] = (names, a.grad.numpy().copy(), w.grad.item(), b.detach().numpy())
    ours, theirs = results["glasstorch"], results["torch"]
    assert ours[0] == theirs[0] == ("CopySlices", "AsStridedBackward0")
    np.testing.assert_array_equal(ours[1], theirs[1])
    assert ours[2] == theirs[2]
    np.testing.assert_array_equal(ours[3], theirs[3])


def test_setitem_into_an_empty_buffer_collects_gradients() -> None:
    """The common loop: out = zeros(n); out[i] = f(x_i)."""
    results = []
    for lib in (glasstorch, torch):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        out = lib.zeros(3, 2)
        for i in range(3):
            out[i] = lib.stack([x[i] * x[i], x[i] * 3])
        assert node_name(out.grad_fn) == "CopySlices"
        assert not out.is_leaf
        (out * lib.tensor([1.0, 2.0])).sum().backward()
        results.append(x.grad.numpy().copy())
    np.testing.assert_allclose(results[0], results[1])


def test_setitem_leaf_errors_and_no_grad() -> None:
    for index, what in ((0, "a view of a leaf Variable"), (None, "a view of a leaf Variable"),
                        ([0, 1], "a leaf Variable"), (Ellipsis, "a leaf Variable"),
                        (slice(None), "a leaf Variable")):
        raises_like(lambda t, i=index: t.zeros(3, requires_grad=True).__setitem__(i, 1.0),
                    f"^{what} that requires grad is being used in an in-place operation")
    w = glasstorch.zeros(3, requires_grad=True)
    v = w[1:]  # a view of a leaf
    with pytest.raises(RuntimeError, match="a view of a leaf Variable"):
        v[0] = 2.0
    with glasstorch.no_grad():
        w[0] = 1.0
        v[0] = 2.0
    assert w.tolist() == [1.0, 2.0, 0.0] and w.is_leaf and w.grad_fn is None
    assert w._version == 2
    d = w.detach()
    d[2] = 3.0  # a detached view may be written; the leaf sees the value
    assert w[2].item() == 3.0


def test_setitem_values_and_errors() -> None:
    raises_like(lambda t: t.zeros(2, 3).__setitem__((slice(None), 1), t.ones(3)),
                r"The expanded size of the tensor \(2\) must match the existing size \(3\)")
    raises_like(lambda t: t.zeros(2, 3).__setitem__((0, [1, 2]), t.ones(3)),
                r"shape mismatch: value tensor of shape \[3\] cannot be broadcast to indexing "
                r"result of shape \[2\]")
    raises_like(lambda t: t.zeros(3).__setitem__(0, [1, 2, 3]),
                "can't assign a list to a torch.FloatTensor", TypeError)
    raises_like(lambda t: t.zeros(3).__setitem__(0, np.ones(1)),
                "can't assign a numpy.ndarray to a torch.FloatTensor", TypeError)
    raises_like(lambda t: t.zeros(3).__setitem__(slice(None, None, -1), 1.0),
                "step must be greater than zero", ValueError)
    raises_like(lambda t: t.zeros(2).expand(3, 2).__setitem__((slice(None), 0), 1.0),
                "more than one element of the written-to tensor refers to a single memory")
    for lib in (glasstorch, torch):  # int tensors take floats truncated; no graph for them
        y = lib.zeros(3, dtype=lib.int64)
        y[1] = 2.7
        y[2] = lib.tensor(1.5, requires_grad=True)
        assert y.tolist() == [0, 2, 1] and y.grad_fn is None
        z = lib.zeros(4)
        z[1:3] = lib.tensor([[5, 6]])  # int value into float, leading 1-dim dropped
        z[np.int64(3)] = np.float64(2.5)
        assert z.tolist() == [0.0, 5.0, 6.0, 2.5]
        z[[0, 0]] = lib.tensor([1.0, 2.0])  # last write wins, as on torch's CPU
        assert z[0].item() == 2.0


def test_setitem_changes_views_and_base() -> None:
    base = glasstorch.tensor(np.zeros((2, 3)))
    row = base[1]
    base[1, 2] = 4.0
    assert row[2].item() == 4.0
    row[0] = 9.0
    assert base[1, 0].item() == 9.0
    assert base._version == row._version == 2


# ----------------------------------------------------------------------------- gather & co
GATHER_IDX = np.array([[0, 3, 3], [1, 1, 0], [2, 0, 1]])  # repeats: gradients must add up


@pytest.mark.parametrize("dtype", DTYPES)
def test_gather(dtype: str) -> None:
    x = _arrays([(3, 4)], dtype)[0]
    compare(lambda t, a: a.gather(1, t.tensor(GATHER_IDX)), x)
    compare(lambda t, a: t.gather(a, -1, t.tensor(GATHER_IDX[:2, :2])), x)  # smaller index
    compare(lambda t, a: a.gather(0, t.tensor([[2, 0, 1, 1], [0, 0, 2, 1]])), x)
    compare(lambda t, a: a.gather(0, t.tensor([[2, 0, 1, 1], [0, 0, 2, 1]], dtype=t.int32)), x)
    y = _arrays([(2, 3, 4)], dtype)[0]
    compare(lambda t, a: a.gather(1, t.tensor(np.array([[[0, 2, 2, 1]], [[1, 1, 0, 2]]]))), y)
    compare(lambda t, a: a.gather(0, t.tensor([1, 1, 4])), _arrays([(5,)], dtype)[0])
    compare(lambda t, a: a.gather(0, t.tensor(0)), _arrays([()], dtype)[0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_and_scatter_add(dtype: str) -> None:
    x, src = _arrays([(3, 4), (3, 2)], dtype)
    idx = [[0, 3], [2, 1], [1, 0]]
    compare(lambda t, a, s: a.scatter(1, t.tensor(idx), s), x, src)
    compare(lambda t, a, s: t.scatter(a, 1, t.tensor(idx), 1.5), x, src)
    compare(lambda t, a, s: a.scatter(1, t.tensor(idx), value=-2.0), x, src)
    compare(lambda t, a, s: a.scatter(0, t.tensor([[2, 0]]), s[:1, :2]), x, src)
    dup = [[0, 0], [1, 1], [3, 3]]  # scatter_add: repeated targets add up
    compare(lambda t, a, s: a.scatter_add(1, t.tensor(dup), s), x, src)
    compare(lambda t, a, s: t.scatter_add(a, -1, t.tensor(dup), s), x, src)
    compare(lambda t, a, s: (a * 1).scatter_(1, t.tensor(idx), s), x, src)
    compare(lambda t, a, s: (a * 1).scatter_add_(1, t.tensor(dup), s), x, src)
    v = _arrays([(5,)], dtype)[0]
    compare(lambda t, a: a.scatter(0, t.tensor([4, 0]), a[:2] * 2), v)


def test_scatter_int_and_reduce() -> None:
    i = np.zeros((2, 3), np.int64)
    compare(lambda t, a: a.scatter(1, t.tensor([[0, 2]]), 7), i)
    compare(lambda t, a: a.scatter(1, t.tensor([[0, 0]]), t.tensor([[1, 2]]), reduce="add"), i)
    compare(lambda t, a: a.scatter(1, t.tensor([[0, 0]]), 3, reduce="add"), i)
    f = np.ones((2, 3), np.float32)
    ours = glasstorch.tensor(f, requires_grad=True)
    out = ours.scatter(1, glasstorch.tensor([[0, 0]]), 3.0, reduce="multiply")
    theirs = torch.tensor(f).scatter(1, torch.tensor([[0, 0]]), 3.0, reduce="multiply")
    np.testing.assert_array_equal(out.detach().numpy(), theirs.numpy())
    assert node_name(out.grad_fn) == "NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        out.sum().backward()


def test_gather_scatter_errors() -> None:
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(y).gather(1, t.tensor([[0], [3]])),
                "index 3 is out of bounds for dimension 1 with size 3")
    raises_like(lambda t: t.tensor(y).gather(1, t.tensor([[-1]])),
                "index -1 is out of bounds for dimension 1 with size 3")
    raises_like(lambda t: t.tensor(y).gather(1, t.tensor([0, 1])),
                "Index tensor must have the same number of dimensions as input tensor")
    raises_like(lambda t: t.tensor(y).gather(1, t.tensor([[0.0]])),
                "gather\\(\\): Expected dtype int32/int64 for index")
    raises_like(lambda t: t.tensor(y).gather(0, t.zeros(3, 4, dtype=t.int64)),
                r"Size does not match at dimension 1 expected index \[3, 4\] to be no larger "
                r"than self \[2, 3\] apart from dimension 0")
    raises_like(lambda t: t.tensor(y).gather(5, t.tensor([[0]])), "Dimension out of range",
                IndexError)
    raises_like(lambda t: t.tensor(y).scatter(1, t.tensor([[0], [3]]), 1.0),
                "index 3 is out of bounds for dimension 1 with size 3")
    raises_like(lambda t: t.tensor(y).scatter(1, t.tensor([[0, 1]]), t.ones(1, 1)),
                r"Expected index \[1, 2\] to be no larger than self \[2, 3\] apart from "
                r"dimension 1 and to be no larger size than src \[1, 1\]")
    raises_like(lambda t: t.tensor(y).scatter(1, t.zeros(3, 1, dtype=t.int64), 1.0),
                r"Expected index \[3, 1\] to be no larger than self \[2, 3\] apart from "
                r"dimension 1")
    raises_like(lambda t: t.tensor(y).scatter(1, t.tensor([[0]]), t.ones(1, 1).double()),
                "scatter\\(\\): Expected self.dtype to be equal to src.dtype")
    raises_like(lambda t: t.tensor(y).scatter_add(1, t.tensor([[0]]), t.ones(1, 1).double()),
                "Expected self.dtype to be equal to src.dtype")
    raises_like(lambda t: t.tensor(y).scatter(1, t.tensor([[0]]), 2.0, reduce="max"),
                "reduce argument must be either add or multiply")
    raises_like(lambda t: t.tensor(y).scatter(1, t.tensor([[0]])), "scatter()", TypeError)


@pytest.mark.parametrize("dtype", DTYPES)
def test_index_select(dtype: str) -> None:
    x = _arrays([(3, 4)], dtype)[0]
    compare(lambda t, a: a.index_select(1, t.tensor([3, 0, 3])), x)
    compare(lambda t, a: t.index_select(a, 0, t.tensor([2, 2])), x)
    compare(lambda t, a: a.index_select(-1, t.tensor(1)), x)
    compare(lambda t, a: a.index_select(0, t.tensor([], dtype=t.int64)), x)
    compare(lambda t, a: a.index_select(0, t.tensor([0], dtype=t.int32)), _arrays([()], dtype)[0])
    compare(lambda t, a: a.index_select(2, t.tensor([1, 0, 1])), _arrays([(2, 3, 2)], dtype)[0])
    y = np.zeros((2, 3), np.float32)
    raises_like(lambda t: t.tensor(y).index_select(1, t.tensor([[0]])),
                "Index is supposed to be a vector", IndexError)
    raises_like(lambda t: t.tensor(y).index_select(1, t.tensor([3])),
                "INDICES element is out of DATA bounds, id=3 axis_dim=3")
    raises_like(lambda t: t.tensor(y).index_select(1, t.tensor([-1])),
                "out of DATA bounds, id=-1")
    raises_like(lambda t: t.tensor(y).index_select(1, t.tensor([0.0])),
                "Expected dtype int32 or int64 for index")


@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_select_and_take(dtype: str) -> None:
    x = _arrays([(3, 4)], dtype)[0]
    compare(lambda t, a: a.masked_select(a > 0), x)
    compare(lambda t, a: t.masked_select(a, t.tensor([True, False, True, True])), x)
    compare(lambda t, a: t.masked_select(a[0], t.tensor([[True], [False]])), x)  # broadcast
    compare(lambda t, a: a.take(t.tensor([[0, -1], [5, 5]])), x)  # a repeat: grads add up
    compare(lambda t, a: t.take(a, t.tensor(3)), x)
    raises_like(lambda t: t.tensor(x).masked_select(t.tensor([1, 0, 1, 0])),
                "masked_select: expected BoolTensor for mask")
    raises_like(lambda t: t.tensor(x).masked_select(t.tensor([True, False])),
                r"The size of tensor a \(2\) must match the size of tensor b \(4\) at "
                "non-singleton dimension 1")
    raises_like(lambda t: t.tensor(x).take(t.tensor([12])),
                "out of range: tried to access index 12 on a tensor of 12 elements", IndexError)


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)])
def test_nonzero(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    for x in (rng.integers(-1, 2, shape), np.zeros(shape), rng.random(shape) > 0.5):
        ours, theirs = glasstorch.tensor(x), torch.tensor(x)
        np.testing.assert_array_equal(ours.nonzero().numpy(), theirs.nonzero().numpy())
        assert ours.nonzero().dtype == glasstorch.int64
        assert tuple(glasstorch.argwhere(ours).shape) == tuple(torch.argwhere(theirs).shape)
        for o, t in zip(glasstorch.nonzero(ours, as_tuple=True),
                        torch.nonzero(theirs, as_tuple=True), strict=True):
            np.testing.assert_array_equal(o.numpy(), t.numpy())
        assert len(glasstorch.where(ours > 0)) == len(torch.where(theirs > 0))


def test_range_index_like_torch() -> None:
    """`input[range(n), target]` (the nll of "What is torch.nn really?") is a tensor index."""
    values = np.random.default_rng(5).standard_normal((4, 3)).astype(np.float32)
    target = [2, 0, 1, 1]
    out = {}
    for lib in (glasstorch, torch):
        x = lib.tensor(values, requires_grad=True)
        picked = x[range(4), lib.tensor(target)]
        (-picked.mean()).backward()
        y = lib.tensor(values)
        y[range(1, 3)] = 0.0
        out[lib.__name__] = (picked.detach().numpy(), x.grad.numpy(), y.numpy(),
                             picked.grad_fn.name(), x[range(0)].shape)
    ours, theirs = out["glasstorch"], out["torch"]
    for a, b in zip(ours[:3], theirs[:3], strict=True):
        np.testing.assert_array_equal(a, b)
    assert ours[3:] == theirs[3:]
