"""Normalization ops: batch_norm, layer_norm and group_norm, each one fused node.

Also ``instance_norm`` (batch_norm on an ``(1, N*C, *)`` view, as ATen composes it) and
``pixel_shuffle`` / ``pixel_unshuffle`` (one node each, as in torch).

Each op is one graph node (``NativeBatchNormBackward0``, ``NativeLayerNormBackward0`` as in
torch) instead of a chain of ``mean -> sub -> pow -> ...``: one pass of closed-form
gradient formulas instead of many nodes, and the order of operations of ATen's CPU kernels
(``batch_norm_kernel.cpp``, ``layer_norm_kernel.cpp``), so float32 results agree with
PyTorch's to within an ulp or two. Statistics are accumulated in float64 (ATen's CPU
accumulation type for float32), the per-element arithmetic stays in the input's dtype.
The argument checks users see are in ``glasstorch.nn.functional`` and in the public
``batch_norm`` / ``layer_norm`` below.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm", "pixel_shuffle",
           "pixel_unshuffle"]

_sum = np.add.reduce
_f64 = np.float64


def _fma(a: np.ndarray, b: np.ndarray, c: np.ndarray | None) -> np.ndarray:
    """``a * b + c`` rounded once, as the fused multiply-add of torch's CPU kernels.

    PyTorch's x86 build contracts ``a * b + c`` in these kernels into one FMA instruction.
    For float32 a float64 product is exact, so computing in float64 and rounding once to
    float32 reproduces the FMA (up to a practically never-seen double rounding); float64
    keeps the two roundings of plain arithmetic (within an ulp of torch).
    """
    if a.dtype == np.float32:
        out = a.astype(_f64) * b
        if c is not None:
            out += c
        return out.astype(np.float32)
    return a * b if c is None else a * b + c


def _channel_view(x: np.ndarray) -> np.ndarray:
    """``x`` of shape ``(N, C, *)`` as ``(N, C, L)``: reduce over axes 0 and 2."""
    return x.reshape(x.shape[0], x.shape[1], -1)


class NativeBatchNorm(Function):
    """out = (x - mean) / sqrt(var + eps) * w + b  (mean, biased var over all dims but 1);
    dx = w invstd (grad - mean(grad) - xhat mean(grad xhat)),  dw = sum(grad xhat),
    db = sum(grad)  (eval mode: running stats are constants, dx = grad w invstd)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None,
                running_mean: Tensor | None = None, running_var: Tensor | None = None,
                training: bool = False, momentum: float = 0.1,
                eps: float = 1e-5) -> np.ndarray:
        dt = x.dtype.type
        x3 = _channel_view(x)
        n = x3.shape[0] * x3.shape[2]
        if training:
            # ATen: sum in double, mean rounded to the dtype, (x - mean)**2 in the dtype
            # summed in double, var_sum rounded to the dtype.
            mean = (_sum(x3, axis=(0, 2), dtype=_f64) / n).astype(x.dtype)
            centered = x3 - mean[:, None]
            var_sum = _sum(centered * centered, axis=(0, 2), dtype=_f64).astype(x.dtype)
            with np.errstate(divide="ignore", invalid="ignore"):  # n = 0: nan, as torch
                invstd = (1.0 / np.sqrt((var_sum / dt(n)).astype(_f64) + eps)).astype(x.dtype)
            _update_running_stats(running_mean, running_var, mean, var_sum, n, momentum)
        else:
            assert running_mean is not None and running_var is not None
            mean = running_mean._data.copy()  # saved: later updates must not change it
            invstd = dt(1) / np.sqrt(running_var._data + dt(eps))
        # out = x * alpha + beta per channel, with ATen's alpha and beta (both fused
        # multiply-adds in torch's build, see _fma)
        alpha = invstd if weight is None else invstd * weight
        beta = _fma(-mean, alpha, bias)
        out = _fma(x3, alpha[:, None], beta[:, None])
        ctx.save_for_backward(x, weight, mean, invstd)
        ctx.training = training
        if not training:
            ctx.eval_var = running_var._data.copy()  # type: ignore[union-attr]
            ctx.eps = eps
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight, mean, invstd = ctx.saved_tensors
        dt = x.dtype.type
        x3 = _channel_view(x)
        dy = _channel_view(grad)
        n = x3.shape[0] * x3.shape[2]
        if not ctx.training:  # ATen's backward recomputes invstd with eps in double
            invstd = (1.0 / np.sqrt(ctx.eval_var.astype(_f64) + ctx.eps)).astype(x.dtype)
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        # ATen sums each (n, c) row in the dtype, then the rows in double
        centered = dot_p = None
        if need_w or (need_x and ctx.training):
            centered = x3 - mean[:, None]
            dot_p = _sum(_sum(centered * dy, axis=2), axis=0, dtype=_f64)
        sum_dy = _sum(_sum(dy, axis=2), axis=0, dtype=_f64) if (need_b or need_x) else None
        dx = dw = db = None
        if need_x:
            scale = invstd if weight is None else invstd * weight
            if ctx.training:
                assert dot_p is not None and sum_dy is not None
                k = dot_p.astype(x.dtype) * invstd * invstd / dt(n)
                grad_mean = (sum_dy / n).astype(x.dtype)
                assert centered is not None
                proj = centered * k[:, None]
                dx = ((dy - grad_mean[:, None] - proj) * invstd[:, None])
                if weight is not None:
                    dx = dx * weight[:, None]
            else:
                dx = dy * scale[:, None]
            dx = dx.reshape(x.shape)
        if need_w:
            assert dot_p is not None
            dw = (dot_p * invstd).astype(x.dtype)
        if need_b:
            assert sum_dy is not None
            db = sum_dy.astype(x.dtype)
        return dx, dw, db


