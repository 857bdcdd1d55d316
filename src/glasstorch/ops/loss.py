"""Fused loss ops: the whole loss (elementwise term and reduction) is one graph node.

One node instead of a chain (``sub -> pow -> mean``) saves passes over memory and keeps the
gradient formula exact and readable. The formulas and their order of operations follow
ATen's CPU kernels (``Loss.cpp``), so float32 results match PyTorch's closely.
``reduction`` is ``'none'``, ``'mean'`` or ``'sum'``; the public wrappers with PyTorch's
argument checks are in ``glasstorch.nn.functional``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glasstorch._errors import message
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name, promote

# No public names: the wrappers users call (with PyTorch's argument checks) are in
# glasstorch.nn.functional.
__all__: list[str] = []

_EPSILON = 1e-12  # ATen's floor for x (1 - x) in the BCE gradient
_sum = np.add.reduce
_min = np.minimum.reduce
_max = np.maximum.reduce


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """``loss`` itself (``'none'``), its sum or its mean, as ATen's apply_loss_reduction."""
    # np.add.reduce is what ndarray.sum/mean run, without their Python-level overhead
    # (a loss on a handful of elements is dominated by such overhead).
    if reduction == "none":
        return loss
    total = _sum(loss, axis=None)
    if reduction == "sum":
        return total
    if loss.size == 0:
        return np.full((), np.nan, loss.dtype)  # torch: the mean of nothing is nan
    return total / loss.size


def _check_probabilities(values: np.ndarray, name: str) -> None:
    """torch's range check: every element in [0, 1] (NaN fails too)."""
    if values.size and not (_min(values, axis=None) >= 0 and _max(values, axis=None) <= 1):
        if name == "input":
            raise RuntimeError(message("bce_input_range"))
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


class MseLoss(Function):
    """out = reduce((x - t) ** 2);  dx = (2 / n) (x - t) grad,  dt = -dx  (n = numel if mean)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, reduction: str = "mean") -> np.ndarray:
        x, t = promote(x, t)
        if x.dtype.kind != "f":
            raise NotImplementedError(f"\"mse_cpu\" not implemented for '{dtype_name(x)}'")
        diff = x - t  # broadcast shape; the engine sums the gradients back to each input
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        (diff,) = ctx.saved_tensors
        norm = 2.0 / diff.size if ctx.reduction == "mean" else 2.0
        dx = norm * diff * grad  # ATen: alpha * (input - target) * grad, in that order
        return dx, (-dx if ctx.needs_input_grad[1] else None)


class BinaryCrossEntropy(Function):
    """out = reduce(-w (t log x + (1 - t) log(1 - x))), each log clamped at -100;
    dx = grad w (x - t) / max(x (1 - x), 1e-12) / n,  dt = -grad w log(x / (1 - x)) / n
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean") -> np.ndarray:
        if t.dtype != x.dtype:
            raise RuntimeError(message("bce_target_dtype", found=dtype_name(t),
                                       expected=dtype_name(x), converter=_converter(x)))
        if x.dtype.kind != "f":
            raise NotImplementedError(
                f"\"binary_cross_entropy\" not implemented for '{dtype_name(x)}'"
            )
        # An input outside [0, 1] (or NaN) makes a log NaN, so for a reduced loss a NaN
        # result is the cue to run the input check; the target is always checked.
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf: clamped below
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        loss = (t - 1) * log_1mx - t * log_x
        if weight is not None:
            loss = loss * weight
        out = _reduce(loss, reduction)
        if reduction == "none" or out != out:
            _check_probabilities(x, "input")
        _check_probabilities(t, "target")
        ctx.save_for_backward(x, t, weight)
        ctx.reduction = reduction
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, t, weight = ctx.saved_tensors
        n = x.size if ctx.reduction == "mean" else 1
        dx = dt = None
        if ctx.needs_input_grad[0]:
            dx = grad * (x - t) / np.maximum((1 - x) * x, x.dtype.type(_EPSILON))
            if weight is not None:
                dx = dx * weight
            if n != 1:
                dx = dx / n
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                dt = -np.log(x / (1 - x)) * grad
            if weight is not None:
                dt = dt * weight
            if n != 1:
                dt = dt / n
        return dx, dt


