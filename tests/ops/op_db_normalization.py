"""OpInfo entries for glasstorch/ops (normalization); ``op_db.py`` appends ``OPS`` to its table.

Also the embedding lookup (``ops/embedding.py``). Running statistics and index tensors are
built inside the lambdas, so both libraries get the same constants.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from op_db import FLOATS, REAL, OpInfo, uniform  # imported at the end of op_db.py

# (N, C), (N, C, L) and (N, C, H, W) inputs with per-channel weight and bias
_BN_SAMPLES = (((4, 3), (3,), (3,)), ((5, 2, 3), (2,), (2,)), ((2, 3, 2, 3), (3,), (3,)))
_LN_SAMPLES = (((4, 3), (3,), (3,)), ((2, 3, 4), (3, 4), (3, 4)), ((2, 2, 5), (5,), (5,)))
_WIDE = uniform(-3.0, 3.0)
_GAIN = uniform(0.5, 2.0)


def _running(t: Any, x: Any) -> tuple[Any, Any]:
    """Fixed running statistics for ``x``'s channels, in ``x``'s dtype."""
    c = x.shape[1]
    mean = t.tensor(np.linspace(-0.5, 0.5, c)).to(x.dtype)
    var = t.tensor(np.linspace(0.5, 2.0, c)).to(x.dtype)
    return mean, var


def _bn_train_stats(t: Any, x: Any, w: Any, b: Any) -> Any:
    mean, var = _running(t, x)
    return t.nn.functional.batch_norm(x, mean, var, w, b, training=True, momentum=0.3)


def _bn_eval(t: Any, x: Any, w: Any, b: Any) -> Any:
    mean, var = _running(t, x)
    return t.nn.functional.batch_norm(x, mean, var, w, b, training=False)


_IDX = np.array([[1, 2, 1], [4, 0, 1]])  # repeated rows: their gradients add up

OPS: list[OpInfo] = [
    OpInfo("F.batch_norm_train", lambda t, x, w, b: t.nn.functional.batch_norm(
        x, None, None, w, b, training=True), _BN_SAMPLES, (_WIDE, _GAIN, REAL),
        ("NativeBatchNorm",), FLOATS),
    OpInfo("F.batch_norm_train_running", _bn_train_stats, _BN_SAMPLES, (_WIDE, _GAIN, REAL),
           ("NativeBatchNorm",), FLOATS),
    OpInfo("F.batch_norm_eval", _bn_eval, _BN_SAMPLES, (_WIDE, _GAIN, REAL),
           ("NativeBatchNorm",), FLOATS),
    OpInfo("F.batch_norm_no_affine", lambda t, x: t.nn.functional.batch_norm(
        x, None, None, training=True, eps=1e-3), (((6, 3),), ((3, 2, 4),)), _WIDE,
        ("NativeBatchNorm",), FLOATS),
    OpInfo("torch.batch_norm", lambda t, x, w, b: t.batch_norm(
        x, w, b, None, None, True, 0.1, 1e-5, False), _BN_SAMPLES, (_WIDE, _GAIN, REAL),
        ("NativeBatchNorm",), FLOATS),
    OpInfo("F.layer_norm", lambda t, x, w, b: t.nn.functional.layer_norm(
        x, w.shape, w, b), _LN_SAMPLES, (_WIDE, _GAIN, REAL), ("NativeLayerNorm",), FLOATS),
    OpInfo("F.layer_norm_no_affine", lambda t, x: t.nn.functional.layer_norm(
        x, x.shape[1:], eps=1e-3), (((4, 3),), ((2, 3, 4),)), _WIDE, ("NativeLayerNorm",),
        FLOATS),
    OpInfo("F.layer_norm_weight_only", lambda t, x, w: t.nn.functional.layer_norm(
        x, (5,), w), (((3, 5), (5,)),), (_WIDE, _GAIN), ("NativeLayerNorm",), FLOATS),
    OpInfo("torch.layer_norm", lambda t, x, w, b: t.layer_norm(x, [3], w, b, 1e-5),
           (((4, 3), (3,), (3,)),), (_WIDE, _GAIN, REAL), ("NativeLayerNorm",), FLOATS),
    OpInfo("F.embedding", lambda t, w: t.nn.functional.embedding(t.tensor(_IDX), w),
           (((5, 3),), ((6, 1),)), REAL, ("Embedding",), FLOATS),
    OpInfo("F.embedding_padding_idx", lambda t, w: t.nn.functional.embedding(
        t.tensor(_IDX), w, padding_idx=1), (((5, 3),),), REAL, ("Embedding",), FLOATS,
        gradcheck=False),  # by design not the derivative: the padding row's is zeroed
    OpInfo("F.embedding_scale_grad_by_freq", lambda t, w: t.nn.functional.embedding(
        t.tensor(_IDX), w, scale_grad_by_freq=True), (((5, 3),),), REAL, ("Embedding",),
        FLOATS, gradcheck=False),  # by design: each row's gradient divided by its count
]

# group norm: (N, C, *) inputs, C divisible by the groups; per-channel weight and bias
_GN_SAMPLES = (((4, 6), (6,), (6,)), ((3, 4, 5), (4,), (4,)), ((2, 6, 3, 2), (6,), (6,)))


def _in_running(t: Any, x: Any, w: Any, b: Any) -> Any:
    mean, var = _running(t, x)
    return t.nn.functional.instance_norm(x, mean, var, w, b, momentum=0.2)


def _in_eval(t: Any, x: Any, w: Any, b: Any) -> Any:
    mean, var = _running(t, x)
    return t.nn.functional.instance_norm(x, mean, var, w, b, use_input_stats=False)


OPS += [
    OpInfo("F.group_norm", lambda t, x, w, b: t.nn.functional.group_norm(x, 2, w, b),
           _GN_SAMPLES, (_WIDE, _GAIN, REAL), ("NativeGroupNorm",), FLOATS),
    OpInfo("F.group_norm_no_affine", lambda t, x: t.nn.functional.group_norm(x, 1, eps=1e-3),
           (((3, 4, 5),), ((2, 2, 3, 3),)), _WIDE, ("NativeGroupNorm",), FLOATS),
    OpInfo("F.group_norm_per_channel", lambda t, x, w: t.nn.functional.group_norm(x, 4, w),
           (((2, 4, 6), (4,)),), (_WIDE, _GAIN), ("NativeGroupNorm",), FLOATS),
    OpInfo("torch.group_norm", lambda t, x, w, b: t.group_norm(x, 3, w, b, 1e-5, False),
           (((2, 6, 3, 2), (6,), (6,)),), (_WIDE, _GAIN, REAL), ("NativeGroupNorm",), FLOATS),
    OpInfo("F.instance_norm", lambda t, x, w, b: t.nn.functional.instance_norm(
        x, weight=w, bias=b), ((((3, 2, 5), (2,), (2,))), ((2, 3, 2, 3), (3,), (3,))),
        (_WIDE, _GAIN, REAL), ("NativeBatchNorm",), FLOATS),
    OpInfo("F.instance_norm_running", _in_running, (((3, 2, 5), (2,), (2,)),),
           (_WIDE, _GAIN, REAL), ("NativeBatchNorm",), FLOATS),
    OpInfo("F.instance_norm_eval", _in_eval, (((3, 2, 5), (2,), (2,)),),
           (_WIDE, _GAIN, REAL), ("NativeBatchNorm",), FLOATS),
    OpInfo("F.pixel_shuffle", lambda t, x: t.nn.functional.pixel_shuffle(x, 2),
           (((1, 8, 2, 3),), ((4, 3, 3),), ((2, 1, 4, 1, 2),)), REAL, ("PixelShuffle",),
           FLOATS),
    OpInfo("F.pixel_unshuffle", lambda t, x: t.nn.functional.pixel_unshuffle(x, 2),
           (((1, 2, 4, 6),), ((3, 2, 2),), ((2, 1, 1, 4, 2),)), REAL, ("PixelUnshuffle",),
           FLOATS),
    OpInfo("torch.pixel_shuffle_3", lambda t, x: t.pixel_shuffle(x, 3), (((1, 9, 2, 2),),),
           REAL, ("PixelShuffle",), FLOATS),
]
