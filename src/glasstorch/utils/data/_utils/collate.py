"""Collation: turning a list of samples into a batch (``default_collate``, ``default_convert``).

As ``torch/utils/data/_utils/collate.py``: ``collate`` walks the structure of the first
sample (mapping, namedtuple, sequence) and hands the leaves to the function registered for
their type in ``default_collate_fn_map`` (tensors are stacked, NumPy arrays become tensors,
Python floats become float64 and ints int64 tensors, strings stay a list).
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np

import glasstorch as torch
from glasstorch._tensor import Tensor
from glasstorch.ops.creation import as_tensor as _as_tensor, tensor as _tensor
from glasstorch.ops.shape import stack as _stack
from glasstorch.utils.data.dataset import _TensorBatch

__all__ = [
    "collate",
    "default_collate",
    "default_collate_fn_map",
    "default_convert",
]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

_CollateFnMap = dict[type | tuple[type, ...], Callable[..., Any]]


def default_convert(data: Any) -> Any:
    """Convert each NumPy array (or NumPy scalar) inside ``data`` into a Tensor.

    Mappings, namedtuples and sequences are converted element by element (a plain tuple
    becomes a list, as in torch); anything else is returned unchanged. The DataLoader uses
    this instead of ``default_collate`` when automatic batching is off (``batch_size=None``).

    Args:
        data: one sample.

    Example:
        >>> import numpy as np
        >>> from glasstorch.utils.data import default_convert
        >>> default_convert(0)
        0
        >>> default_convert((np.array([0, 1]), "a"))
        [tensor([0, 1]), 'a']
    """
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    elif (
        elem_type.__module__ == "numpy"
        and elem_type.__name__ != "str_"
        and elem_type.__name__ != "string_"
    ):
        # arrays of strings and objects stay as they are
        if (
            elem_type.__name__ == "ndarray"
            and np_str_obj_array_pattern.search(data.dtype.str) is not None
        ):
            return data
        return _as_tensor(data)
    elif isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                # the mapping type may carry extra state, so update a copy rather than
                # constructing a new one
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            else:
                return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            # the mapping type supports neither copy/update nor construction from a dict
            return {key: default_convert(data[key]) for key in data}
    elif isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    elif isinstance(data, tuple):
        return [default_convert(d) for d in data]  # a list, as in torch (backward compat)
    elif isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                seq_clone = copy.copy(data)
                for i, d in enumerate(data):
                    seq_clone[i] = default_convert(d)
                return seq_clone
            else:
                return elem_type([default_convert(d) for d in data])
        except TypeError:
            # e.g. `range`, which cannot be built from a list
            return [default_convert(d) for d in data]
    else:
        return data


default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}"
)


def collate(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """Collate ``batch`` by the structure of its first element, leaves by ``collate_fn_map``.

    Args:
        batch: the list of samples.
        collate_fn_map: element type -> function(batch, *, collate_fn_map) for the leaves;
            an exact type match wins, otherwise the first key ``batch[0]`` is an instance of.

    Example:
        >>> from glasstorch.utils.data._utils.collate import collate
        >>> join = {int: lambda b, **kw: sum(b), str: lambda b, **kw: "".join(b)}
        >>> collate([(1, "a"), (2, "b")], collate_fn_map=join)
        [3, 'ab']
    """
    elem = batch[0]
    elem_type = type(elem)

    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)

        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                # update a copy: the mapping type may carry extra state
                clone = copy.copy(elem)
                clone.update(
                    {
                        key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                        for key in elem
                    }
                )
                return clone
            else:
                return elem_type(
                    {
                        key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                        for key in elem
                    }
                )
        except TypeError:
            return {
                key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                for key in elem
            }
    elif isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(
            *(
                collate(samples, collate_fn_map=collate_fn_map)
                for samples in zip(*batch, strict=False)
            )
        )
    elif isinstance(elem, collections.abc.Sequence):
        # the samples' sequences must have equal lengths to be transposed
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(elem) == elem_size for elem in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch, strict=False))  # read twice below, so a list

        if isinstance(elem, tuple):
            # a list, not a tuple, as in torch (backward compat)
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        else:
            try:
                if isinstance(elem, collections.abc.MutableSequence):
                    seq_clone = copy.copy(elem)
                    for i, samples in enumerate(transposed):
                        seq_clone[i] = collate(samples, collate_fn_map=collate_fn_map)
                    return seq_clone
                else:
                    return elem_type(
                        [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
                    )
            except TypeError:
                return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]

    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """Tensors: ``_stack(batch, 0)`` (a new leading batch dimension)."""
    # torch's checks for nested and sparse tensors have nothing to check here: glasstorch
    # tensors are always dense and strided; and there are no worker processes whose
    # shared memory torch would stack into.
    return _stack(batch, 0)


def collate_numpy_array_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """NumPy arrays: each to a tensor, then collated as tensors (arrays of str/object fail)."""
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([_as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """NumPy scalars: one tensor of their dtype."""
    return _as_tensor(batch)


def collate_float_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """Python floats: a float64 tensor (not the default dtype)."""
    return _tensor(batch, dtype=torch.float64)


def collate_int_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """Python ints (and bools): ``_tensor(batch)``, so int64 (bool for bools)."""
    return _tensor(batch)


def collate_str_fn(batch: Any, *, collate_fn_map: _CollateFnMap | None = None) -> Any:
    """Strings and bytes: the batch as it is (a list)."""
    return batch


default_collate_fn_map: _CollateFnMap = {Tensor: collate_tensor_fn}
# ndarray covers its subclasses (memmap); NumPy's string scalars are left out on purpose
default_collate_fn_map[np.ndarray] = collate_numpy_array_fn
default_collate_fn_map[(np.bool_, np.number, np.object_)] = collate_numpy_scalar_fn
default_collate_fn_map[float] = collate_float_fn
default_collate_fn_map[int] = collate_int_fn
default_collate_fn_map[str] = collate_str_fn
default_collate_fn_map[bytes] = collate_str_fn

# The fast path below is only taken while the registry is the default one (a user may add
# or replace entries, which changes what collating a batch means).
_DEFAULT_MAP = dict(default_collate_fn_map)


def default_collate(batch: Any) -> Any:
    """Stack a list of samples into a batch with a new leading dimension.

    Tensors are stacked; NumPy arrays and NumPy scalars become tensors; Python floats a
    float64 tensor, ints an int64 tensor (bools a bool tensor); strings and bytes stay a
    list; mappings are collated key by key, namedtuples field by field, and other sequences
    (tuples too) position by position into a list.

    The samples of a TensorDataset batch (see ``TensorDataset.__getitems__``) are collated
    by taking each tensor's rows at once, which gives the same tensors as stacking.

    Args:
        batch: the list of samples.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.utils.data import default_collate
        >>> default_collate([0, 1, 2])
        tensor([0, 1, 2])
        >>> default_collate([(1.0, "a"), (2.0, "b")])
        [tensor([1., 2.], dtype=torch.float64), ('a', 'b')]
        >>> default_collate([{"x": torch.zeros(2)}, {"x": torch.ones(2)}])
        {'x': tensor([[0., 0.],
                [1., 1.]])}
    """
    if type(batch) is _TensorBatch and default_collate_fn_map == _DEFAULT_MAP:
        out = batch.collated()
        if out is not None:
            return out
        batch = list(batch)
    return collate(batch, collate_fn_map=default_collate_fn_map)
