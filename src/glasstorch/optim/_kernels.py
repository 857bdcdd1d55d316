"""The in-place kernels the optimizers use, rounded exactly as torch's CPU kernels round.

An optimizer step is a chain of in-place tensor ops (``lerp_``, ``mul_``, ``addcmul_``,
``sqrt``, ``addcdiv_``...). To land on the very bits torch computes, each one here repeats
its ATen kernel's float32 arithmetic, rounding for rounding:

- ``add(b, alpha)``, ``lerp`` and ``addcmul`` are vectorised with a fused multiply-add
  (one rounding for ``a * b + c``). A product of two float32 values is exact in float64,
  so doing the sum there and rounding once to float32 gives the same bits (a second
  rounding could only differ on an exact float32 tie, which does not happen in practice).
- ``addcdiv`` is ``self + (value * t1) / t2`` with three roundings.
- ``sqrt`` on float32 goes through Intel MKL's ``vsSqrt`` in torch, which is not correctly
  rounded (up to 0.75 ulp off). :func:`sqrt` reproduces MKL's generic SSE kernel (the one
  MKL runs on AMD processors): a ``rsqrtps`` estimate and two Newton steps in float32.
  ``rsqrtps`` is a hardware table lookup; its 8192 entries (as measured on AMD EPYC) are
  stored below. It is used on AMD processors only (``SQRT_KERNEL``); elsewhere NumPy's
  correctly rounded ``sqrt`` is used, and the last bit may differ from torch's.

float64 arrays use the plain formulas (NumPy's correctly rounded operations), which may
differ from torch in the last bit.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any

import numpy as np

from glasstorch.optim.optimizer import Optimizer, ParamsT

_F32 = np.dtype(np.float32)
_F64 = np.float64

# rsqrtps(x) for x in [1, 4): 12-bit mantissas, indexed by (exponent parity, top 12
# mantissa bits); stored as the steps (0, 1 or 2) down from 4096 (x in [1, 2)) and from
# 1696 (x in [2, 4)).
_RSQRT_STEPS = (
    "eNrdlu0OgzAIRW95/4fej+kq/WIIpdU5g8d7qEljIil9fzgqCZyMfjL6VkYjv96jgftPvrpCnyNfo2IS"
    "8tkMZ7+ds51hTEI+m+Hslzlluv67rPVXMyQ/m806O8fkfrEe13x/7jOcfe+84aMqAyalH83Q+okfSWBs"
    "lpt9vOvA3b5iP8qgl2v96Fz0Nc0NTsb+1fzDcjs6DKXvvZ63D3bnfD8yR+crfGWLiaOfJzPPrHW39aR+"
    "KCdrEnI4T/Jw9quczcT5E9FjUvpaxuT+Xn4WUs6etPEsrGP2SbyGQ4ZzHu3jZfMstLkwSVhzq+/dX/Hi"
    "ORTB/QO/MQ/Oz6P9ut9xWHlABeoXnw+GY4bS1/YjeD1stp7VV6/nuPYTucww+dkI7vf2o9fzzmv/uO6c"
    "Uh7t79a/+/Ok8wMJlBAA"
)


def _rsqrt_table() -> np.ndarray:
    packed = zlib.decompress(base64.b64decode(_RSQRT_STEPS))
    steps = np.frombuffer(packed, np.uint8).astype(np.int64)
    mantissas = np.array([[4096], [1696]]) - np.cumsum(steps.reshape(2, 4096), axis=1)
    # y in [0.5, 1): biased exponent 126 is added per element in sqrt()
    return (mantissas.ravel() << 11).astype(np.uint32)


_RSQRT_MANTISSA = _rsqrt_table()


def _cpu_vendor() -> str:
    """The CPU vendor string from /proc/cpuinfo ('' where there is none, e.g. macOS)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


# Which float32 sqrt torch's MKL runs here: its generic kernel on AMD (emulated bit for bit
# by sqrt() below), a correctly rounded one assumed elsewhere (NumPy's np.sqrt).
SQRT_KERNEL = "mkl-generic" if _cpu_vendor() == "AuthenticAMD" else "correctly-rounded"


class Workspace:
    """Scratch arrays reused from step to step, one per (purpose, shape, dtype).

    A step of Adam needs a dozen temporaries the size of the parameter. Allocating them
    afresh each time costs more than the arithmetic (the operating system hands out and
    zeroes new pages for every large array), so each optimizer keeps them here. Only one
    parameter is updated at a time, so parameters of the same shape can share them.
    """

    def __init__(self) -> None:
        self._buffers: dict[tuple[str, tuple[int, ...], np.dtype[Any]], np.ndarray] = {}

    def get(self, purpose: str, like: np.ndarray, dtype: Any = None) -> np.ndarray:
        """An uninitialised array shaped like ``like`` (of ``dtype``, or like's dtype)."""
        key = (purpose, like.shape, np.dtype(dtype or like.dtype))
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = np.empty(like.shape, key[2])
        return buffer


