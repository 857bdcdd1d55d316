"""Datasets: ``Dataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``, ``random_split``...

The classes follow ``torch/utils/data/dataset.py`` name for name. One addition:
``TensorDataset.__getitems__`` hands the DataLoader a whole batch at once (see
:class:`_TensorBatch`), so a mini-batch costs one NumPy ``take`` per tensor instead of one
indexing op per sample plus a ``stack``.
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast, overload

import numpy as np

from glasstorch._generator import Generator, default_generator
from glasstorch._tensor import Tensor
from glasstorch.autograd import grad_mode
from glasstorch.ops.random import randperm

__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "StackDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
]

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class Dataset(Generic[_T_co]):
    """An abstract class representing a map-style dataset (``torch.utils.data.Dataset``).

    Subclasses define ``__getitem__`` (one sample for one key) and usually ``__len__``;
    they may define ``__getitems__(indices)`` to return a whole batch of samples at once,
    which the DataLoader then uses instead of one ``__getitem__`` per sample.

    Example:
        >>> import glasstorch as torch
        >>> class Squares(torch.utils.data.Dataset):
        ...     def __len__(self):
        ...         return 4
        ...     def __getitem__(self, i):
        ...         return i * i
        >>> [Squares()[i] for i in range(4)]
        [0, 1, 4, 9]
        >>> len(Squares() + Squares())
        8
    """

    def __getitem__(self, index: Any) -> _T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    # No default `__getitems__`: the DataLoader's fetcher checks whether one exists.
    # No default `__len__` either (as in torch: `len()` of a dataset without one is a
    # TypeError, which lets `list(x)` fall back to iteration).

    def __add__(self, other: Dataset[_T_co]) -> ConcatDataset[_T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """A dataset that is a stream of samples: subclasses define ``__iter__``.

    Example:
        >>> import glasstorch as torch
        >>> class Count(torch.utils.data.IterableDataset):
        ...     def __iter__(self):
        ...         return iter(range(3, 7))
        >>> list(torch.utils.data.DataLoader(Count(), batch_size=2))
        [tensor([3, 4]), tensor([5, 6])]
    """

    # `__iter__` stays abstract (from collections.abc.Iterable): instantiating a subclass
    # without one is a TypeError, as in torch.

    def __add__(self, other: Dataset[_T_co]) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Dataset wrapping tensors; sample ``i`` is ``tuple(t[i] for t in tensors)``.

    Args:
        *tensors: tensors with the same size of the first dimension.

    Example:
        >>> import glasstorch as torch
        >>> ds = torch.utils.data.TensorDataset(torch.arange(6.).reshape(3, 2),
        ...                                     torch.tensor([0, 1, 0]))
        >>> len(ds), ds[1]
        (3, (tensor([2., 3.]), tensor(1)))
    """

    tensors: tuple[Tensor, ...]

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != tensor.size(0) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(tensor[index] for tensor in self.tensors)

    def __getitems__(self, indices: Sequence[int]) -> _TensorBatch:
        # glasstorch's addition (torch's TensorDataset has none): the samples of a whole
        # batch, built lazily so that default_collate can take each tensor's rows at once.
        return _TensorBatch(self.tensors, indices)

    def __len__(self) -> int:
        return int(self.tensors[0].size(0))


class _TensorBatch(Sequence[tuple[Tensor, ...]]):
    """The samples ``[dataset[i] for i in indices]`` of a TensorDataset, not yet built.

    Read as a sequence it gives exactly torch's samples (``tuple(t[i] for t in tensors)``,
    views of the dataset's tensors). ``default_collate`` instead asks :meth:`collated` for
    the batch: one NumPy ``take`` per tensor, which equals ``stack`` of the samples (same
    values, dtype, shape, a new contiguous tensor without history) at a fraction of the
    cost. The DataLoader turns it into a plain list before calling any other collate_fn.
    """

    __slots__ = ("tensors", "indices")

    def __init__(self, tensors: tuple[Tensor, ...], indices: Sequence[int]) -> None:
        self.tensors = tensors
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, i: int) -> tuple[Tensor, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Tensor, ...]]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        index = self.indices[i]
        return tuple(tensor[index] for tensor in self.tensors)

    def __iter__(self) -> Iterator[tuple[Tensor, ...]]:
        # explicit: Sequence's default __iter__ stops at the first IndexError, which would
        # swallow torch's "index 100 is out of bounds" for a bad index
        tensors = self.tensors
        for index in self.indices:
            yield tuple(tensor[index] for tensor in tensors)

    def __repr__(self) -> str:
        return repr(list(self))

    def collated(self) -> list[Tensor] | None:
        """``default_collate(list(self))`` by fancy indexing, or None where that differs.

        ``stack`` records a graph when a tensor requires grad (and grad mode is on); odd
        indices (bools, floats, out of range) need torch's own indexing and its errors.
        Those cases return None and go through the per-sample path.
        """
        if grad_mode._enabled[0] and any(t._rg for t in self.tensors):
            return None
        idx = np.asarray(self.indices)
        if idx.dtype.kind not in "iu" or idx.ndim != 1 or idx.size == 0:
            return None
        try:
            return [Tensor._wrap(t._data.take(idx, 0)) for t in self.tensors]
        except IndexError:
            return None


