"""Convolution, pooling and padding ops (im2col on NumPy strides, no loops over pixels).

A 2-D convolution is one matrix product: the input's ``kH x kW`` patches are laid out as
the columns of a matrix (``im2col``, a strided *view* copied once) and the weight, reshaped
to ``(out_channels, in_channels * kH * kW)``, multiplies it. The backward pass is two more
products: ``grad @ cols.T`` for the weight, and ``weight.T @ grad`` folded back onto the
input (``col2im``: one strided add per kernel position, never a loop over pixels).

Pooling loops over the ``kH * kW`` kernel positions the same way (each step a whole-array
operation on one strided slice). The public functions with PyTorch's argument checks are
``conv2d``, ``max_pool2d`` and ``constant_pad_nd`` here, and ``glasstorch.nn.functional``
(``conv2d``, ``max_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``, ``pad``...).
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name

__all__ = ["adaptive_avg_pool1d", "avg_pool1d", "constant_pad_nd", "conv1d", "conv2d",
           "conv_transpose2d", "max_pool1d", "max_pool2d"]

_int = builtins.int
_bool = builtins.bool
IntPair = _int | Sequence[_int]


# ----------------------------------------------------------------------------- helpers
# Layouts. The patches of a convolution or pooling window are strided slices of the input;
# NumPy works through such a slice fastest when its innermost axis is long and contiguous.
# In NCHW that axis is the output row (a few pixels for small images), so for a batch wider
# than a row the padded copy of the input is stored batch-last -- memory order C, H, W, N
# (convolution) or H, W, N, C (pooling) -- and seen through a transposed view that still
# reads as (N, C, H, W). Every later step then runs over runs of N (or N * C) numbers.
NCHW = (0, 1, 2, 3)
CHWN = (1, 2, 3, 0)
HWNC = (2, 3, 0, 1)


def _empty(shape: tuple[int, ...], order: tuple[int, ...], dtype: Any,
           fill: Any = None) -> np.ndarray:
    """An array that reads as ``shape`` (N, C, H, W) but is stored in axis ``order``."""
    stored = [shape[a] for a in order]
    buffer = np.empty(stored, dtype) if fill is None else np.full(stored, fill, dtype)
    return buffer if order == NCHW else buffer.transpose(np.argsort(order))


def _relayout(x: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """``x`` (N, C, H, W) copied into axis ``order`` (itself when that is NCHW already)."""
    if order == NCHW:
        return x
    out = _empty(x.shape, order, x.dtype)
    out[...] = x
    return out


def _padded(x: np.ndarray, pad: tuple[int, int, int, int], fill: Any = 0,
            order: tuple[int, ...] = NCHW) -> np.ndarray:
    """``x`` (N, C, H, W) with ``(top, bottom, left, right)`` rows/columns of ``fill`` added.

    The result reads as (N, C, H', W'); in memory its axes are in ``order`` (see Layouts).
    """
    top, bottom, left, right = pad
    if not (top or bottom or left or right):
        return _relayout(x, order)
    n, c, h, w = x.shape
    out = _empty((n, c, h + top + bottom, w + left + right), order, x.dtype, fill)
    out[:, :, top:top + h, left:left + w] = x
    return out


def _windows(xp: np.ndarray, kernel: tuple[int, int], out_hw: tuple[int, int],
             stride: tuple[int, int], dilation: tuple[int, int]) -> np.ndarray:
    """A strided view ``(N, C, kH, kW, OH, OW)`` of the patches of 4-D ``xp`` (no copy).

    ``view[n, c, i, j, oh, ow] = xp[n, c, oh*sh + i*dh, ow*sw + j*dw]``.
    """
    sn, sc, sy, sx = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp,
        (xp.shape[0], xp.shape[1], kernel[0], kernel[1], out_hw[0], out_hw[1]),
        (sn, sc, sy * dilation[0], sx * dilation[1], sy * stride[0], sx * stride[1]),
        writeable=False,
    )


def _slice(start: int, count: int, step: int) -> slice:
    """The ``count`` positions ``start, start + step, ...`` as a slice."""
    return slice(start, start + step * (count - 1) + 1, step)


@functools.lru_cache(maxsize=256)  # a training loop asks for the same few plans every step
def _kernel_slices(kernel: tuple[int, int], out_hw: tuple[int, int], stride: tuple[int, int],
                   dilation: tuple[int, int]) -> tuple[tuple[Any, ...], ...]:
    """For each kernel position (i, j): the index of the input pixels it touches."""
    return tuple(
        (slice(None), slice(None), _slice(i * dilation[0], out_hw[0], stride[0]),
         _slice(j * dilation[1], out_hw[1], stride[1]))
        for i in range(kernel[0]) for j in range(kernel[1])
    )


def _pool_out_size(size: int, kernel: int, pad: int, stride: int, dilation: int,
                   ceil_mode: bool) -> int:
    """ATen's pooling_output_shape (a last window must start inside the padded input)."""
    span = size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = span // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


# ----------------------------------------------------------------------------- convolution
class Convolution(Function):
    """out[n,o] = b[o] + sum_{c,i,j} w[o,c,i,j] x[n,c,sh*y+dh*i,sw*x+dw*j] (zero-padded x);
    dw = grad @ cols.T,  dx = col2im(w.T @ grad),  db = sum(grad over n, y, x)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                stride: tuple[int, int], padding: tuple[int, int, int, int],
                dilation: tuple[int, int], groups: int) -> np.ndarray:
        n = x.shape[0]
        o, cg, kh, kw = weight.shape
        oh = (x.shape[2] + padding[0] + padding[1] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
        ow = (x.shape[3] + padding[2] + padding[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
        order = CHWN if n > ow else NCHW
        xp = _padded(x, padding, 0, order)
        # im2col, one copy: cols[g, (c, i, j), (y, x, n)] = xp[n, g Cg + c, sh y + dh i, ...]
        cols = _windows(xp, (kh, kw), (oh, ow), stride, dilation).transpose(1, 2, 3, 4, 5, 0)
        cols = cols.reshape(groups, cg * kh * kw, oh * ow * n)
        w2 = weight.reshape(groups, o // groups, cg * kh * kw)
        prod = np.matmul(w2, cols).reshape(o, oh, ow, n)  # one matrix product per group
        out = np.empty((n, o, oh, ow), dtype=prod.dtype)
        if bias is None:
            np.copyto(out, prod.transpose(3, 0, 1, 2))
        else:  # the bias is added while the product is put in NCHW order
            np.add(prod.transpose(3, 0, 1, 2), bias.reshape(o, 1, 1), out=out)
        ctx.save_for_backward(x, weight, cols)
        ctx.geometry = (xp.shape, order, (oh, ow), stride, padding, dilation, groups)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight, cols = ctx.saved_tensors
        padded_shape, order, out_hw, stride, padding, dilation, groups = ctx.geometry
        o, cg, kh, kw = weight.shape
        n = grad.shape[0]
        g2 = grad.transpose(1, 2, 3, 0).reshape(groups, o // groups, -1)  # cols' (y, x, n)
        dx = dw = db = None
        if ctx.needs_input_grad[1]:
            dw = np.matmul(g2, cols.transpose(0, 2, 1)).reshape(weight.shape)
        if ctx.needs_input_grad[2]:
            db = grad.sum(axis=(0, 2, 3))
        if ctx.needs_input_grad[0]:
            w2 = weight.reshape(groups, o // groups, cg * kh * kw)
            dcols = np.matmul(w2.transpose(0, 2, 1), g2)
            dcols = dcols.reshape(groups * cg, kh, kw, out_hw[0], out_hw[1], n)
            # col2im: each kernel position adds its block back onto the pixels it read
            dxp = _empty(padded_shape, order, grad.dtype, 0)
            slices = _kernel_slices((kh, kw), out_hw, stride, dilation)
            for k, where in enumerate(slices):
                dxp[where] += dcols[:, k // kw, k % kw].transpose(3, 0, 1, 2)
            top, _, left, _ = padding
            dx = np.ascontiguousarray(dxp[:, :, top:top + x.shape[2], left:left + x.shape[3]])
        return dx, dw, db


def _conv_pair(value: Any, name: str) -> tuple[int, int]:
    """``stride``/``padding``/``dilation`` of conv2d as two ints, with torch's error."""
    if isinstance(value, (_int, np.integer)) and not isinstance(value, _bool):
        return (_int(value), _int(value))
    if isinstance(value, Sequence) and all(isinstance(v, (_int, np.integer)) for v in value):
        if len(value) == 1:
            return (_int(value[0]), _int(value[0]))
        if len(value) == 2:
            return (_int(value[0]), _int(value[1]))
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of 2 values to match the "
            f"convolution dimensions, but got {name}={list(value)}"
        )
    raise TypeError(f"conv2d(): argument '{name}' must be tuple of ints, not "
                    f"{type(value).__name__}")