def sqrt(x: np.ndarray, work: Workspace) -> np.ndarray:
    """``torch.sqrt(x)`` with torch's (MKL's) float32 rounding, in a workspace array."""
    out = work.get("sqrt", x)
    if x.dtype != _F32 or SQRT_KERNEL != "mkl-generic":
        return np.sqrt(x, out=out)
    # zero, subnormal, negative, inf, nan and x > 3.4e38 take MKL's exact slow path
    scratch = work.get("sqrt_u32", x, np.uint32)
    np.subtract(x.view(np.uint32), np.uint32(0x00800000), out=scratch)
    special = np.greater(scratch, 0x7EFFF000, out=work.get("sqrt_special", x, np.bool_))
    any_special = special.any()
    original = x
    if any_special:
        x = work.get("sqrt_safe", x)
        np.copyto(x, original)
        x[special] = 1  # keeps NaN warnings out of the fast path
    bits = x.view(np.uint32)
    # the estimate y = rsqrtps(x): table mantissa, exponent 126 - floor((e - 127) / 2)
    index = np.right_shift(bits, 11, out=work.get("sqrt_index", x, np.intp))
    index &= 0x1FFF
    index ^= 0x1000  # [1, 2) (odd exponent) comes first in the table
    y_bits = np.take(_RSQRT_MANTISSA, index, out=work.get("sqrt_y", x, np.uint32))
    exponent = np.right_shift(bits, 23, out=scratch).view(np.int32)
    exponent -= 127
    exponent >>= 1
    np.subtract(126, exponent, out=exponent)
    exponent <<= 23
    y_bits |= exponent.view(np.uint32)
    y = y_bits.view(np.float32)
    # two Newton steps, each product and sum rounded to float32 (MKL's EX kernel):
    # s = x*y, h = y/2, r = 1/2 - s*h, s += s*r, h += h*r, result = s + (x - s*s)*h
    half = np.float32(0.5)
    h = np.multiply(y, half, out=work.get("sqrt_h", x))
    s = np.multiply(x, y, out=out)
    r = np.multiply(s, h, out=y)
    np.subtract(half, r, out=r)
    t = np.multiply(s, r, out=work.get("sqrt_t", x))
    np.multiply(h, r, out=r)
    s += t
    h += r
    np.multiply(s, s, out=t)
    np.subtract(x, t, out=t)
    t *= h
    s += t
    if any_special:
        s[special] = np.sqrt(original[special])
    return s


def fma(a: np.ndarray | np.floating[Any], b: np.ndarray, c: np.ndarray, out: np.ndarray,
        work: Workspace) -> None:
    """``out = a * b + c`` rounded once (a fused multiply-add), for float32 ``out``."""
    exact = np.multiply(b, a, out=work.get("fma", b, _F64), dtype=_F64)
    exact += c
    np.copyto(out, exact, casting="same_kind")


def add_scaled(a: np.ndarray, b: np.ndarray, alpha: float, out: np.ndarray,
               work: Workspace) -> np.ndarray:
    """``a.add(b, alpha=alpha)`` into ``out`` (fused like torch's kernel); returns ``out``."""
    if a.dtype == _F32:
        fma(np.float32(alpha), b, a, out, work)
    else:
        np.add(a, np.multiply(b, alpha, out=work.get("scaled", b)), out=out)
    return out


def lerp_(start: np.ndarray, end: np.ndarray, weight: float, work: Workspace) -> None:
    """``start.lerp_(end, weight)``: ATen's formula, exact from whichever end is nearer."""
    w = start.dtype.type(weight)
    diff = np.subtract(end, start, out=work.get("diff", start))
    if abs(w) < 0.5:
        base, coeff = start, w
    else:
        base, coeff = end, w - start.dtype.type(1)
    if start.dtype == _F32:
        fma(coeff, diff, base, start, work)
    else:
        diff *= coeff
        np.add(base, diff, out=start)


def addcmul_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float,
             work: Workspace) -> None:
    """``self.addcmul_(t1, t2, value=value)``: ``self + (value * t1) * t2``, the last step fused."""
    if value == 1:
        scaled = t1
    else:
        scaled = np.multiply(t1, self.dtype.type(value), out=work.get("scaled", t1))
    if self.dtype == _F32:
        fma(scaled, t2, self, self, work)
    else:
        self += np.multiply(scaled, t2, out=work.get("product", t1))


def addcdiv_(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float,
             work: Workspace) -> None:
    """``self.addcdiv_(t1, t2, value=value)``: ``self + (value * t1) / t2``, rounded per step."""
    quotient = np.multiply(t1, self.dtype.type(value), out=work.get("quotient", t1))
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 gives NaN silently, as torch
        np.divide(quotient, t2, out=quotient)
    self += quotient


# ---------------------------------------------------------------------- option checks
def check_supported(optimizer: str, group: dict[str, Any]) -> None:
    """Refuse the options glasstorch cannot honour (one NumPy update per tensor, on CPU).

    Raises:
        NotImplementedError: ``foreach``, ``fused``, ``capturable`` or ``differentiable``
            set to True in a parameter group.
    """
    for name in ("foreach", "fused", "capturable", "differentiable"):
        if group.get(name):
            raise NotImplementedError(
                f"glasstorch's {optimizer} does not implement {name}=True: it updates one "
                f"tensor at a time with NumPy (torch's default on CPU, so the results are "
                f"the same). Leave {name} at its default."
            )


class KernelOptimizer(Optimizer):
    """Base of the optimizers whose steps run the kernels above (Adam, RMSprop, ...).

    It refuses the options they cannot honour (``check_supported``), in the defaults and in
    every parameter group, and keeps their scratch ``Workspace`` (not part of the state).
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        check_supported(type(self).__name__, defaults)
        super().__init__(params, defaults)
        self._work = Workspace()
        for group in self.param_groups:
            check_supported(type(self).__name__, group)
