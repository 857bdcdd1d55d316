"""Indexing ops.

``x[index]``, ``x[index] = value``, gather/scatter, index_select, masked_select, take and
nonzero.

How ``x[index]`` works (torch's rules, which this file follows step by step):

1. *Basic* items are applied left to right as view ops, each its own node: an int selects
   (``SelectBackward0``), a slice slices (``SliceBackward0``), ``None`` unsqueezes,
   ``...`` skips dims. Full slices (``:``) inside a tuple are skipped; if nothing is left,
   the result is an alias (``AliasBackward0``). All of these share memory with ``x``.
2. The *advanced* items (integer or bool tensors, lists, arrays) are then applied to that
   view in one ``IndexBackward0`` node with NumPy's rules for index arrays (broadcasting,
   bool masks, where the indexed dims go). This result is a copy.

Its gradient scatters ``grad`` back into zeros of ``x``'s shape; with index arrays the same
element may have been picked several times, so contributions are *added* (``np.add.at``).

``x[index] = value`` writes into ``x``'s memory through the same views. With autograd on, the
tensor (or the base it is a view of) gets a node that gives the overwritten elements a zero
gradient and ``value`` the gradient of the elements it now fills (``CopySlices``).
"""

from __future__ import annotations

import builtins
import operator
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd import grad_mode
from glasstorch.autograd.function import Function
from glasstorch.ops._broadcast import unbroadcast
from glasstorch.ops._util import dtype_name, mark_view, wrap_dim
from glasstorch.ops.shape import Alias, Select, Slice, Unsqueeze, _expanded_shape

__all__ = [
    "getitem", "setitem", "gather", "scatter", "scatter_add", "index_select",
    "masked_select", "take", "nonzero", "argwhere",
]

_enabled = grad_mode._enabled
_PY_NUMBERS = (builtins.int, builtins.float, builtins.bool)


# ================================================================== reading the index
class _Plan:
    """What an index does: ``steps`` (basic view ops, in order) then ``advanced`` (or None).

    ``steps`` holds ``(Function, kwargs)`` pairs: ``Select``, ``Slice`` or ``Unsqueeze`` with
    the dim they act on in the result so far. ``advanced`` is a NumPy index tuple of
    ``slice(None)`` and index arrays, applied to the result of the steps.
    """

    __slots__ = ("steps", "advanced", "mask_only")

    def __init__(self, steps: list[tuple[type[Function], dict[str, Any]]],
                 advanced: tuple[Any, ...] | None, mask_only: bool) -> None:
        self.steps = steps
        self.advanced = advanced
        self.mask_only = mask_only  # the index is one bool mask (x[mask] = v is masked_fill)


def _index_items(index: Any) -> tuple[tuple[Any, ...], bool]:
    """The index as a tuple of items, and whether it was a single item (not a tuple)."""
    if type(index) is tuple:
        return index, False
    if isinstance(index, list) and _list_is_tuple(index):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated; use "
            "x[tuple(seq)] instead of x[seq].",
            UserWarning,
            stacklevel=3,
        )
        return tuple(index), False
    return (index,), True


def _list_is_tuple(seq: list[Any]) -> bool:
    """torch's (and old NumPy's) rule for when a list index means a tuple of indices.

    A short list holding a slice, None, ..., a tensor or a sequence is a tuple, so
    ``x[[0, slice(None)]]`` is ``x[0, :]``.
    """
    if len(seq) >= 32:
        return False
    for item in seq:
        if item is None or item is Ellipsis or isinstance(
            item, (slice, Tensor, list, tuple, np.ndarray)
        ):
            return True
    return False


