"""Shape ops.

reshape/view, squeeze/unsqueeze, transpose/permute, expand, repeat, cat/stack,
split/chunk/unbind, select/slice/narrow, flip and roll.

Views. ``view``, ``reshape`` (when no copy is needed), ``flatten``, ``squeeze``, ``unsqueeze``,
``transpose``, ``permute``, ``t``, ``expand``, ``select``, ``narrow`` (a slice), ``split``,
``chunk`` and ``unbind`` return a NumPy *view* of their input: the result shares memory with
the input exactly as in torch, and the public function calls ``mark_view`` so both share one
version counter. ``cat``, ``stack``, ``repeat``, ``flip`` and ``roll`` always copy.

Gradients. A view op's backward undoes the shape change on the gradient: reshape it back,
swap the axes back, sum over the expanded axes, or place it into zeros at the selected part.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._broadcast import unbroadcast
from glasstorch.ops._util import mark_view, shape_arg, wrap_dim

__all__ = [
    "reshape", "view", "flatten", "unflatten", "ravel", "squeeze", "unsqueeze",
    "transpose", "swapaxes", "swapdims", "permute", "t", "movedim", "moveaxis",
    "expand", "broadcast_to", "broadcast_tensors", "repeat", "tile",
    "cat", "concat", "concatenate", "stack", "hstack", "vstack", "atleast_1d", "atleast_2d",
    "split", "chunk", "unbind", "select", "narrow", "flip", "roll",
    "rot90", "diff", "repeat_interleave",
    "tensor_split", "hsplit", "vsplit", "dsplit", "atleast_3d", "dstack", "column_stack",
    "row_stack", "flipud", "fliplr", "block_diag", "cartesian_prod", "combinations",
]

_ndarray = np.ndarray


# ================================================================== reshaping (views)
class View(Function):
    """out = x with a new shape, same memory;  dx = grad reshaped to x's shape"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        out = _reshape_without_copy(x, shape)
        if out is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            )
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(ctx.in_shape)


class ReshapeAlias(View):
    """out = x reshaped as a view of a non-contiguous x;  dx = grad reshaped to x's shape"""


class UnsafeView(View):
    """out = the fresh copy made by reshape, viewed in the new shape;  dx = grad reshaped"""


def _reshape_without_copy(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``x`` in ``shape`` as a view of the same memory, or None when that needs a copy."""
    try:
        return np.reshape(x, shape, copy=False)
    except ValueError:
        return None
    except TypeError:  # NumPy < 2.1 has no copy=; setting .shape never copies
        out = x.view()
        try:
            out.shape = shape
        except AttributeError:
            return None
        return out


def _infer_size(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """``shape`` with its ``-1`` (if any) replaced so that it holds ``numel`` elements."""
    shape = tuple(shape)
    infer_at = None
    known = 1
    for i, size in enumerate(shape):
        if size == -1:
            if infer_at is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer_at = i
        elif size < 0:
            raise RuntimeError(
                f"invalid shape dimension {size} at index {i} of shape {list(shape)}"
            )
        else:
            known *= size
    if infer_at is None:
        if known == numel:
            return shape
    elif known == 0:
        if numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
    elif numel % known == 0:
        return shape[:infer_at] + (numel // known,) + shape[infer_at + 1:]
    raise RuntimeError(
        f"shape '{list(shape)}' is invalid for input of size {numel}: the sizes must multiply "
        "to the number of elements (use -1 for one size to have it inferred)"
    )


def view(input: Tensor, shape: Sequence[int]) -> Tensor:
    """The same memory seen in another ``shape`` (``Tensor.view``); one size may be ``-1``.

    Raises torch's error when the memory layout does not allow it (e.g. after ``transpose``);
    ``reshape`` copies in that case.

    Example:
        >>> import glasstorch as torch
        >>> torch.arange(6).view(2, -1)
        tensor([[0, 1, 2],
                [3, 4, 5]])
    """
    shape = _infer_size(shape_arg((shape,)), input._data.size)
    return mark_view(View.apply(input, shape=shape), input)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    """``input`` in a new ``shape``: a view when the memory layout allows it, else a copy.

    As in torch: a contiguous tensor is viewed (``ViewBackward0``), a non-contiguous one is
    viewed if possible (``ReshapeAliasBackward0``), otherwise copied with ``clone`` first
    and the copy viewed (``UnsafeViewBackward0``).

    Example:
        >>> import glasstorch as torch
        >>> torch.arange(6).reshape(3, 2).shape
        torch.Size([3, 2])
    """
    shape = _infer_size(shape_arg((shape,)), input._data.size)
    x = input._data
    if x.flags.c_contiguous:
        return mark_view(View.apply(input, shape=shape), input)
    if _reshape_without_copy(x, shape) is not None:
        return mark_view(ReshapeAlias.apply(input, shape=shape), input)
    from glasstorch.ops.elementwise import clone

    return UnsafeView.apply(clone(input), shape=shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one (a view when possible, like ``reshape``).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3, 4).flatten(1).shape
        torch.Size([2, 12])
    """
    shape = input._data.shape
    if not shape:
        return reshape(input, (1,))
    start = wrap_dim(start_dim, len(shape))
    end = wrap_dim(end_dim, len(shape))
    if start > end:
        raise RuntimeError(
            "flatten() has invalid args: start_dim cannot come after end_dim "
            f"(got start_dim={start_dim}, end_dim={end_dim})"
        )
    if start == end:
        return input  # nothing to merge: torch returns the tensor itself
    merged = math.prod(shape[start:end + 1])
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dim ``dim`` into ``sizes`` (one may be -1): the inverse of ``flatten``.

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 12).unflatten(1, (3, 4)).shape
        torch.Size([2, 3, 4])
    """
    shape = input._data.shape
    dim = wrap_dim(dim, len(shape))
    sizes = shape_arg((sizes,))
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        sizes = _infer_size(sizes, shape[dim] if shape else 1)
    except RuntimeError as err:
        if "only one dimension" in str(err):
            raise
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
            f"{dim} ({shape[dim]}) in the input tensor"
        ) from None
    return view(input, shape[:dim] + sizes + shape[dim + 1:])


def ravel(input: Tensor) -> Tensor:
    """All elements as a 1-D tensor: ``contiguous()`` then ``view(-1)``, as torch does."""
    return view(input.contiguous(), (-1,))


class Squeeze(Function):
    """out = x without size-1 dims (a view);  dx = grad reshaped to x's shape"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        return np.squeeze(x, axis=axes)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(ctx.in_shape)


