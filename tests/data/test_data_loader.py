"""DataLoader against real torch: batches bit for bit, the random streams, errors."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch
from glasstorch.utils.data import dataloader as gt_dataloader

from data_helpers import LIBS, assert_same, assert_same_tensor, gen_bytes, rng_bytes, same_error


def _arrays(n: int = 37) -> list[np.ndarray]:
    rng = np.random.default_rng(n)
    return [
        rng.standard_normal((n, 5)).astype(np.float32),
        rng.integers(0, 10, n).astype(np.int64),
        rng.standard_normal((n, 2, 3)),  # float64
        rng.integers(0, 2, n).astype(bool),
    ]


def _dataset(lib: Any, arrays: list[np.ndarray]) -> Any:
    return lib.utils.data.TensorDataset(*(lib.tensor(a) for a in arrays))


def _run(lib: Any, seed: int, epochs: int, use_gen: bool, **kw: Any) -> tuple[Any, ...]:
    lib.manual_seed(seed)
    gen = lib.Generator().manual_seed(seed + 1000) if use_gen else None
    loader = lib.utils.data.DataLoader(_dataset(lib, _arrays()), generator=gen, **kw)
    batches = [list(loader) for _ in range(epochs)]
    return batches, rng_bytes(lib), None if gen is None else gen_bytes(gen), len(loader)


@pytest.mark.parametrize("seed", [0, 1, 123])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("use_gen", [False, True])
@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (8, False), (8, True), (64, False)])
def test_batches_and_rng_streams_equal_torch(seed: int, shuffle: bool, use_gen: bool,
                                             batch_size: int, drop_last: bool) -> None:
    kw = dict(batch_size=batch_size, shuffle=shuffle, drop_last=drop_last)
    ours = _run(glasstorch, seed, 3, use_gen, **kw)
    theirs = _run(torch, seed, 3, use_gen, **kw)
    assert_same(ours[0], theirs[0])
    assert ours[1] == theirs[1]  # the global generator after three epochs
    assert ours[2] == theirs[2]  # the loader's own generator
    assert ours[3] == theirs[3]


@pytest.mark.parametrize("epochs", [1, 2, 5])
def test_global_stream_after_epochs_without_shuffle(epochs: int) -> None:
    # _base_seed is drawn for every iter() even without shuffling
    ours = _run(glasstorch, 7, epochs, False, batch_size=10)
    theirs = _run(torch, 7, epochs, False, batch_size=10)
    assert ours[1] == theirs[1]
    glasstorch.manual_seed(7)
    assert rng_bytes(glasstorch) != ours[1]  # the draws did move the stream


def test_next_draws_after_loading_equal_torch() -> None:
    out = []
    for lib in LIBS:
        lib.manual_seed(3)
        loader = lib.utils.data.DataLoader(_dataset(lib, _arrays()), batch_size=5, shuffle=True)
        for _ in range(2):
            for _batch in loader:
                pass
        out.append(lib.rand(4).numpy())
    assert out[0].tobytes() == out[1].tobytes()


def test_batch_of_tensors_requiring_grad_has_torchs_graph() -> None:
    # the fast path must not drop StackBackward0 when the data requires grad
    res = []
    for lib in LIBS:
        x = lib.tensor(np.arange(12.0).reshape(6, 2), requires_grad=True)
        y = lib.tensor(np.arange(6))
        res.append(list(lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y),
                                                  batch_size=4)))
    assert_same(res[0], res[1])
    res = []
    for lib in LIBS:
        x = lib.tensor(np.arange(12.0).reshape(6, 2), requires_grad=True)
        with lib.no_grad():
            res.append(list(lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x),
                                                      batch_size=4)))
    assert_same(res[0], res[1])


def test_noncontiguous_and_subset_datasets() -> None:
    res = []
    for lib in LIBS:
        lib.manual_seed(0)
        x = lib.tensor(np.arange(60.0, dtype=np.float32).reshape(6, 10)).t()  # 10 x 6 view
        ds = lib.utils.data.TensorDataset(x, lib.arange(10))
        parts = lib.utils.data.random_split(ds, [0.6, 0.4])
        res.append([list(lib.utils.data.DataLoader(p, batch_size=3, shuffle=True))
                    for p in parts])
    assert_same(res[0], res[1])


def test_custom_collate_fn_gets_torchs_list_of_samples() -> None:
    seen: dict[str, Any] = {}

    def collate(name: str) -> Any:
        def fn(batch: Any) -> Any:
            seen[name] = (type(batch).__name__, [type(s).__name__ for s in batch])
            return batch
        return fn

    res = []
    for lib in LIBS:
        ds = _dataset(lib, _arrays(6))
        res.append(list(lib.utils.data.DataLoader(ds, batch_size=4,
                                                  collate_fn=collate(lib.__name__))))
    assert seen["glasstorch"] == seen["torch"] == ("list", ["tuple"] * 2)
    assert_same(res[0], res[1])


def test_batch_size_none_converts_samples() -> None:
    res = [list(lib.utils.data.DataLoader(_dataset(lib, _arrays(4)), batch_size=None))
           for lib in LIBS]
    assert_same(res[0], res[1])


def test_custom_sampler_and_batch_sampler() -> None:
    res = []
    for lib in LIBS:
        ds = _dataset(lib, _arrays(10))
        a = list(lib.utils.data.DataLoader(ds, sampler=[9, 0, 3, 3], batch_size=3))
        b = list(lib.utils.data.DataLoader(ds, batch_sampler=[[1, 2], [7], [0, 9, 5]]))
        res.append((a, b))
    assert_same(res[0], res[1])


def test_map_dataset_of_python_samples() -> None:
    class Squares:
        def __len__(self) -> int:
            return 7

        def __getitem__(self, i: int) -> Any:
            return {"x": float(i) ** 2, "label": i % 2, "name": f"s{i}",
                    "arr": np.full(3, i, dtype=np.int16)}

    res = []
    for lib in LIBS:
        lib.manual_seed(5)
        res.append(list(lib.utils.data.DataLoader(Squares(), batch_size=3, shuffle=True)))
    assert_same(res[0], res[1])


def _iterable(lib: Any, n: int, with_len: bool = True) -> Any:
    class Stream(lib.utils.data.IterableDataset):
        def __iter__(self) -> Any:
            return iter(range(n))

    if with_len:
        Stream.__len__ = lambda self: n  # type: ignore[attr-defined]
    return Stream()


@pytest.mark.parametrize("batch_size,drop_last", [(None, False), (1, False), (3, False),
                                                  (3, True), (5, True)])
def test_iterable_dataset(batch_size: Any, drop_last: bool) -> None:
    res = []
    for lib in LIBS:
        lib.manual_seed(0)
        loader = lib.utils.data.DataLoader(_iterable(lib, 10), batch_size=batch_size,
                                           drop_last=drop_last)
        res.append((list(loader), len(loader), rng_bytes(lib)))
    assert_same(res[0][:2], res[1][:2])
    assert res[0][2] == res[1][2]


def test_iterable_dataset_length_warning() -> None:
    msgs = []
    for lib in LIBS:
        ds = _iterable(lib, 4)
        ds.__class__.__len__ = lambda self: 2
        loader = lib.utils.data.DataLoader(ds, batch_size=1)
        assert len(loader) == 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(loader)
        msgs.append([str(w.message).split(" was reported")[1] for w in caught])
    assert msgs[0] == msgs[1] and len(msgs[1]) == 2


@pytest.mark.parametrize("kwargs", [
    dict(num_workers=-1),
    dict(timeout=-1),
    dict(prefetch_factor=2),
    dict(num_workers=1, prefetch_factor=-1),
    dict(persistent_workers=True),
    dict(shuffle=True, sampler=[0, 1]),
    dict(batch_sampler=[[0]], batch_size=2),
    dict(batch_sampler=[[0]], shuffle=True),
    dict(batch_sampler=[[0]], sampler=[0]),
    dict(batch_sampler=[[0]], drop_last=True),
    dict(batch_size=None, drop_last=True),
    dict(batch_size=0),
    dict(batch_size=2, drop_last=1),
    dict(multiprocessing_context="fork"),
    dict(num_workers=1, multiprocessing_context="nope"),
    dict(num_workers=1, multiprocessing_context=3),
])
def test_argument_errors_equal_torch(kwargs: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(lambda lib: lib.utils.data.DataLoader(_dataset(lib, _arrays(4)), **kwargs))


@pytest.mark.parametrize("kwargs", [dict(shuffle=True), dict(sampler=[0]),
                                    dict(batch_sampler=[[0]])])
def test_iterable_dataset_argument_errors(kwargs: dict[str, Any]) -> None:
    err = same_error(lambda lib: lib.utils.data.DataLoader(_iterable(lib, 3, False), **kwargs))
    assert err[0] is ValueError


def test_timeout_without_workers_fails_at_iter_like_torch() -> None:
    same_error(lambda lib: iter(lib.utils.data.DataLoader(_dataset(lib, _arrays(4)),
                                                          timeout=1)))


def test_out_of_range_index_error_equals_torch() -> None:
    for kw in (dict(batch_size=2), dict(batch_size=None)):
        same_error(lambda lib, kw=kw: list(lib.utils.data.DataLoader(
            _dataset(lib, _arrays(4)), sampler=[0, 100], **kw)))


def test_attributes_frozen_after_init() -> None:
    def set_bs(lib: Any) -> None:
        loader = lib.utils.data.DataLoader(_dataset(lib, _arrays(4)))
        loader.batch_size = 3

    same_error(set_bs)
    loader = glasstorch.utils.data.DataLoader(_dataset(glasstorch, _arrays(4)))
    loader.collate_fn = list  # not a frozen attribute, as in torch
    assert loader.collate_fn is list


def test_len_equals_torch() -> None:
    for kw in (dict(batch_size=5), dict(batch_size=5, drop_last=True), dict(batch_size=None),
               dict(batch_sampler=[[0], [1, 2]]), dict(batch_size=2, sampler=range(7))):
        lens = [len(lib.utils.data.DataLoader(_dataset(lib, _arrays()), **kw)) for lib in LIBS]
        assert lens[0] == lens[1]


def test_pin_memory_warns_like_torch_without_accelerator() -> None:
    msgs = []
    for lib in LIBS:
        ds = _dataset(lib, _arrays(4))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = list(lib.utils.data.DataLoader(ds, pin_memory=True, pin_memory_device="cpu"))
        msgs.append(([str(w.message) for w in caught], out))
    assert msgs[0][0] == msgs[1][0] and len(msgs[1][0]) == 2
    assert_same(msgs[0][1], msgs[1][1])


def test_workers_run_in_main_process_with_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gt_dataloader, "_workers_notice_given", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glasstorch.manual_seed(0)
        ds = _dataset(glasstorch, _arrays())
        loader = glasstorch.utils.data.DataLoader(ds, batch_size=8, shuffle=True,
                                                  num_workers=2, timeout=5)
        ours = [list(loader) for _ in range(2)]
        glasstorch.utils.data.DataLoader(ds, num_workers=3)
    notices = [w for w in caught if "no worker processes" in str(w.message)]
    assert len(notices) == 1 and notices[0].category is UserWarning
    assert "num_workers=2" in str(notices[0].message)
    assert glasstorch.utils.data.get_worker_info() is None
    # torch's worker processes get their indices from the main process's sampler, so the
    # batches are those of num_workers=0
    torch.manual_seed(0)
    loader_t = torch.utils.data.DataLoader(_dataset(torch, _arrays()), batch_size=8,
                                           shuffle=True)
    assert_same(ours, [list(loader_t) for _ in range(2)])


def test_persistent_workers_draw_base_seed_once_like_torch() -> None:
    # torch keeps the persistent iterator, so _base_seed is drawn in the first epoch only
    # (checked here against torch with one real worker process)
    res = []
    for lib in LIBS:
        lib.manual_seed(11)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loader = lib.utils.data.DataLoader(_dataset(lib, [np.arange(8.0)]),
                                               batch_size=4, shuffle=True, num_workers=1,
                                               persistent_workers=True)
            batches = [list(loader) for _ in range(3)]
        res.append((batches, rng_bytes(lib)))
    assert_same(res[0][0], res[1][0])
    assert res[0][1] == res[1][1]


def test_fast_path_batch_is_a_fresh_tensor() -> None:
    x = glasstorch.arange(12.0).reshape(6, 2)
    (xb,) = next(iter(glasstorch.utils.data.DataLoader(glasstorch.utils.data.TensorDataset(x),
                                                       batch_size=3)))
    xb[0, 0] = 100.0  # torch's stack copies: the dataset must not change
    assert x[0, 0].item() == 0.0
    assert_same_tensor(xb[1:], torch.arange(2.0, 6.0).reshape(2, 2))


def test_signatures_equal_torch() -> None:
    import inspect

    names = ["DataLoader", "RandomSampler", "BatchSampler", "SubsetRandomSampler",
             "WeightedRandomSampler", "SequentialSampler", "Subset", "ConcatDataset",
             "StackDataset"]
    for name in names:
        ours = inspect.signature(getattr(glasstorch.utils.data, name))
        theirs = inspect.signature(getattr(torch.utils.data, name))
        assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == \
               [(p.name, p.kind, p.default) for p in theirs.parameters.values()], name
    ours = inspect.signature(glasstorch.utils.data.random_split).parameters
    theirs = inspect.signature(torch.utils.data.random_split).parameters
    assert list(ours) == list(theirs)
    assert ours["generator"].default is glasstorch.default_generator
