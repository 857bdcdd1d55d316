"""Datasets and random_split against real torch."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch

from data_helpers import LIBS, assert_same, gen_bytes, rng_bytes, same_error


def test_tensor_dataset_items_and_len() -> None:
    x = np.arange(12.0, dtype=np.float32).reshape(4, 3)
    y = np.array([1, 0, 1, 1])
    res = []
    for lib in LIBS:
        ds = lib.utils.data.TensorDataset(lib.tensor(x), lib.tensor(y))
        res.append((len(ds), ds[2], ds[-1], ds[1:3], ds[[0, 3]]))
    assert_same(res[0], res[1])


def test_tensor_dataset_sample_is_a_view_like_torch() -> None:
    for lib in LIBS:
        x = lib.zeros(3, 2)
        sample, = lib.utils.data.TensorDataset(x)[1]
        sample += 1
        assert x.sum().item() == 2.0


def test_tensor_dataset_errors() -> None:
    same_error(lambda lib: lib.utils.data.TensorDataset(lib.zeros(3), lib.zeros(4)))
    same_error(lambda lib: len(lib.utils.data.TensorDataset()))
    same_error(lambda lib: lib.utils.data.TensorDataset(lib.zeros(3))[5])


def test_getitems_samples_equal_torchs_getitem() -> None:
    x = np.arange(10.0).reshape(5, 2)
    ds_g = glasstorch.utils.data.TensorDataset(glasstorch.tensor(x))
    ds_t = torch.utils.data.TensorDataset(torch.tensor(x))
    batch = ds_g.__getitems__([4, 0, -1])
    assert len(batch) == 3
    assert_same(list(batch), [ds_t[4], ds_t[0], ds_t[-1]])
    assert_same(batch[1:], [ds_t[0], ds_t[-1]])
    assert repr(batch) == repr(list(batch))


def test_dataset_base_classes() -> None:
    same_error(lambda lib: lib.utils.data.Dataset()[0])
    for lib in LIBS:
        a = lib.utils.data.TensorDataset(lib.arange(3))
        both = a + a
        assert type(both).__name__ == "ConcatDataset" and len(both) == 6

        class Stream(lib.utils.data.IterableDataset):
            def __iter__(self) -> Any:
                return iter([1, 2])

        chained = Stream() + Stream()
        assert type(chained).__name__ == "ChainDataset"
        assert list(chained) == [1, 2, 1, 2]


def test_concat_dataset() -> None:
    res = []
    for lib in LIBS:
        ds = lib.utils.data.ConcatDataset([[0, 1, 2], [], [10, 11]])
        res.append((len(ds), ds.cumulative_sizes, [ds[i] for i in range(-5, 5)]))
    assert res[0] == res[1]
    same_error(lambda lib: lib.utils.data.ConcatDataset([[0, 1]])[-3])
    same_error(lambda lib: lib.utils.data.ConcatDataset([]))
    same_error(lambda lib: lib.utils.data.IterableDataset())

    def concat_stream(lib: Any) -> None:
        class Stream(lib.utils.data.IterableDataset):
            def __iter__(self) -> Any:
                return iter([1])

        lib.utils.data.ConcatDataset([Stream()])

    same_error(concat_stream)
    with pytest.warns(FutureWarning, match="renamed to `cumulative_sizes`"):
        assert glasstorch.utils.data.ConcatDataset([[1]]).cummulative_sizes == [1]


def test_stack_dataset() -> None:
    res = []
    for lib in LIBS:
        t = lib.utils.data.TensorDataset(lib.arange(4.0))
        s1 = lib.utils.data.StackDataset(t, [5, 6, 7, 8])
        s2 = lib.utils.data.StackDataset(a=t, b=[5, 6, 7, 8])
        res.append((s1[1], s2[2], len(s1),
                    list(lib.utils.data.DataLoader(s1, batch_size=3)),
                    list(lib.utils.data.DataLoader(s2, batch_size=3))))
    assert_same(res[0], res[1])
    same_error(lambda lib: lib.utils.data.StackDataset([1], x=[1]))
    same_error(lambda lib: lib.utils.data.StackDataset([1], [1, 2]))
    same_error(lambda lib: lib.utils.data.StackDataset())


def test_subset() -> None:
    res = []
    for lib in LIBS:
        base = lib.utils.data.TensorDataset(lib.arange(10) * 2)
        sub = lib.utils.data.Subset(base, [7, 2, 5])
        res.append((len(sub), sub[0], sub[[0, 2]],
                    list(lib.utils.data.DataLoader(sub, batch_size=2))))
    assert_same(res[0], res[1])

    def bad_subclass(lib: Any) -> None:
        class Doubled(lib.utils.data.Subset):
            def __getitem__(self, idx: int) -> Any:
                return 2 * super().__getitem__(idx)

        Doubled([1, 2], [0])

    same_error(bad_subclass)


@pytest.mark.parametrize("seed", [0, 1, 42, 1234])
@pytest.mark.parametrize("lengths", [[3, 7], [0.7, 0.3], [0.3, 0.3, 0.4], [0.5, 0.5],
                                     [0.2, 0.2, 0.2, 0.2, 0.2], [1 / 3] * 3, [10]])
@pytest.mark.parametrize("use_gen", [False, True])
def test_random_split_equals_torch(seed: int, lengths: list[Any], use_gen: bool) -> None:
    res = []
    for lib in LIBS:
        lib.manual_seed(seed)
        kw = {"generator": lib.Generator().manual_seed(seed)} if use_gen else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = lib.utils.data.random_split(range(10), lengths, **kw)
        res.append(([list(p) for p in parts], [p.indices for p in parts], rng_bytes(lib),
                    gen_bytes(kw["generator"]) if use_gen else None))
    assert res[0] == res[1]


def test_random_split_fraction_rounding_and_warning() -> None:
    msgs = []
    for lib in LIBS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parts = lib.utils.data.random_split(range(7), [0.9, 0.05, 0.05])
        msgs.append(([len(p) for p in parts], [str(w.message) for w in caught]))
    assert msgs[0] == msgs[1]
    assert msgs[1][0] == [7, 0, 0] and len(msgs[1][1]) == 2


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.6], [1.5, -0.5], [0.4, 0.4]])
def test_random_split_errors(lengths: list[Any]) -> None:
    same_error(lambda lib: lib.utils.data.random_split(range(10), lengths))


def test_random_split_over_a_tensor_dataset_loads_like_torch() -> None:
    res = []
    for lib in LIBS:
        lib.manual_seed(0)
        ds = lib.utils.data.TensorDataset(lib.arange(20.0).reshape(10, 2), lib.arange(10))
        train, _ = lib.utils.data.random_split(ds, [0.8, 0.2])
        res.append(list(lib.utils.data.DataLoader(train, batch_size=3, shuffle=True)))
    assert_same(res[0], res[1])


def test_missing_names_are_named() -> None:
    with pytest.raises(AttributeError,
                       match="glasstorch does not implement torch.utils.data.DistributedSampler"):
        _ = glasstorch.utils.data.DistributedSampler
    for name in ("Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "Subset",
                 "random_split", "DataLoader", "Sampler", "SequentialSampler", "RandomSampler",
                 "SubsetRandomSampler", "BatchSampler", "WeightedRandomSampler",
                 "default_collate", "default_convert", "get_worker_info", "ChainDataset",
                 "StackDataset"):
        assert name in torch.utils.data.__all__
        assert name in glasstorch.utils.data.__all__
        assert callable(getattr(glasstorch.utils.data, name))