def _converter(x: np.ndarray) -> str:
    """The Tensor method that converts to ``x``'s dtype, for error hints."""
    return {"float64": "double", "float16": "half"}.get(str(x.dtype), "float")


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error as one node (``MseLossBackward0``); inputs may broadcast."""
    return MseLoss.apply(input, target, reduction=reduction)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         reduction: str = "mean") -> Any:
    """Binary cross entropy on probabilities as one node (``BinaryCrossEntropyBackward0``).

    ``weight`` (an array or None) rescales each element and gets no gradient, as in torch.
    """
    return BinaryCrossEntropy.apply(input, target, weight=weight, reduction=reduction)


# ----------------------------------------------------------------------------- cross entropy
# Lanes of the SIMD vectors in torch's AVX-512 softmax kernels (float32: 16, float64: 8).
_LANES = {np.dtype(np.float32): 16, np.dtype(np.float64): 8}
_CASCADE_STEP = 16  # LossNLL.cpp: level_step = 1 << max(4, CeilLog2(n) / 8) = 16 below 2**40


def _seq_rows(e: np.ndarray) -> np.ndarray:
    """Each row of ``e`` (rows, n) summed strictly left to right: ``((e0 + e1) + e2) + ...``.

    NumPy's own row sum adds pairwise; summing a transposed copy down axis 0 adds row after
    row, which is the sequential order.
    """
    if e.shape[0] == 1 or e.shape[1] == 1:
        return np.add.accumulate(e, axis=1)[:, -1]
    return _sum(np.ascontiguousarray(e.T), axis=0)


def _lane_sum(e: np.ndarray) -> np.ndarray:
    """Row sums of ``e`` (rows, C) in the order of torch's vectorised softmax kernel.

    Lane ``i`` of a SIMD accumulator adds ``e[i], e[i + lanes], ...`` (the ragged tail goes
    into the first lanes), then the lanes are folded in halves: ``(a0 + a8) + ...``.
    Rows shorter than one vector are summed left to right.
    """
    rows, c = e.shape
    lanes = _LANES.get(e.dtype, 8)
    if c < lanes:
        return _seq_rows(e)
    blocks = c // lanes
    full = blocks * lanes
    if blocks > 1:  # a middle axis: NumPy adds its entries one after the other
        acc = _sum(e[:, :full].reshape(rows, blocks, lanes), axis=1)
    else:
        acc = e[:, :lanes].copy()
    if c > full:
        acc[:, :c - full] += e[:, full:]
    while lanes > 1:
        lanes //= 2
        acc = acc[:, :lanes] + acc[:, lanes:2 * lanes]
    return acc[:, 0]


def _log_softmax(x: np.ndarray) -> np.ndarray:
    """``log_softmax`` over axis 1 as torch's CPU kernel: ``(x - max) - log(sum(exp(x - max)))``.

    Subtracting the row maximum first keeps ``exp`` from overflowing (the stable form).
    """
    if x.ndim == 2:  # classes are the last dim: torch's vectorised "lastdim" kernel
        shifted = x - _max(x, axis=1, keepdims=True)
        return shifted - np.log(_lane_sum(np.exp(shifted)))[:, None]
    # (N, C, *): the other kernel adds the classes one after the other, which NumPy's
    # reduction over a middle axis also does
    shifted = x - _max(x, axis=1, keepdims=True)
    return shifted - np.log(_sum(np.exp(shifted), axis=1, keepdims=True))


def _seq(v: np.ndarray) -> Any:
    """``((0 + v0) + v1) + ...`` (0 for an empty array)."""
    if v.shape[0] == 0:
        return v.dtype.type(0)
    return np.add.accumulate(v)[-1] if v.shape[0] > 1 else v[0]


def _cascade_sum(v: np.ndarray, ignored: np.ndarray | None) -> Any:
    """Sum the flat ``v`` in the order of LossNLL.cpp's 8-level cascade.

    ``v[b]`` is added into level 0; after each non-ignored ``b`` with ``b % 16**j == 0``
    level ``j - 1`` is flushed into level ``j`` (j = 1..7); at the end the levels are added
    up, level 0 first. So level 0 holds runs of 16 (after ``v[0]``, which goes straight
    to the top), level 1 runs of 16 such sums, and so on. An ignored ``b`` adds nothing
    and skips its flush.
    """
    if ignored is not None and ignored[::_CASCADE_STEP].any():
        return _cascade_sum_skipping(v, ignored)
    total = v.dtype.type(0)
    level = v
    for _ in range(7):
        n = level.shape[0]
        if n <= 1:  # only the first value is left: it rises to the top level unchanged
            break
        k = (n - 1) // _CASCADE_STEP
        total = total + _seq(level[1 + k * _CASCADE_STEP:])  # this level's unflushed rest
        if k == 0:
            level = level[:1]
            break
        runs = level[1:1 + k * _CASCADE_STEP].reshape(k, _CASCADE_STEP)
        level = np.concatenate((level[:1], np.add.accumulate(runs, axis=1)[:, -1]))
    return total + _seq(level)


def _cascade_sum_skipping(v: np.ndarray, ignored: np.ndarray) -> Any:
    """:func:`_cascade_sum` when an ignored element sits at a flush point (rare).

    The runs between the flushes that do happen have uneven lengths; runs of equal length
    are summed together.
    """
    positions = np.arange(v.shape[0])
    flushes = (positions % _CASCADE_STEP == 0) & ~ignored
    total = v.dtype.type(0)
    level = v
    step = _CASCADE_STEP
    for _ in range(7):
        ends = np.flatnonzero(flushes)
        last = ends[-1] if ends.size else -1
        total = total + _seq(level[last + 1:])
        if ends.size == 0:
            return total
        lengths = np.diff(ends, prepend=-1)
        sums = np.empty(ends.size, v.dtype)
        for length in np.unique(lengths):
            which = lengths == length
            index = (ends[which] - length + 1)[:, None] + np.arange(length)
            sums[which] = np.add.accumulate(level[index], axis=1)[:, -1]
        level = sums
        positions = positions[ends]
        step *= _CASCADE_STEP
        flushes = positions % step == 0
    return total + _seq(level)


def _targets(t: np.ndarray, n_classes: int, ignore_index: int) -> tuple[np.ndarray,
                                                                          np.ndarray | None]:
    """Class indices safe to gather with (ignored ones as 0), and the ignored mask or None.

    Raises torch's IndexError for the first target outside ``[0, n_classes)``.
    """
    if t.dtype != np.int64:
        t = t.astype(np.int64)
    # one comparison finds negatives too: as unsigned they are huge
    if not 0 <= ignore_index < n_classes and t.size and \
            _max(t.view(np.uint64), axis=None) < n_classes:
        return t, None  # the usual case: all in range, none can be ignored
    ignored = t == ignore_index
    bad = ~ignored & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {t.flat[int(np.argmax(bad))]} is out of bounds.")
    if not ignored.any():
        return t, None
    return np.where(ignored, 0, t), ignored


def _nll(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None, reduction: str,
         ignore_index: int, log_softmax: bool) -> tuple[np.ndarray, np.ndarray]:
    """The shared forward of NllLoss and CrossEntropy: ``(loss, log-probabilities)``.

    ``x`` (C,), (N, C) or (N, C, d1, ...) is viewed as (N, C) or (N, C, L), as torch views
    it for its nll_loss / nll_loss2d kernels. What backward needs goes on ``ctx``.
    """
    x_shape, t_shape = x.shape, t.shape
    if x.ndim == 1:  # (C,) with a 0-d target: a batch of one
        x, t = x[None], t[None]
    n_classes = x.shape[1]
    if x.ndim > 2:
        x, t = x.reshape(x.shape[0], n_classes, -1), t.reshape(t.shape[0], -1)
    t, ignored = _targets(t, n_classes, ignore_index)
    logp = _log_softmax(x) if log_softmax else x
    if x.ndim == 2:
        picked = logp[np.arange(x.shape[0]), t]
    else:
        picked = np.take_along_axis(logp, t[:, None], axis=1)[:, 0]
    w = None if weight is None else weight[t]  # each sample's class weight
    terms = picked if w is None else picked * w  # torch: data * weight_val
    if ignored is not None:
        terms = np.where(ignored, 0, terms)
        if w is not None:
            w = np.where(ignored, 0, w)
    total_weight = None
    if reduction == "none":
        out = np.reshape(-terms, t_shape)
    else:
        flat_ignored = None if ignored is None else ignored.reshape(-1)
        out = -_cascade_sum(terms.reshape(-1), flat_ignored) + 0  # + 0: never -0.0
        if reduction == "mean":
            if w is None:
                count = terms.size if ignored is None else terms.size - int(ignored.sum())
                total_weight = x.dtype.type(count)
            else:
                total_weight = _cascade_sum(w.reshape(-1), flat_ignored)
            with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: nan
                out = out / total_weight
        out = np.asarray(out, x.dtype)
    if ctx.needs_input_grad[0]:  # (without a graph, ctx is a shared placeholder)
        ctx.save_for_backward(logp, t, w, ignored)
        ctx.reduction = reduction
        ctx.total_weight = total_weight
        ctx.weight = weight
        ctx.x_shape = x_shape
    return out, logp


def _nll_coefficients(ctx: Any, grad: np.ndarray, t: np.ndarray, w: np.ndarray | None,
                      ignored: np.ndarray | None) -> np.ndarray:
    """The gradient with respect to each picked (log-)probability, as ATen's nll backward."""
    if ctx.reduction == "none":
        grad = np.reshape(grad, t.shape)
        c = -grad if w is None else -w * grad
    else:
        g = grad / ctx.total_weight if ctx.reduction == "mean" else grad
        c = -g if w is None else w * -g  # one number for all samples when unweighted
    if ignored is not None:
        c = np.where(ignored, 0, c)
    return c


