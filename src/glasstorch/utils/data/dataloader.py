"""``DataLoader``: batches of a dataset, in order or shuffled, and the iterator behind it.

As ``torch/utils/data/dataloader.py``, with the same arguments, checks and random draws:
each ``iter(loader)`` takes one 64-bit ``random_()`` (torch's ``_base_seed``) from
``generator`` or the global generator, shuffled or not, so the global random stream after
any number of epochs is torch's.

glasstorch has no worker processes: ``num_workers > 0`` loads in the main process (after a
one-time notice) and gives the same batches and the same global random stream as torch.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import glasstorch as torch
from glasstorch._generator import Generator
from glasstorch.utils.data import _utils
from glasstorch.utils.data._utils.collate import default_collate, default_convert
from glasstorch.utils.data._utils.worker import get_worker_info
from glasstorch.utils.data.dataset import Dataset, IterableDataset
from glasstorch.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
)

__all__ = [
    "DataLoader",
    "get_worker_info",
    "default_collate",
    "default_convert",
]

_T_co = TypeVar("_T_co", covariant=True)
_worker_init_fn_t = Callable[[int], None]
_collate_fn_t = Callable[[Any], Any]

# The notice that num_workers > 0 runs in the main process is given once per process.
_workers_notice_given = False


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind: int, dataset: Any, auto_collation: bool,
                       collate_fn: _collate_fn_t, drop_last: bool) -> Any:
        if kind == _DatasetKind.Map:
            return _utils.fetch._MapDatasetFetcher(dataset, auto_collation, collate_fn,
                                                   drop_last)
        else:
            return _utils.fetch._IterableDatasetFetcher(dataset, auto_collation, collate_fn,
                                                        drop_last)


class _InfiniteConstantSampler(Sampler[None]):
    """``itertools.repeat(None)``: the sampler used for an IterableDataset."""

    def __iter__(self) -> Any:
        while True:
            yield None


def _notice_workers(num_workers: int) -> None:
    global _workers_notice_given
    if _workers_notice_given:
        return
    _workers_notice_given = True
    warnings.warn(
        f"DataLoader(num_workers={num_workers}): glasstorch has no worker processes, so the "
        "data is loaded in the main process, one batch at a time. The batches and the global "
        "random stream are the ones torch gives; worker_init_fn is not called, "
        "prefetch_factor, timeout and multiprocessing_context have no effect, and random "
        "numbers drawn inside the dataset come from the main process's generator (torch's "
        "workers have their own). Pass num_workers=0 to silence this notice.",
        UserWarning,
        stacklevel=3,
    )


class DataLoader(Generic[_T_co]):
    """Iterates over a dataset in (optionally shuffled) mini-batches.

    Args:
        dataset: the dataset to load from (map-style or an IterableDataset).
        batch_size: samples per batch (default 1); None turns automatic batching off.
        shuffle: reshuffle at every epoch (default False).
        sampler: the order of the indices (any iterable with ``__len__``); excludes
            ``shuffle``.
        batch_sampler: like ``sampler`` but yields lists of indices; excludes
            ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.
        num_workers: torch's number of worker processes. glasstorch loads in the main
            process whatever the value (with a one-time notice); the batches and the
            global random stream are those torch gives.
        collate_fn: merges a list of samples into a batch (default ``default_collate``).
        pin_memory: as torch on a machine without an accelerator: accepted with torch's
            warning, and nothing is pinned (there is no device memory to copy to).
        drop_last: drop the last, smaller batch.
        timeout: torch's time limit for collecting a batch from workers; must be 0 when
            ``num_workers=0`` (as in torch).
        worker_init_fn: called in each worker process by torch; glasstorch has none.
        multiprocessing_context: torch's start method for workers (needs num_workers > 0).
        generator: the generator for the shuffle order and ``_base_seed``.
        prefetch_factor: batches loaded ahead per worker (needs num_workers > 0).
        persistent_workers: keep the workers (and so the iterator) between epochs.
        pin_memory_device: deprecated in torch; warned about with pin_memory.
        in_order: whether workers return batches in order (only with workers).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.utils.data import DataLoader, TensorDataset
        >>> ds = TensorDataset(torch.arange(5.), torch.tensor([0, 1, 0, 1, 0]))
        >>> for x, y in DataLoader(ds, batch_size=2):
        ...     print(x, y)
        tensor([0., 1.]) tensor([0, 1])
        tensor([2., 3.]) tensor([0, 1])
        tensor([4.]) tensor([0])
        >>> _ = torch.manual_seed(0)
        >>> [x.tolist() for x, _ in DataLoader(ds, batch_size=2, shuffle=True)]
        [[1.0, 4.0], [2.0, 3.0], [0.0]]
    """

    dataset: Dataset[_T_co]
    batch_size: int | None
    num_workers: int
    pin_memory: bool
    drop_last: bool
    timeout: float
    sampler: Sampler[Any] | Iterable[Any]
    pin_memory_device: str
    prefetch_factor: int | None
    _iterator: _BaseDataLoaderIter | None
    __initialized = False

    def __init__(
        self,
        dataset: Dataset[_T_co],
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler[Any] | Iterable[Any] | None = None,
        batch_sampler: Sampler[list[Any]] | Iterable[list[Any]] | None = None,
        num_workers: int = 0,
        collate_fn: _collate_fn_t | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: _worker_init_fn_t | None = None,
        multiprocessing_context: Any = None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; "
                "use num_workers=0 to disable multiprocessing."
            )

        if timeout < 0:
            raise ValueError("timeout option should be non-negative")

        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing."
                "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor "
                "to None."
            )
        elif num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")

        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        # Dataset checks come before sampler checks, so that a learner hears first that an
        # IterableDataset takes no sampler at all.
        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            # An IterableDataset decides its own order: no shuffle, sampler or batch_sampler.
            # (shuffle=False is allowed: it used to be the default.)
            if shuffle not in {False, None}:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified shuffle option, "
                    f"but got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified sampler option, "
                    f"but got sampler={sampler}"
                )
            elif batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified "
                    f"batch_sampler option, but got batch_sampler={batch_sampler}"
                )
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")

        if batch_sampler is not None:
            # a custom batch_sampler decides the batches
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive "
                    "with batch_size, shuffle, sampler, and "
                    "drop_last"
                )
            batch_size = None
            drop_last = False
        elif batch_size is None:
            # no automatic batching
            if drop_last:
                raise ValueError(
                    "batch_size=None option disables auto-batching "
                    "and is mutually exclusive with drop_last"
                )

        if sampler is None:  # the default samplers
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            else:
                if shuffle:
                    sampler = RandomSampler(dataset, generator=generator)  # type: ignore[arg-type]
                else:
                    sampler = SequentialSampler(dataset)  # type: ignore[arg-type]

        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator

        if collate_fn is None:
            if self._auto_collation:
                collate_fn = default_collate
            else:
                collate_fn = default_convert

        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers

        self.__initialized = True
        self._IterableDataset_len_called: int | None = None  # see __len__

        self._iterator = None

        if num_workers > 0:
            _notice_workers(num_workers)

    def _get_iterator(self) -> _BaseDataLoaderIter:
        return _SingleProcessDataLoaderIter(self)

    @property
    def multiprocessing_context(self) -> Any:
        """The start method for worker processes (only allowed with num_workers > 0)."""
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, multiprocessing_context: Any) -> None:
        if multiprocessing_context is not None:
            if self.num_workers > 0:
                import multiprocessing

                if isinstance(multiprocessing_context, str):
                    valid_start_methods = multiprocessing.get_all_start_methods()
                    if multiprocessing_context not in valid_start_methods:
                        raise ValueError(
                            "multiprocessing_context option "
                            f"should specify a valid start method in {valid_start_methods!r}, "
                            f"but got multiprocessing_context={multiprocessing_context!r}"
                        )
                    multiprocessing_context = multiprocessing.get_context(
                        multiprocessing_context
                    )

                if not isinstance(multiprocessing_context, multiprocessing.context.BaseContext):
                    raise TypeError(
                        "multiprocessing_context option should be a valid context "
                        "object or a string specifying the start method, but got "
                        f"multiprocessing_context={multiprocessing_context}"
                    )
            else:
                raise ValueError(
                    "multiprocessing_context can only be used with "
                    "multi-process loading (num_workers > 0), but got "
                    f"num_workers={self.num_workers}"
                )

        self.__multiprocessing_context = multiprocessing_context

    def __setattr__(self, attr: str, val: Any) -> None:
        if self.__initialized and attr in (
            "batch_size",
            "batch_sampler",
            "sampler",
            "drop_last",
            "dataset",
            "persistent_workers",
        ):
            raise ValueError(
                f"{attr} attribute should not be set after {self.__class__.__name__} is "
                "initialized"
            )

        super().__setattr__(attr, val)

    def __iter__(self) -> _BaseDataLoaderIter:
        # With persistent workers torch keeps one iterator (and its _base_seed) for the
        # loader's lifetime and only resets it; every other loader gets a new iterator.
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        else:
            return self._get_iterator()

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        # what the fetcher reads indices from: the batch sampler when batching
        if self._auto_collation:
            return self.batch_sampler
        else:
            return self.sampler

    def __len__(self) -> int:
        if self._dataset_kind == _DatasetKind.Iterable:
            # An IterableDataset's own __len__ (if it has one), in batches; remembered so
            # that iterating past it warns.
            length = self._IterableDataset_len_called = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                if self.drop_last:
                    length = length // self.batch_size
                else:
                    length = math.ceil(length / self.batch_size)
            return length
        else:
            return len(self._index_sampler)


class _BaseDataLoaderIter:
    def __init__(self, loader: DataLoader[Any]) -> None:
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers

        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn(
                "pin_memory_device is deprecated, the current accelerator will be used as the "
                f"device,ignore pin_memory_device='{loader.pin_memory_device}'.",
                stacklevel=2,
            )
        if loader.pin_memory:
            # torch's behaviour without an accelerator, which glasstorch never has
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, "
                "then device pinned memory won't be used.",
                stacklevel=2,
            )

        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # One 64-bit draw per iterator, shuffled or not: it seeds torch's workers, and
        # skipping it would put the global stream out of step with torch's.
        self._base_seed = (
            torch.empty((), dtype=torch.int64)
            .random_(generator=loader.generator)
            .item()
        )
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self) -> _BaseDataLoaderIter:
        return self

    def _reset(self, loader: DataLoader[Any], first_iter: bool = False) -> None:
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self) -> Any:
        return next(self._sampler_iter)  # may raise StopIteration

    def _next_data(self) -> Any:
        raise NotImplementedError

    def __next__(self) -> Any:
        data = self._next_data()
        self._num_yielded += 1
        if (
            self._dataset_kind == _DatasetKind.Iterable
            and self._IterableDataset_len_called is not None
            and self._num_yielded > self._IterableDataset_len_called
        ):
            warn_msg = (
                f"Length of IterableDataset {self._dataset} was reported to be "
                f"{self._IterableDataset_len_called}"
                f"(when accessing len(dataloader)), but {self._num_yielded} samples have been "
                "fetched. "
            )
            warnings.warn(warn_msg, stacklevel=2)
        return data

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __getstate__(self) -> Any:
        raise NotImplementedError("{} cannot be pickled", self.__class__.__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader: DataLoader[Any]) -> None:
        super().__init__(loader)
        # torch's single-process iterator; with num_workers > 0 glasstorch uses it too,
        # and torch's timeout (for waiting on workers) has nothing to wait for.
        if self._timeout != 0 and self._num_workers == 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")

        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind,
            self._dataset,
            self._auto_collation,
            self._collate_fn,
            self._drop_last,
        )

    def _reset(self, loader: DataLoader[Any], first_iter: bool = False) -> None:
        # a persistent loader's next epoch: a fresh pass over an IterableDataset too
        super()._reset(loader, first_iter)
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind,
            self._dataset,
            self._auto_collation,
            self._collate_fn,
            self._drop_last,
        )

    def _next_data(self) -> Any:
        index = self._next_index()  # may raise StopIteration
        return self._dataset_fetcher.fetch(index)  # may raise StopIteration