def _index_array(item: Any) -> Any:
    """An index item as torch sees it: int, bool, slice, None, ..., or an index array."""
    if item is None or item is Ellipsis or type(item) is slice:
        return item
    if type(item) is builtins.bool or type(item) is builtins.int:
        return item
    if isinstance(item, Tensor):
        arr = item._data
    elif isinstance(item, (list, tuple, range, np.ndarray)):  # range: x[range(n), target]
        arr = np.asarray(item)
        if arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)  # x[[]] is an empty integer index
    elif hasattr(item, "__index__") and not isinstance(item, (np.bool_, builtins.float)):
        return operator.index(item)  # NumPy integers
    else:
        name = type(item).__name__
        if isinstance(item, np.generic):
            name = "numpy." + name
        raise IndexError(
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
            f"are valid indices (got {name})"
        )
    kind = arr.dtype.kind
    if arr.ndim == 0 and kind in "iu":
        return builtins.int(arr)  # a 0-d integer tensor indexes like an int
    if arr.ndim == 0 and kind == "b":
        return builtins.bool(arr)
    if kind == "b":
        return arr
    if arr.dtype == np.uint8:
        warnings.warn(
            "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool "
            "instead.",
            UserWarning,
            stacklevel=3,
        )
        return arr.astype(np.bool_)
    if kind in "iu":
        return arr.astype(np.int64, copy=False)
    raise IndexError(
        "tensors used as indices must be long, int, byte or bool tensors (convert the index "
        "with .long() or .bool())"
    )


def _dims_used(item: Any) -> int:
    """How many dims of the tensor an index item consumes."""
    if item is None or item is Ellipsis or type(item) is builtins.bool:
        return 0
    if type(item) is np.ndarray and item.dtype == np.bool_:
        return item.ndim
    return 1


def _plan_index(shape: tuple[int, ...], index: Any, for_setitem: bool = False) -> _Plan:
    """Turn ``index`` into view steps and an advanced index, checking it as torch does."""
    items, single = _index_items(index)
    items = tuple(_index_array(item) for item in items)
    ndim = len(shape)
    used = builtins.sum(_dims_used(item) for item in items)
    if used > ndim:
        if ndim == 0:
            for item in items:
                if type(item) is builtins.int:
                    raise IndexError(
                        "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                        "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
                    )
                if type(item) is slice:
                    raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(f"too many indices for tensor of dimension {ndim}")

    steps: list[tuple[type[Function], dict[str, Any]]] = []
    arrays: list[tuple[int, np.ndarray, int]] = []  # (dim in the result, array, dim in x)
    cur = list(shape)  # the shape of the result so far
    dim = 0  # where the next item acts, in the result so far
    real = 0  # the same position counted in the original tensor (for messages)
    for item in items:
        if item is None:
            steps.append((Unsqueeze, {"dim": dim}))
            cur.insert(dim, 1)
            dim += 1
        elif item is Ellipsis:
            dim += ndim - used
            real += ndim - used
        elif type(item) is builtins.bool:
            # x[True] adds a dim of size 1 and picks it (x[False] picks nothing)
            steps.append((Unsqueeze, {"dim": dim}))
            cur.insert(dim, 1)
            arrays.append((dim, np.zeros(1 if item else 0, np.int64), real))
            dim += 1
        elif type(item) is builtins.int:
            size = cur[dim]
            if not -size <= item < size:
                raise IndexError(
                    f"index {item} is out of bounds for dimension {real} with size {size}"
                )
            steps.append((Select, {"dim": dim, "index": item % size}))
            cur.pop(dim)
            real += 1
        elif type(item) is slice:
            start, stop, step = (None if v is None else operator.index(v)
                                 for v in (item.start, item.stop, item.step))
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step is not None and step < 0:
                raise ValueError(
                    "step must be greater than zero (torch has no negative strides; use "
                    "x.flip(dim) to reverse)"
                )
            size = cur[dim]
            is_full = (start in (None, 0) and (stop is None or stop >= size)
                       and step in (None, 1))
            # torch skips a ':' inside a tuple (and always in setitem), not a lone x[:]
            if not is_full or (single and not for_setitem):
                steps.append((Slice, {"dim": dim, "start": start, "stop": stop,
                                      "step": 1 if step is None else step}))
                cur[dim] = len(range(size)[start:stop:step])
            dim += 1
            real += 1
        else:
            arrays.append((dim, item, real))
            dim += _dims_used(item)
            real += _dims_used(item)
    mask_only = len(items) == 1 and type(items[0]) is np.ndarray and items[0].dtype == np.bool_
    return _Plan(steps, _advanced_index(arrays, cur) if arrays else None, mask_only)