class NllLoss(Function):
    """out = reduce(-w[t] x[t]), ignore_index samples left out, mean divides by sum(w[t]);
    dx[t] = -grad w[t] (/ sum(w[t]) for mean), 0 elsewhere

    ``x`` holds log-probabilities, (C,), (N, C) or (N, C, d1, ...) with classes on axis 1.
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean", ignore_index: int = -100) -> np.ndarray:
        return _nll(ctx, x, t, weight, reduction, ignore_index, log_softmax=False)[0]

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None]:
        x, t, w, ignored = ctx.saved_tensors
        c = _nll_coefficients(ctx, grad, t, w, ignored)
        dx = np.zeros_like(x)
        _scatter_add(dx, t, c)
        return dx.reshape(ctx.x_shape), None


class NllLoss2d(NllLoss):
    """out = reduce(-w[t] x[t]) for (N, C, d1, ...) input;  dx as NllLoss

    torch names the node of a K-dimensional loss ``NllLoss2DBackward0``.
    """

    grad_fn_name = "NllLoss2DBackward0"


class CrossEntropy(Function):
    """out = reduce(-w[t] log_softmax(x)[t]), ignore_index samples left out;
    dx = c (onehot(t) - softmax(x)),  c = -grad w[t] (/ sum(w[t]) for mean)

    One node fuses LogSoftmax + NLLLoss (torch records two nodes: ``LogSoftmaxBackward0``
    under ``NllLossBackward0``, whose name this one takes). ``x`` is (C,), (N, C) or
    (N, C, d1, ...), classes on axis 1; ``t`` holds class indices, ``x``'s shape without
    the class axis. With ``label_smoothing`` s > 0 the loss is torch's mix
    ``(1 - s) nll + s / C * smooth``, ``smooth = -sum_k w_k log_softmax(x)_k`` per sample,
    reduced like nll (torch's last node is then the ``AddBackward0`` of that mix: see
    :class:`CrossEntropySmoothed`).
    """

    grad_fn_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean", ignore_index: int = -100,
                label_smoothing: float = 0.0) -> np.ndarray:
        out, logp = _nll(ctx, x, t, weight, reduction, ignore_index, log_softmax=True)
        if ctx.needs_input_grad[0]:
            ctx.label_smoothing = label_smoothing
        if label_smoothing > 0:
            out = _smooth(ctx, out, logp, weight, reduction, label_smoothing, ignore_index, t)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, None]:
        logp, t, w, ignored = ctx.saved_tensors
        c = _nll_coefficients(ctx, grad, t, w, ignored)
        probs = np.exp(logp)
        shape = (-1, 1) if logp.ndim == 2 else (t.shape[0], 1, -1)
        smoothing = ctx.label_smoothing
        if smoothing > 0:
            c = c * (1 - smoothing)
            # d smooth / d log_softmax_k = -w_k s / C for each sample that is not ignored
            if ctx.reduction == "none":
                rows = np.reshape(grad, t.shape)
            else:
                rows = np.broadcast_to(ctx.smooth_scale * grad, t.shape)
            rows = rows * (smoothing / logp.shape[1])
            if ignored is not None:
                rows = np.where(ignored, 0, rows)
            dlogp = np.reshape(rows, shape) * -1
            if ctx.weight is not None:
                dlogp = dlogp * (ctx.weight[:, None] if logp.ndim == 3 else ctx.weight)
            dlogp = np.broadcast_to(dlogp, logp.shape).copy()
            _scatter_add(dlogp, t, c)
            dx = dlogp - probs * _sum(dlogp, axis=1, keepdims=True)
        else:
            c = np.reshape(c, shape) if c.ndim else c
            dx = probs * -c  # log_softmax backward: grad - exp(out) * sum(grad), then + c
            _scatter_add(dx, t, c)
        return dx.reshape(ctx.x_shape), None


def _scatter_add(dx: np.ndarray, t: np.ndarray, c: np.ndarray) -> None:
    """``dx[..., t, ...] += c`` along axis 1 (one class per sample)."""
    if dx.ndim == 2:
        dx[np.arange(dx.shape[0]), t] += np.reshape(c, -1) if c.ndim else c
    else:
        index = t[:, None]
        values = np.take_along_axis(dx, index, axis=1) + (np.reshape(c, index.shape) if c.ndim
                                                          else c)
        np.put_along_axis(dx, index, values, axis=1)


def _smooth(ctx: Any, nll: np.ndarray, logp: np.ndarray, weight: np.ndarray | None,
            reduction: str, label_smoothing: float, ignore_index: int,
            t: np.ndarray) -> np.ndarray:
    """torch's cross_entropy_loss_label_smoothing: ``(1 - s) nll + smooth * (s / C)``."""
    from glasstorch.ops._sum import torch_sum  # (a big module: loaded when first needed)

    n_classes = logp.shape[1]
    if weight is None:
        smooth = -torch_sum(logp, axis=1)
    else:
        smooth = -torch_sum(logp * (weight[:, None] if logp.ndim == 3 else weight), axis=1)
    ignored = np.reshape(t == ignore_index, smooth.shape)
    smooth = np.where(ignored, 0, smooth)
    scale: Any = 1.0
    if reduction == "none":
        ret = np.reshape(smooth, t.shape)
    else:
        ret = torch_sum(np.ascontiguousarray(smooth))
        if reduction == "mean":
            if weight is None:
                denominator = logp.dtype.type(smooth.size - int(ignored.sum()))
            else:
                kept = np.reshape(t, -1)[~ignored.reshape(-1)].astype(np.int64)
                denominator = torch_sum(np.ascontiguousarray(weight[kept]))
            with np.errstate(invalid="ignore", divide="ignore"):
                ret = ret / denominator
                scale = logp.dtype.type(1) / denominator
    if ctx.needs_input_grad[0]:
        ctx.smooth_scale = scale
    mix = logp.dtype.type(1 - label_smoothing)
    share = logp.dtype.type(label_smoothing / n_classes)
    return np.asarray(mix * nll + ret * share, logp.dtype)


