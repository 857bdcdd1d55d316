"""``torch.utils.data``: datasets, samplers, collation and the ``DataLoader``.

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.utils.data import DataLoader, TensorDataset
    >>> ds = TensorDataset(torch.arange(4.), torch.tensor([0, 1, 1, 0]))
    >>> len(DataLoader(ds, batch_size=3))
    2
"""

from __future__ import annotations

from glasstorch.utils.data.dataloader import (
    DataLoader,
    _DatasetKind,
    default_collate,
    default_convert,
    get_worker_info,
)
from glasstorch.utils.data.dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from glasstorch.utils.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "_DatasetKind",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]


def __getattr__(name: str) -> object:
    # name exactly what a PyTorch script asked for that glasstorch lacks (e.g. the
    # DataPipes or DistributedSampler)
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"glasstorch does not implement torch.utils.data.{name} yet")
