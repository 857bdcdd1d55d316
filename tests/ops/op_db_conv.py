"""OpInfo entries for glasstorch/ops (conv); ``op_db.py`` appends ``OPS`` to its table.

Convolutions over many shapes, strides, paddings, dilations and groups; max/avg/adaptive
pooling (max pooling on distinct values, and on integer ties for torch's tie rule); and
every padding mode, compared with torch in float32 and float64 (values and gradients).
"""

from __future__ import annotations

from typing import Any

from op_db import DISTINCT, REAL, WITH_INT, OpInfo, small_ints  # imported at the end of op_db.py

# Sums of up to ~100 products: float32 rounding differs from torch's kernels in the last bits.
CONV_TOL = (1e-4, 1e-5)


def _conv(name: str, samples: list[tuple[tuple[int, ...], ...]], **kw: Any) -> OpInfo:
    """An ``F.conv2d`` entry with fixed keyword arguments over several (x, w[, b]) shapes."""

    def op(t: Any, *inputs: Any) -> Any:
        return t.nn.functional.conv2d(*inputs, **kw)

    return OpInfo(name, op, samples, REAL, ("Convolution",), tol32=CONV_TOL)


def _pool(name: str, fn: str, samples: list[tuple[tuple[int, ...], ...]], covers: tuple[str, ...],
          domain: Any = DISTINCT, **kw: Any) -> OpInfo:
    """An ``F.<fn>`` entry (one input) with fixed arguments."""

    def op(t: Any, x: Any) -> Any:
        return getattr(t.nn.functional, fn)(x, **kw)

    return OpInfo(name, op, samples, domain, covers)


def _pad(name: str, pad: tuple[int, ...], mode: str, samples: list[tuple[tuple[int, ...], ...]],
         covers: tuple[str, ...], **kw: Any) -> OpInfo:
    def op(t: Any, x: Any) -> Any:
        return t.nn.functional.pad(x, pad, mode=mode, **kw)

    return OpInfo(name, op, samples, REAL, covers)