def _shape_str(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
           padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of ``input`` (N, C, H, W) or (C, H, W) with ``weight``.

    Args:
        input: ``(N, C_in, H, W)``, or ``(C_in, H, W)`` for one unbatched image.
        weight: ``(C_out, C_in / groups, kH, kW)``.
        bias: ``(C_out,)`` or None.
        stride: step of the kernel, an int or ``(sH, sW)``.
        padding: zeros added on each side: an int, ``(pH, pW)``, ``'valid'`` (none) or
            ``'same'`` (output as large as the input; stride must be 1).
        dilation: spacing between kernel elements.
        groups: split the channels into this many independent convolutions.

    Returns:
        ``(N, C_out, H_out, W_out)`` with ``H_out = (H + 2 pH - dH (kH - 1) - 1) // sH + 1``.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
        >>> torch.conv2d(x, torch.ones(1, 1, 2, 2), stride=2)
        tensor([[[[10., 18.],
                  [42., 50.]]]])
    """
    if input.ndim not in (3, 4):
        raise RuntimeError(
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
            f"{_shape_str(input.shape)}"
        )
    strides = _conv_pair(stride, "stride")
    dilations = _conv_pair(dilation, "dilation")
    if weight.ndim != 4:
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {weight.ndim - 2} "
            f"values to match the convolution dimensions, but got stride={list(strides)}. "
            "conv2d's weight must be 4-D: (out_channels, in_channels / groups, kH, kW); "
            f"this one has shape {tuple(weight.shape)}"
        )
    if min(strides) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(dilations) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilations)}")
    if isinstance(groups, _bool) or not isinstance(groups, (_int, np.integer)):
        raise TypeError(f"conv2d(): argument 'groups' must be int, not {type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    kh, kw = weight.shape[2], weight.shape[3]
    if isinstance(padding, str):
        if padding == "valid":
            pads = (0, 0, 0, 0)
        elif padding == "same":
            if strides != (1, 1):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            # the total d (k - 1) is split with the odd one out on the bottom/right, as torch
            total_h, total_w = dilations[0] * (kh - 1), dilations[1] * (kw - 1)
            pads = (total_h // 2, total_h - total_h // 2, total_w // 2, total_w - total_w // 2)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        ph, pw = _conv_pair(padding, "padding")
        if min(ph, pw) < 0:
            raise RuntimeError("negative padding is not supported")
        pads = (ph, ph, pw, pw)
    batched = input.ndim == 4
    shape = tuple(input.shape) if batched else (1, *input.shape)
    o = weight.shape[0]
    if o == 0 or o % groups:
        what = "at least 1" if o == 0 else f"divisible by {groups}"
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be {what} at dimension 0, but got "
            f"weight of size [{_shape_str(weight.shape)}] instead"
        )
    if shape[1] != weight.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {_shape_str(weight.shape)}, expected "
            f"input{_shape_str(shape)} to have {weight.shape[1] * groups} channels, but got "
            f"{shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != o):
        raise RuntimeError(
            f"Given weight of size {_shape_str(weight.shape)}, expected bias to be "
            f"1-dimensional with {o} elements, but got bias of size "
            f"{_shape_str(bias.shape)} instead"
        )
    padded_hw = (shape[2] + pads[0] + pads[1], shape[3] + pads[2] + pads[3])
    kernel_hw = (dilations[0] * (kh - 1) + 1, dilations[1] * (kw - 1) + 1)
    if padded_hw[0] < kernel_hw[0] or padded_hw[1] < kernel_hw[1]:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({padded_hw[0]} x {padded_hw[1]}). "
            f"Kernel size: ({kernel_hw[0]} x {kernel_hw[1]}). Kernel size can't be greater "
            "than actual input size"
        )
    _check_dtypes(input, weight, bias)
    if not batched:
        return Convolution.apply(input.unsqueeze(0), weight, bias, stride=strides, padding=pads,
                                 dilation=dilations, groups=_int(groups)).squeeze(0)
    return Convolution.apply(input, weight, bias, stride=strides, padding=pads,
                             dilation=dilations, groups=_int(groups))


def _check_dtypes(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """torch's errors for an input, weight and bias of different dtypes."""
    xd, wd = input._data, weight._data
    if xd.dtype != wd.dtype:
        raise RuntimeError(
            f"expected scalar type {dtype_name(xd)} but found {dtype_name(wd)}. "
            f"Convert one of them, e.g. weight.to({_torch_dtype(xd)})"
        )
    if bias is not None and bias._data.dtype != xd.dtype:
        raise RuntimeError(
            f"Input type ({_c_name(xd)}) and bias type ({_c_name(bias._data)}) should be the "
            f"same. Convert the bias, e.g. bias.to({_torch_dtype(xd)})"
        )


def _torch_dtype(arr: np.ndarray) -> str:
    return f"torch.{arr.dtype.name}"


def _c_name(arr: np.ndarray) -> str:
    """torch's C type name for messages: float, double, long..."""
    return {"float32": "float", "float64": "double", "int64": "long", "int32": "int",
            "float16": "c10::Half"}.get(arr.dtype.name, arr.dtype.name)


# ----------------------------------------------------------------------------- pooling
def _batched(x: np.ndarray) -> np.ndarray:
    """``x`` as 4-D: an unbatched ``(C, H, W)`` gets a batch of one (a view)."""
    return x if x.ndim == 4 else x[None]


class MaxPool2DWithIndices(Function):
    """out[n,c,y,x] = max over the window of x (padding counts as -inf);
    dx = grad routed to the first maximum of each window (torch's scan order)
    """

    non_differentiable = (1,)  # the indices

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int],
                padding: tuple[int, int], dilation: tuple[int, int], ceil_mode: bool,
                return_indices: bool) -> Any:
        x4 = _batched(x)
        n, c, h, w = x4.shape
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
        oh = _pool_out_size(h, kh, ph, sh, dh, ceil_mode)
        ow = _pool_out_size(w, kw, pw, sw, dw, ceil_mode)
        # ceil_mode may let the last window run past the padding: pad enough for every window
        bottom = builtins.max((oh - 1) * sh + dh * (kh - 1) + 1 - ph - h, 0)
        right = builtins.max((ow - 1) * sw + dw * (kw - 1) + 1 - pw - w, 0)
        floating = x.dtype.kind == "f"
        lowest = -np.inf if floating else np.iinfo(x.dtype).min
        order = HWNC if n * c > ow else NCHW
        xp = _padded(x4, (ph, bottom, pw, right), lowest, order)
        slices = _kernel_slices(kernel, (oh, ow), stride, dilation)
        best = xp[slices[0]].copy(order="K")
        for where in slices[1:]:
            np.maximum(best, xp[where], out=best)  # a NaN propagates, as in torch
        out = np.ascontiguousarray(best)
        if x.ndim == 3:
            out = out[0]
        if not (return_indices or ctx.needs_input_grad[0]):
            return out
        # Which kernel position k won: torch keeps the first maximum in scan order (so
        # go backwards, each match overwriting), except that any NaN takes over (the last
        # NaN wins). `arg -= (arg - k) * match` sets arg = k where match, in place.
        arg = np.zeros_like(best, dtype=np.uint8 if kh * kw < 256 else np.int64)
        for k in range(kh * kw - 1, -1, -1):
            arg -= (arg - k) * (xp[slices[k]] == best)
        if floating and np.isnan(best).any():
            for k, where in enumerate(slices):
                arg -= (arg - k) * np.isnan(xp[where])
        ctx.save_for_backward(arg)
        ctx.geometry = (x.shape, xp.shape, order, slices, (ph, pw))
        if not return_indices:
            return out
        # torch's index: the position h * W + w in the (unpadded) input plane
        offsets = np.array([(k // kw) * dh * w + (k % kw) * dw for k in range(kh * kw)])
        starts = ((np.arange(oh) * sh - ph) * w)[:, None] + (np.arange(ow) * sw - pw)
        indices = np.ascontiguousarray(np.take(offsets, arg) + starts)
        return out, (indices if x.ndim == 4 else indices[0])

    @staticmethod
    def backward(ctx: Any, grad: Any) -> np.ndarray:
        if type(grad) is list:  # (out, indices): only out has a gradient
            grad = grad[0]
        (arg,) = ctx.saved_tensors
        in_shape, padded_shape, order, slices, (ph, pw) = ctx.geometry
        g = np.empty_like(arg, dtype=grad.dtype)  # grad in arg's memory layout
        g[...] = _batched(grad)
        dxp = _empty(padded_shape, order, grad.dtype, 0)
        for k, where in enumerate(slices):
            dxp[where] += g * (arg == k)
        h, w = in_shape[-2], in_shape[-1]
        dx = np.ascontiguousarray(dxp[:, :, ph:ph + h, pw:pw + w])
        return dx if len(in_shape) == 4 else dx[0]


class AvgPool2D(Function):
    """out[n,c,y,x] = sum of x over the window / divisor;  dx = grad / divisor on each window"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int],
                padding: tuple[int, int], ceil_mode: bool, count_include_pad: bool,
                divisor_override: int | None) -> np.ndarray:
        x4 = _batched(x)
        n, c, h, w = x4.shape
        (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
        oh = _pool_out_size(h, kh, ph, sh, 1, ceil_mode)
        ow = _pool_out_size(w, kw, pw, sw, 1, ceil_mode)
        bottom = builtins.max((oh - 1) * sh + kh - ph - h, 0)
        right = builtins.max((ow - 1) * sw + kw - pw - w, 0)
        order = HWNC if n * c > ow else NCHW
        xp = _padded(x4, (ph, bottom, pw, right), 0, order)
        slices = _kernel_slices(kernel, (oh, ow), stride, (1, 1))
        total = xp[slices[0]].copy(order="K")
        for where in slices[1:]:  # row by row, as torch's kernel adds them
            total += xp[where]
        if divisor_override:
            divisor = np.full((oh, ow), divisor_override)
        else:
            divisor = np.outer(
                _window_sizes(h, oh, kh, sh, ph, count_include_pad),
                _window_sizes(w, ow, kw, sw, pw, count_include_pad),
            )
        if x.dtype.kind == "f":
            divisor = divisor.astype(x.dtype)
            out = np.divide(total, divisor, out=np.empty(total.shape, x.dtype))
        else:  # integer input: C++'s division, truncating towards zero
            out = (np.abs(total) // divisor * np.sign(total)).astype(x.dtype)
        ctx.geometry = (x.shape, xp.shape, order, slices, padding, divisor)
        return out if x.ndim == 4 else out[0]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        in_shape, padded_shape, order, slices, (ph, pw), divisor = ctx.geometry
        share = _relayout(_batched(grad) / divisor, order)
        dxp = _empty(padded_shape, order, grad.dtype, 0)
        for where in slices:
            dxp[where] += share
        h, w = in_shape[-2], in_shape[-1]
        dx = np.ascontiguousarray(dxp[:, :, ph:ph + h, pw:pw + w])
        return dx if len(in_shape) == 4 else dx[0]


def _window_sizes(size: int, out: int, kernel: int, stride: int, pad: int,
                  count_include_pad: bool) -> np.ndarray:
    """Each window's length along one dim, as ATen's avg_pool2d divides by it."""
    start = np.arange(out) * stride - pad
    end = np.minimum(start + kernel, size + pad)
    if count_include_pad:
        return end - start  # padding counts, the part past it (ceil_mode) does not
    return np.minimum(end, size) - np.maximum(start, 0)


class AdaptiveAvgPool2D(Function):
    """out = Ph @ x @ Pw.T (Ph[i] averages rows floor(iH/OH) .. ceil((i+1)H/OH));
    dx = Ph.T @ grad @ Pw
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, output_size: tuple[int, int]) -> np.ndarray:
        rows = _averaging_matrix(x.shape[-2], output_size[0], x.dtype)
        cols = _averaging_matrix(x.shape[-1], output_size[1], x.dtype)
        ctx.matrices = (rows, cols)
        return np.matmul(rows, np.matmul(x, cols.T))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        rows, cols = ctx.matrices
        return np.matmul(rows.T, np.matmul(grad, cols))


def _averaging_matrix(size: int, out: int, dtype: np.dtype) -> np.ndarray:
    """``(out, size)``: row i averages the inputs of adaptive window i."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)  # ceil((i + 1) * size / out)
    pos = np.arange(size)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


# ----------------------------------------------------------------------------- padding
def _pad_slices(shape: tuple[int, ...], pad: Sequence[int]) -> tuple[tuple[slice, ...], ...]:
    """For constant padding: (the part of the input kept, where it goes in the output).

    ``pad`` lists (before, after) pairs starting from the last dim; a negative amount
    crops that many entries instead.
    """
    src: list[slice] = [slice(None)] * len(shape)
    dst: list[slice] = [slice(None)] * len(shape)
    for j in range(len(pad) // 2):
        d = len(shape) - 1 - j
        before, after = pad[2 * j], pad[2 * j + 1]
        start, stop = builtins.max(-before, 0), shape[d] - builtins.max(-after, 0)
        stop = builtins.max(stop, start)
        src[d] = slice(start, stop)
        dst[d] = slice(builtins.max(before, 0), builtins.max(before, 0) + stop - start)
    return tuple(src), tuple(dst)


class ConstantPadNd(Function):
    """out = x with ``value`` added around (or cropped by negative pads);  dx = grad[inside]"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, pad: tuple[int, ...], value: Any) -> np.ndarray:
        shape = list(x.shape)
        for j in range(len(pad) // 2):
            shape[-1 - j] += pad[2 * j] + pad[2 * j + 1]
        src, dst = _pad_slices(x.shape, pad)
        out = np.full(shape, value, dtype=x.dtype)
        out[dst] = x[src]
        ctx.geometry = (x.shape, src, dst, any(p < 0 for p in pad))
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, src, dst, cropped = ctx.geometry
        if not cropped:
            return grad[dst]
        dx = np.zeros(shape, dtype=grad.dtype)
        dx[src] = grad[dst]
        return dx


def _pad_index(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """Which input entry each output entry along one dim copies, for a non-constant mode."""
    if mode == "circular":
        # torch crops first (negative pads), then wraps around what is left
        start, stop = builtins.max(-before, 0), size - builtins.max(-after, 0)
        kept = stop - start
        pos = np.arange(-builtins.max(before, 0), kept + builtins.max(after, 0))
        return pos % kept + start
    pos = np.arange(-before, size + after)
    if mode == "reflect":
        pos = np.abs(pos)
        return np.where(pos > size - 1, 2 * (size - 1) - pos, pos)
    return np.clip(pos, 0, size - 1)  # replicate


class _IndexPad(Function):
    """out = x gathered along each padded dim by an index map;  dx = grad scattered back"""

    mode = ""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, pad: tuple[int, ...], mode: str) -> np.ndarray:
        out = x
        maps = []
        for j in range(len(pad) // 2):
            d = x.ndim - 1 - j
            index = _pad_index(x.shape[d], pad[2 * j], pad[2 * j + 1], mode)
            out = np.take(out, index, axis=d)
            maps.append((d, index))
        ctx.geometry = (x.shape, maps)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, maps = ctx.geometry
        dx = grad
        for d, index in reversed(maps):
            # a one-hot (out, in) matrix sums every copy of an entry back onto it
            onehot = (index[:, None] == np.arange(shape[d])).astype(grad.dtype)
            dx = np.moveaxis(np.matmul(np.moveaxis(dx, d, -1), onehot), -1, d)
        return dx


class ReflectionPad1D(_IndexPad):
    """out = x reflected at the edges of the last dim;  dx = grad summed onto its sources"""


class ReflectionPad2D(_IndexPad):
    """out = x reflected at the edges of the last 2 dims;  dx = grad summed onto its sources"""


class ReflectionPad3D(_IndexPad):
    """out = x reflected at the edges of the last 3 dims;  dx = grad summed onto its sources"""


class ReplicationPad1D(_IndexPad):
    """out = x's edge values repeated along the last dim;  dx = grad summed onto the edges"""


class ReplicationPad2D(_IndexPad):
    """out = x's edge values repeated on the last 2 dims;  dx = grad summed onto the edges"""


class ReplicationPad3D(_IndexPad):
    """out = x's edge values repeated on the last 3 dims;  dx = grad summed onto the edges"""


class CircularPad(_IndexPad):
    """out = x wrapped around (periodic) on the padded dims;  dx = grad summed onto its sources"""

    grad_fn_name = "CopySlices"  # torch builds circular padding from slice copies


_INDEX_PADS: dict[tuple[str, int], type[_IndexPad]] = {
    ("reflect", 1): ReflectionPad1D, ("reflect", 2): ReflectionPad2D,
    ("reflect", 3): ReflectionPad3D, ("replicate", 1): ReplicationPad1D,
    ("replicate", 2): ReplicationPad2D, ("replicate", 3): ReplicationPad3D,
}


# ----------------------------------------------------------------------------- pooling API
def _pool_pair(value: Any, what: str, function: str, allow_none: bool = False) -> tuple[int, int]:
    """A pooling ``kernel_size``/``stride``/``padding``/``dilation`` as two ints."""
    if isinstance(value, (_int, np.integer)) and not isinstance(value, _bool):
        return (_int(value), _int(value))
    if isinstance(value, Sequence) and len(value) in (1, 2) and \
            all(isinstance(v, (_int, np.integer)) for v in value):
        return (_int(value[0]), _int(value[-1]))
    if what == "stride":
        need = "either be omitted, a single int, or a tuple of two ints"
    else:
        need = "either be a single int, or a tuple of two ints"
    raise RuntimeError(f"{function}: {what} must {need}")


def _pool_args(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
               ceil_mode: bool, function: str) -> tuple[tuple[int, int], ...]:
    """Check pooling arguments the way ATen does; return kernel, stride, padding, dilation."""
    kernel = _pool_pair(kernel_size, "kernel_size", function)
    no_stride = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    strides = kernel if no_stride else _pool_pair(stride, "stride", function)
    pads = _pool_pair(padding, "padding", function)
    dilations = _pool_pair(dilation, "dilation", function)
    if min(kernel) <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}"
        )
    if min(strides) <= 0:
        raise RuntimeError("stride should not be zero")
    if min(pads) < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(pads)}")
    if min(dilations) <= 0:
        raise RuntimeError(
            "dilation should be greater than zero, but got dilationH: "
            f"{dilations[0]} dilationW: {dilations[1]}"
        )
    for k, p, d in zip(kernel, pads, dilations, strict=True):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                "pad should be at most half of effective kernel size, but got "
                f"pad={p}, kernel_size={k} and dilation={d}"
            )
    shape = tuple(input.shape)
    if len(shape) not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if 0 in shape[-3:]:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:{_shape_str(shape)}"
        )
    h, w = shape[-2], shape[-1]
    oh = _pool_out_size(h, kernel[0], pads[0], strides[0], dilations[0], ceil_mode)
    ow = _pool_out_size(w, kernel[1], pads[1], strides[1], dilations[1], ceil_mode)
    if oh < 1 or ow < 1:
        raise RuntimeError(
            f"Given input size: ({shape[-3]}x{h}x{w}). Calculated output size: "
            f"({shape[-3]}x{oh}x{ow}). Output size is too small"
        )
    return kernel, strides, pads, dilations


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = (),
               padding: IntPair = 0, dilation: IntPair = 1, ceil_mode: bool = False) -> Tensor:
    """The largest value in each ``kernel_size`` window (padding counts as ``-inf``).

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: window size, an int or ``(kH, kW)``.
        stride: window step (default: ``kernel_size``).
        padding: ``-inf`` added on each side, at most half the kernel.
        dilation: spacing between window elements.
        ceil_mode: round the output size up instead of down.

    Example:
        >>> import glasstorch as torch
        >>> torch.max_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """
    kernel, strides, pads, dilations = _pool_args(input, kernel_size, stride, padding, dilation,
                                                  ceil_mode, "max_pool2d")
    return MaxPool2DWithIndices.apply(input, kernel=kernel, stride=strides, padding=pads,
                                      dilation=dilations, ceil_mode=_bool(ceil_mode),
                                      return_indices=False)


