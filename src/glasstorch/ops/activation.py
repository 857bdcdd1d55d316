"""Activation ops: softmax, log_softmax, leaky_relu, elu, gelu, silu, softplus, hardtanh, ...

Each op is one Function whose docstring gives the forward formula and the gradient. The
formulas and their order of operations follow ATen's CPU kernels (``Activation.cpp``,
``SoftMaxKernel.cpp``, ``GeluKernel.cpp``), computed in the input's dtype.

Only ``softmax``, ``log_softmax``, ``selu``, ``celu`` and ``threshold`` are ``torch.<name>``
functions; the others exist in PyTorch only as ``torch.nn.functional.<name>``, which
re-exports them from here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor, _inplace
from glasstorch.autograd.function import Function
from glasstorch.ops._util import dtype_name, wrap_dim

__all__ = ["softmax", "log_softmax", "selu", "selu_", "celu", "celu_", "threshold", "threshold_"]

_max = np.maximum.reduce
_sum = np.add.reduce


def _float_only(x: np.ndarray, kernel: str) -> None:
    """torch's NotImplementedError for an integer/bool input to a float-only kernel."""
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype_name(x)}\'')


# ----------------------------------------------------------------------------- softmax
class Softmax(Function):
    """out = e ** (x - max) / sum(e ** (x - max)) along dim;
    dx = out * (grad - sum(grad * out, dim))
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int = -1) -> np.ndarray:
        axis = wrap_dim(dim, x.ndim)
        _float_only(x, _softmax_kernel("softmax", axis, x.ndim))
        if x.ndim == 0:
            out = np.ones_like(x)
        elif x.size == 0:
            out = x.copy()
        else:
            # subtracting the max keeps exp from overflowing; it cancels in the ratio
            out = np.exp(x - _max(x, axis=axis, keepdims=True))
            out *= 1 / _sum(out, axis=axis, keepdims=True)  # ATen multiplies by 1/sum
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        if out.ndim == 0:
            return np.zeros_like(grad)
        return out * (grad - _sum(grad * out, axis=ctx.axis, keepdims=True))


class LogSoftmax(Function):
    """out = x - max - log(sum(e ** (x - max))) along dim;  dx = grad - e ** out * sum(grad, dim)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int = -1) -> np.ndarray:
        axis = wrap_dim(dim, x.ndim)
        _float_only(x, _softmax_kernel("log_softmax", axis, x.ndim))
        if x.ndim == 0:
            out = np.zeros_like(x)
        elif x.size == 0:
            out = x.copy()
        else:
            m = _max(x, axis=axis, keepdims=True)
            m[~np.isfinite(m)] = 0  # an all -inf row stays -inf (inf - inf would be nan)
            shifted = x - m
            out = shifted - np.log(_sum(np.exp(shifted), axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        if out.ndim == 0:
            return np.zeros_like(grad)
        return grad - np.exp(out) * _sum(grad, axis=ctx.axis, keepdims=True)


def _softmax_kernel(name: str, axis: int, ndim: int) -> str:
    """The kernel torch names in its dtype error (the last dim has its own kernel)."""
    return f"{name}_lastdim_kernel_impl" if axis == max(ndim, 1) - 1 else f"{name}_kernel_impl"


def _softmax_input(input: Tensor, dtype: Any) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"softmax(): argument 'input' must be Tensor, not {type(input).__name__}")
    # dtype= converts the input first (a ToCopyBackward0 node), then runs the op
    return input if dtype is None else input.to(dtype)


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """``exp(input)`` normalised to sum to 1 along ``dim`` (stable: the max is subtracted).

    Args:
        input: a float tensor.
        dim: the dimension whose entries sum to 1.
        dtype: if given, ``input`` is converted to it first.

    Example:
        >>> import glasstorch as torch
        >>> torch.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([0.0900, 0.2447, 0.6652])
    """
    return Softmax.apply(_softmax_input(input, dtype), dim=dim)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """``log(softmax(input, dim))``, computed without overflow or ``log(0)``.

    Args:
        input: a float tensor.
        dim: the dimension to normalise over.
        dtype: if given, ``input`` is converted to it first.

    Example:
        >>> import glasstorch as torch
        >>> torch.log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([-2.4076, -1.4076, -0.4076])
    """
    return LogSoftmax.apply(_softmax_input(input, dtype), dim=dim)


# ----------------------------------------------------------------------------- ReLU family
class LeakyRelu(Function):
    """out = x if x > 0 else negative_slope * x;  dx = grad if x > 0 else negative_slope * grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
        _float_only(x, "leaky_relu_cpu")
        positive = x > 0
        ctx.save_for_backward(positive)
        ctx.negative_slope = negative_slope
        return np.where(positive, x, x * x.dtype.type(negative_slope))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (positive,) = ctx.saved_tensors
        return np.where(positive, grad, grad * grad.dtype.type(ctx.negative_slope))


class LeakyReluInplace(LeakyRelu):
    """out = leaky_relu(x) written over x;  dx = grad if out > 0 else negative_slope * grad"""

    grad_fn_name = "LeakyReluBackward1"  # torch's in-place node: the gradient from the result

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        if ctx.negative_slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an issue "
                "at https://github.com/pytorch/pytorch if you do require supporting in-place "
                "leakRelu backward calculation with negative slope"
            )
        return LeakyRelu.backward(ctx, grad)


class Elu(Function):
    """out = x if x > 0 else alpha * (e ** x - 1);  dx = grad if x > 0 else grad * alpha * e ** x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
        _float_only(x, "elu_cpu")
        a = x.dtype.type(alpha)
        out = np.where(x > 0, x, np.expm1(np.minimum(x, 0)) * a)
        ctx.save_for_backward(x)
        ctx.alpha = a
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return np.where(x > 0, grad, grad * ctx.alpha * np.exp(np.minimum(x, 0)))


class EluInplace(Function):
    """out = elu(x) written over x;  dx = grad if out > 0 else grad * (out + alpha)"""

    grad_fn_name = "EluBackward1"  # torch's in-place node: the gradient from the result

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
        out = Elu.forward(ctx, x, alpha)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        if ctx.alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which is "
                "not supported. This is caused by calling in-place forward function with a "
                "negative slope, please call out-of-place version instead."
            )
        return np.where(out > 0, grad, grad * (out + ctx.alpha))