def _advanced_index(arrays: list[tuple[int, np.ndarray, int]],
                    shape: list[int]) -> tuple[Any, ...]:
    """Check the index arrays against ``shape`` and build the NumPy index tuple."""
    index: list[Any] = []
    for dim, arr, _ in arrays:
        if arr.dtype == np.bool_:
            for j, n in enumerate(arr.shape):
                if dim + j >= len(shape) or shape[dim + j] != n:
                    raise IndexError(
                        f"The shape of the mask {list(arr.shape)} at index {j} does not match "
                        f"the shape of the indexed tensor {shape} at index {dim + j}"
                    )
        elif arr.size:
            size = shape[dim]
            if arr.max() >= size or arr.min() < -size:
                bad = arr[(arr >= size) | (arr < -size)].flat[0]
                raise IndexError(
                    f"index {bad} is out of bounds for dimension {dim} with size {size}"
                )
        index += [slice(None)] * (dim - len(index))
        index.append(arr)
        index += [None] * (_dims_used(arr) - 1)  # placeholders for a mask's extra dims
    try:
        if len(arrays) > 1:
            np.broadcast_shapes(*(a.shape for a in index if type(a) is np.ndarray
                                  and a.dtype != np.bool_))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for a in index if type(a) is np.ndarray)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes "
            f"{shapes}"
        ) from None
    return tuple(a for a in index if a is not None)


_NO_CTX = SimpleNamespace()  # a throwaway ctx: setitem runs view forwards on bare arrays


def _view_of(arr: np.ndarray, steps: list[tuple[type[Function], dict[str, Any]]]) -> np.ndarray:
    """Apply the basic steps to a bare array (the same forwards getitem records)."""
    for fn, kwargs in steps:
        arr = fn.forward(_NO_CTX, arr, **kwargs)
    return arr


# ================================================================== x[index]
class Index(Function):
    """out = x[arrays] (a copy);  dx = zeros with grad added at the indexed places"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, index: tuple[Any, ...]) -> np.ndarray:
        ctx.args = (x.shape, index)
        return x[index]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, index = ctx.args
        dx = np.zeros(shape, grad.dtype)
        if builtins.all(type(i) is slice or i.dtype == np.bool_ for i in index):
            dx[index] = grad  # masks pick each element at most once
        else:
            np.add.at(dx, index, grad)  # an element picked twice gets both gradients
        return dx


def getitem(input: Tensor, index: Any) -> Tensor:
    """``input[index]`` with torch's rules: ints, slices, None, ..., bool and int tensors.

    Basic indexing (ints, slices, None, ...) gives a view; index arrays give a copy.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.arange(12).reshape(3, 4)
        >>> x[1, 1:3]
        tensor([5, 6])
        >>> x[[0, 2], -1]
        tensor([ 3, 11])
        >>> x[x > 9]
        tensor([10, 11])
    """
    if type(index) is builtins.int and input._data.ndim:
        # the most common case, x[i], without the general walk
        size = input._data.shape[0]
        if -size <= index < size:
            return mark_view(Select.apply(input, dim=0, index=index % size), input)
    elif isinstance(index, Tensor) and index._data.ndim and index._data.dtype.kind == "i" \
            and input._data.ndim:
        # x[long_tensor] (batches, embeddings): one Index node, no walk needed
        arr = index._data.astype(np.int64, copy=False)
        return Index.apply(input, index=_advanced_index([(0, arr, 0)], list(input._data.shape)))
    plan = _plan_index(input._data.shape, index)
    out = input
    for fn, kwargs in plan.steps:
        out = mark_view(fn.apply(out, **kwargs), out)
    if plan.advanced is not None:
        return Index.apply(out, index=plan.advanced)
    if out is input:
        return mark_view(Alias.apply(input), input)  # x[...] / x[:, :]: a new view
    return out


# ================================================================== x[index] = value
class IndexPut(Function):
    """out = x with value written at positions P;  dx = grad, 0 at P;  dvalue = sum of grad[P]"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, value: Any, positions: np.ndarray) -> np.ndarray:
        # setitem has already written `value` into x's memory (through the user's view, so
        # that every view sees it); this node only records how the gradient flows past it.
        ctx.positions = positions
        ctx.value_shape = np.shape(value)
        return x

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        need = ctx.needs_input_grad
        positions = ctx.positions
        dx = dvalue = None
        if need[0]:
            dx = grad.copy()  # C-ordered, so reshape(-1) below is a view of it
            dx.reshape(-1)[positions] = 0  # the old values there were overwritten
        if need[1]:
            dvalue = _sum_to(grad.reshape(-1)[positions], ctx.value_shape)
        return dx, dvalue