def _update_running_stats(running_mean: Tensor | None, running_var: Tensor | None,
                          mean: np.ndarray, var_sum: np.ndarray, n: int,
                          momentum: float) -> None:
    """running = momentum * batch_stat + (1 - momentum) * running, in place, no graph.

    As in torch, the buffers' version counters are not bumped (ATen writes the data).

    The running variance takes the unbiased batch variance ``var_sum / (n - 1)``. The
    arithmetic is the buffers' dtype's, the variance's blend a fused multiply-add, as
    measured against torch 2.13's CPU build (bit for bit in float32).
    """
    dt = mean.dtype.type
    if running_mean is not None:
        data = running_mean._data
        data[...] = dt(momentum) * mean + dt(1 - momentum) * data
    if running_var is not None:
        data = running_var._data
        with np.errstate(divide="ignore", invalid="ignore"):  # n = 1: inf/nan, as torch
            unbiased = var_sum / dt(n - 1)
        data[...] = _fma(np.asarray(unbiased), dt(momentum), dt(1 - momentum) * data)


class NativeLayerNorm(Function):
    """out = (x - mean) / sqrt(var + eps) * w + b  (mean, biased var over the last dims);
    dx = w invstd (grad - mean(grad w) - xhat mean(grad w xhat)) over those dims,
    dw = sum(grad xhat),  db = sum(grad)  (sums over the leading dims)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None,
                n_norm: int = 1, eps: float = 1e-5) -> np.ndarray:
        inner = math.prod(x.shape[x.ndim - n_norm:])
        x2 = x.reshape(-1, inner)
        # mean and variance in double (ATen's Welford moments, here computed exactly),
        # then rstd and the per-row scale/shift rounded to the dtype as ATen does
        mean64 = _sum(x2, axis=1, dtype=_f64) / builtins.max(inner, 1)
        centered = x2.astype(_f64) - mean64[:, None]
        var = _sum(centered * centered, axis=1) / builtins.max(inner, 1)
        mean = mean64.astype(x.dtype)
        dt = x.dtype.type
        rstd = dt(1) / np.sqrt(np.maximum(var.astype(x.dtype), 0) + dt(eps))
        shift = -rstd * mean
        # ATen: (x * rstd + shift) * w + b, each a fused multiply-add (see _fma)
        out = _fma(x2, rstd[:, None], shift[:, None])
        if weight is not None:
            out = _fma(out, weight.reshape(1, inner),
                       None if bias is None else bias.reshape(1, inner))
        elif bias is not None:
            out = out + bias.reshape(1, inner)
        ctx.save_for_backward(x, weight, mean, rstd)
        ctx.inner = inner
        ctx.norm_shape = x.shape[x.ndim - n_norm:]
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight, mean, rstd = ctx.saved_tensors
        inner = ctx.inner
        x2 = x.reshape(-1, inner)
        dy = grad.reshape(-1, inner)
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        dx = dw = db = None
        if need_x:
            dyw = dy if weight is None else dy * weight.reshape(1, inner)
            ds = _sum(dyw * x2, axis=1, dtype=_f64)
            dbs = _sum(dyw, axis=1, dtype=_f64)
            mean64 = mean.astype(_f64)
            rstd64 = rstd.astype(_f64)
            # ATen: dx = a * dy * w + b * x + c, with per-row a, b, c
            b = (dbs * mean64 - ds) * rstd64 ** 3 / inner
            c = -b * mean64 - dbs * rstd64 / inner
            dx = (dyw * rstd[:, None] + b.astype(x.dtype)[:, None] * x2
                  + c.astype(x.dtype)[:, None]).reshape(x.shape)
        if need_w:
            xhat = (x2 - mean[:, None]) * rstd[:, None]
            dw = _sum(dy * xhat, axis=0, dtype=_f64).astype(x.dtype).reshape(ctx.norm_shape)
        if need_b:
            db = _sum(dy, axis=0, dtype=_f64).astype(x.dtype).reshape(ctx.norm_shape)
        return dx, dw, db


# ----------------------------------------------------------------------------- checks
def _check_same_dtype(input: Tensor, *others: Tensor | None) -> None:
    for t in others:
        if t is not None and t._data.dtype != input._data.dtype:
            raise RuntimeError(
                "mixed dtype (CPU): all inputs must share same datatype. Convert them to "
                f"one dtype first, e.g. input.to({_torch_dtype(t)}) or module.to(input.dtype)."
            )


def _torch_dtype(t: Tensor) -> str:
    return f"torch.{t._data.dtype}"


def _check_numel(name: str, t: Tensor | None, expected: int) -> None:
    if t is not None and t._data.size != expected:
        raise RuntimeError(f"{name} should contain {expected} elements not {t._data.size}")


def _batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,
                       running_mean: Tensor | None, running_var: Tensor | None,
                       training: builtins.bool, momentum: builtins.float,
                       eps: builtins.float) -> Tensor:
    """``torch.batch_norm`` after torch's checks (``F.batch_norm`` checks the batch size)."""
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{dtype_name(input._data)}'")
    if input._data.ndim < 2:
        raise IndexError(
            "Dimension out of range (expected to be in range of [-1, 0], but got 1): batch "
            "norm needs input of shape (N, C) or (N, C, ...)"
        )
    channels = input._data.shape[1]
    if input._data.size == 0:
        # torch: no statistics of nothing; the (empty) input, scaled and shifted
        out = input.clone()
        if weight is not None:
            out = out * weight[0]
        if bias is not None:
            out = out + bias[0]
        return out
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is None and not training:
            raise RuntimeError(
                f"{name} must be defined in evaluation mode: pass the running statistics, "
                "or training=True to normalise with the batch's own statistics"
            )
        _check_numel(name, t, channels)
    _check_numel("weight", weight, channels)
    _check_numel("bias", bias, channels)
    _check_same_dtype(input, weight, bias, running_mean, running_var)
    return NativeBatchNorm.apply(input, weight, bias, running_mean=running_mean,
                                 running_var=running_var, training=builtins.bool(training),
                                 momentum=builtins.float(momentum), eps=builtins.float(eps))


def batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,
               running_mean: Tensor | None, running_var: Tensor | None,
               training: builtins.bool, momentum: builtins.float, eps: builtins.float,
               cudnn_enabled: builtins.bool) -> Tensor:
    """Batch normalisation over dim 1 of an ``(N, C, *)`` input, as one node.

    Training mode normalises with the batch's mean and biased variance and updates the
    running statistics in place (``running = (1 - momentum) * running + momentum * stat``,
    the variance unbiased); evaluation mode uses the running statistics.
    ``cudnn_enabled`` only matters on a GPU (glasstorch computes on the CPU).
    ``torch.nn.functional.batch_norm`` is the usual way to call it.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[1.0, 2.0], [3.0, 6.0]])
        >>> torch.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
    """
    return _batch_norm(input, weight, bias, running_mean, running_var, training,
                              momentum, eps)


def layer_norm(input: Tensor, normalized_shape: Sequence[builtins.int],
               weight: Tensor | None = None, bias: Tensor | None = None,
               eps: builtins.float = 1e-05, cudnn_enable: builtins.bool = True) -> Tensor:
    """Layer normalisation over the last ``len(normalized_shape)`` dims, as one node.

    ``cudnn_enable`` only matters on a GPU (glasstorch computes on the CPU).

    Example:
        >>> import glasstorch as torch
        >>> torch.layer_norm(torch.tensor([[1.0, 3.0], [2.0, 2.0]]), [2])
        tensor([[-1.0000,  1.0000],
                [ 0.0000,  0.0000]])
    """
    if isinstance(normalized_shape, builtins.int) or not isinstance(normalized_shape,
                                                                    (tuple, list)):
        raise TypeError(
            "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, "
            f"not {type(normalized_shape).__name__}"
        )
    shape = [builtins.int(s) for s in normalized_shape]
    if not shape:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
            "least one element, but got normalized_shape = []"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t._data.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                f"shape {list(t._data.shape)} and normalized_shape = {shape}"
            )
    x_shape = list(input._data.shape)
    if len(x_shape) < len(shape) or x_shape[len(x_shape) - len(shape):] != shape:
        stars = ", ".join(str(s) for s in shape)
        raise RuntimeError(
            f"Given normalized_shape={shape}, expected input with shape [*, {stars}], but got "
            f"input of size{x_shape}"
        )
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"LayerNormKernelImpl\" not implemented for '{dtype_name(input._data)}'"
        )
    _check_same_dtype(input, weight, bias)
    return NativeLayerNorm.apply(input, weight, bias, n_norm=len(shape),
                                 eps=builtins.float(eps))