class Hardtanh(Function):
    """out = min(max(x, min_val), max_val);  dx = grad where min_val < x < max_val, else 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, min_val: float = -1.0,
                max_val: float = 1.0) -> np.ndarray:
        if x.dtype.kind == "b":
            raise RuntimeError("\"clamp_scalar_cpu\" not implemented for 'Bool'")
        lo, hi = x.dtype.type(min_val), x.dtype.type(max_val)
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward((x > lo) & (x < hi))
        return np.minimum(np.maximum(x, lo), hi)  # NaN stays NaN, as in torch's clamp

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (inside,) = ctx.saved_tensors
        return grad * inside


# ----------------------------------------------------------------------------- smooth ones
_SQRT1_2 = math.sqrt(0.5)
_GELU_PDF = 2 / math.sqrt(math.pi) * _SQRT1_2 * 0.5  # ATen's kBeta: 1 / sqrt(2 pi)
_GELU_TANH_BETA = math.sqrt(2) * 2 / math.sqrt(math.pi) * 0.5  # sqrt(2 / pi)
_GELU_TANH_KAPPA = 0.044715


class Gelu(Function):
    """out = x * Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2;  dx = grad * (Phi(x) + x * phi(x))

    With ``approximate='tanh'``: out = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3))) / 2.
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, approximate: str = "none") -> np.ndarray:
        _float_only(x, "GeluKernelImpl")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        t = x.dtype.type
        if approximate == "tanh":
            inner = t(_GELU_TANH_BETA) * (x + t(_GELU_TANH_KAPPA) * (x * x * x))
            return t(0.5) * x * (1 + np.tanh(inner))
        return x * t(0.5) * (1 + _erf(x * t(_SQRT1_2)))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        t = x.dtype.type
        if ctx.approximate == "tanh":
            x_sq = x * x
            inner = t(_GELU_TANH_BETA) * (x + t(_GELU_TANH_KAPPA) * (x_sq * x))
            tanh_inner = np.tanh(inner)
            left_derivative = t(0.5) * (1 + tanh_inner)
            right_derivative = (1 - tanh_inner * tanh_inner) * (
                t(_GELU_TANH_BETA) * (1 + t(3 * _GELU_TANH_KAPPA) * x_sq))
            return grad * (left_derivative + t(0.5) * x * right_derivative)
        cdf = t(0.5) * (1 + _erf(x * t(_SQRT1_2)))
        pdf = t(_GELU_PDF) * np.exp(x * x * t(-0.5))
        return grad * (cdf + x * pdf)