class CopySlices(IndexPut):
    """out = x with value written into a view of it;  dx = grad, 0 there;  dvalue = grad there"""

    grad_fn_name = "CopySlices"


class FillWhole(IndexPut):
    """out = x filled with a single value (``x[...] = v``);  dx = 0,  dvalue = sum(grad)"""

    grad_fn_name = "FillBackward3"


class CopyWhole(IndexPut):
    """out = x overwritten by value (``x[...] = t``);  dx = 0,  dvalue = grad summed"""

    grad_fn_name = "CopyBackwards"


class AsStrided(Function):
    """out = the view of x at flat positions P;  dx = zeros with grad put at P"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, positions: np.ndarray, view: np.ndarray) -> np.ndarray:
        ctx.args = (x.shape, positions)
        return view  # the existing view of x's memory: nothing to compute

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, positions = ctx.args
        dx = np.zeros(shape, grad.dtype)
        dx.reshape(-1)[positions] = grad
        return dx


def _sum_to(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient back to the shape of a value that was broadcast (leading 1s dropped)."""
    core = shape
    while core and core[0] == 1 and len(core) > grad.ndim:
        core = core[1:]
    return unbroadcast(grad, core, "CopySlices").reshape(shape)


def _positions_in(root: np.ndarray, view: np.ndarray | None) -> np.ndarray:
    """For each element of ``view`` (which shares ``root``'s memory), its flat index in root."""
    flat = np.arange(root.size).reshape(root.shape)
    if view is None:
        return flat
    if not root.flags.c_contiguous:
        raise NotImplementedError(
            "glasstorch cannot record an assignment through a view of a non-contiguous "
            "tensor; make the base contiguous first (base = base.contiguous())"
        )
    item = root.itemsize
    offset = (view.__array_interface__["data"][0] - root.__array_interface__["data"][0]) // item
    strides = tuple(s // item * flat.itemsize for s in view.strides)
    return np.lib.stride_tricks.as_strided(
        flat.reshape(-1)[offset:], view.shape, strides, writeable=False
    )


def _value_array(value: Any, tensor: Tensor) -> Any:
    if isinstance(value, Tensor):
        return value._data
    if type(value) in _PY_NUMBERS:
        return value
    if isinstance(value, (np.number, np.bool_)):
        return value.item()
    name = type(value).__name__
    if type(value).__module__ not in ("builtins", None):
        name = f"{type(value).__module__.split('.')[0]}.{name}"
    raise TypeError(
        f"can't assign a {name} to a {tensor.type()}; convert it with torch.tensor(value) first"
    )


def _write(target: np.ndarray, advanced: tuple[Any, ...] | None, value: Any,
           source: Any) -> None:
    """``target[advanced] = value`` (or ``target[...] = value``) with torch's shape rules."""
    if not target.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    if type(value) is np.ndarray:
        core = value.shape
        while core and core[0] == 1:
            core = core[1:]  # torch ignores leading size-1 dims of the value
        value = value.reshape(core)
    if advanced is None:
        if type(value) is np.ndarray:
            what = f"expand({source.type()}{{{list(value.shape)}}}, size={list(target.shape)})"
            _expanded_shape(value.shape, target.shape, what)
        target[...] = value
        return
    try:
        target[advanced] = value
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(np.shape(value))} cannot be broadcast "
            f"to indexing result of shape {list(target[advanced].shape)}"
        ) from None