def max_pool2d_with_indices(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,
                            padding: IntPair = 0, dilation: IntPair = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> tuple[Tensor, Tensor]:
    """``max_pool2d`` that also returns where each maximum was (``h * W + w``, int64).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.max_pool2d_with_indices(torch.tensor([[[[1.0, 3.0], [2.0, 0.0]]]]), 2)
        (tensor([[[[3.]]]]), tensor([[[[1]]]]))
    """
    kernel, strides, pads, dilations = _pool_args(input, kernel_size, stride, padding, dilation,
                                                  ceil_mode, "max_pool2d")
    out: tuple[Tensor, Tensor] = MaxPool2DWithIndices.apply(
        input, kernel=kernel, stride=strides, padding=pads, dilation=dilations,
        ceil_mode=_bool(ceil_mode), return_indices=True,
    )
    return out


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """The mean of each ``kernel_size`` window (``F.avg_pool2d``).

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: window size, an int or ``(kH, kW)``.
        stride: window step (default: ``kernel_size``).
        padding: zeros added on each side, at most half the kernel.
        ceil_mode: round the output size up instead of down.
        count_include_pad: count the padding zeros in each window's divisor.
        divisor_override: divide every window's sum by this instead.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.avg_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
    """
    kernel, strides, pads, _ = _pool_args(input, kernel_size, stride, padding, 1, ceil_mode,
                                          "avg_pool2d")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if input._data.dtype.kind != "f" and input._data.dtype != np.int64:
        raise NotImplementedError(f"\"avg_pool2d\" not implemented for '{dtype_name(input._data)}'")
    return AvgPool2D.apply(input, kernel=kernel, stride=strides, padding=pads,
                           ceil_mode=_bool(ceil_mode), count_include_pad=_bool(count_include_pad),
                           divisor_override=divisor_override)


def adaptive_avg_pool2d(input: Tensor, output_size: int | Sequence[int | None]) -> Tensor:
    """Average pooling to a fixed ``output_size`` whatever the input size.

    Window i along a dim of size ``H`` covers rows ``floor(i H / OH)`` to
    ``ceil((i + 1) H / OH)``; ``None`` in ``output_size`` keeps that dim's size.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.adaptive_avg_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), (1, 2))
        tensor([[[[6.5000, 8.5000]]]])
    """
    if isinstance(output_size, (_int, np.integer)):
        sizes: list[Any] = [output_size, output_size]
    else:
        sizes = list(output_size)
        if input.ndim <= len(sizes):  # torch's _list_with_default, before any other check
            raise ValueError(f"Input dimension should be at least {len(sizes) + 1}")
        sizes = [input.shape[i - len(sizes)] if s is None else s for i, s in enumerate(sizes)]
    if len(sizes) != 2:
        raise RuntimeError("adaptive_avg_pool2d: output_size must be 2")
    sizes = [_int(s) for s in sizes]
    if min(sizes) < 0:
        raise RuntimeError(
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
            f"but received {{{sizes[0]}, {sizes[1]}}}"
        )
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError(
            "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
            f"{_shape_str(input.shape)}"
        )
    if sizes == [1, 1]:  # torch takes the plain mean here (grad_fn MeanBackward1)
        return input.mean((-2, -1), keepdim=True)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"adaptive_avg_pool2d\" not implemented for '{dtype_name(input._data)}'"
        )
    return AdaptiveAvgPool2D.apply(input, output_size=(sizes[0], sizes[1]))