class SqueezeDim(Squeeze):
    """out = x without dim ``d`` if its size is 1 (a view);  dx = grad reshaped to x's shape"""

    grad_fn_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """out = x without the listed size-1 dims (a view);  dx = grad reshaped to x's shape"""

    grad_fn_name = "SqueezeBackward2"


def squeeze(input: Tensor, dim: int | tuple[int, ...] | list[int] | None = None) -> Tensor:
    """Remove dims of size 1: all of them, or only those in ``dim`` (an int or a tuple).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 1, 3, 1).squeeze().shape
        torch.Size([2, 3])
    """
    shape = input._data.shape
    if dim is None:
        axes = tuple(i for i, size in enumerate(shape) if size == 1)
        return mark_view(Squeeze.apply(input, axes=axes), input)
    if isinstance(dim, (tuple, list)):
        wrapped = [wrap_dim(d, len(shape)) for d in dim]
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"dim {wrapped[0]} appears multiple times in the list of dims")
        cls: type[Squeeze] = SqueezeDims
    else:
        wrapped = [wrap_dim(dim, len(shape))]
        cls = SqueezeDim
    axes = tuple(d for d in wrapped if shape and shape[d] == 1)
    return mark_view(cls.apply(input, axes=axes), input)


class Unsqueeze(Function):
    """out = x with a new size-1 dim at ``dim`` (a view);  dx = grad without that dim"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.in_shape = x.shape
        return np.expand_dims(x, dim)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(ctx.in_shape)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dim of size 1 at ``dim`` (``-1`` appends it).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(3).unsqueeze(0).shape
        torch.Size([1, 3])
    """
    dim = wrap_dim(dim, input._data.ndim + 1)
    return mark_view(Unsqueeze.apply(input, dim=dim), input)


# ================================================================== reordering dims (views)
class Transpose(Function):
    """out = x with dims d0 and d1 swapped (a view);  dx = grad with them swapped back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim0: int, dim1: int) -> np.ndarray:
        ctx.dims = (dim0, dim1)
        if dim0 == dim1:
            return x.view()  # also the only transpose a 0-d tensor has
        return np.swapaxes(x, dim0, dim1)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        dim0, dim1 = ctx.dims
        return grad if dim0 == dim1 else np.swapaxes(grad, dim0, dim1)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dims (a view).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3, 4).transpose(0, 2).shape
        torch.Size([4, 3, 2])
    """
    ndim = input._data.ndim
    dim0, dim1 = wrap_dim(dim0, ndim), wrap_dim(dim1, ndim)
    return mark_view(Transpose.apply(input, dim0=dim0, dim1=dim1), input)


swapaxes = swapdims = transpose


class Permute(Function):
    """out = x with dims reordered as ``dims`` (a view);  dx = grad with the inverse order"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.transpose(grad, np.argsort(ctx.dims))


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    """Reorder all dims: output dim ``i`` is input dim ``dims[i]`` (a view).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3, 4).permute(2, 0, 1).shape
        torch.Size([4, 2, 3])
    """
    ndim = input._data.ndim
    dims = shape_arg((dims,))
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(): number of dimensions in the tensor input does not match the length of "
            f"the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to "
            f"len(dims) = {len(dims)}"
        )
    dims = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(dims)) != ndim:
        raise RuntimeError(f"permute(): duplicate dims are not allowed (got {list(dims)}).")
    return mark_view(Permute.apply(input, dims=dims), input)


class MatrixTranspose(Function):
    """out = x.t() for x of at most 2 dims (a view);  dx = grad.t()"""

    grad_fn_name = "TBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.T

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad.T


def t(input: Tensor) -> Tensor:
    """Transpose a matrix; 0-D and 1-D tensors are returned as they are (as a view).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3).t().shape
        torch.Size([3, 2])
    """
    if input._data.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D. "
            "Use transpose(dim0, dim1) or .mT to swap two dims of a larger tensor."
        )
    return mark_view(MatrixTranspose.apply(input), input)


def movedim(input: Tensor, source: int | Sequence[int],
            destination: int | Sequence[int]) -> Tensor:
    """Move dim(s) ``source`` to position(s) ``destination``, keeping the others in order.

    A ``permute`` (``PermuteBackward0``).

    Example:
        >>> import glasstorch as torch
        >>> torch.zeros(2, 3, 4).movedim(0, -1).shape
        torch.Size([3, 4, 2])
    """
    ndim = input._data.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain "
            f"the same number of dims as destination ({dst} dims)"
        )
    src = [wrap_dim(d, ndim) for d in src]
    dst = [wrap_dim(d, ndim) for d in dst]
    for name, dims in (("source", src), ("destination", dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({dims})")
    if ndim == 0:
        return mark_view(Alias.apply(input), input)  # torch: a 0-d tensor has nothing to move
    rest = iter(d for d in range(ndim) if d not in src)
    placed = dict(zip(dst, src, strict=True))
    order = tuple(placed[i] if i in placed else next(rest) for i in range(ndim))
    return mark_view(Permute.apply(input, dims=order), input)


moveaxis = movedim


# ================================================================== expand and repeat
class Expand(Function):
    """out = x broadcast to a larger shape (a view);  dx = grad summed over the expanded dims"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        if shape == (1,) * (len(shape) - x.ndim) + x.shape:
            return x.reshape(shape)  # nothing repeats: an ordinary (writable) view
        # stride-0 view: every element of a broadcast dim is the same memory, so NumPy marks
        # it read-only (torch likewise refuses in-place writes into an expanded tensor)
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return unbroadcast(grad, ctx.in_shape, "ExpandBackward0")