def setitem(tensor: Tensor, index: Any, value: Any) -> None:
    """``tensor[index] = value``: write into the tensor's memory (views see the change).

    ``value`` is a number or a tensor broadcast to the indexed part. With autograd on, the
    write is recorded: the overwritten elements get no gradient and ``value`` gets theirs.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.zeros(2, 3)
        >>> x[0, 1:] = 5
        >>> x
        tensor([[0., 5., 5.],
                [0., 0., 0.]])
    """
    array_value = _value_array(value, tensor)
    plan = _plan_index(tensor._data.shape, index, for_setitem=True)
    value_rg = isinstance(value, Tensor) and value._rg
    record = _enabled[0] and (tensor._rg or value_rg) and tensor._data.dtype.kind == "f"
    if _enabled[0] and tensor._rg:
        base = tensor._base if tensor._base is not None else tensor
        if base._rg and base.grad_fn is None:
            what = "a leaf Variable" if base is tensor and not plan.steps else \
                "a view of a leaf Variable"
            raise RuntimeError(
                f"{what} that requires grad is being used in an in-place operation. Assign "
                "inside `with torch.no_grad():`, or build a new tensor instead (e.g. with "
                "torch.where or torch.cat)."
            )
    # index_put (advanced indexing) needs equal dtypes; x[mask] = one value is a masked_fill
    if plan.advanced is not None and isinstance(value, Tensor) and \
            value._data.dtype != tensor._data.dtype and \
            not (plan.mask_only and value._data.size == 1):
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{dtype_name(tensor._data)} for the destination and {dtype_name(value._data)} for "
            f"the source. Convert the value first: value.to({tensor.dtype})."
        )
    target = _view_of(tensor._data, plan.steps)
    _write(target, plan.advanced, array_value, value)
    tensor._bump()
    if record:
        _record_setitem(tensor, plan, value)


def _record_setitem(tensor: Tensor, plan: _Plan, value: Any) -> None:
    """Give the written tensor (or the base it is a view of) its new grad_fn, as torch does."""
    root = tensor._base
    if root is None or (root._rg and not tensor._rg):  # not a view, or a detached one
        root = tensor
    view_positions = _positions_in(root._data, None if root is tensor else tensor._data)
    written = _view_of(view_positions, plan.steps)
    if plan.advanced is not None:
        written = written[plan.advanced]

    if root is not tensor or plan.steps:
        fn: type[IndexPut] = CopySlices
    elif plan.advanced is not None:
        fn = IndexPut
    elif (not isinstance(value, Tensor) or value._data.ndim == 0) and root._data.ndim > 0:
        fn = FillWhole  # (torch records a copy, not a fill, for a 0-dim target)
    else:
        fn = CopyWhole
    before = Tensor._wrap(root._data)  # root's place in the graph before the write
    before._rg = root._rg
    before.grad_fn = root.grad_fn
    before._output_nr = root._output_nr
    result = fn.apply(before, value, positions=written)
    root.grad_fn = result.grad_fn
    root._rg = True
    root._output_nr = 0
    if root is not tensor:
        view = AsStrided.apply(root, positions=view_positions, view=tensor._data)
        tensor.grad_fn = view.grad_fn
        tensor._rg = True
        tensor._output_nr = 0


# ================================================================== gather / scatter
def _along(index: np.ndarray, dim: int) -> tuple[Any, ...]:
    """The NumPy index of "``index[i]`` along ``dim``, ``i`` in every other dim".

    ``x[_along(index, dim)][i, j]`` is ``x[index[i, j], j]`` for ``dim=0``.
    """
    grid: list[Any] = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _region(shape: tuple[int, ...]) -> tuple[slice, ...]:
    """The leading block of a larger array that has ``shape``."""
    return tuple(slice(0, n) for n in shape)