# ----------------------------------------------------------------------------- padding API
def _pad_arg(pad: Any, function: str) -> tuple[int, ...]:
    if not isinstance(pad, Sequence) or isinstance(pad, str):
        raise TypeError(f"{function}(): argument 'pad' (position 2) must be tuple of ints, "
                        f"not {type(pad).__name__}")
    for i, p in enumerate(pad):
        if isinstance(p, _bool) or not isinstance(p, (_int, np.integer)):
            raise TypeError(f"{function}(): argument 'pad' (position 2) must be tuple of ints, "
                            f"but found element of type {type(p).__name__} at pos {i}")
    return tuple(_int(p) for p in pad)


def constant_pad_nd(input: Tensor, pad: Sequence[int], value: float = 0) -> Tensor:
    """``input`` with ``value`` added around its last dims (negative amounts crop).

    ``pad`` lists (before, after) pairs starting from the last dim:
    ``(left, right, top, bottom, ...)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.constant_pad_nd(torch.tensor([[1.0, 2.0]]), (1, 0), 9.0)
        tensor([[9., 1., 2.]])
    """
    pads = _pad_arg(pad, "constant_pad_nd")
    if len(pads) % 2:
        raise RuntimeError("Length of pad must be even but instead it equals "
                           f"{len(pads)}")
    if len(pads) // 2 > input.ndim:
        raise RuntimeError(
            "Length of pad should be no more than twice the number of dimensions of the "
            f"input. Pad length is {len(pads)} while the input has {input.ndim} dimensions."
        )
    for j in range(len(pads) // 2):
        if input.shape[-1 - j] + pads[2 * j] + pads[2 * j + 1] < 0:
            raise RuntimeError(
                "narrow(): length must be non-negative. (The negative padding "
                f"{pads[2 * j], pads[2 * j + 1]} crops more than dim {input.ndim - 1 - j} "
                f"holds: {input.shape[-1 - j]})"
            )
    return ConstantPadNd.apply(input, pad=pads, value=value)


_NON_CONSTANT_HELP = (
    "Supported combinations for non-constant padding:\n"
    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
)


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pad the last dims of ``input`` (``F.pad``).

    Args:
        input: any tensor (``'reflect'``, ``'replicate'``, ``'circular'``: 2-D to 5-D).
        pad: (before, after) amounts from the last dim back: ``(left, right, top, bottom)``.
        mode: ``'constant'`` (``value``), ``'reflect'`` (mirror without the edge),
            ``'replicate'`` (repeat the edge) or ``'circular'`` (wrap around).
        value: the fill value for ``'constant'`` (default 0).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.pad(torch.tensor([[[1.0, 2.0, 3.0]]]), (2, 1), mode='reflect')
        tensor([[[3., 2., 1., 2., 3., 2.]]])
    """
    pads = _pad_arg(pad, "pad")
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > input.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension "
            f"but got padding length {len(pads)} and input of dimension {input.ndim}"
        )
    if mode == "constant":
        return constant_pad_nd(input, pads, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    dims = len(pads) // 2
    if dims not in (1, 2, 3) or input.ndim not in (dims + 1, dims + 2):
        raise NotImplementedError(
            f"Padding size {len(pads)} is not supported for {input.ndim}D input tensor.\n"
            + _NON_CONSTANT_HELP
        )
    shape = tuple(input.shape)
    for j in range(dims):
        size, before, after = shape[-1 - j], pads[2 * j], pads[2 * j + 1]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(
                f"Argument #{4 + 2 * j}: Padding size should be less than the corresponding "
                f"input dimension, but got: padding ({before}, {after}) at dimension "
                f"{len(shape) - 1 - j} of input {_shape_str(shape)}"
            )
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "circular" and size + before + after <= 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        if mode != "circular" and size == 0:
            raise RuntimeError(f"{mode} padding needs a non-empty dimension "
                               f"{len(shape) - 1 - j}; got input of size {_shape_str(shape)}")
    cls = CircularPad if mode == "circular" else _INDEX_PADS[(mode, dims)]
    return cls.apply(input, pad=pads, mode=mode)


# ----------------------------------------------------------------------------- 1-d ops
# A 1-d convolution or pooling is the 2-d one on a unit height: (N, C, L) is (N, C, 1, L).
class Convolution1D(Convolution):
    """out[n,o,x] = b[o] + sum_{c,j} w[o,c,j] x[n,c,s*x+d*j] (Convolution on a unit height);
    dw = grad @ cols.T,  dx = col2im(w.T @ grad),  db = sum(grad over n, x)
    """

    grad_fn_name = "ConvolutionBackward0"  # torch's one node for every convolution

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                stride: tuple[int, int], padding: tuple[int, int, int, int],
                dilation: tuple[int, int], groups: int) -> np.ndarray:
        out = Convolution.forward(ctx, x[:, :, None], weight[:, :, None], bias, stride,
                                  padding, dilation, groups)
        return out[:, :, 0]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        dx, dw, db = Convolution.backward(ctx, grad[:, :, None])
        return (None if dx is None else dx[:, :, 0], None if dw is None else dw[:, :, 0], db)


def _conv_single(value: Any, name: str) -> int:
    """conv1d's ``stride``/``padding``/``dilation`` as one int, with torch's error."""
    if isinstance(value, (_int, np.integer)) and not isinstance(value, _bool):
        return _int(value)
    if isinstance(value, Sequence) and all(isinstance(v, (_int, np.integer)) for v in value):
        if len(value) == 1:
            return _int(value[0])
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of 1 values to match the "
            f"convolution dimensions, but got {name}={list(value)}"
        )
    raise TypeError(f"conv1d(): argument '{name}' must be tuple of ints, not "
                    f"{type(value).__name__}")


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
           stride: _int | Sequence[_int] = 1, padding: _int | Sequence[_int] | str = 0,
           dilation: _int | Sequence[_int] = 1, groups: _int = 1) -> Tensor:
    """1-D cross-correlation of ``input`` (N, C, L) or (C, L) with ``weight`` (C_out, C/g, k).

    Args:
        input: ``(N, C_in, L)``, or ``(C_in, L)`` for one unbatched sequence.
        weight: ``(C_out, C_in / groups, k)``.
        bias: ``(C_out,)`` or None.
        stride: step of the kernel.
        padding: zeros added on each side: an int, ``'valid'`` or ``'same'``.
        dilation: spacing between kernel elements.
        groups: split the channels into this many independent convolutions.

    Returns:
        ``(N, C_out, L_out)`` with ``L_out = (L + 2 p - d (k - 1) - 1) // s + 1``.

    Example:
        >>> import glasstorch as torch
        >>> torch.conv1d(torch.arange(5.0).reshape(1, 1, 5), torch.ones(1, 1, 2))
        tensor([[[1., 3., 5., 7.]]])
    """
    if input.ndim not in (2, 3):
        raise RuntimeError(
            "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: "
            f"{_shape_str(input.shape)}"
        )
    s = _conv_single(stride, "stride")
    d = _conv_single(dilation, "dilation")
    if weight.ndim != 3:
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {weight.ndim - 2} "
            f"values to match the convolution dimensions, but got stride=[{s}]. "
            "conv1d's weight must be 3-D: (out_channels, in_channels / groups, k); "
            f"this one has shape {tuple(weight.shape)}"
        )
    if s <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if d <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got [{d}]")
    if isinstance(groups, _bool) or not isinstance(groups, (_int, np.integer)):
        raise TypeError(f"conv1d(): argument 'groups' must be int, not {type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    k = weight.shape[2]
    if isinstance(padding, str):
        if padding == "valid":
            left = right = 0
        elif padding == "same":
            if s != 1:
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = d * (k - 1)
            left, right = total // 2, total - total // 2
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        left = right = _conv_single(padding, "padding")
        if left < 0:
            raise RuntimeError("negative padding is not supported")
    batched = input.ndim == 3
    shape = tuple(input.shape) if batched else (1, *input.shape)
    _check_channels(shape, weight, bias, groups, "")
    if shape[2] + left + right < d * (k - 1) + 1:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({shape[2] + left + right}). "
            f"Kernel size: ({d * (k - 1) + 1}). Kernel size can't be greater than actual "
            "input size"
        )
    if input._data.dtype == np.float32 and weight._data.dtype == np.float64:
        # torch's 1-d float path checks this pair before the generic dtype check
        raise RuntimeError(
            "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the "
            "same or input should be a MKLDNN tensor and weight is a dense tensor. Convert "
            "one of them, e.g. weight.to(torch.float32)"
        )
    _check_dtypes(input, weight, bias)
    x = input if batched else input.unsqueeze(0)
    out: Tensor = Convolution1D.apply(x, weight, bias, stride=(1, s), padding=(0, 0, left, right),
                                      dilation=(1, d), groups=_int(groups))
    return out if batched else out.squeeze(0)


def _check_channels(shape: tuple[int, ...], weight: Tensor, bias: Tensor | None, groups: int,
                    transposed: str) -> None:
    """torch's errors for weight/input/bias channel counts (``transposed``: "transposed=1, ")."""
    w = weight.shape
    if transposed:  # weight (C_in, C_out / groups, ...): the input's channels are dim 0
        if w[0] == 0 or w[0] % groups:
            raise RuntimeError(
                f"Given groups={groups}, expected weight to be divisible by {groups} at "
                f"dimension 0, but got weight of size [{_shape_str(w)}] instead"
            )
        in_channels, out_channels = w[0], w[1] * groups
    else:
        if w[0] == 0 or w[0] % groups:
            what = "at least 1" if w[0] == 0 else f"divisible by {groups}"
            raise RuntimeError(
                f"Given groups={groups}, expected weight to be {what} at dimension 0, but got "
                f"weight of size [{_shape_str(w)}] instead"
            )
        in_channels, out_channels = w[1] * groups, w[0]
    if shape[1] != in_channels:
        given = transposed.rstrip(", ") if transposed else f"groups={groups}"
        raise RuntimeError(
            f"Given {given}, weight of size {_shape_str(w)}, expected "
            f"input{_shape_str(shape)} to have {in_channels} channels, but got "
            f"{shape[1]} channels instead"
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_channels):
        raise RuntimeError(
            f"Given {transposed}weight of size {_shape_str(w)}, expected bias to be "
            f"1-dimensional with {out_channels} elements, but got bias of size "
            f"{_shape_str(bias.shape)} instead"
        )


def _pool_single(value: Any, what: str, function: str) -> _int:
    """A 1-d pooling argument (an int or a 1-tuple) as an int."""
    if isinstance(value, (_int, np.integer)) and not isinstance(value, _bool):
        return _int(value)
    if isinstance(value, Sequence) and len(value) == 1 and \
            isinstance(value[0], (_int, np.integer)):
        return _int(value[0])
    size = len(value) if isinstance(value, Sequence) else 0
    if function == "max_pool1d":
        raise RuntimeError(f"max_pool1d() {what} must be an int, list of ints or tuple of ints "
                           f"of size 1 but got size {size}")
    raise RuntimeError(f"{function}() argument '{what}' should contain one int (got {size})")


def _max_pool1d_args(input: Tensor, kernel_size: Any, stride: Any, padding: Any,
                     dilation: Any, ceil_mode: bool) -> tuple[_int, _int, _int, _int]:
    """ATen's max_pool1d checks, with its messages; returns kernel, stride, padding, dilation."""
    if input.ndim not in (2, 3) or 0 in input.shape[1:]:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{_shape_str(input.shape)}")
    k = _pool_single(kernel_size, "kernel_size", "max_pool1d")
    no_stride = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    s = k if no_stride else _pool_single(stride, "stride", "max_pool1d")
    p = _pool_single(padding, "padding", "max_pool1d")
    d = _pool_single(dilation, "dilation", "max_pool1d")
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError("max_pool1d() padding should be at most half of kernel size, but "
                           f"got padding={p} and kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = _pool_out_size(input.shape[-1], k, p, s, d, ceil_mode)
    if out < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")
    return k, s, p, d


def max_pool1d(input: Tensor, kernel_size: _int | Sequence[_int],
               stride: _int | Sequence[_int] | None = (), padding: _int | Sequence[_int] = 0,
               dilation: _int | Sequence[_int] = 1, ceil_mode: _bool = False) -> Tensor:
    """The largest value in each ``kernel_size`` window of ``input`` (N, C, L) or (C, L).

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size: window size.
        stride: window step (default: ``kernel_size``).
        padding: ``-inf`` added on each side, at most half the kernel.
        dilation: spacing between window elements.
        ceil_mode: round the output size up instead of down.

    Example:
        >>> import glasstorch as torch
        >>> torch.max_pool1d(torch.tensor([[[1.0, 3.0, 2.0, 0.0, 5.0]]]), 2)
        tensor([[[3., 2.]]])
    """
    k, s, p, d = _max_pool1d_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    if input._data.dtype.kind != "f":  # torch's kernel without indices is float-only
        raise NotImplementedError(
            f"\"max_pool1d_impl\" not implemented for '{dtype_name(input._data)}'"
        )
    out: Tensor = MaxPool2DWithIndices.apply(
        input.unsqueeze(-2), kernel=(1, k), stride=(1, s), padding=(0, p), dilation=(1, d),
        ceil_mode=_bool(ceil_mode), return_indices=False)
    return out.squeeze(-2)


def max_pool1d_with_indices(input: Tensor, kernel_size: _int | Sequence[_int],
                            stride: _int | Sequence[_int] | None = None,
                            padding: _int | Sequence[_int] = 0,
                            dilation: _int | Sequence[_int] = 1, ceil_mode: _bool = False,
                            return_indices: _bool = True) -> tuple[Tensor, Tensor]:
    """``max_pool1d`` that also returns where each maximum was (int64 positions).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.max_pool1d_with_indices(torch.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
        (tensor([[[3., 2.]]]), tensor([[[1, 2]]]))
    """
    k, s, p, d = _max_pool1d_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    out, indices = MaxPool2DWithIndices.apply(
        input.unsqueeze(-2), kernel=(1, k), stride=(1, s), padding=(0, p), dilation=(1, d),
        ceil_mode=_bool(ceil_mode), return_indices=True)
    return out.squeeze(-2), indices.squeeze(-2)


def _check_1d_input(input: Tensor, function: str) -> None:
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor "
                           f"for argument #1 'self' (while checking arguments for {function})")


def avg_pool1d(input: Tensor, kernel_size: _int | Sequence[_int],
               stride: _int | Sequence[_int] | None = (), padding: _int | Sequence[_int] = 0,
               ceil_mode: _bool = False, count_include_pad: _bool = True) -> Tensor:
    """The mean of each ``kernel_size`` window of ``input`` (N, C, L) or (C, L).

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size: window size.
        stride: window step (default: ``kernel_size``).
        padding: zeros added on each side, at most half the kernel.
        ceil_mode: round the output size up instead of down.
        count_include_pad: count the padding zeros in each window's divisor.

    Example:
        >>> import glasstorch as torch
        >>> torch.avg_pool1d(torch.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
        tensor([[[2., 1.]]])
    """
    _check_1d_input(input, "avg_pool1d")
    k = _pool_single(kernel_size, "kernel_size", "avg_pool1d")
    no_stride = stride is None or (isinstance(stride, Sequence) and len(stride) == 0)
    s = k if no_stride else _pool_single(stride, "stride", "avg_pool1d")
    p = _pool_single(padding, "padding", "avg_pool1d")
    out: Tensor = avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode,
                             count_include_pad)
    return out.squeeze(-2)