class CrossEntropy2d(CrossEntropy):
    """out = reduce(-w[t] log_softmax(x)[t]) for (N, C, d1, ...) input;  dx as CrossEntropy

    torch names the node of a K-dimensional loss ``NllLoss2DBackward0``.
    """

    grad_fn_name = "NllLoss2DBackward0"


class CrossEntropySmoothed(CrossEntropy):
    """out = (1 - s) nll(log_softmax(x), t) + s / C smooth;  dx = d out / d log_softmax ...

    Cross entropy with ``label_smoothing`` > 0: torch's last node is the ``AddBackward0``
    of that mix, so this fused node carries its name.
    """

    grad_fn_name = "AddBackward0"


class CrossEntropyProbs(Function):
    """out = -sum_k w_k p_k log_softmax(x)_k per sample, summed (or per sample for 'none');
    dx = -grad (w p - softmax(x) sum_k w_k p_k),  dp = -grad w log_softmax(x)

    Cross entropy with class probabilities ``p`` (the target has the input's shape); with
    ``label_smoothing`` s the target becomes ``p (1 - s) + s / C``. One node fuses what
    torch records as log_softmax, mul, sum and neg (``NegBackward0``, its last node);
    'mean' divides by the number of samples (:class:`CrossEntropyProbsMean`).
    """

    grad_fn_name = "NegBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, p: np.ndarray, weight: np.ndarray | None = None,
                reduction: str = "mean", label_smoothing: float = 0.0) -> np.ndarray:
        from glasstorch.ops._sum import torch_sum

        x, p = promote(x, p)
        axis = 0 if x.ndim == 1 else 1
        n_classes = x.shape[axis]
        if x.ndim == 1:
            logp = _log_softmax(x[None])[0]
        elif x.ndim == 2:
            logp = _log_softmax(x)
        else:
            logp = _log_softmax(x.reshape(x.shape[0], n_classes, -1)).reshape(x.shape)
        target = p
        if label_smoothing > 0:
            target = p * (1 - label_smoothing) + label_smoothing / n_classes
        w = None
        if weight is not None:
            w = weight.reshape((-1,) + (1,) * (x.ndim - 2)) if x.ndim > 1 else weight
        product = logp * target if w is None else logp * target * w
        count = 1
        if reduction == "none":
            out = -torch_sum(np.ascontiguousarray(product), axis=axis)
        else:
            out = -torch_sum(np.ascontiguousarray(product))
            if reduction == "mean":
                count = x.size // n_classes if n_classes else 0
                with np.errstate(invalid="ignore", divide="ignore"):
                    out = out / x.dtype.type(count) if x.size else x.dtype.type(np.nan)
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(logp, target, w)
            ctx.reduction = reduction
            ctx.count = count
            ctx.axis = axis
            ctx.label_smoothing = label_smoothing
        return np.asarray(out, x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        logp, target, w = ctx.saved_tensors
        axis = ctx.axis
        g = np.expand_dims(grad, axis) if ctx.reduction == "none" else grad
        if ctx.reduction == "mean":
            g = g / ctx.count
        g = -g if w is None else -g * w
        dx = dp = None
        if ctx.needs_input_grad[0]:
            dlogp = g * target
            dx = dlogp - np.exp(logp) * _sum(dlogp, axis=axis, keepdims=True)
        if ctx.needs_input_grad[1]:
            dp = g * logp
            if ctx.label_smoothing > 0:
                dp = dp * (1 - ctx.label_smoothing)
        return dx, dp


class CrossEntropyProbsMean(CrossEntropyProbs):
    """out = -sum(w p log_softmax(x)) / (numel / C);  dx, dp as CrossEntropyProbs

    torch's last node for 'mean' is the division (``DivBackward1``).
    """

    grad_fn_name = "DivBackward1"


# ----------------------------------------------------------------------------- logits, smooth l1
class BinaryCrossEntropyWithLogits(Function):
    """out = reduce(w ((1 - t) x + (1 + (pw - 1) t) (log1p(exp(-|x|)) + max(-x, 0))));
    dx = grad w ((pw t + 1 - t) sigmoid(x) - pw t) / n,
    dt = grad w (log_sigmoid(-x) - pw log_sigmoid(x)) / n

    The stable form: ``log(1 + exp(-x))`` is written ``log1p(exp(-|x|)) + max(-x, 0)``,
    which never overflows. ``weight`` and ``pos_weight`` (broadcast, pos_weight along the
    last dim) get no gradient.
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                pos_weight: np.ndarray | None = None, reduction: str = "mean") -> np.ndarray:
        from glasstorch.ops._sum import torch_mean, torch_sum

        x, t = promote(x, t)
        if x.dtype.kind != "f":
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{dtype_name(x)}")
        # log(1 + exp(-x)) = -log_sigmoid(x), stable for every x
        softplus_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
        if pos_weight is None:
            loss = (1 - t) * x + softplus_neg
        else:
            loss = (1 - t) * x + ((pos_weight - 1) * t + 1) * softplus_neg
        if weight is not None:
            loss = loss * weight
        if reduction == "none":
            out = loss
        elif reduction == "sum":
            out = torch_sum(np.ascontiguousarray(loss))
        else:
            out = torch_mean(np.ascontiguousarray(loss))
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(x, t, weight, pos_weight)
            ctx.reduction = reduction
        return np.asarray(out, x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, t, weight, pos_weight = ctx.saved_tensors
        n = x.size if ctx.reduction == "mean" else 1
        dx = dt = None
        if ctx.needs_input_grad[0]:
            sigmoid = 1 / (1 + np.exp(-x))
            if pos_weight is None:
                dx = (sigmoid - t) * grad
            else:
                pt = pos_weight * t
                dx = ((pt + 1 - t) * sigmoid - pt) * grad
            if weight is not None:
                dx = dx * weight
            if n != 1:
                dx = dx / n
        if ctx.needs_input_grad[1]:
            if pos_weight is None:
                dt = -x * grad
            else:
                # log_sigmoid(-x) - pw log_sigmoid(x), from the stable softplus
                softplus_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
                dt = (-(softplus_neg + x) + pos_weight * softplus_neg) * grad
            if weight is not None:
                dt = dt * weight
            if n != 1:
                dt = dt / n
        return dx, dt


def _reduce_exact(loss: np.ndarray, reduction: str) -> Any:
    """``loss`` reduced as torch's apply_loss_reduction, in torch's order of additions."""
    from glasstorch.ops._sum import torch_mean, torch_sum

    if reduction == "none":
        return loss
    if reduction == "sum":
        return torch_sum(np.ascontiguousarray(loss))
    return torch_mean(np.ascontiguousarray(loss))


class SmoothL1Loss(Function):
    """out = reduce(z < b ? 0.5 z**2 / b : z - 0.5 b),  z = |x - t|;
    dx = grad clamp((x - t) / b, -1, 1) / n,  dt = -dx
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, reduction: str = "mean",
                beta: float = 1.0) -> np.ndarray:
        x, t = promote(x, t)
        diff = x - t
        z = np.abs(diff)
        loss = np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(diff)
            ctx.reduction = reduction
            ctx.beta = beta
        return np.asarray(_reduce_exact(loss.astype(x.dtype, copy=False), reduction), x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        (diff,) = ctx.saved_tensors
        norm = 1.0 / diff.size if ctx.reduction == "mean" else 1.0
        beta = ctx.beta
        dx = np.where(diff <= -beta, -norm * grad,
                      np.where(diff >= beta, norm * grad, norm * diff * grad / beta))
        dx = dx.astype(diff.dtype, copy=False)
        return dx, (-dx if ctx.needs_input_grad[1] else None)


class HuberLoss(Function):
    """out = reduce(z < d ? 0.5 z**2 : d (z - 0.5 d)),  z = |x - t|;
    dx = grad clamp(x - t, -d, d) / n,  dt = -dx
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, reduction: str = "mean",
                delta: float = 1.0) -> np.ndarray:
        x, t = promote(x, t)
        diff = x - t
        z = np.abs(diff)
        loss = np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(diff)
            ctx.reduction = reduction
            ctx.delta = delta
        return np.asarray(_reduce_exact(loss.astype(x.dtype, copy=False), reduction), x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        (diff,) = ctx.saved_tensors
        norm = 1.0 / diff.size if ctx.reduction == "mean" else 1.0
        delta = ctx.delta
        dx = np.where(diff <= -delta, -norm * grad * delta,
                      np.where(diff >= delta, norm * grad * delta, norm * diff * grad))
        dx = dx.astype(diff.dtype, copy=False)
        return dx, (-dx if ctx.needs_input_grad[1] else None)


# ----------------------------------------------------------------------------- kl_div
class KlDiv(Function):
    """out = t log(t) - t x  (0 where t = 0);  dx = -t grad,  dt = (log(t) + 1 - x) grad

    torch builds kl_div from xlogy, mul and sub; its last node for ``reduction='none'`` is
    that ``SubBackward0``. ``log_target=True`` (:class:`KlDivLogTarget`) reads ``t`` as
    log-probabilities: ``out = exp(t) (t - x)``. The reductions are
    :class:`KlDivSum` / :class:`KlDivMean`, named after torch's last node.
    """

    grad_fn_name = "SubBackward0"

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, t: np.ndarray, reduction: str = "none",
                log_target: bool = False) -> np.ndarray:
        x, t = promote(x, t)
        if x.dtype.kind != "f":
            raise RuntimeError("kl_div: Integral inputs not supported.")
        if log_target:
            exp_t = np.exp(t)
            loss = exp_t * (t - x)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                xlogy = np.where(t == 0, 0, t * np.log(t))  # torch's xlogy: 0 where t = 0
            xlogy = np.where(np.isnan(t), t, xlogy)
            loss = xlogy - t * x
        if ctx.needs_input_grad[0] or ctx.needs_input_grad[1]:
            ctx.save_for_backward(x, t)
            ctx.reduction = reduction
            ctx.log_target = log_target
        return np.asarray(_reduce_exact(loss.astype(x.dtype, copy=False), reduction), x.dtype)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[Any, Any]:
        x, t = ctx.saved_tensors
        if ctx.reduction == "mean":
            grad = grad / max(np.broadcast(x, t).size, 1)
        dx = dt = None
        if ctx.log_target:
            exp_t = np.exp(t)
            if ctx.needs_input_grad[0]:
                dx = -exp_t * grad
            if ctx.needs_input_grad[1]:
                dt = exp_t * (t - x + 1) * grad
        else:
            if ctx.needs_input_grad[0]:
                dx = -t * grad
            if ctx.needs_input_grad[1]:
                with np.errstate(divide="ignore"):
                    dt = (np.log(t) + 1 - x) * grad
        return dx, dt


class KlDivLogTarget(KlDiv):
    """out = exp(t) (t - x);  dx = -exp(t) grad,  dt = exp(t) (t - x + 1) grad

    ``log_target=True`` with ``reduction='none'``: torch's last node is a ``MulBackward0``.
    """

    grad_fn_name = "MulBackward0"


class KlDivSum(KlDiv):
    """out = sum(kl_div(x, t));  dx, dt as KlDiv (torch's last node: ``SumBackward0``)"""

    grad_fn_name = "SumBackward0"


class KlDivMean(KlDiv):
    """out = mean(kl_div(x, t));  dx, dt as KlDiv / n (torch's last node: ``MeanBackward0``)"""

    grad_fn_name = "MeanBackward0"


# ----------------------------------------------------------------------------- entry points
# Called by glasstorch.nn.functional once the deprecated arguments are mapped to a
# reduction; these do torch's shape and dtype checks, in torch's order, then apply a node.
def _size(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _class_weight(weight: Any, x: np.ndarray, n_classes: int, spatial: bool,
                  prefix: str = "") -> np.ndarray | None:
    """The class weights as an array of ``x``'s dtype, after torch's check of their shape."""
    if weight is None:
        return None
    w = weight._data if hasattr(weight, "_data") else np.asarray(weight)
    if spatial:
        if w.size != n_classes:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
    elif w.ndim != 1 or w.size != n_classes:
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {_size(w.shape)}")
    if w.dtype != x.dtype:
        raise RuntimeError(f"expected scalar type {dtype_name(x)} but found {dtype_name(w)}")
    return w.reshape(-1)


def _check_class_target(x: np.ndarray, t: np.ndarray, kernel: str) -> bool:
    """torch's nll_loss_nd checks; returns whether the loss is K-dimensional (nll_loss2d)."""
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim != 1 and (t.ndim == 0 or x.shape[0] != t.shape[0]):
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                         f"batch_size ({t.shape[0] if t.ndim else 0}).")
    if x.ndim <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if not (x.ndim == 1 and t.ndim == 0) and x.shape[0] != t.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {_size(x.shape)}, target: "
                               f"{_size(t.shape)})")
        spatial = False
    elif x.ndim == 4:
        if t.ndim != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {t.ndim}")
        if t.shape != (x.shape[0],) + x.shape[2:]:
            raise RuntimeError(f"size mismatch (got input: {_size(x.shape)} , target: "
                               f"{_size(t.shape)}")
        spatial = True
    else:
        if t.shape[1:] != x.shape[2:]:
            raise RuntimeError(f"Expected target size {_size((x.shape[0],) + x.shape[2:])}, "
                               f"got {_size(t.shape)}")
        spatial = True
    if t.dtype != np.int64 and t.dtype != np.uint8:
        raise RuntimeError(message("cross_entropy_target_dtype", found=dtype_name(t)))
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype_name(x)}\'')
    return spatial