def _expanded_shape(in_shape: tuple[int, ...], sizes: Sequence[int], what: str) -> tuple[int, ...]:
    """torch's ``expand`` rule: new dims go in front, -1 keeps a size, only 1s may grow."""
    sizes = tuple(sizes)
    if len(sizes) < len(in_shape):
        raise RuntimeError(
            f"{what}: the number of sizes provided ({len(sizes)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(in_shape)})"
        )
    lead = len(sizes) - len(in_shape)
    out = []
    for i, size in enumerate(sizes):
        if i < lead:
            if size < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({size}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            out.append(size)
            continue
        have = in_shape[i - lead]
        if size == -1 or size == have:
            out.append(have)
        elif have == 1 and size >= 0:
            out.append(size)
        else:
            raise RuntimeError(
                f"The expanded size of the tensor ({size}) must match the existing size "
                f"({have}) at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                f"Tensor sizes: {list(in_shape)}"
            )
    return tuple(out)


def expand(input: Tensor, sizes: Sequence[int]) -> Tensor:
    """Repeat size-1 dims (and add leading dims) without copying; ``-1`` keeps a size.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1], [2]]).expand(2, 3)
        tensor([[1, 1, 1],
                [2, 2, 2]])
    """
    what = f"expand({input.type()}{{{list(input._data.shape)}}}, size={list(sizes)})"
    shape = _expanded_shape(input._data.shape, sizes, what)
    return mark_view(Expand.apply(input, shape=shape), input)


def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``input`` broadcast to ``size`` (``expand``, a view)."""
    return expand(input, shape_arg((size,)))


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape (views, like ``expand``).

    Example:
        >>> import glasstorch as torch
        >>> a, b = torch.broadcast_tensors(torch.ones(2, 1), torch.zeros(3))
        >>> a.shape, b.shape
        (torch.Size([2, 3]), torch.Size([2, 3]))
    """
    from glasstorch.ops._broadcast import broadcast_shapes

    shape = broadcast_shapes(*(tuple(t.shape) for t in tensors))
    # torch returns an input that already has the shape as it is, without a new node
    return tuple(t if tuple(t.shape) == shape else expand(t, shape) for t in tensors)


class Repeat(Function):
    """out = x tiled ``repeats`` times along each dim (a copy);  dx = sum of grad's tiles"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, repeats: tuple[int, ...]) -> np.ndarray:
        ctx.in_shape = x.shape
        ctx.repeats = repeats
        padded = x.reshape((1,) * (len(repeats) - x.ndim) + x.shape)
        ctx.padded_shape = padded.shape
        return np.tile(padded, repeats)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        # split each dim of size r*s into (r, s) and sum over the r copies
        split = []
        for r, s in zip(ctx.repeats, ctx.padded_shape, strict=True):
            split += [r, s]
        summed = grad.reshape(split).sum(axis=tuple(range(0, len(split), 2)))
        return summed.reshape(ctx.in_shape)


def repeat(input: Tensor, repeats: Sequence[int]) -> Tensor:
    """Tile the tensor: ``repeats[i]`` copies along dim ``i`` (a new tensor).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1, 2]).repeat(2, 2)
        tensor([[1, 2, 1, 2],
                [1, 2, 1, 2]])
    """
    repeats = shape_arg((repeats,))
    shape = input._data.shape
    if len(repeats) < len(shape):
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            f"of tensor (got {len(repeats)} repeats for a {len(shape)}-D tensor)"
        )
    padded = (1,) * (len(repeats) - len(shape)) + shape
    out_shape = [r * s for r, s in zip(repeats, padded, strict=True)]
    for size in out_shape:
        if size < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {size}: {out_shape}"
            )
    return Repeat.apply(input, repeats=repeats)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """Like ``repeat``, but ``dims`` shorter than the tensor's rank is padded with 1s."""
    dims = shape_arg((dims,))
    return repeat(input, (1,) * (input._data.ndim - len(dims)) + dims)


# ================================================================== joining
def _result_dtype(arrays: Sequence[np.ndarray]) -> np.dtype:
    """torch's promoted dtype of a list of tensors (``torch.result_type`` over all of them)."""
    dt = _dtype._FROM_NUMPY[arrays[0].dtype]
    for a in arrays[1:]:
        if a.dtype != dt.np:
            dt = _dtype.promote_types(dt, _dtype._FROM_NUMPY[a.dtype])
    return dt.np