def adaptive_avg_pool1d(input: Tensor, output_size: _int | Sequence[_int]) -> Tensor:
    """Average pooling of ``input`` (N, C, L) or (C, L) to a fixed length ``output_size``.

    Window i covers ``floor(i L / O)`` to ``ceil((i + 1) L / O)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.adaptive_avg_pool1d(torch.tensor([[[1.0, 3.0, 2.0, 0.0, 5.0]]]), 2)
        tensor([[[2.0000, 2.3333]]])
    """
    _check_1d_input(input, "adaptive_avg_pool1d")
    size = _pool_single(output_size, "output_size", "adaptive_avg_pool1d")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)


# ----------------------------------------------------------------------------- adaptive max
class AdaptiveMaxPool2D(Function):
    """out[n,c,i,j] = max of x over rows floor(iH/OH)..ceil((i+1)H/OH) and the same for columns;
    dx = grad routed to the first maximum of each window
    """

    non_differentiable = (1,)  # the indices

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, output_size: tuple[int, int]) -> Any:
        h, w = x.shape[-2], x.shape[-1]
        rows = _adaptive_windows(h, output_size[0])
        cols = _adaptive_windows(w, output_size[1])
        # one step per position inside the (largest) window; smaller windows repeat their
        # last element, which changes neither the maximum nor where the first one is
        steps = [(r, c) for r in rows.T for c in cols.T]
        r, c = steps[0]
        best = x[..., r, :][..., c]
        index = np.broadcast_to(r[:, None] * w + c, best.shape).copy()
        for r, c in steps[1:]:
            value = x[..., r, :][..., c]
            take = value > best  # torch: (val > maxval) || isnan(val)
            if x.dtype.kind == "f":
                take |= np.isnan(value)
            np.copyto(best, value, where=take)
            np.copyto(index, np.broadcast_to(r[:, None] * w + c, best.shape), where=take)
        ctx.geometry = (x.shape, index)
        return best, index

    @staticmethod
    def backward(ctx: Any, grad: Any) -> np.ndarray:
        if type(grad) is list:  # (out, indices): only out has a gradient
            grad = grad[0]
        shape, index = ctx.geometry
        plane = shape[-2] * shape[-1]
        lead = builtins.max(_int(np.prod(shape[:-2])), 1)
        flat = index.reshape(lead, -1) + (np.arange(lead) * plane)[:, None]
        dx = np.bincount(flat.ravel(), weights=grad.ravel(), minlength=lead * plane)
        return dx.astype(grad.dtype).reshape(shape)