class Gather(Function):
    """out[i][j] = x[index[i][j]][j] (dim 0);  dx = zeros with grad added at those places"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, index: np.ndarray, dim: int) -> np.ndarray:
        ctx.args = (x.shape, index, dim)
        return np.atleast_1d(x)[_along(index, dim)].reshape(index.shape)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, index, dim = ctx.args
        dx = np.zeros(shape, grad.dtype)
        np.add.at(np.atleast_1d(dx), _along(index, dim), grad.reshape(index.shape))
        return dx


class Scatter(Function):
    """out = x with out[index[i][j]][j] = src[i][j] (dim 0);  dx = grad, 0 there;  dsrc = gather"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: np.ndarray, index: np.ndarray,
                dim: int) -> np.ndarray:
        ctx.args = (index, dim, src.shape)
        out = x.copy()
        np.atleast_1d(out)[_along(index, dim)] = np.atleast_1d(src)[_region(index.shape)]
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        index, dim, src_shape = ctx.args
        return _scatter_grads(ctx, grad, index, dim, src_shape, overwritten=True)


class ScatterValue(Function):
    """out = x with out[index[i][j]][j] = value (dim 0);  dx = grad with zeros there"""

    grad_fn_name = "ScatterBackward1"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, index: np.ndarray, dim: int, value: Any) -> np.ndarray:
        ctx.args = (index, dim)
        out = x.copy()
        np.atleast_1d(out)[_along(index, dim)] = value
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        index, dim = ctx.args
        dx = grad.copy()
        np.atleast_1d(dx)[_along(index, dim)] = 0
        return dx


class ScatterAdd(Function):
    """out = x with out[index[i][j]][j] += src[i][j] (dim 0);  dx = grad,  dsrc = grad gathered"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: np.ndarray, index: np.ndarray,
                dim: int) -> np.ndarray:
        ctx.args = (index, dim, src.shape)
        out = x.copy()
        np.add.at(np.atleast_1d(out), _along(index, dim), np.atleast_1d(src)[_region(index.shape)])
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        index, dim, src_shape = ctx.args
        return _scatter_grads(ctx, grad, index, dim, src_shape, overwritten=False)


def _scatter_grads(ctx: Any, grad: np.ndarray, index: np.ndarray, dim: int,
                   src_shape: tuple[int, ...], overwritten: bool) -> tuple[Any, Any]:
    """Gradients of scatter (x's elements at index are overwritten) and scatter_add (kept)."""
    need = ctx.needs_input_grad
    where = _along(index, dim)
    dx = dsrc = None
    if need[0]:
        dx = grad
        if overwritten:
            dx = grad.copy()
            np.atleast_1d(dx)[where] = 0
    if need[1]:
        dsrc = np.zeros(src_shape, grad.dtype)  # src elements beyond index's shape: unused
        np.atleast_1d(dsrc)[_region(index.shape)] = np.atleast_1d(grad)[where]
    return dx, dsrc


class ScatterReduce(Function):
    """out = x with src/value combined in at index by 'add' or 'multiply';  no gradient"""

    grad_fn_name = "NotImplemented"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: Any, index: np.ndarray, dim: int,
                reduce: str) -> np.ndarray:
        out = x.copy()
        if type(src) is np.ndarray:
            src = np.atleast_1d(src)[_region(index.shape)]
        ufunc = np.add if reduce == "add" else np.multiply
        ufunc.at(np.atleast_1d(out), _along(index, dim), src)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> Any:
        raise RuntimeError(
            "derivative for aten::scatter is not implemented (scatter with reduce=); use "
            "scatter_add, or torch.where, when you need gradients"
        )


def _int_index(index: Any, message: str) -> np.ndarray:
    """The array of an index Tensor, with ``message`` if it is not of an integer dtype."""
    if not isinstance(index, Tensor):
        raise TypeError(f"index must be a Tensor, not {type(index).__name__}")
    arr = index._data
    if arr.dtype.kind not in "iu":
        raise RuntimeError(message)
    return arr.astype(np.int64, copy=False)


def _check_bounds(index: np.ndarray, size: int, dim: int) -> None:
    bad = (index < 0) | (index >= size)
    if bad.any():
        raise RuntimeError(
            f"index {index[bad].flat[0]} is out of bounds for dimension {dim} with size {size}"
        )