class Cat(Function):
    """out = x1, x2, ... joined along ``dim``;  dx_i = the slice of grad that x_i filled"""

    @staticmethod
    def forward(ctx: Any, *arrays: np.ndarray, dim: int) -> np.ndarray:
        dtype = _result_dtype(arrays)
        # torch skips 1-D empty tensors (legacy); they get an empty gradient back
        kept = [a for a in arrays if not _is_legacy_empty(a)]
        ctx.dim = dim
        ctx.sizes = [None if _is_legacy_empty(a) else a.shape[dim] for a in arrays]
        if not kept:
            return np.empty((0,), dtype)
        return np.concatenate([a.astype(dtype, copy=False) for a in kept], axis=dim)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        grads = []
        start = 0
        index = [slice(None)] * grad.ndim
        for size in ctx.sizes:
            if size is None:
                grads.append(np.zeros((0,), grad.dtype))
                continue
            index[ctx.dim] = slice(start, start + size)
            grads.append(grad[tuple(index)])
            start += size
        return tuple(grads)


def _is_legacy_empty(a: np.ndarray) -> bool:
    return a.shape == (0,)


def _tensor_list(tensors: Any, name: str) -> list[Tensor]:
    """Check ``tensors`` is a sequence of Tensors (torch's TypeErrors otherwise)."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{type(tensors).__name__}"
        )
    for i, item in enumerate(tensors):
        if not isinstance(item, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(item).__name__}"
            )
    return list(tensors)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim ``dim``; all other sizes must match.

    The result has the promoted dtype of all inputs (int + float gives float).

    Example:
        >>> import glasstorch as torch
        >>> torch.cat([torch.zeros(2, 3), torch.ones(2, 1)], dim=1).shape
        torch.Size([2, 4])
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if x._data.ndim == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {i}) cannot be concatenated; "
                "use torch.stack, or unsqueeze it first"
            )
    shapes = [x._data.shape for x in tensors]
    ref_i = next((i for i, s in enumerate(shapes) if s != (0,)), 0)
    ref = shapes[ref_i]
    dim = wrap_dim(dim, len(ref))
    for i, s in enumerate(shapes):
        if s == (0,):
            continue
        if len(s) != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {len(s)}"
            )
        for d, (want, got) in enumerate(zip(ref, s, strict=True)):
            if d != dim and want != got:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{want} but got size {got} for tensor number {i} in the list."
                )
    return Cat.apply(*tensors, dim=dim)


def concat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Alias of ``cat``."""
    return cat(tensors, dim)


def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Alias of ``cat`` (NumPy's argument name)."""
    return cat(tensors, axis)


class Stack(Function):
    """out = x1, x2, ... stacked along a new dim ``dim``;  dx_i = grad's i-th slice on dim"""

    @staticmethod
    def forward(ctx: Any, *arrays: np.ndarray, dim: int) -> np.ndarray:
        dtype = _result_dtype(arrays)
        ctx.dim = dim
        return np.stack([a.astype(dtype, copy=False) for a in arrays], axis=dim)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        index: list[slice | int] = [slice(None)] * grad.ndim
        grads = []
        for i in range(grad.shape[ctx.dim]):
            index[ctx.dim] = i
            grads.append(grad[tuple(index)])
        return tuple(grads)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join equally shaped tensors along a new dim ``dim``.

    Example:
        >>> import glasstorch as torch
        >>> torch.stack([torch.zeros(3), torch.ones(3)]).shape
        torch.Size([2, 3])
    """
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 "
                f"and {list(x._data.shape)} at entry {i}"
            )
    dim = wrap_dim(dim, len(first) + 1)
    return Stack.apply(*tensors, dim=dim)


def atleast_1d(input: Tensor) -> Tensor:
    """A 0-D tensor as shape (1,); others unchanged."""
    return reshape(input, (1,)) if input._data.ndim == 0 else input


def atleast_2d(input: Tensor) -> Tensor:
    """A 0-D tensor as shape (1, 1), a 1-D one as a row (1, n); others unchanged."""
    if input._data.ndim == 0:
        return reshape(input, (1, 1))
    return unsqueeze(input, 0) if input._data.ndim == 1 else input


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join horizontally: ``cat`` on dim 0 for 1-D tensors, on dim 1 otherwise."""
    tensors = _tensor_list(tensors, "hstack")
    if not tensors:
        raise RuntimeError("hstack expects a non-empty TensorList")
    tensors = [atleast_1d(x) for x in tensors]
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join vertically: 1-D tensors become rows, then ``cat`` on dim 0."""
    tensors = _tensor_list(tensors, "vstack")
    if not tensors:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat([atleast_2d(x) for x in tensors], 0)


# ================================================================== splitting (views)
class Split(Function):
    """outs = consecutive pieces of x along ``dim`` (views);  dx = the pieces' grads joined"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, sizes: tuple[int, ...],
                dim: int) -> tuple[np.ndarray, ...]:
        ctx.shapes = []
        ctx.dim = dim
        pieces = []
        index = [slice(None)] * x.ndim
        start = 0
        for size in sizes:
            index[dim] = slice(start, start + size)
            pieces.append(x[tuple(index)])
            ctx.shapes.append(pieces[-1].shape)
            start += size
        return tuple(pieces)

    @staticmethod
    def backward(ctx: Any, grads: Any) -> np.ndarray:
        if type(grads) is not list:
            grads = [grads]  # a single piece: the engine passes its gradient alone
        dtype = next(g for g in grads if g is not None).dtype
        pairs = zip(grads, ctx.shapes, strict=True)
        filled = [np.zeros(s, dtype) if g is None else g for g, s in pairs]
        return np.concatenate(filled, axis=ctx.dim)


class SplitWithSizes(Split):
    """outs = pieces of x of the given sizes along ``dim`` (views);  dx = grads joined"""