def _adaptive_windows(size: int, out: int) -> np.ndarray:
    """``(out, k)``: the input positions of each adaptive window (the last one repeated)."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    k = _int((end - start).max()) if out else 1
    return np.minimum(start[:, None] + np.arange(k), end[:, None] - 1)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: _bool = True) -> tuple[Tensor, Tensor]:
    """``adaptive_max_pool2d`` that also returns where each maximum was (``h * W + w``).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.adaptive_max_pool2d_with_indices(torch.tensor([[[1.0, 4.0], [3.0, 2.0]]]), 1)
        (tensor([[[4.]]]), tensor([[[1]]]))
    """
    if isinstance(output_size, (_int, np.integer)):
        sizes: list[Any] = [output_size, output_size]
    else:
        sizes = list(output_size)
        if input.ndim <= len(sizes):  # torch's _list_with_default
            raise ValueError(f"Input dimension should be at least {len(sizes) + 1}")
        sizes = [input.shape[i - len(sizes)] if s is None else s for i, s in enumerate(sizes)]
    if input.ndim not in (3, 4) or 0 in input.shape[-3:]:
        raise RuntimeError("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: "
                           f"{_shape_str(input.shape)}")
    if len(sizes) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    sizes = [_int(s) for s in sizes]
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"adaptive_max_pool2d\" not implemented for '{dtype_name(input._data)}'"
        )
    if min(sizes) < 0:
        shape = [*input.shape[:-2], *sizes]
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: "
                           f"{_shape_str(shape)}")
    out: tuple[Tensor, Tensor] = AdaptiveMaxPool2D.apply(input, output_size=(sizes[0], sizes[1]))
    return out


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: _bool = False) -> Any:
    """Max pooling of ``input`` (N, C, H, W) or (C, H, W) to a fixed ``output_size``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        output_size: ``(OH, OW)`` or one int for both; ``None`` keeps that dim's size.
        return_indices: also return where each maximum was (``h * W + w``).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.adaptive_max_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), (1, 2))
        tensor([[[[13., 15.]]]])
    """
    out, indices = adaptive_max_pool2d_with_indices(input, output_size)
    return (out, indices) if return_indices else out


# ----------------------------------------------------------------------------- transposed
class ConvolutionTranspose(Function):
    """out = col2im(w.T @ x) cropped by the padding, + b  (the gradient of a convolution);
    dx = w @ im2col(grad),  dw = x @ im2col(grad).T,  db = sum(grad over n, y, x)
    """

    grad_fn_name = "ConvolutionBackward0"  # torch's one node for every convolution

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                stride: tuple[int, int], padding: tuple[int, int],
                output_padding: tuple[int, int], dilation: tuple[int, int],
                groups: int) -> np.ndarray:
        n, cin, h, w = x.shape
        _, og, kh, kw = weight.shape
        (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
        full = ((h - 1) * sh + dh * (kh - 1) + 1, (w - 1) * sw + dw * (kw - 1) + 1)
        oh = full[0] - 2 * ph + output_padding[0]
        ow = full[1] - 2 * pw + output_padding[1]
        # the buffer every kernel position writes into, tall enough for the output's rows too
        buffer = (builtins.max(full[0], ph + oh), builtins.max(full[1], pw + ow))
        x2 = x.transpose(1, 2, 3, 0).reshape(groups, cin // groups, h * w * n)
        w2 = weight.reshape(groups, cin // groups, og * kh * kw)
        cols = np.matmul(w2.transpose(0, 2, 1), x2).reshape(groups * og, kh, kw, h, w, n)
        order = CHWN if n > w else NCHW
        outp = _empty((n, groups * og, *buffer), order, cols.dtype, 0)
        # col2im: each kernel position adds its block where it lands (never a pixel loop)
        for k, where in enumerate(_kernel_slices((kh, kw), (h, w), stride, dilation)):
            outp[where] += cols[:, k // kw, k % kw].transpose(3, 0, 1, 2)
        out = outp[:, :, ph:ph + oh, pw:pw + ow]
        if bias is not None:
            out = out + bias.reshape(-1, 1, 1)
        ctx.save_for_backward(x, weight)
        ctx.geometry = (buffer, (ph, pw), stride, dilation, groups)
        return np.ascontiguousarray(out)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight = ctx.saved_tensors
        buffer, (ph, pw), stride, dilation, groups = ctx.geometry
        n, cin, h, w = x.shape
        _, og, kh, kw = weight.shape
        oh, ow = grad.shape[2], grad.shape[3]
        order = CHWN if n > w else NCHW
        gp = _padded(grad, (ph, buffer[0] - ph - oh, pw, buffer[1] - pw - ow), 0, order)
        # im2col of grad: cols[g, (o, i, j), (y, x, n)] = grad at where x[n, :, y, x] landed
        cols = _windows(gp, (kh, kw), (h, w), stride, dilation).transpose(1, 2, 3, 4, 5, 0)
        cols = cols.reshape(groups, og * kh * kw, h * w * n)
        dx = dw = db = None
        if ctx.needs_input_grad[0]:
            w2 = weight.reshape(groups, cin // groups, og * kh * kw)
            dx2 = np.matmul(w2, cols).reshape(cin, h, w, n)
            dx = np.ascontiguousarray(dx2.transpose(3, 0, 1, 2))
        if ctx.needs_input_grad[1]:
            x2 = x.transpose(1, 2, 3, 0).reshape(groups, cin // groups, h * w * n)
            dw = np.matmul(x2, cols.transpose(0, 2, 1)).reshape(weight.shape)
        if ctx.needs_input_grad[2]:
            db = grad.sum(axis=(0, 2, 3))
        return dx, dw, db


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: IntPair = 1, padding: IntPair = 0, output_padding: IntPair = 0,
                     groups: _int = 1, dilation: IntPair = 1) -> Tensor:
    """2-D transposed convolution ("deconvolution"): the gradient of ``conv2d`` as a layer.

    Every input pixel adds ``weight`` times itself onto a ``kH x kW`` patch of the output,
    the patches ``stride`` apart; ``padding`` crops the result, ``output_padding`` adds
    rows/columns at the bottom/right.

    Args:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        weight: ``(C_in, C_out / groups, kH, kW)``.
        bias: ``(C_out,)`` or None.
        stride: step between the patches.
        padding: ``dilation * (k - 1) - padding`` zeros of implicit padding (it crops).
        output_padding: extra size on one side of the output (smaller than the stride or
            the dilation).
        groups: independent channel groups.
        dilation: spacing between kernel elements.

    Returns:
        ``(N, C_out, H_out, W_out)``, ``H_out = (H - 1) sH - 2 pH + dH (kH - 1) + opH + 1``.

    Example:
        >>> import glasstorch as torch
        >>> torch.conv_transpose2d(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2))
        tensor([[[[1., 2., 1.],
                  [2., 4., 2.],
                  [1., 2., 1.]]]])
    """
    if input.ndim not in (3, 4):
        raise RuntimeError(
            "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input "
            f"of size: {_shape_str(input.shape)}"
        )
    strides = _conv_pair(stride, "stride")
    pads = _conv_pair(padding, "padding")
    out_pads = _conv_pair(output_padding, "output_padding")
    dilations = _conv_pair(dilation, "dilation")
    if weight.ndim != 4:
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {weight.ndim - 2} "
            f"values to match the convolution dimensions, but got stride={list(strides)}. "
            "conv_transpose2d's weight must be 4-D: (in_channels, out_channels / groups, "
            f"kH, kW); this one has shape {tuple(weight.shape)}"
        )
    if min(strides) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(dilations) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilations)}")
    if min(pads) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(out_pads) < 0:
        raise RuntimeError("negative output_padding is not supported")
    if isinstance(groups, _bool) or not isinstance(groups, (_int, np.integer)):
        raise TypeError("conv_transpose2d(): argument 'groups' must be int, not "
                        f"{type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if any(op >= s and op >= d for op, s, d in zip(out_pads, strides, dilations, strict=True)):
        raise RuntimeError(
            "output padding must be smaller than either stride or dilation, but got "
            f"output_padding_height: {out_pads[0]} output_padding_width: {out_pads[1]} "
            f"stride_height: {strides[0]} stride_width: {strides[1]} dilation_height: "
            f"{dilations[0]} dilation_width: {dilations[1]}"
        )
    batched = input.ndim == 4
    shape = tuple(input.shape) if batched else (1, *input.shape)
    _check_channels(shape, weight, bias, _int(groups), "transposed=1, ")
    kh, kw = weight.shape[2], weight.shape[3]
    oh = (shape[2] - 1) * strides[0] - 2 * pads[0] + dilations[0] * (kh - 1) + out_pads[0] + 1
    ow = (shape[3] - 1) * strides[1] - 2 * pads[1] + dilations[1] * (kw - 1) + out_pads[1] + 1
    if oh < 1 or ow < 1:
        raise RuntimeError(
            f"Given input size per channel: ({shape[2]} x {shape[3]}). Calculated output size "
            f"per channel: ({oh} x {ow}). Output size is too small"
        )
    _check_dtypes(input, weight, bias)
    x = input if batched else input.unsqueeze(0)
    out: Tensor = ConvolutionTranspose.apply(x, weight, bias, stride=strides, padding=pads,
                                             output_padding=out_pads, dilation=dilations,
                                             groups=_int(groups))
    return out if batched else out.squeeze(0)


# ----------------------------------------------------------------------------- interpolate
# Resizing is separable: each spatial dim is resampled on its own, the last one first (the
# order of ATen's bilinear kernel). A dim's plan lists, per output position, the input
# positions it reads and their weights; forward gathers, backward multiplies by the plan as
# a dense (out, in) matrix, which sums every read back onto its source.
Plan = tuple[np.ndarray, ...]  # (index,) for nearest; (index0, index1, lambda0, lambda1)


class _Resample(Function):
    """out = x gathered (and blended) along each spatial dim;  dx = grad @ the plan's matrix"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, plans: tuple[Plan, ...]) -> np.ndarray:
        out = x
        for axis in range(x.ndim - 1, x.ndim - 1 - len(plans), -1):
            plan = plans[axis - x.ndim]
            if len(plan) == 1:
                out = np.take(out, plan[0], axis=axis)
            else:
                index0, index1, lambda0, lambda1 = plan
                shape = (-1,) + (1,) * (x.ndim - 1 - axis)
                out = (np.take(out, index0, axis=axis) * lambda0.reshape(shape)
                       + np.take(out, index1, axis=axis) * lambda1.reshape(shape))
        ctx.geometry = (x.shape, plans)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        shape, plans = ctx.geometry
        dx = grad
        for axis in range(len(shape) - len(plans), len(shape)):
            plan = plans[axis - len(shape)]
            matrix = np.zeros((len(plan[0]), shape[axis]), dtype=grad.dtype)
            rows = np.arange(len(plan[0]))
            if len(plan) == 1:
                matrix[rows, plan[0]] = 1
            else:  # index1 may equal index0 at the edge: add, do not overwrite
                matrix[rows, plan[0]] += plan[2]
                matrix[rows, plan[1]] += plan[3]
            dx = np.moveaxis(np.matmul(np.moveaxis(dx, axis, -1), matrix), -1, axis)
        return np.ascontiguousarray(dx)