class NativeGroupNorm(Function):
    """out = (x - mean) / sqrt(var + eps) * w + b  (mean, biased var per sample and group);
    dx = w invstd grad + c2 x + c3 per group,  dw = sum((ds - db mean) invstd),  db = sum(grad)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, weight: np.ndarray | None, bias: np.ndarray | None,
                num_groups: int = 1, eps: float = 1e-5) -> np.ndarray:
        n, c = x.shape[0], x.shape[1]
        x3 = x.reshape(n, c, -1)
        xg = x.reshape(n * num_groups, -1)
        inner = builtins.max(xg.shape[1], 1)
        # moments in double (ATen's Welford, here exact), rounded to the dtype as ATen does
        mean64 = _sum(xg, axis=1, dtype=_f64) / inner
        centered = xg.astype(_f64) - mean64[:, None]
        var = _sum(centered * centered, axis=1) / inner
        dt = x.dtype.type
        mean = mean64.astype(x.dtype).reshape(n, num_groups)
        rstd = (dt(1) / np.sqrt(np.maximum(var.astype(x.dtype), 0) + dt(eps))).reshape(
            n, num_groups)
        # ATen, per (n, c): scale = rstd * w, shift = -scale * mean + b, out = x * scale + shift
        per = c // num_groups
        scale = np.repeat(rstd, per, axis=1)
        if weight is not None:
            scale = scale * weight
        shift = _fma(-scale, np.repeat(mean, per, axis=1), None if bias is None else
                     np.broadcast_to(bias, scale.shape))
        out = _fma(x3, scale[:, :, None], shift[:, :, None])
        ctx.save_for_backward(x, weight, mean, rstd)
        ctx.num_groups = num_groups
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any, Any]:
        x, weight, mean, rstd = ctx.saved_tensors
        g = ctx.num_groups
        n, c = x.shape[0], x.shape[1]
        per = c // g
        x3 = x.reshape(n, c, -1)
        dy = grad.reshape(n, c, -1)
        # ATen's per-(n, c) sums: ds = sum(dy * x), db = sum(dy), accumulated in double
        ds = _sum(dy * x3, axis=2, dtype=_f64)
        db = _sum(dy, axis=2, dtype=_f64)
        mean64 = mean.astype(_f64)
        rstd64 = rstd.astype(_f64)
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        dx = dw = dbias = None
        if need_x:
            w64 = np.ones(c) if weight is None else weight.astype(_f64)
            ds_g = (ds * w64).reshape(n, g, per).sum(axis=2)
            db_g = (db * w64).reshape(n, g, per).sum(axis=2)
            s = 1.0 / (per * x3.shape[2])
            c2 = (db_g * mean64 - ds_g) * rstd64 ** 3 * s
            c3 = -c2 * mean64 - db_g * rstd64 * s
            c1 = np.repeat(rstd, per, axis=1)
            if weight is not None:
                c1 = c1 * weight
            dx = (dy * c1[:, :, None]
                  + np.repeat(c2.astype(x.dtype), per, axis=1)[:, :, None] * x3
                  + np.repeat(c3.astype(x.dtype), per, axis=1)[:, :, None]).reshape(x.shape)
        if need_w:
            m = np.repeat(mean64, per, axis=1)
            r = np.repeat(rstd64, per, axis=1)
            dw = _sum((ds - db * m) * r, axis=0).astype(x.dtype)
        if need_b:
            dbias = _sum(db, axis=0).astype(x.dtype)
        return dx, dw, dbias


def group_norm(input: Tensor, num_groups: builtins.int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: builtins.float = 1e-05,
               cudnn_enabled: builtins.bool = True) -> Tensor:
    """Normalise each sample over groups of ``num_groups`` channels, as one node.

    The channels (dim 1) are split into ``num_groups`` groups; each (sample, group) is
    normalised to zero mean and unit (biased) variance, then scaled and shifted per channel.
    ``cudnn_enabled`` only matters on a GPU (glasstorch computes on the CPU).

    Example:
        >>> import glasstorch as torch
        >>> torch.group_norm(torch.tensor([[1.0, 3.0, 0.0, 4.0]]), 2)
        tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])
    """
    shape = list(input._data.shape)
    if len(shape) < 2 or num_groups <= 0 or shape[1] % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {shape} and num_groups={num_groups}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t._data.ndim != 1 or t._data.size != shape[1]):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in "
                f"input, but got {name} of shape {list(t._data.shape)} and input of shape "
                f"{shape}"
            )
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"GroupNormKernelImpl\" not implemented for '{dtype_name(input._data)}'"
        )
    _check_same_dtype(input, weight, bias)
    return NativeGroupNorm.apply(input, weight, bias, num_groups=builtins.int(num_groups),
                                 eps=builtins.float(eps))


def instance_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,
                  running_mean: Tensor | None, running_var: Tensor | None,
                  use_input_stats: builtins.bool, momentum: builtins.float,
                  eps: builtins.float, cudnn_enabled: builtins.bool) -> Tensor:
    """Normalise each (sample, channel) of an ``(N, C, *)`` input over its spatial dims.

    As ATen does it: batch norm of the ``(1, N * C, *)`` view with the per-channel tensors
    repeated ``N`` times (so the ``grad_fn`` is ``ViewBackward0`` over
    ``NativeBatchNormBackward0``); running statistics, if given, get the mean over the
    samples of the updated copies. ``torch.nn.functional.instance_norm`` is the usual way.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([[[1.0, 3.0], [0.0, 4.0]]])
        >>> torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)
        tensor([[[-1.0000,  1.0000],
                 [-1.0000,  1.0000]]])
    """
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    if input._data.ndim < 2:
        raise RuntimeError(
            f"instance_norm needs input of shape (N, C, ...), got {list(input._data.shape)}"
        )
    b, c = input._data.shape[:2]

    def repeat(t: Tensor | None) -> Tensor | None:
        return None if t is None else t.repeat(b)

    mean_rep, var_rep = repeat(running_mean), repeat(running_var)
    shape = list(input._data.shape)
    out = _batch_norm(input.contiguous().view([1, b * c] + shape[2:]), repeat(weight),
                      repeat(bias), mean_rep, var_rep, use_input_stats, momentum, eps)
    # ATen copies the mean over the samples of the updated copies back into the buffers
    for buf, rep in ((running_mean, mean_rep), (running_var, var_rep)):
        if buf is not None and rep is not None:
            buf._data[...] = rep._data.reshape(b, c).mean(axis=0, dtype=rep._data.dtype)
    return out.view(shape)


def _check_shuffle_factor(name: str, what: str, factor: builtins.int) -> None:
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


class PixelShuffle(Function):
    """out[..., c, h*r + i, w*r + j] = x[..., c*r*r + i*r + j, h, w];  dx = pixel_unshuffle(grad)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, upscale_factor: int = 1) -> np.ndarray:
        r = upscale_factor
        *batch, c, h, w = x.shape
        oc = c // (r * r)
        out = x.reshape(*batch, oc, r, r, h, w)
        nb = len(batch)
        out = out.transpose(*range(nb), nb, nb + 3, nb + 1, nb + 4, nb + 2)
        ctx.r = r
        return np.ascontiguousarray(out).reshape(*batch, oc, h * r, w * r)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return PixelUnshuffle.forward(ctx, grad, ctx.r)