class Silu(Function):
    """out = x * sigmoid(x);  dx = grad * s * (1 + x * (1 - s)), s = sigmoid(x)"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "silu_cpu")
        ctx.save_for_backward(x)
        with np.errstate(over="ignore"):  # e ** -x overflows for very negative x: out = -0
            return x / (1 + np.exp(-x))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        with np.errstate(over="ignore"):
            s = 1 / (1 + np.exp(-x))
        return grad * s * (1 + x * (1 - s))


class Softplus(Function):
    """out = log(1 + e ** (beta x)) / beta (x where beta x > threshold);
    dx = grad * z / (z + 1), z = e ** (beta x) (grad where beta x > threshold)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, beta: float = 1.0,
                threshold: float = 20.0) -> np.ndarray:
        _float_only(x, "softplus_cpu")
        t = x.dtype.type
        bx = x * t(beta)
        linear = bx > t(threshold)
        ctx.save_for_backward(bx, linear)
        with np.errstate(over="ignore"):  # the overflowing elements are the linear ones
            return np.where(linear, x, np.log1p(np.exp(bx)) / t(beta))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        bx, linear = ctx.saved_tensors
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(bx)
            return np.where(linear, grad, grad * z / (z + 1))


# ----------------------------------------------------------------------------- more activations
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class Selu(Function):
    """out = scale * (x if x > 0 else alpha * (e ** x - 1));
    dx = grad * scale if x > 0 else grad * scale * alpha * e ** x
    """

    grad_fn_name = "EluBackward0"  # torch's selu is elu with a scale

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "elu_cpu")
        t = x.dtype.type
        ctx.save_for_backward(x)
        return np.where(x > 0, x * t(_SELU_SCALE),
                        np.expm1(np.minimum(x, 0)) * t(_SELU_ALPHA * _SELU_SCALE))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        t = x.dtype.type
        return np.where(x > 0, grad * t(_SELU_SCALE),
                        grad * t(_SELU_ALPHA * _SELU_SCALE) * np.exp(np.minimum(x, 0)))


class SeluInplace(Selu):
    """out = selu(x) written over x;  dx = as for ``Selu``"""

    grad_fn_name = "EluBackward1"


