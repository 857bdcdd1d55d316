"""Samplers: the order in which a DataLoader visits a dataset's indices.

As ``torch/utils/data/sampler.py``, and drawing random numbers exactly as it does, so a
seeded shuffle gives torch's order and leaves the global generator where torch leaves it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeVar

import glasstorch as torch
from glasstorch._generator import Generator
from glasstorch._tensor import Tensor
from glasstorch.ops.creation import as_tensor, empty
from glasstorch.ops.random import multinomial, randint, randperm

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Base class of all samplers: ``__iter__`` yields indices (or lists of them).

    A subclass may define ``__len__``; there is deliberately no default one (as in torch),
    so ``len()`` of a sampler without it is a TypeError.

    Example:
        >>> import glasstorch as torch
        >>> class Backwards(torch.utils.data.Sampler):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n - 1, -1, -1))
        >>> list(Backwards(3))
        [2, 1, 0]
    """

    def __iter__(self) -> Iterator[_T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """Indices ``0, 1, ..., len(data_source) - 1`` in order.

    Args:
        data_source: anything with a ``__len__``.

    Example:
        >>> import glasstorch as torch
        >>> list(torch.utils.data.SequentialSampler(range(4)))
        [0, 1, 2, 3]
    """

    data_source: Sized

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Random indices: a shuffled dataset, or draws with replacement.

    Without ``generator`` each ``iter`` seeds a private Generator with one 64-bit draw
    from the global one (``torch.empty((), dtype=torch.int64).random_()``), as torch does;
    the permutation (``randperm``) or the indices (``randint`` in chunks of 32) come from
    that private generator, or from ``generator`` when one is given.

    Args:
        data_source: the dataset (anything with a ``__len__``).
        replacement: draw with replacement (``num_samples`` draws) if True.
        num_samples: how many indices to yield (default ``len(data_source)``).
        generator: the generator to draw from.

    Example:
        >>> import glasstorch as torch
        >>> g = torch.Generator().manual_seed(0)
        >>> list(torch.utils.data.RandomSampler(range(5), generator=g))
        [4, 0, 1, 3, 2]
    """

    data_source: Sized
    replacement: bool

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator

        if not isinstance(self.replacement, bool):
            raise TypeError(
                "replacement should be a boolean value, but got "
                f"replacement={self.replacement}"
            )

        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                "num_samples should be a positive integer value, but got "
                f"num_samples={self.num_samples}"
            )

    @property
    def num_samples(self) -> int:
        """How many indices one pass yields (the dataset's size may change at run time)."""
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        if self.generator is None:
            seed = int(empty((), dtype=torch.int64).random_().item())
            generator = Generator()
            generator.manual_seed(seed)
        else:
            generator = self.generator

        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from randint(
                    high=n, size=(32,), dtype=torch.int64, generator=generator
                ).tolist()
            yield from randint(
                high=n, size=(self.num_samples % 32,), dtype=torch.int64, generator=generator
            ).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=generator).tolist()
            yield from randperm(n, generator=generator).tolist()[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices in a random order (``randperm(len(indices))``).

    Args:
        indices: the indices to sample from.
        generator: the generator to draw from (default: the global one).

    Example:
        >>> import glasstorch as torch
        >>> g = torch.Generator().manual_seed(0)
        >>> list(torch.utils.data.SubsetRandomSampler([10, 20, 30], generator=g))
        [30, 10, 20]
    """

    indices: Sequence[int]

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """Indices ``0..len(weights)-1`` drawn with probabilities proportional to ``weights``.

    Args:
        weights: non-negative weights (need not sum to one).
        num_samples: how many indices to draw.
        replacement: draw with replacement if True.
        generator: the generator to draw from (default: the global one).

    Example:
        >>> import glasstorch as torch
        >>> g = torch.Generator().manual_seed(0)
        >>> list(torch.utils.data.WeightedRandomSampler([0.0, 1.0, 3.0], 4, generator=g))
        [2, 2, 2, 2]
    """

    weights: Tensor
    num_samples: int
    replacement: bool

    def __init__(
        self,
        weights: Sequence[float],
        num_samples: int,
        replacement: bool = True,
        generator: Generator | None = None,
    ) -> None:
        if (
            not isinstance(num_samples, int)
            or isinstance(num_samples, bool)
            or num_samples <= 0
        ):
            raise ValueError(
                "num_samples should be a positive integer value, but got "
                f"num_samples={num_samples}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )

        weights_tensor = as_tensor(weights, dtype=torch.double)
        if len(weights_tensor.shape) != 1:
            raise ValueError(
                "weights should be a 1d sequence but given "
                f"weights have shape {tuple(weights_tensor.shape)}"
            )

        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        rand_tensor = multinomial(
            self.weights, self.num_samples, self.replacement, generator=self.generator
        )
        yield from iter(rand_tensor.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Groups the indices of another sampler into lists of ``batch_size``.

    Args:
        sampler: the index sampler (any iterable).
        batch_size: the size of a mini-batch.
        drop_last: drop the last batch if it is smaller than ``batch_size``.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.utils.data import BatchSampler, SequentialSampler
        >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
        [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
        >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=True))
        [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    """

    def __init__(
        self,
        sampler: Sampler[int] | Iterable[int],
        batch_size: int,
        drop_last: bool,
    ) -> None:
        # no isinstance(sampler, Iterable) check: an object with __getitem__ iterates too
        if (
            not isinstance(batch_size, int)
            or isinstance(batch_size, bool)
            or batch_size <= 0
        ):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"drop_last should be a boolean value, but got drop_last={drop_last}"
            )
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        sampler_iter = iter(self.sampler)
        if self.drop_last:
            # batch_size references to one iterator: zip takes consecutive items
            args = [sampler_iter] * self.batch_size
            for batch_droplast in zip(*args, strict=False):
                yield [*batch_droplast]
        else:
            batch = [*itertools.islice(sampler_iter, self.batch_size)]
            while batch:
                yield batch
                batch = [*itertools.islice(sampler_iter, self.batch_size)]

    def __len__(self) -> int:
        # only works when the wrapped sampler has a __len__
        n: Any = len(self.sampler)  # type: ignore[arg-type]
        if self.drop_last:
            return int(n // self.batch_size)
        return int((n + self.batch_size - 1) // self.batch_size)
