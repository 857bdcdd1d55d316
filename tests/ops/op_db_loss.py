"""OpInfo entries for glasstorch/ops (loss); ``op_db.py`` appends ``OPS`` to its table.

The class-index losses take their targets from ``_classes``: fixed indices drawn from the
input's shape (the same for both libraries), with ``ignore_index`` present when asked.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from op_db import UNIT, OpInfo, uniform  # imported at the end of op_db.py, after OpInfo exists

# (N, C), a single sample (C,), and K-dimensional inputs (3-D, 4-D: NllLoss2D, 5-D)
CLASS_SAMPLES = (((4, 5),), ((5,),), ((3, 4, 2),), ((2, 3, 2, 2),), ((2, 3, 2, 1, 2),))
CLASS_REDUCED = (((4, 5),), ((3, 4, 2),), ((2, 3, 2, 2),))  # batched: ignore_index present


def _classes(t: Any, x: Any, ignore: bool = False) -> Any:
    """Class indices for ``x`` (classes on dim 1, or dim 0 for 1-D input)."""
    shape = tuple(x.shape)
    n_classes = shape[1] if len(shape) > 1 else shape[0]
    target_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    rng = np.random.default_rng(sum(shape) * 7 + len(shape))
    target = rng.integers(0, n_classes, target_shape)
    if ignore and target.ndim:
        target.flat[::2] = -100 if ignore is True else ignore
    return t.tensor(target)


def _weight(t: Any, x: Any) -> Any:
    n_classes = x.shape[1] if x.dim() > 1 else x.shape[0]
    return t.tensor(np.linspace(0.5, 2.0, n_classes), dtype=x.dtype)


def _F(t: Any) -> Any:
    return t.nn.functional


def _entries() -> list[OpInfo]:
    ops: list[OpInfo] = []
    for red in ("mean", "sum", "none"):
        k_dim = "CrossEntropy" if red == "none" else "CrossEntropy2d"
        ops += [
            OpInfo(f"F.cross_entropy_{red}",
                   lambda t, x, r=red: _F(t).cross_entropy(x, _classes(t, x), reduction=r),
                   CLASS_SAMPLES, covers=("CrossEntropy", k_dim)),
            OpInfo(f"F.cross_entropy_weight_ignore_{red}",
                   lambda t, x, r=red: _F(t).cross_entropy(
                       x, _classes(t, x, True), weight=_weight(t, x), reduction=r),
                   CLASS_REDUCED, covers=("CrossEntropy",)),
            OpInfo(f"F.cross_entropy_smoothing_{red}",
                   lambda t, x, r=red: _F(t).cross_entropy(
                       x, _classes(t, x, True), weight=_weight(t, x), reduction=r,
                       label_smoothing=0.2),
                   CLASS_REDUCED, covers=("CrossEntropySmoothed",)),
            OpInfo(f"F.cross_entropy_smoothing_unweighted_{red}",
                   lambda t, x, r=red: _F(t).cross_entropy(x, _classes(t, x), reduction=r,
                                                           label_smoothing=0.1),
                   CLASS_REDUCED, covers=("CrossEntropySmoothed",)),
            OpInfo(f"F.cross_entropy_probs_{red}",
                   lambda t, x, p, r=red: _F(t).cross_entropy(x, p, reduction=r),
                   (((4, 5), (4, 5)), ((5,), (5,)), ((2, 3, 2), (2, 3, 2))),
                   (uniform(-2, 2), UNIT),
                   covers=("CrossEntropyProbsMean" if red == "mean" else "CrossEntropyProbs",)),
            OpInfo(f"F.cross_entropy_probs_weight_smoothing_{red}",
                   lambda t, x, p, r=red: _F(t).cross_entropy(
                       x, p, weight=_weight(t, x), reduction=r, label_smoothing=0.25),
                   (((4, 5), (4, 5)), ((2, 3, 2), (2, 3, 2))), (uniform(-2, 2), UNIT)),
            OpInfo(f"F.nll_loss_{red}",
                   lambda t, x, r=red: _F(t).nll_loss(x, _classes(t, x), reduction=r),
                   CLASS_SAMPLES, covers=("NllLoss", "NllLoss2d" if red != "none" else "NllLoss")),
            OpInfo(f"F.nll_loss_weight_ignore_{red}",
                   lambda t, x, r=red: _F(t).nll_loss(
                       x, _classes(t, x, 1), weight=_weight(t, x), ignore_index=1,
                       reduction=r),
                   CLASS_REDUCED, covers=("NllLoss", "NllLoss2d")),
            OpInfo(f"F.binary_cross_entropy_with_logits_{red}",
                   lambda t, x, y, r=red: _F(t).binary_cross_entropy_with_logits(
                       x, y, reduction=r),
                   (((3, 4), (3, 4)), ((5,), (5,)), ((), ())), (uniform(-3, 3), UNIT),
                   covers=("BinaryCrossEntropyWithLogits",)),
            OpInfo(f"F.binary_cross_entropy_with_logits_weights_{red}",
                   lambda t, x, y, w, pw, r=red: _F(t).binary_cross_entropy_with_logits(
                       x, y, weight=w.detach(), pos_weight=pw.detach(), reduction=r),
                   (((3, 4), (3, 4), (4,), (4,)), ((2, 3), (2, 3), (2, 1), (3,))),
                   (uniform(-3, 3), UNIT, UNIT, uniform(0.5, 3)), grads=(0, 1)),
            OpInfo(f"F.smooth_l1_loss_{red}",
                   lambda t, x, y, r=red: _F(t).smooth_l1_loss(x, y, reduction=r, beta=0.7),
                   (((3, 4), (3, 4)), ((5,), (5,))), covers=("SmoothL1Loss",)),
            OpInfo(f"F.huber_loss_{red}",
                   lambda t, x, y, r=red: _F(t).huber_loss(x, y, reduction=r, delta=0.6),
                   (((3, 4), (3, 4)), ((5,), (5,))), covers=("HuberLoss",)),
        ]
    ops += [
        OpInfo("F.kl_div_none", lambda t, x, y: _F(t).kl_div(x, y, reduction="none"),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), UNIT), covers=("KlDiv",)),
        OpInfo("F.kl_div_sum", lambda t, x, y: _F(t).kl_div(x, y, reduction="sum"),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), UNIT), covers=("KlDivSum",)),
        OpInfo("F.kl_div_batchmean", lambda t, x, y: _F(t).kl_div(x, y, reduction="batchmean"),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), UNIT), covers=("KlDivSum",)),
        OpInfo("F.kl_div_log_target_none",
               lambda t, x, y: _F(t).kl_div(x, y, reduction="none", log_target=True),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), uniform(-3, -0.1)),
               covers=("KlDivLogTarget",)),
        OpInfo("F.kl_div_log_target_sum",
               lambda t, x, y: _F(t).kl_div(x, y, reduction="sum", log_target=True),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), uniform(-3, -0.1))),
        OpInfo("F.kl_div_mean",
               lambda t, x, y: _F(t).kl_div(x, y, size_average=True, reduce=True),
               (((3, 4), (3, 4)),), (uniform(-3, -0.1), UNIT), covers=("KlDivMean",)),
    ]
    return ops


OPS: list[OpInfo] = _entries()