class UpsampleNearest1D(_Resample):
    """out[..., i] = x[..., min(floor(i * scale), L - 1)];  dx = grad summed onto its sources"""


class UpsampleNearest2D(_Resample):
    """out[..., i, j] = x[..., src(i), src(j)] (nearest);  dx = grad summed onto its sources"""


class UpsampleLinear1D(_Resample):
    """out[..., i] = l0 x[..., i0] + l1 x[..., i1];  dx = grad shared back with l0, l1"""


class UpsampleBilinear2D(_Resample):
    """out = the linear blend along W, then along H;  dx = Mh.T @ grad @ Mw"""


def _compute_scale(size: int, out: int, scale: float | None, dtype: Any) -> Any:
    """ATen's compute_scales_value: 1 / scale_factor when one was given, else in / out."""
    if scale is not None and scale > 0:
        return dtype.type(1.0 / scale)
    return dtype.type(size) / dtype.type(out)


def _nearest_plan(size: int, out: int, scale: float | None) -> Plan:
    """ATen's nearest_idx for each output position."""
    i = np.arange(out)
    if out == size:
        return (i,)
    if out == 2 * size:
        return (i >> 1,)
    step = _compute_scale(size, out, scale, np.dtype(np.float32))  # float, whatever the dtype
    return (np.minimum(np.floor(i.astype(np.float32) * step).astype(np.int64), size - 1),)


