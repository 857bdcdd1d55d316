"""default_collate and default_convert against real torch (types, dtypes, errors)."""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import Any

import numpy as np
import pytest

from data_helpers import LIBS, assert_same, same_error

Point = namedtuple("Point", ["x", "y"])


def _batches(lib: Any) -> list[Any]:
    f32 = np.arange(6, dtype=np.float32).reshape(2, 3)
    return [
        [lib.tensor(f32[0]), lib.tensor(f32[1])],
        [lib.tensor(3), lib.tensor(4)],
        [lib.tensor([True]), lib.tensor([False])],
        [f32[0], f32[1]],
        [np.arange(3, dtype=np.int16), np.arange(3, dtype=np.int16)],
        [np.float32(1.5), np.float32(2.5)],
        [np.int64(1), np.int64(2)],
        [np.bool_(True), np.bool_(False)],
        [np.float64(1.0), np.float64(3.0)],
        [1, 2, 3],
        [1.5, 2.0],
        [True, False],
        [1, 2.5],
        ["a", "b"],
        [b"a", b"b"],
        [(1, "a", 2.0), (2, "b", 3.0)],
        [[1, 2], [3, 4]],
        [Point(1, 2.0), Point(3, 4.0)],
        [{"x": 1, "y": [1.0, 2.0]}, {"x": 2, "y": [3.0, 4.0]}],
        [OrderedDict(b=np.ones(2), a=2), OrderedDict(b=np.zeros(2), a=3)],
        [{"t": (lib.tensor([1.0]), {"deep": 1})}, {"t": (lib.tensor([2.0]), {"deep": 2})}],
    ]


@pytest.mark.parametrize("i", range(21))
def test_default_collate_equals_torch(i: int) -> None:
    ours, theirs = (lib.utils.data.default_collate(_batches(lib)[i]) for lib in LIBS)
    assert_same(ours, theirs)


@pytest.mark.parametrize("i", range(21))
def test_default_convert_equals_torch(i: int) -> None:
    ours, theirs = (lib.utils.data.default_convert(_batches(lib)[i][0]) for lib in LIBS)
    assert_same(ours, theirs)


def test_default_convert_other_values() -> None:
    for value in (0, "s", None, np.array(["a", "b"]), (np.arange(2), "x"), range(3),
                  {"k": np.int8(3)}, Point(np.array(0), np.array(1.0))):
        ours, theirs = (lib.utils.data.default_convert(value) for lib in LIBS)
        if isinstance(value, np.ndarray):
            assert ours is value and theirs is value
        else:
            assert_same(ours, theirs)


@pytest.mark.parametrize("make", [
    lambda lib: [lib.zeros(3), lib.zeros(2)],
    lambda lib: [[1, 2], [3]],
    lambda lib: [object(), object()],
    lambda lib: [None, None],
    lambda lib: [np.array(["a"]), np.array(["b"])],
    lambda lib: [np.array([object()]), np.array([object()])],
    lambda lib: [],
])
def test_default_collate_errors_equal_torch(make: Any) -> None:
    same_error(lambda lib: lib.utils.data.default_collate(make(lib)))


def test_collate_registry_is_used_and_respected() -> None:
    from glasstorch.utils.data._utils import collate as gt_collate
    from glasstorch.utils.data.dataset import TensorDataset

    ds = TensorDataset(*(LIBS[0].arange(6.0).reshape(3, 2),))
    saved = dict(gt_collate.default_collate_fn_map)
    try:
        gt_collate.default_collate_fn_map[tuple] = lambda batch, **kw: "custom"
        # a changed registry turns the TensorDataset fast path off, as it changes the result
        assert gt_collate.default_collate(ds.__getitems__([0, 1])) == "custom"
    finally:
        gt_collate.default_collate_fn_map.clear()
        gt_collate.default_collate_fn_map.update(saved)
    out = gt_collate.default_collate(ds.__getitems__([0, 1]))
    assert isinstance(out, list) and out[0].shape == (2, 2)