def _check_along(name: str, x_shape: tuple[int, ...], index: np.ndarray, dim: int,
                 src_shape: tuple[int, ...] | None = None) -> tuple[np.ndarray, int]:
    """Shared checks of gather/scatter; returns the index (0-d made 1-d) and the wrapped dim."""
    ndim = builtins.max(len(x_shape), 1)
    dim = wrap_dim(dim, len(x_shape))
    index = np.atleast_1d(index)
    xs = x_shape or (1,)
    if index.ndim != ndim:
        what = "input" if name == "gather" else "self"
        raise RuntimeError(
            f"Index tensor must have the same number of dimensions as {what} tensor"
        )
    if src_shape is not None and builtins.max(len(src_shape), 1) != ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    ss = src_shape or (1,)
    for d in range(ndim):
        too_big = d != dim and index.shape[d] > xs[d]
        if name == "gather" and too_big:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to "
                f"be no larger than self {list(xs)} apart from dimension {dim}"
            )
        if name != "gather" and (too_big or (src_shape is not None and index.shape[d] > ss[d])):
            extra = f" and to be no larger size than src {list(ss)}" if src_shape is not None \
                else ""
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(xs)} apart "
                f"from dimension {dim}{extra}"
            )
    _check_bounds(index, xs[dim], dim)
    return index, dim


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Pick values along ``dim`` at the positions in ``index``; the result has index's shape.

    ``out[i][j] = input[i][index[i][j]]`` for ``dim=1``.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[10, 11, 12], [20, 21, 22]])
        >>> x.gather(1, torch.tensor([[2], [0]]))
        tensor([[12],
                [20]])
    """
    arr = _int_index(index, "gather(): Expected dtype int32/int64 for index")
    shape = arr.shape
    arr, dim = _check_along("gather", input._data.shape, arr, dim)
    out = Gather.apply(input, index=arr, dim=dim)
    if out._data.shape != shape:
        out._data = out._data.reshape(shape)  # a 0-d index gives a 0-d result
    return out


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (or ``value``) written at ``index`` along ``dim``.

    ``out[i][index[i][j]] = src[i][j]`` for ``dim=1``. ``reduce='add'`` or ``'multiply'``
    combines instead of overwriting (no gradient, as in torch).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3).scatter(1, torch.tensor([[2], [0]]), 1.0)
        tensor([[0., 0., 1.],
                [1., 0., 0.]])
    """
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src  # scatter(dim, index, 1.0): the number is the value
    if (src is None) == (value is None):
        raise TypeError(
            "scatter() needs exactly one of a Tensor `src` or a number `value`: "
            "scatter(dim, index, src) or scatter(dim, index, value=v)"
        )
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    arr = _int_index(index, "scatter(): Expected dtype int32/int64 for index")
    x = input._data
    if src is not None and src._data.dtype != x.dtype:
        raise RuntimeError(
            "scatter(): Expected self.dtype to be equal to src.dtype (convert src with "
            f"src.to({input.dtype}))"
        )
    src_shape = None if src is None else src._data.shape
    arr, dim = _check_along("scatter", x.shape, arr, dim, src_shape)
    if reduce is not None:
        if src is not None:
            warnings.warn(
                "The reduce argument of torch.scatter with Tensor src is deprecated and will be "
                "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
                "reduction options.",
                UserWarning,
                stacklevel=2,
            )
        return ScatterReduce.apply(input, src if src is not None else value, index=arr,
                                   dim=dim, reduce=reduce)
    if src is None:
        return ScatterValue.apply(input, index=arr, dim=dim, value=value)
    return Scatter.apply(input, src, index=arr, dim=dim)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (repeats add up).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(3).scatter_add(0, torch.tensor([0, 0, 2]), torch.ones(3))
        tensor([2., 0., 1.])
    """
    arr = _int_index(index, "scatter(): Expected dtype int32/int64 for index")
    if src._data.dtype != input._data.dtype:
        raise RuntimeError(
            "scatter(): Expected self.dtype to be equal to src.dtype (convert src with "
            f"src.to({input.dtype}))"
        )
    arr, dim = _check_along("scatter_add", input._data.shape, arr, dim, src._data.shape)
    return ScatterAdd.apply(input, src, index=arr, dim=dim)


class IndexSelect(Function):
    """out = x's slices at ``index`` along ``dim`` (a copy);  dx = zeros with grad added back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, index: np.ndarray, dim: int) -> np.ndarray:
        ctx.args = (x.shape, index, dim)
        out = np.take(np.atleast_1d(x), index, axis=dim)
        return out.reshape(()) if x.ndim == 0 else out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, index, dim = ctx.args
        dx = np.zeros(shape, grad.dtype)
        where = (slice(None),) * dim + (index,)
        np.add.at(np.atleast_1d(dx), where, grad.reshape(-1) if not shape else grad)
        return dx


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices at positions ``index`` (a 1-D int tensor) along ``dim``, in that order.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2, 3], [4, 5, 6]]).index_select(1, torch.tensor([2, 0]))
        tensor([[3, 1],
                [6, 4]])
    """
    if isinstance(index, Tensor) and index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    arr = _int_index(index, "index_select(): Expected dtype int32 or int64 for index")
    arr = arr.reshape(-1)
    shape = input._data.shape
    dim = wrap_dim(dim, len(shape))
    size = shape[dim] if shape else 1
    bad = (arr < 0) | (arr >= size)
    if bad.any():
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={arr[bad][0]} axis_dim={size} "
            "(index_select does not accept negative indices)"
        )
    return IndexSelect.apply(input, index=arr, dim=dim)


class MaskedSelect(Function):
    """out = the elements of x where mask is True, as 1-D;  dx = zeros with grad put back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        x, mask = np.broadcast_arrays(x, mask)
        ctx.mask = mask
        return x[mask]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[np.ndarray, None]:
        dx = np.zeros(ctx.mask.shape, grad.dtype)
        dx[ctx.mask] = grad
        return dx, None  # in the broadcast shape: the engine sums it to x's shape


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements where ``mask`` (bool, broadcast with input) is True, as a 1-D tensor.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[1, 2], [3, 4]])
        >>> torch.masked_select(x, x > 2)
        tensor([3, 4])
    """
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask (use mask.bool())")
    _broadcast_check(mask._data.shape, input._data.shape)
    return MaskedSelect.apply(input, mask)


def _broadcast_check(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """torch's message for two shapes that do not broadcast (a is "tensor a")."""
    n = builtins.max(len(a), len(b))
    pa = (1,) * (n - len(a)) + a
    pb = (1,) * (n - len(b)) + b
    for i in range(n - 1, -1, -1):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) at "
                f"non-singleton dimension {i}"
            )