def _split_sizes_for(size: int, split_size: int) -> tuple[int, ...]:
    """Pieces of ``split_size`` covering ``size`` (the last may be smaller; at least one)."""
    if size == 0:
        return (0,)
    return tuple(builtins.min(split_size, size - start) for start in range(0, size, split_size))


def split(tensor: Tensor, split_size_or_sections: int | Sequence[int],
          dim: int = 0) -> tuple[Tensor, ...]:
    """Cut into pieces along ``dim``: of ``split_size`` each, or of the listed sizes (views).

    Example:
        >>> import glasstorch as torch
        >>> [p.shape[0] for p in torch.arange(5).split(2)]
        [2, 2, 1]
    """
    if tensor._data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = wrap_dim(dim, tensor._data.ndim)
    size = tensor._data.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = shape_arg((split_size_or_sections,))
        if builtins.any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={list(sizes)}"
            )
        if builtins.sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={list(sizes)}"
            )
        cls: type[Split] = SplitWithSizes
    else:
        split_size = split_size_or_sections
        if isinstance(split_size, Tensor):
            split_size = split_size.item()
        if not isinstance(split_size, (int, np.integer)) or isinstance(split_size, bool):
            raise TypeError(
                "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of "
                f"ints, not {type(split_size).__name__}"
            )
        if split_size < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={split_size}"
            )
        if split_size == 0 and size != 0:
            raise RuntimeError(
                "split_size can only be 0 if dimension size is 0, but got dimension size of "
                f"{size}"
            )
        sizes = _split_sizes_for(size, builtins.int(split_size))
        cls = Split
    pieces = cls.apply(tensor, sizes=sizes, dim=dim)
    for piece in pieces:
        mark_view(piece, tensor)
    return pieces


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Cut into ``chunks`` nearly equal pieces along ``dim`` (views; maybe fewer pieces).

    Each piece has ``ceil(size / chunks)`` elements along ``dim``, the last one fewer.

    Example:
        >>> import glasstorch as torch
        >>> len(torch.arange(5).chunk(4))
        3
    """
    if not isinstance(chunks, (int, np.integer)) or isinstance(chunks, bool):
        raise TypeError(
            f"chunk(): argument 'chunks' (position 1) must be int, not {type(chunks).__name__}"
        )
    if input._data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if size == 0:
        return split(input, [0] * builtins.int(chunks), dim)
    return split(input, -(-size // chunks), dim)  # ceil(size / chunks)


class Unbind(Function):
    """outs = the slices of x along ``dim`` (views);  dx = the slices' grads stacked"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
        ctx.dim = dim
        ctx.piece_shape = x.shape[:dim] + x.shape[dim + 1:]
        moved = np.moveaxis(x, dim, 0)
        return tuple(moved[i, ...] for i in range(moved.shape[0]))  # [i, ...]: 0-d views

    @staticmethod
    def backward(ctx: Any, grads: Any) -> np.ndarray:
        if type(grads) is not list:
            grads = [grads]  # a single slice: the engine passes its gradient alone
        dtype = next(g for g in grads if g is not None).dtype
        filled = [np.zeros(ctx.piece_shape, dtype) if g is None else g for g in grads]
        return np.stack(filled, axis=ctx.dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """All slices along ``dim``, as a tuple of views without that dim.

    Example:
        >>> import glasstorch as torch
        >>> a, b = torch.tensor([[1, 2], [3, 4]]).unbind(1)
        >>> a
        tensor([1, 3])
    """
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = wrap_dim(dim, input._data.ndim)
    pieces = Unbind.apply(input, dim=dim)
    for piece in pieces:
        mark_view(piece, input)
    return pieces


# ================================================================== select and slice (views)
class Select(Function):
    """out = x[..., i, ...] with i on dim ``dim`` (a view);  dx = zeros with grad put at i"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, index: int) -> np.ndarray:
        ctx.args = (x.shape, dim, index)
        return x[(slice(None),) * dim + (index, Ellipsis)]  # the Ellipsis keeps 0-d a view

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, dim, index = ctx.args
        dx = np.zeros(shape, grad.dtype)
        dx[(slice(None),) * dim + (index,)] = grad
        return dx


class Slice(Function):
    """out = x[start:stop:step] on dim ``dim`` (a view);  dx = zeros with grad put there"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int, start: int | None, stop: int | None,
                step: int) -> np.ndarray:
        where = (slice(None),) * dim + (slice(start, stop, step),)
        ctx.args = (x.shape, where)
        return x[where]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, where = ctx.args
        dx = np.zeros(shape, grad.dtype)
        dx[where] = grad
        return dx


class Alias(Function):
    """out = x itself as a new view (``x[...]``);  dx = grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        return x.view()

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return grad


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim``, without that dim (``x[:, i]`` is ``select(x, 1, i)``).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2], [3, 4]]).select(1, 0)
        tensor([1, 3])
    """
    shape = input._data.shape
    if not shape:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, len(shape))
    index = builtins.int(index)
    if not -shape[dim] <= index < shape[dim]:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(shape)} at "
            f"dimension {dim}"
        )
    return mark_view(Select.apply(input, dim=dim, index=index % shape[dim]), input)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Elements ``start .. start+length-1`` along ``dim`` (a view, like ``x[:, start:end]``).

    Example:
        >>> import glasstorch as torch
        >>> torch.arange(6).narrow(0, 2, 3)
        tensor([2, 3, 4])
    """
    shape = input._data.shape
    if not shape:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, len(shape))
    size = shape[dim]
    start = builtins.int(start)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(
            f"start ({start}) + length ({length}) exceeds dimension size ({size})."
        )
    out = Slice.apply(input, dim=dim, start=start, stop=start + length, step=1)
    return mark_view(out, input)


# ================================================================== flip and roll (copies)
class Flip(Function):
    """out = x reversed along ``dims`` (a copy);  dx = grad reversed along ``dims``"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return (np.flip(x, dims) if dims else x).copy()  # NumPy flips as a view; torch copies

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return np.flip(grad, ctx.dims) if ctx.dims else grad