def _view_like_torch(out: Any, x: np.ndarray, reduction: str) -> Any:
    """torch returns the 'none' loss of a 3-D or 5-D+ input through a view (ViewBackward0)."""
    if reduction == "none" and x.ndim > 2 and x.ndim != 4:
        return out.view(out.shape)
    return out


def nll_loss(input: Any, target: Any, weight: Any, reduction: str, ignore_index: int) -> Any:
    """The negative log likelihood of class indices as one node (``NllLossBackward0``)."""
    x, t = input._data, target._data
    spatial = _check_class_target(x, t, "nll_loss")
    w = _class_weight(weight, x, x.shape[-1] if x.ndim <= 2 else x.shape[1], spatial)
    fn = NllLoss2d if spatial else NllLoss
    out = fn.apply(input, target, weight=w, reduction=reduction, ignore_index=ignore_index)
    return _view_like_torch(out, x, reduction)


def cross_entropy(input: Any, target: Any, weight: Any, reduction: str, ignore_index: int,
                  label_smoothing: float) -> Any:
    """Cross entropy from logits as one node (``NllLossBackward0`` for class indices)."""
    x, t = input._data, target._data
    if x.shape == t.shape:  # class probabilities
        if t.dtype.kind != "f":
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {dtype_name(t)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if x.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        n_classes = x.shape[0 if x.ndim == 1 else 1]
        w = _class_weight(weight, x, n_classes, False, "cross_entropy: ")
        if label_smoothing > 0 and label_smoothing > 1:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                               f"{label_smoothing:g}")
        if x.dtype.kind != "f":
            raise NotImplementedError(
                f'"log_softmax_lastdim_kernel_impl" not implemented for \'{dtype_name(x)}\'')
        fn = CrossEntropyProbsMean if reduction == "mean" else CrossEntropyProbs
        return fn.apply(input, target, weight=w, reduction=reduction,
                        label_smoothing=float(label_smoothing))
    if label_smoothing > 1:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing:g}")
    kernel = "log_softmax_lastdim_kernel_impl" if x.ndim <= 2 else "log_softmax_kernel_impl"
    spatial = _check_class_target(x, t, kernel)
    w = _class_weight(weight, x, x.shape[-1] if x.ndim <= 2 else x.shape[1], spatial)
    if label_smoothing > 0:
        return CrossEntropySmoothed.apply(input, target, weight=w, reduction=reduction,
                                          ignore_index=ignore_index,
                                          label_smoothing=float(label_smoothing))
    node: type[CrossEntropy] = CrossEntropy2d if spatial else CrossEntropy
    out = node.apply(input, target, weight=w, reduction=reduction, ignore_index=ignore_index)
    return _view_like_torch(out, x, reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any, pos_weight: Any,
                                     reduction: str) -> Any:
    """Binary cross entropy from logits as one node (``BinaryCrossEntropyWithLogitsBackward0``)."""
    x, t = input._data, target._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{dtype_name(x)}'")
    if t.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{dtype_name(t)}")
    arrays: list[np.ndarray | None] = []
    for extra in (weight, pos_weight):
        if extra is None:
            arrays.append(None)
            continue
        a = extra._data if hasattr(extra, "_data") else np.asarray(extra)
        for dim in range(1, min(a.ndim, x.ndim) + 1):  # torch's broadcasting message
            if a.shape[-dim] not in (1, x.shape[-dim]) and x.shape[-dim] != 1:
                big, small = (x, a) if extra is weight else (a, x)
                raise RuntimeError(
                    f"The size of tensor a ({big.shape[-dim]}) must match the size of tensor "
                    f"b ({small.shape[-dim]}) at non-singleton dimension {x.ndim - dim}")
        arrays.append(a.astype(np.result_type(x, t), copy=False))
    return BinaryCrossEntropyWithLogits.apply(input, target, weight=arrays[0],
                                              pos_weight=arrays[1], reduction=reduction)


def smooth_l1_loss(input: Any, target: Any, reduction: str, beta: float) -> Any:
    """Smooth L1 as one node (``SmoothL1LossBackward0``); inputs may broadcast."""
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"smooth_l1_cpu\" not implemented for '{dtype_name(input._data)}'")
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return SmoothL1Loss.apply(input, target, reduction=reduction, beta=float(beta))


def huber_loss(input: Any, target: Any, reduction: str, delta: float) -> Any:
    """Huber loss as one node (``HuberLossBackward0``); inputs may broadcast."""
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"huber_cpu\" not implemented for '{dtype_name(input._data)}'")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return HuberLoss.apply(input, target, reduction=reduction, delta=float(delta))


def kl_div(input: Any, target: Any, reduction: str, log_target: bool) -> Any:
    """torch.kl_div (reduction 'none', 'sum' or 'mean') as one node."""
    for t in (input, target):
        if t._data.dtype.kind != "f":
            raise RuntimeError("kl_div: Integral inputs not supported.")
    if reduction == "none":
        fn: type[KlDiv] = KlDivLogTarget if log_target else KlDiv
    else:
        fn = KlDivSum if reduction == "sum" else KlDivMean
    return fn.apply(input, target, reduction=reduction, log_target=bool(log_target))