class Celu(Function):
    """out = x if x > 0 else alpha * (e ** (x / alpha) - 1);
    dx = grad if x > 0 else grad * e ** (x / alpha)
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
        _float_only(x, "elu_cpu")
        t = x.dtype.type
        ctx.save_for_backward(x)
        ctx.inv_alpha = t(1 / alpha)
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0) * ctx.inv_alpha) * t(alpha))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return np.where(x > 0, grad, grad * np.exp(np.minimum(x, 0) * ctx.inv_alpha))


class CeluInplace(Celu):
    """out = celu(x) written over x;  dx = as for ``Celu``"""

    grad_fn_name = "CeluBackward1"


class Mish(Function):
    """out = x * tanh(softplus(x));  dx = grad * (t + x * sigmoid(x) * (1 - t ** 2)),
    t = tanh(softplus(x))
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "mish_cpu")
        ctx.save_for_backward(x)
        with np.errstate(over="ignore"):
            return x * np.tanh(np.log1p(np.exp(x)))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        with np.errstate(over="ignore"):
            sigmoid = 1 / (1 + np.exp(-x))
            tanh_softplus = np.tanh(np.log1p(np.exp(x)))
        return grad * (tanh_softplus + x * sigmoid * (1 - tanh_softplus * tanh_softplus))


class Hardswish(Function):
    """out = x * min(max(x + 3, 0), 6) / 6;
    dx = 0 if x < -3, grad * (x / 3 + 1/2) if x <= 3, grad otherwise
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "hardswish_cpu")
        ctx.save_for_backward(x)
        t = x.dtype.type
        return x * np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        t = x.dtype.type
        middle = grad * (x / t(3) + t(0.5))
        return np.where(x < -3, t(0), np.where(x <= 3, middle, grad))


class Hardsigmoid(Function):
    """out = min(max(x + 3, 0), 6) / 6;  dx = grad / 6 where -3 < x < 3, else 0"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "hardsigmoid_cpu")
        ctx.save_for_backward(x)
        t = x.dtype.type
        return np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        t = x.dtype.type
        # ATen multiplies by the float literal 1.0f / 6.0f, even for float64
        return np.where((x > -3) & (x < 3), grad * t(np.float32(1 / 6)), t(0))


class LogSigmoid(Function):
    """out = min(x, 0) - log(1 + e ** -|x|);  dx = grad * (1 - sigmoid(x))"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        _float_only(x, "log_sigmoid_cpu")
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        negative = x < 0
        z = np.exp(-np.abs(x))
        # ATen's form: stable for both signs of x
        return grad * (negative - np.where(negative, 1, -1) * (z / (1 + z)))


class Threshold(Function):
    """out = value if x <= threshold else x;  dx = 0 if x <= threshold else grad"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, threshold: float, value: float) -> np.ndarray:
        if x.dtype.kind == "b":
            raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
        below = x <= threshold
        ctx.save_for_backward(below)
        return np.where(below, np.asarray(value).astype(x.dtype), x)

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        (below,) = ctx.saved_tensors
        return np.where(below, grad.dtype.type(0), grad)


class ThresholdInplace(Threshold):
    """out = threshold(x) written over x;  dx = as for ``Threshold``"""

    grad_fn_name = "ThresholdBackward1"


class Glu(Function):
    """out = a * sigmoid(b), (a, b) = the halves of x along dim;
    da = grad * sigmoid(b),  db = grad * a * sigmoid(b) * (1 - sigmoid(b))
    """

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, dim: int = -1) -> np.ndarray:
        _float_only(x, "glu_cpu")
        a, b = np.split(x, 2, axis=dim)
        with np.errstate(over="ignore"):
            s = 1 / (1 + np.exp(-b))
        ctx.save_for_backward(a, s)
        ctx.dim = dim
        return a * s

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
        a, s = ctx.saved_tensors
        return np.concatenate((grad * s, grad * a * s * (1 - s)), axis=ctx.dim)


# ------------------------------------------------------------------------------ erf
# NumPy has no erf: Cephes' rational approximations (ndtr.c, the ones SciPy uses), accurate
# to about 1e-16 in float64. float32 inputs are evaluated in float32 (a few times faster;
# within an ulp or two of the exact erf, as is torch's own vectorised erf).
_ERF_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
          7.00332514112805075473e3, 5.55923013010394962768e4)
_ERF_U = (1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
          2.26290000613890934246e4, 4.92673942608635921086e4)