def _linear_plan(size: int, out: int, scale: float | None, align_corners: _bool,
                 dtype: np.dtype) -> Plan:
    """ATen's area_pixel_compute_source_index and guard_index_and_lambda, in ``dtype``."""
    i = np.arange(out).astype(dtype)
    if align_corners:
        step = dtype.type(size - 1) / dtype.type(out - 1) if out > 1 else dtype.type(0)
        src = step * i
    else:
        step = _compute_scale(size, out, scale, dtype)
        src = np.maximum(step * (i + dtype.type(0.5)) - dtype.type(0.5), dtype.type(0))
    index0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    lambda1 = np.clip(src - index0.astype(dtype), 0, 1).astype(dtype)
    index1 = index0 + (index0 < size - 1)
    return (index0, index1, (dtype.type(1) - lambda1).astype(dtype), lambda1)


_RESAMPLERS: dict[tuple[str, int], type[_Resample]] = {
    ("nearest", 3): UpsampleNearest1D, ("nearest", 4): UpsampleNearest2D,
    ("linear", 3): UpsampleLinear1D, ("bilinear", 4): UpsampleBilinear2D,
}
_LINEAR_MODES = {"linear": 3, "bilinear": 4, "trilinear": 5}


def _is_integer(x: Any) -> _bool:
    return isinstance(x, (_int, np.integer)) and not isinstance(x, _bool) or \
        (isinstance(x, Tensor) and x.ndim == 0 and x._data.dtype.kind in "iu")


def interpolate(input: Tensor, size: _int | Sequence[_int] | None = None,
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: _bool | None = None, recompute_scale_factor: _bool | None = None,
                antialias: _bool = False) -> Tensor:
    """Resize ``input`` (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor``.

    Args:
        input: ``(N, C, L)`` for ``'nearest'``/``'linear'``, ``(N, C, H, W)`` for
            ``'nearest'``/``'bilinear'`` (and ``'area'``, adaptive average pooling).
        size: the output's spatial size (an int for every dim, or one per dim).
        scale_factor: multiplier for the spatial size (the output size is rounded down).
        mode: ``'nearest'``, ``'linear'``, ``'bilinear'`` or ``'area'``.
        align_corners: for the linear modes: map the corner pixels' centres onto each other
            (default False: the pixel areas' edges are aligned).
        recompute_scale_factor: compute the scale from the rounded output size instead of
            using ``scale_factor`` itself.
        antialias: not supported (raises) -- torch uses it for downsampling 'bilinear'.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.interpolate(torch.tensor([[[1.0, 2.0]]]), scale_factor=2, mode='linear')
        tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.ndim - 2
    scale_factors: list[Any] | None
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size "
                    f"of {size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                    "and output size in (o1, o2, ...,oK) format."
                )
            sizes = list(size)
        else:
            sizes = [size] * dim
        if not all(_is_integer(s) for s in sizes):
            raise TypeError(
                "expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                f"Tuple[int, int, int], but got size with types {[type(s) for s in sizes]}"
            )
        output_size: list[_int] | None = [_int(s) for s in sizes]
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, "
                    f"but got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. Please provide input tensor in "
                    "(N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format."
                )
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim  # type: ignore[arg-type]  # a number here
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        assert scale_factors is not None  # noqa: S101  (size is None here, see above)
        output_size = [_int(input.shape[i + 2] * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    known = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "lanczos", "area",
             "nearest-exact")
    if input.ndim not in (3, 4, 5) or mode not in known:
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
            "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})"
        )
    if mode in _LINEAR_MODES and input.ndim != _LINEAR_MODES[mode]:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs "
                                  f"{_LINEAR_MODES[mode]}D input")
    if mode == "area" and input.ndim in (3, 4):
        assert output_size is not None  # noqa: S101  (set above for 'area')
        if input.ndim == 3:
            return adaptive_avg_pool1d(input, output_size)
        return adaptive_avg_pool2d(input, output_size)
    cls = _RESAMPLERS.get((mode, input.ndim))
    if cls is None or antialias:
        what = "antialias=True" if antialias else f"mode='{mode}' on {input.ndim}-D input"
        raise NotImplementedError(
            f"interpolate({what}) is not supported by glasstorch; supported: 'nearest' and "
            "'area' (3-D or 4-D input), 'linear' (3-D), 'bilinear' (4-D), antialias=False"
        )
    in_sizes = tuple(input.shape[2:])
    if output_size is None:
        assert scale_factors is not None  # noqa: S101  (exactly one of them is set)
        output_size = [_int(np.floor(s * f)) for s, f in zip(in_sizes, scale_factors, strict=True)]
    if min(in_sizes) <= 0 or min(output_size) <= 0:
        names = ("H", "W")[-dim:]
        ins = ", ".join(f"{n}: {s}" for n, s in zip(names, in_sizes, strict=True))
        outs = ", ".join(f"{n}: {s}" for n, s in zip(names, output_size, strict=True))
        joint = " and" if dim == 1 else ""  # torch's 2-d text has no "and"
        raise RuntimeError("Input and output sizes should be greater than 0, but got input "
                           f"({ins}){joint} output ({outs})")
    scales = scale_factors or [None] * dim
    kind = input._data.dtype.kind
    if kind != "f" and not (mode == "nearest" and input._data.dtype == np.uint8):
        kernel = {("nearest", 3): "compute_indices_weights_nearest",
                  ("nearest", 4): "upsample_nearest2d_channels_last",
                  ("linear", 3): "compute_indices_weights_linear",
                  ("bilinear", 4): "upsample_bilinear2d_channels_last"}[(mode, input.ndim)]
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype_name(input._data)}'")
    if mode == "nearest":
        plans = tuple(_nearest_plan(s, o, f)
                      for s, o, f in zip(in_sizes, output_size, scales, strict=True))
    else:
        plans = tuple(_linear_plan(s, o, f, _bool(align_corners), input._data.dtype)
                      for s, o, f in zip(in_sizes, output_size, scales, strict=True))
    out: Tensor = cls.apply(input, plans=plans)
    return out