def _dims_list(dims: Any, ndim: int) -> tuple[int, ...]:
    """``dims`` (an int or a sequence) wrapped; duplicates raise torch's error."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    wrapped = tuple(wrap_dim(d, ndim) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError(f"dim {wrapped[0]} appears multiple times in the list of dims")
    return wrapped


def flip(input: Tensor, dims: int | Sequence[int]) -> Tensor:
    """Reverse the order of elements along each dim in ``dims`` (a new tensor).

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1, 2, 3]).flip(0)
        tensor([3, 2, 1])
    """
    dims = _dims_list(dims, input._data.ndim)
    if input._data.ndim == 0:
        dims = ()
    return Flip.apply(input, dims=dims)


class Roll(Function):
    """out = x shifted cyclically by ``shifts`` along ``dims`` (a copy);  dx = grad shifted back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, shifts: tuple[int, ...],
                dims: tuple[int, ...] | None) -> np.ndarray:
        ctx.args = (shifts, dims, x.shape)
        if dims is None:  # roll the flattened tensor, then restore the shape
            return np.roll(x.reshape(-1), shifts[0]).reshape(x.shape)
        return np.roll(x, shifts, axis=dims)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shifts, dims, shape = ctx.args
        back = tuple(-s for s in shifts)
        if dims is None:
            return np.roll(grad.reshape(-1), back[0]).reshape(shape)
        return np.roll(grad, back, axis=dims)


def roll(input: Tensor, shifts: int | Sequence[int],
         dims: int | Sequence[int] | None = None) -> Tensor:
    """Shift elements cyclically: what falls off one end comes back at the other.

    Without ``dims`` the tensor is rolled as if flattened.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([1, 2, 3, 4]).roll(1)
        tensor([4, 1, 2, 3])
    """
    shifts = (shifts,) if isinstance(shifts, int) else tuple(builtins.int(s) for s in shifts)
    if not shifts:
        raise RuntimeError("`shifts` required")
    ndim = input._data.ndim
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(
                f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0"
            )
        return Roll.apply(input, shifts=shifts, dims=None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    dims = tuple(wrap_dim(d, ndim) for d in dims)
    return Roll.apply(input, shifts=shifts, dims=dims)



# ================================================================== rot90, diff, repeat_interleave
class Rot90(Function):
    """out = x rotated k quarter turns in the plane ``dims`` (a copy);  dx = grad rotated back"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, k: int, dims: tuple[int, int]) -> np.ndarray:
        ctx.args = (k, dims)
        return np.rot90(x, k, dims).copy()  # NumPy rotates as a view; torch copies

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        k, dims = ctx.args
        return np.rot90(grad, -k, dims)


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times, from the first dim in ``dims`` toward the second.

    Example:
        >>> import glasstorch as torch
        >>> torch.rot90(torch.tensor([[1, 2], [3, 4]]))
        tensor([[2, 4],
                [1, 3]])
    """
    dims = tuple(dims)
    ndim = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {ndim}")
    d0, d1 = wrap_dim(dims[0], ndim), wrap_dim(dims[1], ndim)
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}"
        )
    return Rot90.apply(input, k=k % 4, dims=(d0, d1))


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim``: ``out[i] = input[i + 1] - input[i]``.

    ``prepend``/``append`` are joined to ``input`` along ``dim`` first. Bool tensors give
    ``input[i + 1] != input[i]``.

    Example:
        >>> import glasstorch as torch
        >>> torch.diff(torch.tensor([1, 4, 9, 16]))
        tensor([3, 5, 7])
    """
    ndim = input._data.ndim
    if ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = wrap_dim(dim, ndim)
    parts = []
    for extra in (prepend, append):
        if extra is not None and extra._data.ndim != ndim:
            raise RuntimeError(
                "diff expects prepend or append to be the same dimension as input"
            )
    if prepend is not None:
        parts.append(prepend)
    parts.append(input)
    if append is not None:
        parts.append(append)
    out = cat(parts, d) if len(parts) > 1 else input
    if n == 0:  # torch returns a copy (``CopyBackwards``), never the input itself
        from glasstorch.ops.elementwise import copy_like

        return copy_like(Tensor._wrap(np.empty_like(out._data)), out)
    for _ in range(n):
        length = out._data.shape[d]
        if length == 0:
            break
        hi = narrow(out, d, 1, length - 1)
        lo = narrow(out, d, 0, length - 1)
        if out._data.dtype == np.bool_:
            from glasstorch.ops.elementwise import logical_xor

            out = logical_xor(hi, lo)
        else:
            out = hi - lo
    return out


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (an int, or one count per element along ``dim``).

    Without ``dim`` the input is flattened first. ``repeat_interleave(counts)`` alone gives
    ``0`` repeated ``counts[0]`` times, ``1`` repeated ``counts[1]`` times, ...

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=0)
        tensor([[1, 2],
                [1, 2],
                [3, 4],
                [3, 4]])
    """
    if repeats is None:  # the overload repeat_interleave(repeats)
        counts = input._data
        if counts.ndim > 1 or counts.dtype.kind not in "iu":
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if np.any(counts < 0):
            raise RuntimeError("repeats can not be negative")
        return Tensor._wrap(np.repeat(np.arange(counts.size, dtype=np.int64), counts))
    if dim is None:
        input = flatten(input)
        dim = 0
    ndim = input._data.ndim
    d = wrap_dim(dim, ndim)
    size = input._data.shape[d] if ndim else 1
    if isinstance(repeats, Tensor):
        counts = repeats._data
        if counts.size == 1 and counts.ndim <= 1:  # one count for every element
            counts = np.full(size, counts.reshape(()), counts.dtype)
        if counts.ndim != 1 or counts.dtype.kind not in "iu":
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        if counts.shape[0] != size:
            raise RuntimeError(
                "repeats must have the same size as input along dim, but got "
                f"repeats.size(0) = {counts.shape[0]} and input.size(0) = {size}"
            )
        if np.any(counts < 0):
            raise RuntimeError("repeats can not be negative")
        index = np.repeat(np.arange(size, dtype=np.int64), counts)
        if output_size is not None and output_size != index.size:
            raise RuntimeError("allocated size does not match required size")
        from glasstorch.ops.indexing import index_select

        return index_select(input, d, Tensor._wrap(index))
    if not isinstance(repeats, int):
        raise TypeError(
            f"repeat_interleave(): argument 'repeats' must be int or Tensor, not "
            f"{type(repeats).__name__}"
        )
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    if output_size is not None and output_size != size * repeats:
        raise RuntimeError(
            f"repeat_interleave: Invalid output_size, expected {size * repeats} but got "
            f"{output_size}"
        )
    if ndim == 0:
        input = input.reshape((1,))
    # torch: unsqueeze after dim, expand the new axis, copy, and fold it in (ViewBackward0)
    shape = list(input._data.shape)
    wide = unsqueeze(input, d + 1)
    sizes = shape[:d + 1] + [repeats] + shape[d + 1:]
    from glasstorch.ops.elementwise import clone

    copied = clone(expand(wide, sizes))
    shape[d] *= repeats
    return view(copied, shape)


