"""OpInfo entries for glasstorch/ops (math more); ``op_db.py`` appends ``OPS``."""

from __future__ import annotations

from typing import Any

from op_db import (  # imported at the end of op_db.py, after OpInfo exists
    DISTINCT,
    DISTINCT_B,
    MATRICES,
    NONZERO,
    NOT_EMPTY_DIM,
    POSITIVE,
    REAL,
    UNIT,
    WITH_INT,
    OpInfo,
    binary,
    offgrid,
    small_ints,
    unary,
    uniform,
    with_zeros,
)

WIDE = uniform(-4.0, 4.0)
NEG_OFFGRID = offgrid(1.0, 0.2, 0.8, span=3)  # lgamma/digamma between the poles
TERNARY = (((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1)), ((), (3, 4), ()), ((5,), (), (5,)))
EVEN_LAST = (((4,),), ((3, 4),), ((2, 3, 2),))
PAIRS = (((3, 4), (3, 4)), ((3, 4), (4,)), ((1, 4), (3, 4)), ((2, 3, 4), (3, 4)))


def _F(t: Any) -> Any:
    return t.nn.functional


def _inplace(method: str, *args: Any, **kwargs: Any) -> Any:
    def run(t: Any, x: Any, *more: Any) -> Any:
        z = x * 1
        return getattr(z, method)(*more, *args, **kwargs)

    return run


def _f_inplace(name: str, *args: Any) -> Any:
    def run(t: Any, x: Any) -> Any:
        return getattr(_F(t), name)(x * 1, *args, inplace=True)

    return run