_ERFC_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
           4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
           9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2)
_ERFC_Q = (1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
           9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
           1.65666309194161350182e3, 5.57535340817727675546e2)
_ERFC_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
           6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0)
_ERFC_S = (1.0, 2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
           1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0)
# beyond these |x|, erf(x) rounds to +-1 in the dtype (erfc(4) < 2**-25, erfc(6) < 2**-54)
_ERF_SATURATES = {np.dtype(np.float32): 4.0, np.dtype(np.float64): 6.0}


def _polyval(coefs: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        out *= x
        out += c
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function of a float array, elementwise, in the array's dtype."""
    if x.dtype not in _ERF_SATURATES:
        return _erf(x.astype(np.float32)).astype(x.dtype)
    # Both branches are computed for every element and then selected: whole-array
    # arithmetic is much faster in NumPy than gathering and scattering the elements.
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # unselected values
        z = x * x
        near_zero = x * _polyval(_ERF_T, z) / _polyval(_ERF_U, z)
        a = np.minimum(np.abs(x), _ERF_SATURATES[x.dtype])  # NaN stays NaN
        ratio = _polyval(_ERFC_P, a) / _polyval(_ERFC_Q, a)
        if x.dtype == np.float64:
            ratio = np.where(a < 8.0, ratio, _polyval(_ERFC_R, a) / _polyval(_ERFC_S, a))
        far = np.copysign(1 - np.exp(-(a * a)) * ratio, x)
    return np.where(np.abs(x) <= 1.0, near_zero, far)


# ----------------------------------------------------------------------------- functions
# torch has these only as torch.nn.functional.<name> (not torch.<name>); nn.functional
# re-exports them.
def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.leaky_relu(torch.tensor([-2.0, 3.0]), 0.1)
        tensor([-0.2000,  3.0000])
    """
    if inplace:
        return _inplace(input, _leaky_relu_result, negative_slope)
    return LeakyRelu.apply(input, negative_slope=negative_slope)


def _leaky_relu_result(input: Tensor, negative_slope: float) -> Tensor:
    return LeakyReluInplace.apply(input, negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place :func:`leaky_relu` (``grad_fn`` ``LeakyReluBackward1``)."""
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``alpha * (exp(input) - 1)`` elsewhere.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.elu(torch.tensor([-1.0, 2.0]))
        tensor([-0.6321,  2.0000])
    """
    if inplace:
        return _inplace(input, _elu_result, alpha)
    return Elu.apply(input, alpha=alpha)


def _elu_result(input: Tensor, alpha: float) -> Tensor:
    return EluInplace.apply(input, alpha=alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place :func:`elu` (``grad_fn`` ``EluBackward1``)."""
    return elu(input, alpha, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """``input`` clamped to ``[min_val, max_val]``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.hardtanh(torch.tensor([-2.0, 0.5, 2.0]))
        tensor([-1.0000,  0.5000,  1.0000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return _inplace(input, _hardtanh, min_val, max_val)
    return Hardtanh.apply(input, min_val=min_val, max_val=max_val)


def _hardtanh(input: Tensor, min_val: float, max_val: float) -> Tensor:
    return Hardtanh.apply(input, min_val=min_val, max_val=max_val)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """In-place :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(0, input), 6)``: :func:`hardtanh` on ``[0, 6]`` (``HardtanhBackward0``).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.relu6(torch.tensor([-1.0, 3.0, 9.0]))
        tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``input * Phi(input)``, Phi the standard normal CDF (``'tanh'``: its tanh approximation).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.gelu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return Gelu.apply(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)`` (also called swish).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.silu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.2689,  0.0000,  0.7311])
    """
    if inplace:
        return _inplace(input, _silu)
    return Silu.apply(input)


def _silu(input: Tensor) -> Tensor:
    return Silu.apply(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * input)) / beta``, linear where ``beta * input > threshold``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.softplus(torch.tensor([0.0, 30.0]))
        tensor([ 0.6931, 30.0000])
    """
    return Softplus.apply(input, beta=beta, threshold=threshold)