_T_tuple = tuple[Any, ...]
_T_dict = dict[str, Any]


class StackDataset(Dataset[Any]):
    """Samples of several equally long datasets side by side, as a tuple or a dict.

    Args:
        *args: datasets whose samples form a tuple.
        **kwargs: datasets whose samples form a dict (keyed by the argument names).

    Example:
        >>> import glasstorch as torch
        >>> ds = torch.utils.data.StackDataset(x=[1, 2], y=["a", "b"])
        >>> ds[1]
        {'x': 2, 'y': 'b'}
    """

    datasets: tuple[Any, ...] | dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            if kwargs:
                raise ValueError(
                    "Supported either ``tuple``- (via ``args``) or"
                    "``dict``- (via ``kwargs``) like input/output, but both types are given."
                )
            self._length = len(args[0])
            if any(self._length != len(dataset) for dataset in args):
                raise ValueError("Size mismatch between datasets")
            self.datasets = args
        elif kwargs:
            tmp = list(kwargs.values())
            self._length = len(tmp[0])
            if any(self._length != len(dataset) for dataset in tmp):
                raise ValueError("Size mismatch between datasets")
            self.datasets = kwargs
        else:
            raise ValueError("At least one dataset should be passed")

    def __getitem__(self, index: Any) -> Any:
        if isinstance(self.datasets, dict):
            return {k: dataset[index] for k, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __getitems__(self, indices: list[int]) -> list[Any]:
        # batched fetching when the stacked datasets support it
        if isinstance(self.datasets, dict):
            dict_batch: list[_T_dict] = [{} for _ in indices]
            for k, dataset in self.datasets.items():
                if callable(getattr(dataset, "__getitems__", None)):
                    items = dataset.__getitems__(indices)
                    if len(items) != len(indices):
                        raise ValueError(
                            "Nested dataset's output size mismatch."
                            f" Expected {len(indices)}, got {len(items)}"
                        )
                    for data, d_sample in zip(items, dict_batch, strict=True):
                        d_sample[k] = data
                else:
                    for idx, d_sample in zip(indices, dict_batch, strict=True):
                        d_sample[k] = dataset[idx]
            return dict_batch

        list_batch: list[list[Any]] = [[] for _ in indices]
        for dataset in self.datasets:
            if callable(getattr(dataset, "__getitems__", None)):
                items = dataset.__getitems__(indices)
                if len(items) != len(indices):
                    raise ValueError(
                        "Nested dataset's output size mismatch."
                        f" Expected {len(indices)}, got {len(items)}"
                    )
                for data, t_sample in zip(items, list_batch, strict=True):
                    t_sample.append(data)
            else:
                for idx, t_sample in zip(indices, list_batch, strict=True):
                    t_sample.append(dataset[idx])
        tuple_batch: list[_T_tuple] = [tuple(sample) for sample in list_batch]
        return tuple_batch

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset[_T_co]):
    """Several map-style datasets one after another.

    Args:
        datasets: the datasets to concatenate (not IterableDatasets).

    Example:
        >>> import glasstorch as torch
        >>> ds = torch.utils.data.ConcatDataset([[1, 2], [3, 4, 5]])
        >>> len(ds), ds[2], ds.cumulative_sizes
        (5, 3, [2, 5])
    """

    datasets: list[Dataset[_T_co]]
    cumulative_sizes: list[int]

    @staticmethod
    def cumsum(sequence: Iterable[Any]) -> list[int]:
        """The running totals of the lengths of ``sequence``'s items."""
        r, s = [], 0
        for e in sequence:
            length = len(e)
            r.append(length + s)
            s += length
        return r

    def __init__(self, datasets: Iterable[Dataset[Any]]) -> None:
        super().__init__()
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> _T_co:
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        if dataset_idx == 0:
            sample_idx = idx
        else:
            sample_idx = idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]

    @property
    def cummulative_sizes(self) -> list[int]:
        """Deprecated spelling of ``cumulative_sizes``."""
        warnings.warn(
            "`cummulative_sizes` attribute is renamed to `cumulative_sizes`",
            FutureWarning,
            stacklevel=2,
        )
        return self.cumulative_sizes