OPS: list[OpInfo] = [
    # ---- special functions
    unary("torch.erf", lambda t, x: t.erf(x), ("Erf",), WIDE, dtypes=WITH_INT),
    unary("erf_", _inplace("erf_"), ("Erf",)),
    unary("torch.erfc", lambda t, x: t.erfc(x), ("Erfc",), WIDE, dtypes=WITH_INT),
    unary("erfc_method", lambda t, x: x.erfc(), ("Erfc",), uniform(-2.0, 5.0)),
    unary("torch.erfinv", lambda t, x: t.erfinv(x), ("Erfinv",), uniform(-0.95, 0.95)),
    unary("erfinv_", _inplace("erfinv_"), ("Erfinv",), uniform(-0.5, 0.5)),
    unary("torch.lgamma", lambda t, x: t.lgamma(x), ("Lgamma",), uniform(0.1, 30.0)),
    unary("lgamma_negative", lambda t, x: x.lgamma(), ("Lgamma",), NEG_OFFGRID),
    unary("torch.digamma", lambda t, x: t.digamma(x), ("Digamma",), uniform(0.1, 30.0),
          tol64=(1e-8, 1e-10)),  # torch's polygamma(1) is good to ~1e-9
    unary("digamma_negative", lambda t, x: x.digamma(), ("Digamma",), NEG_OFFGRID,
          tol64=(1e-8, 1e-10)),
    unary("torch.sinc", lambda t, x: t.sinc(x), ("Sinc",), WIDE),
    unary("torch.logit", lambda t, x: t.logit(x), ("Logit",), UNIT),
    unary("logit_eps", lambda t, x: x.logit(0.2), ("Logit",), UNIT),
    unary("torch.exp2", lambda t, x: t.exp2(x), ("Exp2",), dtypes=WITH_INT),
    unary("exp2_", _inplace("exp2_"), ("Exp2",)),
    unary("torch.frac", lambda t, x: t.frac(x), ("Frac",), offgrid(1.0)),
    unary("frac_", _inplace("frac_"), ("Frac",), offgrid(1.0)),
    unary("torch.deg2rad", lambda t, x: t.deg2rad(x), ("Deg2Rad",), dtypes=WITH_INT),
    unary("torch.rad2deg", lambda t, x: t.rad2deg(x), ("Rad2Deg",), dtypes=WITH_INT),
    unary("torch.nan_to_num", lambda t, x: t.nan_to_num(x, posinf=1.0), ("NanToNum",),
          dtypes=WITH_INT),
    unary("square_", _inplace("square_"), ("Pow",)),
    # ---- binary and ternary
    binary("torch.atan2", lambda t, x, y: t.atan2(x, y), ("Atan2",), (REAL, NONZERO),
           dtypes=WITH_INT),
    binary("torch.arctan2", lambda t, x, y: t.arctan2(x, y), ("Atan2",), (REAL, NONZERO)),
    binary("torch.hypot", lambda t, x, y: t.hypot(x, y), ("Hypot",), (NONZERO, NONZERO)),
    binary("torch.xlogy", lambda t, x, y: t.xlogy(x, y), ("Xlogy",), (REAL, POSITIVE),
           dtypes=WITH_INT),
    unary("xlogy_scalar_self", lambda t, x: t.xlogy(2.5, x), ("XlogyScalarSelf",), POSITIVE),
    unary("xlogy_scalar_other", lambda t, x: t.xlogy(x, 3.0), ("XlogyScalarOther",)),
    binary("torch.logaddexp", lambda t, x, y: t.logaddexp(x, y), ("Logaddexp",), (WIDE, WIDE)),
    binary("torch.float_power", lambda t, x, y: t.float_power(x, y), ("PowTensor", "ToCopy"),
           (POSITIVE, REAL)),
    unary("float_power_scalar", lambda t, x: t.float_power(x, 3), ("Pow", "ToCopy"),
          dtypes=WITH_INT),
    unary("float_power_rscalar", lambda t, x: t.float_power(2, x), ("RPow", "ToCopy")),
    binary("torch.heaviside", lambda t, x, y: t.heaviside(x, y), ("Heaviside",),
           (small_ints(), REAL), backward_error="derivative for aten::heaviside"),
    OpInfo("torch.addcmul", lambda t, x, a, b: t.addcmul(x, a, b, value=0.5), TERNARY, REAL,
           ("Addcmul",)),
    OpInfo("addcmul_", _inplace("addcmul_", value=2.0),
           (((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1))), REAL, ("Addcmul",)),
    OpInfo("torch.addcdiv", lambda t, x, a, b: t.addcdiv(x, a, b, value=-1.5), TERNARY,
           (REAL, REAL, NONZERO), ("Addcdiv",)),
    OpInfo("addcdiv_method", lambda t, x, a, b: x.addcdiv(a, b), TERNARY,
           (REAL, REAL, NONZERO), ("Addcdiv",)),
    # ---- reductions
    unary("torch.cumprod", lambda t, x: t.cumprod(x, -1), ("Cumprod",), NONZERO,
          dtypes=WITH_INT),
    unary("cumprod_dim0_zeros", lambda t, x: x.cumprod(0), ("Cumprod",), with_zeros(),
          gradcheck=False),  # finite differences also work, but zeros make it slow to read
    unary("cumprod_", _inplace("cumprod_", 0), ("Cumprod",), NONZERO),
    unary("torch.var_mean", lambda t, x: t.var_mean(x, 1), ("VarMean",), REAL,
          (((3, 4),), ((1, 4),), ((2, 3, 4),))),
    unary("var_mean_all", lambda t, x: t.var_mean(x, correction=0), ("VarMean",), REAL,
          NOT_EMPTY_DIM),
    unary("torch.std_mean", lambda t, x: t.std_mean(x, -1, keepdim=True), ("StdMean",), REAL,
          NOT_EMPTY_DIM),
    unary("std_mean_var_only", lambda t, x: t.std_mean(x, (0, 1))[0], ("StdMean",), REAL,
          MATRICES),
    unary("std_mean_mean_only", lambda t, x: t.std_mean(x)[1], ("StdMean",), REAL,
          NOT_EMPTY_DIM),
    unary("torch.nansum", lambda t, x: t.nansum(x), ("Nansum",), dtypes=WITH_INT),
    unary("nansum_dim", lambda t, x: x.nansum(-1, keepdim=True), ("Nansum",)),
    unary("torch.nanmean", lambda t, x: t.nanmean(x, -1), ("Nansum", "Div"), REAL,
          NOT_EMPTY_DIM),
    unary("torch.aminmax", lambda t, x: t.aminmax(x), ("Aminmax",), DISTINCT),
    unary("aminmax_ties", lambda t, x: t.aminmax(x), ("Aminmax",), small_ints(),
          gradcheck=False),  # ties share the gradient (as torch): not a derivative
    unary("aminmax_dim", lambda t, x: x.aminmax(dim=-1), ("Aminmax",), DISTINCT, NOT_EMPTY_DIM,
          dtypes=WITH_INT),
    unary("aminmax_keepdim", lambda t, x: t.aminmax(x, dim=0, keepdim=True), ("Aminmax",),
          DISTINCT, MATRICES),
    # ---- shape
    unary("torch.rot90", lambda t, x: t.rot90(x), ("Rot90",), REAL, MATRICES, dtypes=WITH_INT),
    unary("rot90_k3_dims", lambda t, x: x.rot90(3, [-1, 0]), ("Rot90",), REAL, MATRICES),
    unary("rot90_k_neg", lambda t, x: x.rot90(-2), ("Rot90",), REAL, MATRICES),
    unary("torch.diff", lambda t, x: t.diff(x), ("Slice", "Sub"), REAL, NOT_EMPTY_DIM,
          dtypes=WITH_INT),
    unary("diff_n2_dim0", lambda t, x: x.diff(2, 0), ("Sub",), REAL, MATRICES),
    binary("diff_prepend", lambda t, x, y: t.diff(x, dim=0, prepend=y), ("Cat", "Sub"),
           samples=(((3, 4), (2, 4)), ((5,), (1,)))),
    unary("torch.repeat_interleave", lambda t, x: t.repeat_interleave(x, 2), ("Clone", "View")),
    unary("repeat_interleave_dim", lambda t, x: x.repeat_interleave(3, dim=-1),
          ("Clone", "View"), REAL, NOT_EMPTY_DIM, dtypes=WITH_INT),
    unary("repeat_interleave_tensor", lambda t, x: x.repeat_interleave(t.tensor([2, 0, 1]), 0),
          ("IndexSelect",), REAL, (((3, 4),), ((3,),))),
    # ---- activations (torch.nn.functional only)
    unary("F.selu", lambda t, x: _F(t).selu(x), ("Selu",), DISTINCT),
    unary("F.selu_inplace", _f_inplace("selu"), ("SeluInplace",), DISTINCT),
    unary("F.celu", lambda t, x: _F(t).celu(x), ("Celu",), DISTINCT),
    unary("F.celu_alpha", lambda t, x: _F(t).celu(x, 0.5), ("Celu",), DISTINCT),
    unary("F.celu_inplace", _f_inplace("celu", 2.0), ("CeluInplace",), DISTINCT),
    unary("F.mish", lambda t, x: _F(t).mish(x), ("Mish",), WIDE),
    unary("F.mish_inplace", _f_inplace("mish"), ("Mish",), WIDE),
    unary("F.hardswish", lambda t, x: _F(t).hardswish(x), ("Hardswish",), DISTINCT),
    unary("F.hardswish_wide", lambda t, x: _F(t).hardswish(x), ("Hardswish",),
          offgrid(1.0, 0.2, 0.8, span=5)),
    unary("F.hardswish_inplace", _f_inplace("hardswish"), ("Hardswish",), DISTINCT),
    unary("F.hardsigmoid", lambda t, x: _F(t).hardsigmoid(x), ("Hardsigmoid",),
          offgrid(1.0, 0.2, 0.8, span=5)),
    unary("F.hardsigmoid_inplace", _f_inplace("hardsigmoid"), ("Hardsigmoid",), DISTINCT),
    unary("F.logsigmoid", lambda t, x: _F(t).logsigmoid(x), ("LogSigmoid",), WIDE),
    unary("F.softsign", lambda t, x: _F(t).softsign(x), ("Abs", "Div"), DISTINCT),
    unary("F.tanhshrink", lambda t, x: _F(t).tanhshrink(x), ("Tanh", "Sub"), WIDE),
    unary("F.threshold", lambda t, x: _F(t).threshold(x, 0.5, -2.0), ("Threshold",), DISTINCT,
          dtypes=WITH_INT),
    unary("F.threshold_inplace", _f_inplace("threshold", 0.25, 3.0), ("ThresholdInplace",),
          DISTINCT),
    unary("F.threshold_", lambda t, x: _F(t).threshold_(x * 1, 0.0, 1.0),
          ("ThresholdInplace",), DISTINCT),
    unary("F.glu", lambda t, x: _F(t).glu(x), ("Glu",), WIDE, EVEN_LAST),
    unary("F.glu_dim0", lambda t, x: _F(t).glu(x, 0), ("Glu",), WIDE, (((4, 3),), ((2,),))),
    # ---- distances and similarities
    binary("F.cosine_similarity", lambda t, x, y: _F(t).cosine_similarity(x, y, dim=-1),
           ("Norm", "Div", "SumDim"), samples=PAIRS),
    binary("F.cosine_similarity_dim0", lambda t, x, y: _F(t).cosine_similarity(x, y, 0),
           ("Norm", "Div"), samples=(((3, 4), (3, 4)), ((3, 1), (3, 4)), ((5,), (5,)))),
    binary("F.pairwise_distance", lambda t, x, y: _F(t).pairwise_distance(x, y),
           ("NormDimP",), samples=PAIRS),
    binary("F.pairwise_distance_p1", lambda t, x, y: _F(t).pairwise_distance(x, y, 1.0),
           ("NormDimP",), (DISTINCT, DISTINCT_B), samples=PAIRS),
    binary("F.pairwise_distance_p3_keepdim",
           lambda t, x, y: _F(t).pairwise_distance(x, y, 3, keepdim=True), ("NormDimP",),
           samples=PAIRS),
    # ---- misc (tensor_split .. frexp)
    unary("torch.tensor_split", lambda t, x: t.tensor_split(x, 3, -1)[1], ("Slice",), REAL,
          NOT_EMPTY_DIM),
    unary("hsplit_method", lambda t, x: x.hsplit([1, 3])[1], ("Slice",), REAL, MATRICES),
    unary("torch.flipud", lambda t, x: t.flipud(x), ("Flip",), REAL, MATRICES),
    unary("torch.block_diag", lambda t, x: t.block_diag(x, x[0], x * 2), ("BlockDiag",), REAL,
          (((3, 4),), ((2, 2),))),
    unary("torch.combinations", lambda t, x: t.combinations(x.flatten()), ("Stack",), REAL,
          (((4,),), ((2, 3),))),
    unary("torch.sgn", lambda t, x: t.sgn(x) * x, ("Sgn", "Mul"), NONZERO),  # torch's sgn
    # gradient is a ZeroTensor (no NumPy view): multiply to compare it through a product
    binary("torch.copysign", lambda t, x, y: t.copysign(x, y), ("Copysign",), (NONZERO, NONZERO)),
    unary("copysign_scalar", lambda t, x: x.copysign(-2.0), ("CopysignScalar",), NONZERO),
    binary("torch.nextafter", lambda t, x, y: t.nextafter(x, y), ("Nextafter",), (REAL, REAL),
           gradcheck=False),  # the value jumps by one ulp: no derivative
    binary("torch.ldexp", lambda t, x, y: t.ldexp(x, y), ("Ldexp",), (REAL, REAL)),
    unary("torch.frexp", lambda t, x: t.frexp(x)[0], ("Frexp",), NONZERO, gradcheck=False),
    unary("torch.trapezoid", lambda t, x: t.trapezoid(x), ("TrapezoidScale",), REAL,
          NOT_EMPTY_DIM, dtypes=WITH_INT),
    unary("trapz_dx", lambda t, x: t.trapz(x, dx=0.5, dim=0), ("TrapezoidScale",), REAL,
          MATRICES),
    binary("trapezoid_x", lambda t, y, x: t.trapezoid(y, x), ("TrapezoidHalve", "Sub"),
           samples=(((3, 4), (4,)), ((2, 3, 4), (3, 4)), ((5,), (5,)))),
    unary("torch.cumulative_trapezoid", lambda t, x: t.cumulative_trapezoid(x, dim=0),
          ("TrapezoidScale", "Cumsum"), REAL, MATRICES),
    binary("cumulative_trapezoid_x", lambda t, y, x: t.cumulative_trapezoid(y, x),
           ("TrapezoidHalve", "Cumsum"), samples=(((3, 4), (4,)), ((5,), (5,)))),
]