# ================================================================== more splits, stacks, flips
def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``n`` nearly equal pieces (an int) or at the given indices (views).

    Unlike ``split``, an int gives the number of pieces: the first ``size % n`` pieces get one
    element more.

    Example:
        >>> import glasstorch as torch
        >>> torch.tensor_split(torch.arange(7), 3)
        (tensor([0, 1, 2]), tensor([3, 4]), tensor([5, 6]))
        >>> torch.tensor_split(torch.arange(7), [1, 5])
        (tensor([0]), tensor([1, 2, 3, 4]), tensor([5, 6]))
    """
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec._data.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {spec._data.ndim} dims"
            )
        if spec._data.dtype.kind not in "iu":
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but "
                f"got {spec.dtype}"
            )
        spec = spec._data.item() if spec._data.ndim == 0 else spec._data.tolist()
    if not input._data.shape:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    dim = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if isinstance(spec, (builtins.int, np.integer)) and not isinstance(spec, builtins.bool):
        sections = builtins.int(spec)
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        small, extra = divmod(size, sections)
        bounds = [i * small + builtins.min(i, extra) for i in range(sections + 1)]
    elif isinstance(spec, (list, tuple)) and all(
            isinstance(i, (builtins.int, np.integer)) for i in spec):
        bounds = [0, *(builtins.int(i) for i in spec), size]
    else:
        raise TypeError(
            f"tensor_split() received an invalid combination of arguments - got (Tensor, "
            f"{type(spec).__name__}); expected an int, a sequence of ints or an integer tensor"
        )
    pieces = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        # indices behave like Python slice bounds: negative counts from the end, clamped
        start = builtins.min(builtins.max(start + size if start < 0 else start, 0), size)
        stop = builtins.min(builtins.max(stop + size if stop < 0 else stop, 0), size)
        out = Slice.apply(input, dim=dim, start=start, stop=builtins.max(start, stop), step=1)
        pieces.append(mark_view(out, input))
    return tuple(pieces)


def _split_along(name: str, input: Tensor, spec: Any, dim: int,
                 min_dims: int) -> tuple[Tensor, ...]:
    ndim = input._data.ndim
    if ndim < min_dims:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a "
            f"tensor with {ndim} dimensions!"
        )
    if isinstance(spec, builtins.int) and not isinstance(spec, builtins.bool):
        size = input._data.shape[dim]
        if spec == 0 or size % spec:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                f"dimension {size} is not divisible by the split_size {spec}!"
            )
    return tensor_split(input, spec, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 1 (dim 0 for a 1-D tensor); an int must divide the size.

    Example:
        >>> import glasstorch as torch
        >>> torch.hsplit(torch.arange(4), 2)
        (tensor([0, 1]), tensor([2, 3]))
    """
    dim = 0 if input._data.ndim == 1 else 1
    return _split_along("hsplit", input, indices_or_sections, dim, 1)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 0 of an at least 2-D tensor; an int must divide the size.

    Example:
        >>> import glasstorch as torch
        >>> torch.vsplit(torch.arange(4).view(2, 2), 2)
        (tensor([[0, 1]]), tensor([[2, 3]]))
    """
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """``tensor_split`` along dim 2 of an at least 3-D tensor; an int must divide the size.

    Example:
        >>> import glasstorch as torch
        >>> [p.shape for p in torch.dsplit(torch.zeros(1, 1, 4), [1])]
        [torch.Size([1, 1, 1]), torch.Size([1, 1, 3])]
    """
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def atleast_3d(input: Tensor) -> Tensor:
    """0-D as (1, 1, 1), 1-D ``(n,)`` as (1, n, 1), 2-D ``(m, n)`` as (m, n, 1); others unchanged.

    Example:
        >>> import glasstorch as torch
        >>> torch.atleast_3d(torch.ones(2)).shape
        torch.Size([1, 2, 1])
    """
    ndim = input._data.ndim
    if ndim == 0:
        return reshape(input, (1, 1, 1))
    if ndim == 1:
        return unsqueeze(unsqueeze(input, 0), -1)
    return unsqueeze(input, -1) if ndim == 2 else input


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along the third dim (depth), after making every tensor at least 3-D.

    Example:
        >>> import glasstorch as torch
        >>> torch.dstack([torch.tensor([1, 2]), torch.tensor([3, 4])])
        tensor([[[1, 3],
                 [2, 4]]])
    """
    tensors = _tensor_list(tensors, "dstack")
    if not tensors:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat([atleast_3d(x) for x in tensors], 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join as columns: 0-D and 1-D tensors become ``(n, 1)`` columns, then ``hstack``.

    Example:
        >>> import glasstorch as torch
        >>> torch.column_stack([torch.tensor([1, 2]), torch.tensor([3, 4])])
        tensor([[1, 3],
                [2, 4]])
    """
    tensors = _tensor_list(tensors, "column_stack")
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    columns = [reshape(x, (x._data.size, 1)) if x._data.ndim <= 1 else x for x in tensors]
    return hstack(columns)


def row_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Alias of ``vstack``.

    Example:
        >>> import glasstorch as torch
        >>> torch.row_stack([torch.tensor([1, 2]), torch.tensor([3, 4])])
        tensor([[1, 2],
                [3, 4]])
    """
    return vstack(tensors)


def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (dim 0): ``flip(input, [0])``.

    Example:
        >>> import glasstorch as torch
        >>> torch.flipud(torch.tensor([[1, 2], [3, 4]]))
        tensor([[3, 4],
                [1, 2]])
    """
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return Flip.apply(input, dims=(0,))


def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (dim 1): ``flip(input, [1])``.

    Example:
        >>> import glasstorch as torch
        >>> torch.fliplr(torch.tensor([[1, 2], [3, 4]]))
        tensor([[2, 1],
                [4, 3]])
    """
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return Flip.apply(input, dims=(1,))


class BlockDiag(Function):
    """out = the matrices x0, x1, ... on the diagonal, zeros elsewhere;  dxi = grad's block i"""

    @staticmethod
    def forward(ctx: Any, *xs: np.ndarray) -> np.ndarray:
        mats = [x.reshape(1, -1) if x.ndim == 1 else x.reshape(1, 1) if x.ndim == 0 else x
                for x in xs]
        ctx.shapes = [x.shape for x in xs]
        rows = builtins.sum(m.shape[0] for m in mats)
        cols = builtins.sum(m.shape[1] for m in mats)
        out = np.zeros((rows, cols), _result_dtype(xs))
        ctx.corners = []
        r = c = 0
        for m in mats:
            out[r:r + m.shape[0], c:c + m.shape[1]] = m
            ctx.corners.append((r, c, m.shape))
            r += m.shape[0]
            c += m.shape[1]
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(grad[r:r + h, c:c + w].reshape(shape)
                     for (r, c, (h, w)), shape in zip(ctx.corners, ctx.shapes, strict=True))


def block_diag(*tensors: Tensor) -> Tensor:
    """A block-diagonal matrix of the inputs (0-D is 1x1, 1-D a single row).

    Example:
        >>> import glasstorch as torch
        >>> torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3))
        tensor([[1, 2, 0],
                [0, 0, 3]])
    """
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"block_diag(): argument 'tensors' must be tuple of Tensors, not "
                            f"{type(x).__name__}")
        if x._data.ndim > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {i} has {x._data.ndim} dimensions"
            )
    if not tensors:
        return Tensor._wrap(np.zeros((1, 0), _dtype.get_default_dtype().np))
    return BlockDiag.apply(*tensors)