class Take(Function):
    """out = x.flatten()[index] in index's shape;  dx = zeros with grad added back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, index: np.ndarray) -> np.ndarray:
        ctx.args = (x.shape, index)
        return x.reshape(-1)[index]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, index = ctx.args
        dx = np.zeros(shape, grad.dtype)
        np.add.at(dx.reshape(-1), index, grad)
        return dx


def take(input: Tensor, index: Tensor) -> Tensor:
    """Elements of the flattened input at ``index`` (negative counts from the end).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2], [3, 4]]).take(torch.tensor([0, -1]))
        tensor([1, 4])
    """
    arr = _int_index(index, "take(): Expected a long tensor for index")
    n = input._data.size
    bad = (arr < -n) | (arr >= n)
    if bad.any():
        raise IndexError(
            f"out of range: tried to access index {arr[bad].flat[0]} on a tensor of {n} "
            "elements."
        )
    return Take.apply(input, index=arr)


# ================================================================== nonzero
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one tensor per dim.

    Example:
        >>> import glasstorch as torch
        >>> torch.nonzero(torch.tensor([[0, 1], [2, 0]]))
        tensor([[0, 1],
                [1, 0]])
    """
    x = input._data
    if as_tuple:
        return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(x)))
    return Tensor._wrap(np.argwhere(x).astype(np.int64))


def argwhere(input: Tensor) -> Tensor:
    """Same as ``nonzero(input)``."""
    return nonzero(input)