def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(input, alpha)`` with SELU's fixed ``alpha`` ~ 1.6733, ``scale`` ~ 1.0507.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.selu(torch.tensor([-1.0, 1.0]))
        tensor([-1.1113,  1.0507])
    """
    if inplace:
        return _inplace(input, SeluInplace.apply)
    return Selu.apply(input)


def selu_(input: Tensor) -> Tensor:
    """In-place :func:`selu` (``grad_fn`` ``EluBackward1``)."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``alpha * (exp(input / alpha) - 1)`` elsewhere.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.celu(torch.tensor([-1.0, 1.0]), alpha=2.0)
        tensor([-0.7869,  1.0000])
    """
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if inplace:
        return _inplace(input, _celu_result, alpha)
    return Celu.apply(input, alpha=alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place :func:`celu` (``grad_fn`` ``CeluBackward1``)."""
    return celu(input, alpha, inplace=True)


def _celu_result(input: Tensor, alpha: float) -> Tensor:
    return CeluInplace.apply(input, alpha=alpha)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * tanh(softplus(input))``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.mish(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.3034,  0.0000,  0.8651])
    """
    if inplace:
        return _inplace(input, Mish.apply)
    return Mish.apply(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * hardsigmoid(input)``: 0 below -3, ``input`` above 3, a parabola between.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.hardswish(torch.tensor([-1.0, 1.0, 4.0]))
        tensor([-0.3333,  0.6667,  4.0000])
    """
    if inplace:
        return _inplace(input, Hardswish.apply)
    return Hardswish.apply(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``clamp(input / 6 + 1/2, 0, 1)``, a piecewise linear sigmoid.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.hardsigmoid(torch.tensor([-4.0, 0.0, 1.5]))
        tensor([0.0000, 0.5000, 0.7500])
    """
    if inplace:
        return _inplace(input, Hardsigmoid.apply)
    return Hardsigmoid.apply(input)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(input))``, computed without overflow.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.logsigmoid(torch.tensor([0.0, -100.0]))
        tensor([  -0.6931, -100.0000])
    """
    return LogSigmoid.apply(input)


def softsign(input: Tensor) -> Tensor:
    """``input / (1 + |input|)`` (composite: ``DivBackward0``, as torch).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.softsign(torch.tensor([-3.0, 1.0]))
        tensor([-0.7500,  0.5000])
    """
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """``input - tanh(input)`` (composite: ``SubBackward0``, as torch).

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.tanhshrink(torch.tensor([1.0]))
        tensor([0.2384])
    """
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``value`` where ``input <= threshold``, ``input`` elsewhere.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.threshold(torch.tensor([0.5, 2.0]), 1.0, -1.0)
        tensor([-1.,  2.])
    """
    if inplace:
        return _inplace(input, _threshold_result, threshold, value)
    return Threshold.apply(input, threshold=threshold, value=value)


def _threshold_result(input: Tensor, threshold: float, value: float) -> Tensor:
    return ThresholdInplace.apply(input, threshold=threshold, value=value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """In-place :func:`threshold` (``grad_fn`` ``ThresholdBackward1``)."""
    return _inplace(input, _threshold_result, threshold, value)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit: ``a * sigmoid(b)``, ``a`` and ``b`` the halves along ``dim``.

    Example:
        >>> import glasstorch as torch
        >>> import glasstorch.nn.functional as F
        >>> F.glu(torch.tensor([1.0, 2.0, 0.0, 100.0]))
        tensor([0.5000, 2.0000])
    """
    x = input._data
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, x.ndim)
    if x.shape[d] % 2:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {d} is size {x.shape[d]}"
        )
    return Glu.apply(input, dim=d)