def _index_columns(input: Tensor, columns: np.ndarray) -> Tensor:
    from glasstorch.ops.indexing import index_select

    index = Tensor._wrap(columns.astype(np.int64))
    return index_select(input, 0, index)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of one element from each 1-D input, one per row (``itertools.product``).

    Example:
        >>> import glasstorch as torch
        >>> torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4]))
        tensor([[1, 3],
                [1, 4],
                [2, 3],
                [2, 4]])
    """
    from glasstorch.ops.linalg import meshgrid

    for x in tensors:
        if x._data.ndim != 1:
            raise RuntimeError(
                f"Expect a 1D vector, but got shape {list(x._data.shape)}"
            )
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([flatten(g) for g in grids], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: builtins.bool = False) -> Tensor:
    """All length-``r`` combinations of the elements of a 1-D tensor (``itertools.combinations``).

    Example:
        >>> import glasstorch as torch
        >>> torch.combinations(torch.tensor([1, 2, 3]))
        tensor([[1, 2],
                [1, 3],
                [2, 3]])
    """
    if input._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input._data.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return Tensor._wrap(np.empty((0,), input._data.dtype))
    n = input._data.shape[0]
    # the index tuples i0 < i1 < ... (<= with replacement) in row-major order, as torch's mask
    grid = np.indices((n,) * r).reshape(r, -1)
    keep = np.ones(grid.shape[1], builtins.bool)
    for a, b in zip(grid[:-1], grid[1:], strict=True):
        keep &= (a <= b) if with_replacement else (a < b)
    rows = grid[:, keep]
    return stack([_index_columns(input, col) for col in rows], 1)