OPS: list[OpInfo] = [
    # ---- conv2d
    _conv("conv2d", [((2, 3, 6, 6), (4, 3, 3, 3), (4,)), ((1, 1, 5, 5), (2, 1, 1, 1), (2,)),
                     ((2, 2, 7, 5), (3, 2, 2, 3), (3,)), ((3, 1, 4, 4), (1, 1, 4, 4), (1,))]),
    _conv("conv2d_no_bias", [((2, 3, 6, 6), (4, 3, 3, 3)), ((1, 2, 3, 5), (2, 2, 3, 1))]),
    _conv("conv2d_stride2_pad1", [((2, 3, 7, 7), (4, 3, 3, 3), (4,)),
                                  ((1, 2, 6, 5), (3, 2, 2, 2), (3,))], stride=2, padding=1),
    _conv("conv2d_mixed", [((2, 2, 8, 7), (3, 2, 3, 2), (3,)), ((1, 1, 9, 9), (2, 1, 2, 3), (2,))],
          stride=(2, 1), padding=(0, 2), dilation=(2, 1)),
    _conv("conv2d_dilation2", [((1, 2, 9, 8), (2, 2, 3, 3), (2,))], dilation=2, padding=2),
    _conv("conv2d_stride3_uncovered", [((2, 2, 8, 8), (2, 2, 2, 2), (2,))], stride=3),
    _conv("conv2d_groups2",
          [((2, 4, 6, 6), (6, 2, 3, 3), (6,)), ((1, 4, 5, 4), (4, 2, 1, 2), (4,))],
          groups=2, padding=1),
    _conv("conv2d_depthwise", [((2, 4, 5, 5), (8, 1, 3, 3), (8,))], groups=4, stride=2),
    _conv("conv2d_depthwise_1x1", [((1, 3, 4, 4), (3, 1, 1, 1), (3,))], groups=3),
    _conv("conv2d_same", [((2, 3, 6, 6), (2, 3, 3, 3), (2,)), ((1, 2, 5, 6), (2, 2, 2, 4), (2,))],
          padding="same"),
    _conv("conv2d_same_dilated", [((1, 2, 7, 6), (3, 2, 3, 2), (3,))], padding="same",
          dilation=(2, 3)),
    _conv("conv2d_valid", [((2, 3, 5, 5), (2, 3, 3, 3), (2,))], padding="valid"),
    _conv("conv2d_unbatched", [((3, 6, 6), (4, 3, 3, 3), (4,)), ((1, 4, 4), (2, 1, 2, 2), (2,))],
          padding=1),
    OpInfo("torch.conv2d", lambda t, x, w, b: t.conv2d(x, w, b, 1, 1, 1, 1),
           [((2, 3, 5, 5), (4, 3, 3, 3), (4,))], REAL, ("Convolution",), tol32=CONV_TOL),
    OpInfo("conv2d_int64", lambda t, x, w: t.conv2d(x, w, padding=1),
           [((2, 3, 5, 5), (4, 3, 3, 3))], REAL, ("Convolution",), dtypes=WITH_INT,
           tol32=CONV_TOL),
    # ---- max pooling (distinct values: one maximum per window)
    _pool("max_pool2d", "max_pool2d", [((2, 3, 6, 6),), ((1, 1, 5, 7),), ((3, 4, 4),)],
          ("MaxPool2DWithIndices",), kernel_size=2),
    _pool("max_pool2d_k3s2p1", "max_pool2d", [((2, 2, 7, 7),), ((1, 3, 6, 5),)],
          ("MaxPool2DWithIndices",), kernel_size=3, stride=2, padding=1),
    _pool("max_pool2d_dilated_ceil", "max_pool2d", [((2, 2, 9, 8),), ((1, 1, 6, 6),)],
          ("MaxPool2DWithIndices",), kernel_size=(2, 3), stride=(2, 1), padding=(1, 1),
          dilation=2, ceil_mode=True),
    _pool("max_pool2d_ceil", "max_pool2d", [((1, 2, 5, 5),), ((2, 7, 6),)],
          ("MaxPool2DWithIndices",), kernel_size=2, ceil_mode=True),
    _pool("max_pool2d_indices", "max_pool2d", [((2, 2, 6, 6),), ((2, 5, 7),)],
          ("MaxPool2DWithIndices",), kernel_size=3, stride=2, padding=1, return_indices=True),
    _pool("max_pool2d_with_indices", "max_pool2d_with_indices", [((1, 2, 7, 5),)],
          ("MaxPool2DWithIndices",), kernel_size=2, stride=1, dilation=(1, 2)),
    OpInfo("torch.max_pool2d", lambda t, x: t.max_pool2d(x, 3, 2, 1, 1, True),
           [((2, 2, 8, 8),)], DISTINCT, ("MaxPool2DWithIndices",), dtypes=WITH_INT),
    # ties: torch keeps the first maximum in scan order, and its gradient goes there
    OpInfo("max_pool2d_ties", lambda t, x: t.nn.functional.max_pool2d(x, 3, 1, 1,
                                                                       return_indices=True),
           [((2, 2, 5, 5),)], small_ints(-1, 1), ("MaxPool2DWithIndices",), dtypes=WITH_INT,
           gradcheck=False),
    # ---- average pooling
    _pool("avg_pool2d", "avg_pool2d", [((2, 3, 6, 6),), ((1, 1, 5, 7),), ((3, 4, 4),)],
          ("AvgPool2D",), REAL, kernel_size=2),
    _pool("avg_pool2d_k3s2p1", "avg_pool2d", [((2, 2, 7, 7),), ((1, 3, 6, 5),)],
          ("AvgPool2D",), REAL, kernel_size=3, stride=2, padding=1),
    _pool("avg_pool2d_exclude_pad_ceil", "avg_pool2d", [((2, 2, 7, 6),), ((2, 5, 5),)],
          ("AvgPool2D",), REAL, kernel_size=(3, 2), stride=2, padding=1, ceil_mode=True,
          count_include_pad=False),
    _pool("avg_pool2d_include_pad_ceil", "avg_pool2d", [((2, 2, 7, 6),)],
          ("AvgPool2D",), REAL, kernel_size=3, stride=2, padding=1, ceil_mode=True),
    _pool("avg_pool2d_divisor", "avg_pool2d", [((1, 2, 6, 6),)], ("AvgPool2D",), REAL,
          kernel_size=3, stride=1, padding=1, divisor_override=4),
    OpInfo("avg_pool2d_int64", lambda t, x: t.nn.functional.avg_pool2d(x, 3, 2, 1),
           [((2, 2, 6, 6),)], REAL, ("AvgPool2D",), dtypes=WITH_INT),
    # ---- adaptive average pooling
    _pool("adaptive_avg_pool2d", "adaptive_avg_pool2d", [((2, 3, 7, 5),), ((3, 6, 6),)],
          ("AdaptiveAvgPool2D",), REAL, output_size=(2, 3)),
    _pool("adaptive_avg_pool2d_int", "adaptive_avg_pool2d", [((1, 2, 6, 6),), ((1, 2, 5, 5),)],
          ("AdaptiveAvgPool2D",), REAL, output_size=3),
    _pool("adaptive_avg_pool2d_none", "adaptive_avg_pool2d", [((2, 2, 5, 4),)],
          ("AdaptiveAvgPool2D",), REAL, output_size=(None, 2)),
    _pool("adaptive_avg_pool2d_upsample", "adaptive_avg_pool2d", [((1, 2, 3, 4),)],
          ("AdaptiveAvgPool2D",), REAL, output_size=(5, 7)),
    _pool("adaptive_avg_pool2d_global", "adaptive_avg_pool2d", [((2, 3, 4, 5),)],
          ("MeanDim",), REAL, output_size=1),
    # ---- padding
    _pad("pad_constant", (1, 2), "constant", [((3, 4),), ((2, 3, 4, 5),)], ("ConstantPadNd",)),
    _pad("pad_constant_value", (1, 1, 2, 0), "constant", [((2, 3, 4),)], ("ConstantPadNd",),
         value=1.5),
    _pad("pad_constant_negative", (-1, 2, 0, -2), "constant", [((2, 4, 5),)],
         ("ConstantPadNd",)),
    OpInfo("torch.constant_pad_nd", lambda t, x: t.constant_pad_nd(x, (1, 1, 1, 1, 1, 0), 2.0),
           [((2, 3, 4),)], REAL, ("ConstantPadNd",), dtypes=WITH_INT),
    _pad("pad_reflect_1d", (2, 3), "reflect", [((3, 6),), ((2, 3, 5),)], ("ReflectionPad1D",)),
    _pad("pad_reflect_2d", (1, 2, 3, 1), "reflect", [((3, 5, 6),), ((2, 2, 4, 5),)],
         ("ReflectionPad2D",)),
    _pad("pad_reflect_3d", (1, 1, 2, 0, 1, 3), "reflect", [((1, 2, 4, 5, 6),)],
         ("ReflectionPad3D",)),
    _pad("pad_reflect_negative", (1, 1, -2, 1), "reflect", [((2, 2, 5, 4),)],
         ("ReflectionPad2D",)),
    _pad("pad_replicate_1d", (4, 1), "replicate", [((2, 3),), ((2, 2, 5),)],
         ("ReplicationPad1D",)),
    _pad("pad_replicate_2d", (3, 0, 2, 5), "replicate", [((2, 2, 4, 3),), ((2, 3, 3),)],
         ("ReplicationPad2D",)),
    _pad("pad_replicate_3d", (1, 2, 0, 1, 2, 2), "replicate", [((2, 3, 4, 2),)],
         ("ReplicationPad3D",)),
    _pad("pad_circular_1d", (2, 3), "circular", [((2, 4),), ((2, 2, 5),)], ("CircularPad",)),
    # (torch reads uninitialised memory when a pad exceeds what a negative pad leaves)
    _pad("pad_circular_2d", (1, 4, 2, -1), "circular", [((2, 2, 4, 5),), ((2, 5, 4),)],
         ("CircularPad",)),
    _pad("pad_circular_3d", (1, 1, 1, 1, 1, 1), "circular", [((1, 2, 3, 4, 2),)],
         ("CircularPad",)),
]