class ChainDataset(IterableDataset[Any]):
    """Several IterableDatasets one after another, chained on the fly.

    Args:
        datasets: the IterableDatasets to chain.
    """

    def __init__(self, datasets: Iterable[Dataset[Any]]) -> None:
        super().__init__()
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            total += len(d)  # type: ignore[arg-type]
        return total


class Subset(Dataset[_T_co]):
    """The samples of ``dataset`` at ``indices``.

    Args:
        dataset: the whole dataset.
        indices: the positions in ``dataset`` that make up the subset.

    Example:
        >>> import glasstorch as torch
        >>> sub = torch.utils.data.Subset(["a", "b", "c", "d"], [3, 0])
        >>> len(sub), sub[0], sub[1]
        (2, 'd', 'a')
    """

    dataset: Dataset[_T_co]
    indices: Sequence[int]

    def __init__(self, dataset: Dataset[_T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

        # the DataLoader fetches through __getitems__, which would bypass an overridden
        # __getitem__
        if (
            type(self).__getitem__ is not Subset.__getitem__
            and type(self).__getitems__ is Subset.__getitems__
        ):
            raise NotImplementedError(
                f"{type(self).__name__} overrides __getitem__ but not __getitems__. "
                "When subclassing Subset and overriding __getitem__, you must also override "
                "__getitems__ to ensure DataLoader works correctly with your custom logic. "
                "A simple implementation:\n\n"
                "def __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]"
            )

    def __getitem__(self, idx: Any) -> _T_co:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> Sequence[_T_co]:
        # batched fetching when the parent dataset supports it (see fetch.py)
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__(  # type: ignore[attr-defined]
                [self.indices[idx] for idx in indices]
            )
        return [self.dataset[self.indices[idx]] for idx in indices]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(
    dataset: Dataset[_T],
    lengths: Sequence[int | float],
    generator: Generator | None = default_generator,
) -> list[Subset[_T]]:
    """Randomly split a dataset into non-overlapping subsets of the given lengths.

    ``lengths`` may be fractions summing to 1: each split then gets
    ``floor(frac * len(dataset))`` items and the remainder is handed out one by one,
    round robin from the first split. The order comes from
    ``randperm(len(dataset), generator=generator)``, so it is torch's, bit for bit.

    Args:
        dataset: the dataset to split.
        lengths: lengths or fractions of the splits.
        generator: the generator for the permutation (default: the global one).

    Example:
        >>> import glasstorch as torch
        >>> g = torch.Generator().manual_seed(42)
        >>> train, test = torch.utils.data.random_split(range(10), [0.7, 0.3], generator=g)
        >>> list(train), list(test)
        ([2, 6, 1, 8, 4, 5, 0], [9, 3, 7])
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        subset_lengths: list[int] = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            n_items_in_split = math.floor(len(dataset) * frac)  # type: ignore[arg-type]
            subset_lengths.append(n_items_in_split)
        remainder = len(dataset) - sum(subset_lengths)  # type: ignore[arg-type]
        # add 1 to the lengths in round-robin fashion until the remainder is used up
        for i in range(remainder):
            idx_to_add_at = i % len(subset_lengths)
            subset_lengths[idx_to_add_at] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )

    if sum(lengths) != len(dataset):  # type: ignore[arg-type]
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")

    indices = randperm(sum(lengths), generator=generator).tolist()
    int_lengths = cast(Sequence[int], lengths)
    return [
        Subset(dataset, indices[offset - length : offset])
        for offset, length in zip(itertools.accumulate(int_lengths), int_lengths, strict=True)
    ]