class PixelUnshuffle(Function):
    """out[..., c*r*r + i*r + j, h, w] = x[..., c, h*r + i, w*r + j];  dx = pixel_shuffle(grad)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, downscale_factor: int = 1) -> np.ndarray:
        r = downscale_factor
        *batch, c, h, w = x.shape
        oh, ow = h // r, w // r
        out = x.reshape(*batch, c, oh, r, ow, r)
        nb = len(batch)
        out = out.transpose(*range(nb), nb, nb + 2, nb + 4, nb + 1, nb + 3)
        ctx.r = r
        return np.ascontiguousarray(out).reshape(*batch, c * r * r, oh, ow)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        return PixelShuffle.forward(ctx, grad, ctx.r)


def pixel_shuffle(input: Tensor, upscale_factor: builtins.int) -> Tensor:
    """Rearrange ``(*, C * r * r, H, W)`` into ``(*, C, H * r, W * r)``, ``r = upscale_factor``.

    Example:
        >>> import glasstorch as torch
        >>> torch.pixel_shuffle(torch.arange(4.0).view(1, 4, 1, 1), 2)
        tensor([[[[0., 1.],
                  [2., 3.]]]])
    """
    shape = input._data.shape
    if len(shape) < 3:
        raise RuntimeError(
            "pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{len(shape)} dimension(s)"
        )
    _check_shuffle_factor("pixel_shuffle", "upscale_factor", upscale_factor)
    if shape[-3] % (upscale_factor * upscale_factor):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
            f"square of upscale_factor, but input.size(-3)={shape[-3]} is not divisible by "
            f"{upscale_factor * upscale_factor}"
        )
    return PixelShuffle.apply(input, upscale_factor=builtins.int(upscale_factor))


def pixel_unshuffle(input: Tensor, downscale_factor: builtins.int) -> Tensor:
    """Rearrange ``(*, C, H * r, W * r)`` into ``(*, C * r * r, H, W)``, ``r = downscale_factor``.

    Example:
        >>> import glasstorch as torch
        >>> torch.pixel_unshuffle(torch.arange(4.0).view(1, 1, 2, 2), 2).flatten()
        tensor([0., 1., 2., 3.])
    """
    shape = input._data.shape
    if len(shape) < 3:
        raise RuntimeError(
            "pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{len(shape)} dimension(s)"
        )
    _check_shuffle_factor("pixel_unshuffle", "downscale_factor", downscale_factor)
    for what, size in (("height", shape[-2]), ("width", shape[-1])):
        if size % downscale_factor:
            axis = -2 if what == "height" else -1
            raise RuntimeError(
                f"pixel_unshuffle expects {what} to be divisible by downscale_factor, but "
                f"input.size({axis})={size} is not divisible by {downscale_factor}"
            )
    return PixelUnshuffle.apply(input, downscale_factor=builtins.int(downscale_factor))