# ---- 1-d convolution and pooling, transposed convolution, adaptive max pooling, interpolate


def _conv1d(name: str, samples: list[tuple[tuple[int, ...], ...]], **kw: Any) -> OpInfo:
    def op(t: Any, *inputs: Any) -> Any:
        return t.nn.functional.conv1d(*inputs, **kw)

    return OpInfo(name, op, samples, REAL, ("Convolution1D",), tol32=CONV_TOL)


def _conv_t(name: str, samples: list[tuple[tuple[int, ...], ...]], **kw: Any) -> OpInfo:
    def op(t: Any, *inputs: Any) -> Any:
        return t.nn.functional.conv_transpose2d(*inputs, **kw)

    return OpInfo(name, op, samples, REAL, ("ConvolutionTranspose",), tol32=CONV_TOL)


def _resize(name: str, samples: list[tuple[tuple[int, ...], ...]], covers: str,
            **kw: Any) -> OpInfo:
    def op(t: Any, x: Any) -> Any:
        return t.nn.functional.interpolate(x, **kw)

    return OpInfo(name, op, samples, REAL, (covers,))


OPS += [
    # ---- conv1d
    _conv1d("conv1d", [((2, 3, 9), (4, 3, 3), (4,)), ((1, 1, 5), (2, 1, 1), (2,))]),
    _conv1d("conv1d_stride_pad_dilation", [((2, 2, 11), (3, 2, 3), (3,))], stride=2, padding=1,
            dilation=2),
    _conv1d("conv1d_groups_same", [((2, 4, 8), (6, 2, 4), (6,))], groups=2, padding="same"),
    _conv1d("conv1d_unbatched_no_bias", [((3, 7), (2, 3, 2))], padding=1),
    OpInfo("torch.conv1d", lambda t, x, w: t.conv1d(x, w, None, 2), [((2, 3, 9), (4, 3, 3))],
           REAL, ("Convolution1D",), dtypes=WITH_INT, tol32=CONV_TOL),
    # ---- conv_transpose2d
    _conv_t("conv_transpose2d", [((2, 3, 4, 5), (3, 4, 3, 3), (4,)),
                                 ((1, 2, 3, 3), (2, 1, 2, 2), (1,))]),
    _conv_t("conv_transpose2d_stride_pad_outpad", [((2, 3, 4, 5), (3, 2, 3, 3), (2,))],
            stride=2, padding=1, output_padding=1),
    _conv_t("conv_transpose2d_mixed", [((2, 4, 5, 4), (4, 3, 3, 2), (6,))],
            stride=(2, 3), padding=(0, 1), output_padding=(1, 2), groups=2, dilation=(1, 2)),
    _conv_t("conv_transpose2d_outpad_past_padding", [((1, 2, 3, 3), (2, 2, 2, 2))], stride=3,
            output_padding=2, dilation=2),
    _conv_t("conv_transpose2d_unbatched", [((3, 4, 4), (3, 2, 3, 3), (2,))], padding=1),
    OpInfo("torch.conv_transpose2d", lambda t, x, w: t.conv_transpose2d(x, w, stride=2),
           [((2, 3, 4, 4), (3, 2, 2, 2))], REAL, ("ConvolutionTranspose",), dtypes=WITH_INT,
           tol32=CONV_TOL),
    # ---- 1-d pooling (torch: the 2-d op on a unit height, then squeeze)
    _pool("max_pool1d", "max_pool1d", [((2, 3, 9),), ((3, 8),)], ("MaxPool2DWithIndices",),
          kernel_size=3, stride=2, padding=1),
    _pool("max_pool1d_indices", "max_pool1d", [((2, 3, 9),)], ("MaxPool2DWithIndices",),
          kernel_size=2, dilation=2, ceil_mode=True, return_indices=True),
    OpInfo("torch.max_pool1d", lambda t, x: t.max_pool1d(x, 2, 1, 1), [((2, 3, 6),)],
           DISTINCT, ("MaxPool2DWithIndices",), dtypes=WITH_INT),
    _pool("avg_pool1d", "avg_pool1d", [((2, 3, 9),), ((3, 8),)], ("AvgPool2D",), REAL,
          kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    OpInfo("torch.avg_pool1d", lambda t, x: t.avg_pool1d(x, 2), [((2, 3, 7),)], REAL,
           ("AvgPool2D",)),
    _pool("adaptive_avg_pool1d", "adaptive_avg_pool1d", [((2, 3, 9),), ((3, 5),)],
          ("AdaptiveAvgPool2D",), REAL, output_size=4),
    OpInfo("torch.adaptive_avg_pool1d", lambda t, x: t.adaptive_avg_pool1d(x, 1),
           [((2, 3, 7),)], REAL, ("MeanDim",)),
    # ---- adaptive max pooling (distinct values; windows of different sizes overlap)
    _pool("adaptive_max_pool2d", "adaptive_max_pool2d", [((2, 3, 7, 5),), ((3, 6, 6),)],
          ("AdaptiveMaxPool2D",), output_size=(3, 4)),
    _pool("adaptive_max_pool2d_indices", "adaptive_max_pool2d", [((2, 2, 5, 8),)],
          ("AdaptiveMaxPool2D",), output_size=(None, 3), return_indices=True),
    _pool("adaptive_max_pool2d_upsample", "adaptive_max_pool2d", [((1, 2, 3, 2),)],
          ("AdaptiveMaxPool2D",), output_size=(5, 4)),
    OpInfo("adaptive_max_pool2d_int64",
           lambda t, x: t.nn.functional.adaptive_max_pool2d(x, 2, return_indices=True),
           [((2, 2, 5, 5),)], small_ints(-1, 1), ("AdaptiveMaxPool2D",), dtypes=WITH_INT,
           gradcheck=False),
    # ---- interpolate
    _resize("interpolate_nearest2d_x2", [((2, 3, 4, 5),)], "UpsampleNearest2D", scale_factor=2),
    _resize("interpolate_nearest2d_size", [((2, 3, 4, 5),)], "UpsampleNearest2D", size=(7, 3)),
    _resize("interpolate_nearest2d_scale", [((1, 2, 5, 6),)], "UpsampleNearest2D",
            scale_factor=(1.7, 0.6)),
    _resize("interpolate_nearest2d_recompute", [((1, 2, 5, 6),)], "UpsampleNearest2D",
            scale_factor=1.3, recompute_scale_factor=True),
    OpInfo("interpolate_nearest2d_int64",
           lambda t, x: t.nn.functional.interpolate(x, scale_factor=1.5),
           [((1, 2, 4, 4),)], REAL, ("UpsampleNearest2D",), dtypes=WITH_INT),
    _resize("interpolate_nearest1d", [((2, 3, 5),)], "UpsampleNearest1D", scale_factor=2.5),
    _resize("interpolate_nearest1d_size", [((2, 3, 7),)], "UpsampleNearest1D", size=3),
    _resize("interpolate_linear", [((2, 3, 5),)], "UpsampleLinear1D", scale_factor=1.6,
            mode="linear"),
    _resize("interpolate_linear_align", [((2, 3, 5),)], "UpsampleLinear1D", size=9,
            mode="linear", align_corners=True),
    _resize("interpolate_linear_down", [((2, 3, 9),)], "UpsampleLinear1D", size=4,
            mode="linear"),
    _resize("interpolate_bilinear", [((2, 3, 4, 5),)], "UpsampleBilinear2D", scale_factor=2,
            mode="bilinear"),
    _resize("interpolate_bilinear_align", [((2, 3, 4, 5),)], "UpsampleBilinear2D",
            size=(7, 3), mode="bilinear", align_corners=True),
    _resize("interpolate_bilinear_scale", [((1, 2, 6, 5),)], "UpsampleBilinear2D",
            scale_factor=(0.7, 1.3), mode="bilinear"),
    _resize("interpolate_bilinear_recompute", [((1, 2, 6, 5),)], "UpsampleBilinear2D",
            scale_factor=1.45, mode="bilinear", recompute_scale_factor=True),
    _resize("interpolate_bilinear_to_one", [((1, 2, 3, 4),)], "UpsampleBilinear2D",
            size=(1, 5), mode="bilinear", align_corners=True),
]
