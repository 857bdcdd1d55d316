"""``torch.Generator``: PyTorch's CPU random streams, bit for bit, in vectorised NumPy.

Every random op in glasstorch draws from a :class:`Generator`. It holds the same state as
PyTorch's ``CPUGeneratorImpl`` (an MT19937 engine plus a cached Box-Muller value) and its
sampling kernels reproduce ATen's CPU kernels exactly, so ``torch.manual_seed(0);
torch.randn(3)`` prints the same digits here as in PyTorch. The recipe, and why each step
is the way it is, is written out next to the code.

Where the numbers are known to match (checked against torch 2.13.0):

* Linux x86-64 wheel on CPUs with AVX2 or AVX-512 (what Colab and most laptops/servers run)
  with the default kernel profile ``'avx2'``: every kernel here, bit for bit.
* ``ATEN_CPU_CAPABILITY=default`` (no SIMD kernels; also old x86 CPUs without AVX2) with
  the profile ``'scalar'``: select it with ``set_kernel_profile('scalar')`` or the
  environment variable ``GLASSTORCH_RNG_PROFILE=scalar``.
* Kernels that use ``log``/``log1p``/``sin``/``cos`` in double precision call the C
  library through Python's ``math`` module, exactly as ATen does, so they match wherever
  Python and torch share that library (glibc on Linux). The ``'scalar'`` profile calls
  ``logf``/``sinf``/``cosf`` from the C library the same way (slow, but exact).
* Not verified: macOS, Windows, Linux aarch64 (other compilers may not fuse the
  multiply-adds the way GCC does), and CUDA, which uses a different generator (Philox).

The only interface the rest of glasstorch uses is the kernel methods (``uniform``,
``normal``, ``random_from_to``, ``randperm``, ``bernoulli``, ``exponential``,
``multinomial``...), which return NumPy arrays in C (memory) order.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "Generator",
    "default_generator",
    "set_kernel_profile",
    "get_kernel_profile",
]

# ---------------------------------------------------------------------------------------------
# Kernel profiles
# ---------------------------------------------------------------------------------------------
# ATen compiles each CPU kernel several times (DEFAULT, AVX2, AVX512) and picks one at start-up.
# Two things differ between the builds and change the bits of the results:
#   * the AVX2/AVX512 builds are compiled with FMA, so GCC fuses `x * (to - from) + from`
#     (uniform_) and `z * std + mean` (normal) into one fused multiply-add (one rounding);
#   * only the AVX2 build has the vectorised float32 Box-Muller (Cephes log/sincos in float32).
_PROFILES = ("avx2", "scalar")
_profile = os.environ.get("GLASSTORCH_RNG_PROFILE", "avx2").strip().lower() or "avx2"
if _profile in ("avx512", "default"):  # spellings of ATEN_CPU_CAPABILITY
    _profile = "avx2" if _profile == "avx512" else "scalar"
if _profile not in _PROFILES:
    raise ValueError(
        f"GLASSTORCH_RNG_PROFILE={_profile!r} is not a kernel profile; use 'avx2' or 'scalar'"
    )


def set_kernel_profile(name: str) -> None:
    """Choose which ATen CPU build the kernels reproduce: ``'avx2'`` (default) or ``'scalar'``.

    ``'avx2'`` matches PyTorch on x86-64 CPUs with AVX2 or AVX-512; ``'scalar'`` matches
    PyTorch run with ``ATEN_CPU_CAPABILITY=default``. (``'avx512'`` and ``'default'`` are
    accepted as aliases.)
    """
    global _profile
    key = str(name).lower()
    key = {"avx512": "avx2", "default": "scalar"}.get(key, key)
    if key not in _PROFILES:
        raise ValueError(f"unknown kernel profile {name!r}; expected 'avx2' or 'scalar'")
    _profile = key


def get_kernel_profile() -> str:
    """The kernel profile in use (``'avx2'`` or ``'scalar'``)."""
    return _profile


# ---------------------------------------------------------------------------------------------
# Exact floating-point helpers
# ---------------------------------------------------------------------------------------------
_f32 = np.float32
_f64 = np.float64
_u32 = np.uint32
_u64 = np.uint64

# math.* are thin wrappers over the C library's log/log1p/sin/cos, the functions ATen calls.
# NumPy's own vectorised log/log1p differ from glibc in the last bit now and then, so we apply
# the C functions element-wise (frompyfunc runs the loop in C, ~0.1 us per element).
_c_log = np.frompyfunc(math.log, 1, 1)
_c_log1p = np.frompyfunc(math.log1p, 1, 1)
_c_sin = np.frompyfunc(math.sin, 1, 1)
_c_cos = np.frompyfunc(math.cos, 1, 1)


def _libm_apply(fn: Any, x: np.ndarray) -> np.ndarray:
    """``fn`` (a C-library double function) applied element-wise, as float64."""
    if x.size == 0:
        return np.empty(x.shape, _f64)
    out: np.ndarray = fn(x).astype(_f64)
    return out


_libm_f32: dict[str, Callable[..., Any]] = {}


def _libm_float(name: str) -> Any:
    """The C library's float32 function ``name`` (``logf``, ``sinf``, ``cosf``), vectorised."""
    if name not in _libm_f32:
        path = ctypes.util.find_library("m") or ctypes.util.find_library("c")
        if path is None:
            raise RuntimeError(
                "the 'scalar' kernel profile needs the C math library (logf, sinf, cosf), "
                "which was not found; use set_kernel_profile('avx2')"
            )
        fn = getattr(ctypes.CDLL(path), name)
        fn.restype = ctypes.c_float
        fn.argtypes = [ctypes.c_float]
        _libm_f32[name] = np.frompyfunc(fn, 1, 1)
    return _libm_f32[name]


def _two_sum(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """``s + e == a + b`` exactly, with ``s = fl(a + b)`` (Knuth's TwoSum)."""
    s = a + b
    bb = s - a
    e = (a - (s - bb)) + (b - bb)
    return s, e


def _two_prod(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    """``p + e == a * b`` exactly, with ``p = fl(a * b)`` (Dekker's product, Veltkamp split)."""
    p = a * b
    t = 134217729.0 * a  # 2**27 + 1 splits a double into two 26-bit halves
    ah = t - (t - a)
    al = a - ah
    t = 134217729.0 * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def _round_odd_fix(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Turn ``s = RN(x)`` into round-to-odd of ``x = s + e``.

    An inexact result gets an odd last bit. Rounding a round-to-odd value again to a narrower
    format is then correct.
    """
    fix = (e != 0) & ((s.view(_u64) & _u64(1)) == 0)
    if fix.any():
        s = s.copy()
        s[fix] = np.nextafter(s[fix], np.where(e[fix] > 0, np.inf, -np.inf))
    return s


def _fma64(a: Any, b: Any, c: Any) -> np.ndarray:
    """float64 ``a * b + c`` rounded once, like a hardware FMA (Boldo & Melquiond 2008)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, _f64), np.asarray(b, _f64), np.asarray(c, _f64))
    uh, ul = _two_prod(a, b)
    th, tl = _two_sum(c, uh)
    s, e = _two_sum(tl, ul)
    out: np.ndarray = th + _round_odd_fix(s, e)
    return out


def _fma32(a: np.ndarray, b: Any, c: Any, sum_is_exact: bool = False) -> np.ndarray:
    """float32 ``a * b + c`` rounded once (a, b, c hold float32 values).

    The product of two 24-bit significands is exact in float64, so ``s = p + c`` is the
    float64-rounded exact result. Rounding ``s`` to float32 is wrong only when ``s`` lands
    exactly on a float32 midpoint without being exact (double rounding), or in the float32
    subnormal range; only those rare elements get a round-to-odd correction. Callers that
    know the float64 sum is exact pass ``sum_is_exact=True`` and skip the check.
    """
    p = np.multiply(a, b, dtype=_f64)
    c64 = np.broadcast_to(np.asarray(c, _f64), p.shape)
    s = p + c64
    if sum_is_exact:
        fast: np.ndarray = s.astype(_f32)
        return fast
    bits = s.view(_u64)
    risky = ((bits & _u64(0x1FFFFFFF)) == _u64(0x10000000)) | (np.abs(s) < 2.0**-125)
    if risky.any():
        idx = np.flatnonzero(risky)
        s = s.ravel().copy()
        ss, ee = _two_sum(p.ravel()[idx], c64.ravel()[idx])
        s[idx] = _round_odd_fix(ss, ee)
        s = s.reshape(p.shape)
    out: np.ndarray = s.astype(_f32)
    return out


def _f32const(bits: int) -> float:
    """The float32 with this bit pattern, as a Python float (exact)."""
    return float(np.array(bits, _u32).view(_f32))


# ---------------------------------------------------------------------------------------------
# The AVX2 float32 Box-Muller (ATen's NormalFill16<float> with avx_mathfun.h)
# ---------------------------------------------------------------------------------------------
# Cephes constants as the AVX2 code stores them (float32). The bit patterns are the check.
_SQRTHF = _f32const(0x3F3504F3)
_LOG_P = [_f32const(b) for b in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                                  0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA)]
_LOG_Q1 = _f32const(0xB95E8083)
_LOG_Q2 = _f32const(0x3F318000)
_FOPI = _f32const(0x3FA2F983)  # 4 / pi
_DP1 = _f32const(0xBF490000)  # -pi/4 split in three parts for exact range reduction
_DP2 = _f32const(0xB97DA000)
_DP3 = _f32const(0xB3222169)
_SIN_P = [_f32const(b) for b in (0xB94CA1F9, 0x3C08839E, 0xBE2AAAA3)]
_COS_P = [_f32const(b) for b in (0x37CCF5CE, 0xBAB6061A, 0x3D2AAAA5)]
_TWO_PI_F32 = _f32(2.0 * math.pi)

# GCC compiles the AVX2 kernel with -mfma and contracts some `a * b + c` pairs into one fused
# multiply-add. We emulate an FMA in float64: the product of two float32 values is exact in
# float64, and an exhaustive run over all 2**24 possible inputs of each routine (the uniforms
# are k * 2**-24) showed that rounding the float64 sum to float32 is always correct here
# (tests/test_random.py::test_avx2_math_exhaustive repeats that proof). Steps whose product
# is exact in float32 (e * q2, y * dp1, y * dp2, z * 0.5) are plain float32 additions.


class _Scratch:
    """Preallocated work arrays for one chunk of lanes.

    Allocating them per chunk costs more than the arithmetic: arrays this size come straight
    from the OS on every malloc.
    """

    def __init__(self, lanes: int) -> None:
        self.lanes = lanes
        self.m, self.x, self.y, self.z, self.t, self.e_f, self.c, self.s, self.u, self.radius = (
            np.empty(lanes, _f32) for _ in range(10)
        )
        self.x64, self.y64, self.z64 = (np.empty(lanes, _f64) for _ in range(3))
        self.e, self.j, self.k = (np.empty(lanes, np.int32) for _ in range(3))
        self.small = np.empty(lanes, np.bool_)


def _fma_rounded(y: np.ndarray, y64: np.ndarray, w64: np.ndarray, c: Any) -> None:
    """In place ``y = fma(y, w, c)`` in float32, using the float64 scratch ``y64``.

    The product of two float32 values is exact in float64, and so (for these routines) is
    the sum; one cast to float32 is then the single rounding of a fused multiply-add.
    """
    np.copyto(y64, y)
    y64 *= w64
    y64 += c
    np.copyto(y, y64, casting="same_kind")


def _log256_ps(u: np.ndarray, ws: _Scratch | None = None) -> np.ndarray:
    """ATen's ``log256_ps`` (Cephes logf in AVX2), lane by lane, for u in (0, 1] (1-D)."""
    ws = ws or _Scratch(u.size)
    m, e, x, t, y, z, e_f = ws.m, ws.e, ws.x, ws.t, ws.y, ws.z, ws.e_f
    np.frexp(u, out=(m, e))  # u = m * 2**e, m in [0.5, 1): Cephes' mantissa and "e + 1"
    np.less(m, _f32(_SQRTHF), out=ws.small)
    np.subtract(m, _f32(1), out=x)
    np.multiply(m, ws.small, out=t)
    x += t  # m < sqrt(1/2): x = (m - 1) + m and e -= 1, so that |log(m)| stays small
    e -= ws.small
    np.copyto(e_f, e, casting="unsafe")
    np.multiply(x, x, out=z)
    x64, y64 = ws.x64, ws.y64
    np.copyto(x64, x)
    np.multiply(x64, _LOG_P[0], out=y64)  # y = fma(p0, x, p1), then y = fma(y, x, p_k)
    y64 += _LOG_P[1]
    np.copyto(y, y64, casting="same_kind")
    for p in _LOG_P[2:]:
        _fma_rounded(y, y64, x64, p)
    y *= x  # a rounded multiply: GCC fuses the *next* multiply instead
    np.multiply(y, z, out=y64, dtype=_f64)  # y = fma(y, z, e * q1), e * q1 rounded first
    np.multiply(e_f, _f32(_LOG_Q1), out=t)
    y64 += t
    np.copyto(y, y64, casting="same_kind")
    np.multiply(z, _f32(0.5), out=t)  # fma(-z, 0.5, y): z * 0.5 is exact, one rounding
    y -= t
    x += y
    np.multiply(e_f, _f32(_LOG_Q2), out=t)  # fma(e, q2, x): e * q2 is exact in float32
    x += t
    return x


def _sincos256_ps(theta: np.ndarray, ws: _Scratch | None = None) -> tuple[np.ndarray, np.ndarray]:
    """ATen's ``sincos256_ps`` (Cephes sinf/cosf in AVX2), lane by lane, for theta >= 0.

    Returns (sin, cos) as views of scratch arrays (1-D).
    """
    ws = ws or _Scratch(theta.size)
    j, t, x, y, z, c, s = ws.j, ws.t, ws.x, ws.e_f, ws.z, ws.c, ws.s
    np.multiply(theta, _f32(_FOPI), out=t)
    np.copyto(j, t, casting="unsafe")  # truncation, like _mm256_cvttps_epi32
    j += 1
    j &= ~1  # the octant, rounded up to even: subtract y = j times pi/4
    np.copyto(y, j, casting="unsafe")
    # x = theta - y * pi/4 in three steps (y * DP1 and y * DP2 are exact; DP3 needs the FMA)
    np.multiply(y, _f32(_DP1), out=t)
    np.add(theta, t, out=x)
    np.multiply(y, _f32(_DP2), out=t)
    x += t
    buf = ws.y64
    np.multiply(y, _DP3, out=buf, dtype=_f64)
    buf += x
    np.copyto(x, buf, casting="same_kind")
    np.multiply(x, x, out=z)
    x64, z64 = ws.x64, ws.z64
    np.copyto(x64, x)
    np.copyto(z64, z)
    # cosine polynomial: 1 - z/2 + z^2 * P(z)
    np.multiply(z64, _COS_P[0], out=buf)
    buf += _COS_P[1]
    np.copyto(c, buf, casting="same_kind")
    _fma_rounded(c, buf, z64, _COS_P[2])
    c *= z
    np.multiply(z, _f32(-0.5), out=t)
    _fma_rounded(c, buf, z64, t)  # fma(c, z, -(z * 0.5))
    c += _f32(1)
    # sine polynomial: x + x * z * Q(z)
    np.multiply(z64, _SIN_P[0], out=buf)
    buf += _SIN_P[1]
    np.copyto(s, buf, casting="same_kind")
    _fma_rounded(s, buf, z64, _SIN_P[2])
    s *= z
    _fma_rounded(s, buf, x64, x64)  # fma(s, x, x)
    # As the AVX code: octants with j & 2 swap the two polynomials, j & 4 flips sin's sign
    # and (~(j - 2)) & 4 flips cos's. Done on the bits (np.where is several times slower).
    k = ws.k
    np.bitwise_and(j, 2, out=k)
    k >>= 1
    k -= 1  # all ones where the polynomials stay, 0 where they swap
    s_bits, c_bits, diff = s.view(_u32), c.view(_u32), t.view(_u32)
    np.bitwise_xor(s_bits, c_bits, out=diff)
    diff &= k.view(_u32)
    # Swap where needed (x ^ ((x ^ y) & mask) picks y under the mask): afterwards the array
    # `c` holds the sine (s-polynomial where they stay) and `s` holds the cosine.
    c_bits ^= diff
    s_bits ^= diff
    sin_v, cos_v = c, s
    np.bitwise_and(j, 4, out=k)
    k <<= 29
    sin_v.view(_u32)[...] ^= k.view(_u32)
    j -= 2
    np.invert(j, out=j)
    j &= 4
    j <<= 29
    cos_v.view(_u32)[...] ^= j.view(_u32)
    return sin_v, cos_v


def _box_muller16_avx2(d: np.ndarray, mean: float, std: float) -> np.ndarray:
    """ATen's ``NormalFill16<float>`` (AVX2) on rows of 16 float32 uniforms, in place.

    For each row, lanes j = 0..7 pair ``u1 = 1 - d[j]`` with ``u2 = d[j + 8]``:
    ``d[j] = radius * cos(theta)`` and ``d[j + 8] = radius * sin(theta)`` with
    ``radius = sqrt(-2 log u1)``, ``theta = 2 pi u2``, all in float32 vector math, then
    ``fma(value, std, mean)``.
    """
    chunk = 4096  # rows per pass: the scratch arrays stay in the CPU's cache
    ws: _Scratch | None = None
    for start in range(0, d.shape[0], chunk):
        rows = d[start:start + chunk]
        n_rows = rows.shape[0]
        if ws is None or ws.lanes != 8 * n_rows:
            ws = _Scratch(8 * n_rows)
        as_rows = (n_rows, 8)
        np.subtract(_f32(1), rows[:, :8], out=ws.u.reshape(as_rows))
        radius = ws.radius
        np.multiply(_log256_ps(ws.u, ws), _f32(-2), out=radius)
        np.sqrt(radius, out=radius)
        np.multiply(rows[:, 8:], _TWO_PI_F32, out=ws.u.reshape(as_rows))
        sin_t, cos_t = _sincos256_ps(ws.u, ws)
        if std == 1.0 and mean == 0.0:
            np.multiply(cos_t.reshape(as_rows), radius.reshape(as_rows), out=rows[:, :8])
            np.multiply(sin_t.reshape(as_rows), radius.reshape(as_rows), out=rows[:, 8:])
            if not radius.all():  # fma(-0.0, 1, 0) is +0.0: only reachable when radius == 0
                rows += _f32(0)
        else:
            cos_t *= radius
            sin_t *= radius
            rows[:, :8] = _scale_shift32(cos_t, mean, std).reshape(as_rows)
            rows[:, 8:] = _scale_shift32(sin_t, mean, std).reshape(as_rows)
    return d


def _scale_shift32(n: np.ndarray, mean: float, std: float) -> np.ndarray:
    """float32 ``fma(n, std, mean)`` (std == 1 makes it an ordinary, single-rounding add)."""
    if std == 1.0:
        return n + _f32(mean)  # also turns -0.0 into +0.0, as the FMA does
    return _fma32(n, std, mean)


def _box_muller16_scalar32(d: np.ndarray, mean: float, std: float) -> np.ndarray:
    """ATen's scalar ``NormalFill16<float>`` (DEFAULT build): C-library logf/cosf/sinf."""
    u1 = _f32(1) - d[:, :8]
    u2 = d[:, 8:]
    log_u1 = _libm_float("logf")(u1).astype(_f32)
    radius = np.sqrt(_f32(-2) * log_u1)
    theta = ((2.0 * math.pi) * u2.astype(_f64)).astype(_f32)  # double math, float result
    cos_t = _libm_float("cosf")(theta).astype(_f32)
    sin_t = _libm_float("sinf")(theta).astype(_f32)
    d[:, :8] = _fma32(radius * cos_t, std, mean)  # std::fma in the source
    d[:, 8:] = _fma32(radius * sin_t, std, mean)
    return d


def _box_muller16_f64(d: np.ndarray, mean: float, std: float) -> np.ndarray:
    """ATen's scalar ``NormalFill16<double>`` (used by every build for float64)."""
    u1 = 1.0 - d[:, :8]
    u2 = d[:, 8:]
    radius = np.sqrt(-2.0 * _libm_apply(_c_log, u1))
    theta = (2.0 * math.pi) * u2
    n1 = radius * _libm_apply(_c_cos, theta)
    n2 = radius * _libm_apply(_c_sin, theta)
    if std == 1.0:  # fma(n, 1, mean) is a single-rounding add
        d[:, :8] = n1 + mean
        d[:, 8:] = n2 + mean
    else:
        d[:, :8] = _fma64(n1, std, mean)
        d[:, 8:] = _fma64(n2, std, mean)
    return d


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------
_DEFAULT_SEED = 67280421310721  # c10::detail::default_rng_seed_val
_STATE_SIZE = 5056  # sizeof(at::CPUGeneratorImplState)
_N = 624  # MT19937 state words


def _temper(y: np.ndarray) -> np.ndarray:
    """MT19937's output tempering of raw state words (vectorised)."""
    y = y.astype(_u32)
    y ^= y >> _u32(11)
    y ^= (y << _u32(7)) & _u32(0x9D2C5680)
    y ^= (y << _u32(15)) & _u32(0xEFC60000)
    y ^= y >> _u32(18)
    return y


def _check_seed(seed: Any) -> int:
    """torch's seed unpacking: an integer in [-2**63, 2**64); negatives wrap modulo 2**64."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    value = int(seed)
    if not -(2**63) <= value < 2**64:
        raise ValueError("Overflow when unpacking long long")
    return value % 2**64


class Generator:
    """A CPU random number generator with PyTorch's exact streams (``torch.Generator``).

    State: an MT19937 engine (624 words, seeded from the low 32 bits of the seed) and the
    second value of the last serial Box-Muller pair. A fresh generator is seeded with
    67280421310721, as in torch.

    Example:
        >>> g = Generator().manual_seed(42)
        >>> g.uniform((3,), np.float32)
        array([0.88226926, 0.91500396, 0.38286376], dtype=float32)
    """

    def __init__(self, device: Any = "cpu") -> None:
        dev_type = str(getattr(device, "type", device)).split(":")[0]
        if dev_type == "cuda":
            raise RuntimeError(
                "glasstorch runs on the CPU only, so there is no CUDA generator; use "
                "torch.Generator() (or device='cpu')"
            )
        if dev_type != "cpu":
            raise RuntimeError(f"{dev_type.upper()} device type not an accelerator.")
        self._bg = np.random.MT19937(0)
        self._np_gen = np.random.Generator(self._bg)
        self.manual_seed(_DEFAULT_SEED)

    @property
    def device(self) -> Any:
        """Always the CPU (``device(type='cpu')``)."""
        try:
            from glasstorch._device import CPU

            return CPU
        except ImportError:  # pragma: no cover - glasstorch._device is part of the package
            return "cpu"

    def __repr__(self) -> str:
        return f"<glasstorch.Generator object at {hex(id(self))}>"

    # ------------------------------------------------------------------------- seeding
    def manual_seed(self, seed: int) -> Generator:
        """Seed the engine and clear the Box-Muller cache; returns ``self``.

        Only ``seed & 0xffffffff`` enters the state.
        """
        seed = _check_seed(seed)
        # MT19937's reference init_genrand(seed & 0xffffffff): NumPy's legacy seeding is the
        # same recurrence, state[j] = 1812433253 * (state[j-1] ^ (state[j-1] >> 30)) + j.
        seeding = getattr(self._bg, "_legacy_seeding", None)
        if seeding is not None:  # NumPy's own init_genrand: ~1 us instead of ~150 us
            seeding(seed & 0xFFFFFFFF)
            self._pending = np.empty(0, _u32)
            self._pending_used = 0
            self._pending_origin = (0, 0)
        else:
            legacy_state: Any = np.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=True)
            self._set_mt(np.asarray(legacy_state[1], _u32), pos=_N)
        self._seed = seed
        self._idle_next: int | None = 0  # torch's `next` reads 0 until the first draw
        self._next_double: float | None = None
        self._next_float: float | None = None
        return self

    def seed(self) -> int:
        """Seed from the OS's entropy source and return the seed used."""
        seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        """The seed given to the last ``manual_seed``/``seed`` (all 64 bits)."""
        return self._seed

    # ------------------------------------------------------------------------- state
    def _set_mt(self, key: np.ndarray, pos: int) -> None:
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        self._pending = np.empty(0, _u32)  # words owed before the engine proper (set_state)
        self._pending_used = 0
        self._pending_origin = (0, 0)

    def get_state(self) -> np.ndarray:
        """The state as torch's 5056-byte ``CPUGeneratorImplState`` (uint8 array).

        Layout (little-endian): u64 seed | i32 left | i32 seeded | u64 next |
        624 x u64 MT words | f64 normal_x, normal_y, normal_rho | i32 normal_is_valid |
        pad | f32 next_float_normal_sample | bool valid | pad.
        """
        st = self._bg.state["state"]
        key = np.asarray(st["key"], _u32)
        left_pending = len(self._pending) - self._pending_used
        if left_pending > 0:
            left0, next0 = self._pending_origin
            left, nxt = left0 - self._pending_used, next0 + self._pending_used
        elif self._idle_next is not None:
            left, nxt = 1, self._idle_next  # nothing drawn since seeding: twist on next draw
        else:
            # torch reads state[next++] and twists when --left hits 0; NumPy reads key[pos++]
            # and twists when pos == 624. So next == pos and left == 625 - pos.
            nxt = int(st["pos"])
            left = _N + 1 - nxt
        out = np.zeros(_STATE_SIZE, np.uint8)
        out[0:8] = np.frombuffer(np.uint64(self._seed).tobytes(), np.uint8)
        out[8:12] = np.frombuffer(np.int32(left).tobytes(), np.uint8)
        out[12:16] = np.frombuffer(np.int32(1).tobytes(), np.uint8)  # seeded
        out[16:24] = np.frombuffer(np.uint64(nxt).tobytes(), np.uint8)
        out[24:24 + 8 * _N] = key.astype("<u8").view(np.uint8)
        if self._next_double is not None:  # stored in normal_y; normal_x/rho stay 0
            out[5024:5032] = np.frombuffer(np.float64(self._next_double).tobytes(), np.uint8)
            out[5040:5044] = np.frombuffer(np.int32(1).tobytes(), np.uint8)
        if self._next_float is not None:
            out[5048:5052] = np.frombuffer(np.float32(self._next_float).tobytes(), np.uint8)
            out[5052] = 1
        return out

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state from :meth:`get_state` (or from ``torch.get_rng_state()``)."""
        arr = new_state._data if hasattr(new_state, "_data") else new_state
        if hasattr(arr, "numpy") and not isinstance(arr, np.ndarray):  # a real torch tensor
            arr = arr.numpy()
        if not isinstance(arr, np.ndarray) or arr.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if arr.size != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input "
                f"RNG state size to be {arr.size}"
            )
        raw = np.ascontiguousarray(arr.reshape(-1)).tobytes()
        seed = int(np.frombuffer(raw, "<u8", 1, 0)[0])
        left = int(np.frombuffer(raw, "<i4", 1, 8)[0])
        seeded = raw[12] != 0  # a C++ bool in the first byte
        nxt = int(np.frombuffer(raw, "<u8", 1, 16)[0]) & 0xFFFFFFFF
        key = np.frombuffer(raw, "<u8", _N, 24).astype(_u32)  # the u64 slots hold u32 words
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        normal_valid = int(np.frombuffer(raw, "<i4", 1, 5040)[0]) != 0
        normal_y = float(np.frombuffer(raw, "<f8", 1, 5024)[0])
        float_valid = raw[5052] != 0
        float_val = float(np.frombuffer(raw, "<f4", 1, 5048)[0])

        if left == 1:
            # The next draw twists first; what `next` said does not matter (but is kept).
            self._set_mt(key.copy(), pos=_N)
            self._idle_next = nxt
        elif left + nxt == _N + 1:
            self._set_mt(key.copy(), pos=nxt)  # the usual case: NumPy's pos is torch's next
            self._idle_next = None
        else:
            # A hand-made state where left and next disagree: torch reads state[next],
            # state[next + 1], ... for left - 1 draws and then twists. We hand those words
            # out first, then let the engine twist from the same key.
            if nxt + left - 1 > _N:
                raise RuntimeError(
                    f"unsupported mt19937 state: left={left}, next={nxt} would read past the "
                    "end of the state"
                )
            self._set_mt(key.copy(), pos=_N)
            self._pending = _temper(key[nxt:nxt + left - 1])
            self._pending_origin = (left, nxt)
            self._idle_next = nxt + left - 1
        self._seed = seed
        self._next_double = normal_y if normal_valid else None
        self._next_float = float_val if float_valid else None
        return self

    # ------------------------------------------------------------------------- raw draws
    def _words(self, n: int) -> np.ndarray:
        """The next ``n`` 32-bit outputs of the engine (torch's ``random()``), as uint32."""
        n = int(n)
        if n <= 0:
            return np.empty(0, _u32)
        parts = []
        if self._pending_used < len(self._pending):
            take = min(n, len(self._pending) - self._pending_used)
            parts.append(self._pending[self._pending_used:self._pending_used + take])
            self._pending_used += take
            n -= take
        if n > 0:
            self._idle_next = None
            # Full-range uint32 integers are the engine's raw (tempered) 32-bit outputs, one
            # word each (the same words as self._bg.random_raw(n), without a uint64 copy).
            parts.append(self._np_gen.integers(0, 1 << 32, size=n, dtype=_u32))
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _random64(self, n: int) -> np.ndarray:
        """``n`` values of torch's ``random64()``: two words, the first is the high half."""
        w = self._words(2 * n).astype(_u64)
        return (w[0::2] << _u64(32)) | w[1::2]

    def _uniform32(self, n: int) -> np.ndarray:
        """float32 uniforms in [0, 1): the low 24 bits of a word times 2**-24."""
        w = self._words(n)
        w &= _u32(0xFFFFFF)
        # Convert in place (a fresh array costs page faults): the masked words are exact as
        # int32 and float32 (24 bits fit a float32 significand), and so is the scaling.
        x = w.view(_f32)
        np.copyto(x, w.view(np.int32), casting="unsafe")  # same positions: safe in place
        x *= _f32(2.0**-24)
        return x

    def _uniform64(self, n: int) -> np.ndarray:
        """float64 uniforms in [0, 1): the low 53 bits of ``random64()`` times 2**-53."""
        return (self._random64(n) & _u64((1 << 53) - 1)).astype(_f64) * 2.0**-53

    def _standard_normal_serial(self, n: int) -> np.ndarray:
        """``n`` draws of ATen's ``normal_distribution<double>`` (before mean/std), float64.

        Each call either returns the cached value or draws u1, u2 (double uniforms), returns
        ``r cos(2 pi u1)`` and caches ``r sin(2 pi u1)``, with ``r = sqrt(-2 log1p(-u2))``.
        """
        out = np.empty(n, _f64)
        i = 0
        if n > 0 and self._next_double is not None:
            out[0] = self._next_double
            self._next_double = None
            i = 1
        pairs = (n - i + 1) // 2
        if pairs:
            u = self._uniform64(2 * pairs)
            r = np.sqrt(-2.0 * _libm_apply(_c_log1p, -u[1::2]))
            theta = (2.0 * math.pi) * u[0::2]
            cos_part = r * _libm_apply(_c_cos, theta)
            sin_part = r * _libm_apply(_c_sin, theta)
            vals = np.empty(2 * pairs, _f64)
            vals[0::2] = cos_part
            vals[1::2] = sin_part
            out[i:] = vals[: n - i]
            if (n - i) % 2:
                self._next_double = float(sin_part[-1])
        return out

    # ------------------------------------------------------------------------- kernels
    def uniform(self, shape: Any, np_dtype: Any, low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """``uniform_(low, high)``: one draw per element in memory order.

        float32/float16 use a float32 uniform from one 32-bit word and compute
        ``x * (high - low) + low`` in float32 (fused on AVX2 builds); float64 uses 53 bits
        from two words. A value that rounds up to ``high`` is replaced by ``low``.
        """
        dt = np.dtype(np_dtype)
        if dt.kind != "f":
            raise NotImplementedError(
                f'"check_uniform_bounds" not implemented for \'{_torch_type_name(dt)}\''
            )
        low, high = float(low), float(high)
        if not low <= high:
            raise RuntimeError(
                f"uniform_ expects to return a [from, to) range, but found from={low:g} > "
                f"to={high:g}"
            )
        if high - low > float(np.finfo(dt).max):
            raise RuntimeError(
                f"uniform_ expects to-from <= std::numeric_limits<{_torch_type_name(dt)}>::max()"
                f", but found to={high:g} and from={low:g} which result in to-from to exceed "
                "the limit"
            )
        n = _numel(shape)
        if dt == np.float64:
            x = self._uniform64(n)
            width = high - low
            if _fused():
                val = x if (width == 1.0 and low == 0.0) else _fma64(x, width, low)
            else:
                val = x * width + low
            to_scalar, from_scalar = high, low
        elif low == 0.0 and high == 1.0 and dt == np.float32:
            return self._uniform32(n).reshape(_shape_tuple(shape))  # x * 1 + 0 == x < 1
        else:
            x = self._uniform32(n)
            lo32, hi32 = _f32(low), _f32(high)
            width32 = hi32 - lo32
            if _fused():
                # x = k * 2**-24, so x * width has at most 48 bits, the lowest at
                # 2**(e_w - 48); with low's exponent close enough, x * width + low fits in
                # float64's 53 bits and needs no double-rounding check (nn.Linear's bounds).
                e_w, e_lo = math.frexp(float(width32))[1], math.frexp(float(lo32))[1]
                exact = lo32 == 0 or width32 == 0 or e_w - 28 <= e_lo <= e_w + 4
                val = _fma32(x, width32, lo32, sum_is_exact=exact)
            else:
                val = x * width32 + lo32
            if dt != np.float32:  # float16: computed in float32 ("opmath"), then rounded
                val = val.astype(dt)
            # c10::Half(double) goes through float, so round twice like it does.
            to_scalar = _f32(high).astype(dt)
            from_scalar = _f32(low).astype(dt)
        hit_top = val == to_scalar
        if hit_top.any():
            val[hit_top] = from_scalar
        return val.reshape(_shape_tuple(shape))

    def normal(self, shape: Any, np_dtype: Any, mean: float = 0.0, std: float = 1.0,
               contiguous: bool = True) -> np.ndarray:
        """``normal_(mean, std)`` on a tensor of this shape, choosing ATen's path.

        * fewer than 16 elements, or a non-contiguous target (``contiguous=False``): the
          serial Box-Muller of :meth:`_standard_normal_serial`, ``z * std + mean`` in double;
        * otherwise blocks of 16 (8 Box-Muller pairs) over uniforms drawn up front; a partial
          last block is redone on 16 fresh uniforms written over the last 16 elements.
        """
        dt = np.dtype(np_dtype)
        if dt.kind != "f":
            raise NotImplementedError(
                f'"normal_kernel_cpu" not implemented for \'{_torch_type_name(dt)}\''
            )
        mean, std = float(mean), float(std)
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        n = _numel(shape)
        out_shape = _shape_tuple(shape)
        if n < 16 or not contiguous:
            z = self._standard_normal_serial(n)
            if _fused():
                val = z + mean if std == 1.0 else _fma64(z, std, mean)
            else:
                val = z * std + mean
            if dt == np.float16:
                val = val.astype(_f32)  # static_cast<Half>(double) goes through float
            return val.astype(dt).reshape(out_shape)
        if dt == np.float64:
            d = self._uniform64(n)
            out = self._blocks(d, n, _box_muller16_f64, self._uniform64, mean, std)
            return out.reshape(out_shape)
        # float32 (and float16, computed in float32)
        fill = _box_muller16_avx2 if _profile == "avx2" else _box_muller16_scalar32
        mean32, std32 = float(_f32(mean)), float(_f32(std))
        if dt == np.float32:
            d = self._uniform32(n)
            return self._blocks(d, n, fill, self._uniform32, mean32, std32).reshape(out_shape)
        # float16: ATen fills 16-element float buffers block by block, so it draws only the
        # full blocks up front (not all n), then 16 more for a partial tail.
        full = (n // 16) * 16
        d = np.empty(n, _f32)
        d[:full] = self._uniform32(full)
        out = self._blocks(d, n, fill, self._uniform32, mean32, std32)
        return out.astype(dt).reshape(out_shape)

    @staticmethod
    def _blocks(d: np.ndarray, n: int, fill: Any, draw: Any, mean: float,
                std: float) -> np.ndarray:
        """Apply ``fill`` to the full 16-blocks of ``d``, then redo the tail on fresh draws."""
        full = (n // 16) * 16
        fill(d[:full].reshape(-1, 16), mean, std)
        if n % 16:
            tail = draw(16).reshape(1, 16)
            d[n - 16:] = fill(tail, mean, std).reshape(16)
        return d

    def random_from_to(self, shape: Any, np_dtype: Any, low: int, high: int) -> np.ndarray:
        """``random_(low, high)`` / ``randint``: ``(word % (high - low)) + low`` per element.

        A range of 2**28 or more uses ``random64()`` (two words) instead of one word.
        """
        rng = int(high) - int(low)
        if rng <= 0:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )
        if rng >= 2**64:
            raise RuntimeError(f"random_: range {rng} does not fit in 64 bits")
        n = _numel(shape)
        if rng >= 1 << 28:  # ATen: "allow approx 5% skew in uniform int generation using %"
            v = self._random64(n) % _u64(rng)
        else:
            v = self._words(n).astype(_u64) % _u64(rng)
        # (v + low) is computed in int64 (wrapping), then cast to the dtype.
        val = v.astype(np.int64) + np.int64(int(low))
        return _cast_from_int64(val, np.dtype(np_dtype)).reshape(_shape_tuple(shape))

    def random_full_range(self, shape: Any, np_dtype: Any) -> np.ndarray:
        """``random_(-2**63, None)``: ``random64()`` reinterpreted as int64."""
        n = _numel(shape)
        val = self._random64(n).view(np.int64)
        return _cast_from_int64(val, np.dtype(np_dtype)).reshape(_shape_tuple(shape))

    def random(self, shape: Any, np_dtype: Any) -> np.ndarray:
        """``random_()`` without bounds: [0, 2**mantissa] for floats, [0, max] for ints."""
        dt = np.dtype(np_dtype)
        n = _numel(shape)
        if dt == np.bool_:
            val = (self._words(n) & _u32(1)).astype(np.bool_)
        elif dt in (np.dtype(np.int64), np.dtype(np.float64)):
            mod = 2**63 if dt == np.int64 else 2**53 + 1
            val = _cast_from_int64((self._random64(n) % _u64(mod)).astype(np.int64), dt)
        else:
            if dt == np.float32 or dt == np.float16:
                mod = 2 ** (24 if dt == np.float32 else 11) + 1  # [0, 2**mantissa] inclusive
            else:
                mod = int(np.iinfo(dt).max) + 1
            val = _cast_from_int64((self._words(n).astype(_u64) % _u64(mod)).astype(np.int64), dt)
        return val.reshape(_shape_tuple(shape))

    def randperm(self, n: int, np_dtype: Any = np.int64) -> np.ndarray:
        """``randperm(n)``: forward Fisher-Yates, swapping i with ``i + random() % (n - i)``.

        The swaps run one after another in ATen; here they are resolved all at once (see
        :func:`_fisher_yates`), which gives the identical permutation.
        """
        n = int(n)
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
        dt = np.dtype(np_dtype)
        if dt == np.float16 and n > 2049:
            raise RuntimeError("n cannot be greater than 2049 for Half type.")
        if n >= (2**32 - 1) // 20:
            raise RuntimeError(
                f"randperm({n}) is too large for glasstorch (ATen switches to 64-bit draws "
                "above 2**32 / 20, which is not implemented)"
            )
        if n <= 1:
            return np.arange(n, dtype=np.int64).astype(dt)
        z = self._words(n - 1).astype(np.int64) % np.arange(n, 1, -1, dtype=np.int64)
        return _fisher_yates(z).astype(dt)

    def bernoulli(self, p: Any, shape: Any, np_dtype: Any) -> np.ndarray:
        """``bernoulli_(p)``: element is ``u < p``, one uniform per element in memory order.

        A Python-number ``p`` uses double uniforms (two words each). An array ``p`` (broadcast
        to ``shape``) uses double uniforms if it is float64, float32 uniforms otherwise.
        """
        dt = np.dtype(np_dtype)
        out_shape = _shape_tuple(shape)
        n = _numel(out_shape)
        if isinstance(p, np.ndarray):
            if not ((p >= 0) & (p <= 1)).all():
                raise RuntimeError(
                    "Expected p_in >= 0 && p_in <= 1 to be true, but got false. (bernoulli: "
                    "every probability must be in [0, 1])"
                )
            pb = np.broadcast_to(p, out_shape)
            if p.dtype == np.float64:
                hit = self._uniform64(n).reshape(out_shape) < pb
            else:
                hit = self._uniform32(n).reshape(out_shape) < pb.astype(_f32)
        else:
            p = float(p)
            if not 0.0 <= p <= 1.0:
                raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
            hit = self._uniform64(n).reshape(out_shape) < p
        return hit.astype(dt)

    def exponential(self, shape: Any, np_dtype: Any, lambd: float = 1.0) -> np.ndarray:
        """``exponential_(lambd)``: ``(-1 / lambd) * log1p(-u)`` in double, u a double uniform."""
        dt = np.dtype(np_dtype)
        if dt.kind != "f":
            raise RuntimeError(
                "Exponential distribution is a continuous probability distribution. dtype "
                f"must be a floating point but you specified {_torch_type_name(dt)}"
            )
        lambd = float(lambd)
        if not lambd > 0.0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
        n = _numel(shape)
        u = self._uniform64(n)
        val = (-1.0 / lambd) * _libm_apply(_c_log1p, -u)
        if dt == np.float16:
            val = val.astype(_f32)
        return val.astype(dt).reshape(_shape_tuple(shape))

    def multinomial(self, probs: np.ndarray, num_samples: int,
                    replacement: bool = False) -> np.ndarray:
        """``torch.multinomial`` on a 1-D or 2-D array of weights; returns int64 indices.

        Without replacement (and with replacement when ``num_samples == 1``) ATen uses the
        exponential race: ``argmax/topk(p / q)`` with ``q ~ Exp(1)`` drawn like
        ``exponential_``. With replacement it draws one double uniform per sample and
        binary-searches the normalised float cumulative sum of each row.
        """
        probs = np.asarray(probs)
        if probs.ndim not in (1, 2):
            raise RuntimeError("prob_dist must be 1 or 2 dim")
        if probs.dtype.kind != "f":
            raise RuntimeError(
                "multinomial only supports floating-point dtypes for input, got: "
                f"{_torch_type_name(probs.dtype)}"
            )
        k = int(num_samples)
        if k <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        n_cat = probs.shape[-1]
        if not replacement and k > n_cat:
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
            )
        if n_cat > 2**24:
            raise RuntimeError("number of categories cannot exceed 2^24")
        rows = probs.reshape(-1, n_cat)
        if rows.shape[0] == 0:
            return np.empty((0, k) if probs.ndim == 2 else (k,), np.int64)
        if not replacement or k == 1:
            if not (np.all(rows < np.inf) and np.all(rows >= 0)):  # NaN fails both
                raise RuntimeError(
                    "probability tensor contains either `inf`, `nan` or element < 0"
                )
            if np.any(rows.sum(axis=1) == 0):
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            q = self.exponential(rows.shape, rows.dtype, 1.0)
            ratio = rows / q
            if k == 1:
                idx = np.argmax(ratio, axis=1)[:, None]
            else:
                # topk(largest, sorted): descending values; ties keep the lower index first.
                order = np.argsort(-ratio, axis=1, kind="stable")
                idx = order[:, :k]
        else:
            acc = _f64 if rows.dtype == np.float64 else _f32  # half accumulates in float
            out = np.empty((rows.shape[0], k), np.int64)
            for r, row in enumerate(rows):  # one row at a time: rows draw in order
                vals: np.ndarray = row.astype(acc)
                if not np.all(vals >= 0):
                    raise RuntimeError(
                        "invalid multinomial distribution (encountering probability entry < 0)"
                    )
                if not np.all(np.isfinite(vals)):
                    raise RuntimeError(
                        "invalid multinomial distribution (encountering probability entry = "
                        "infinity or NaN)"
                    )
                cum = np.cumsum(vals, dtype=acc)  # sequential float sums, like the C loop
                total = cum[-1]
                if not total > 0:
                    raise RuntimeError(
                        "invalid multinomial distribution (sum of probabilities <= 0)"
                    )
                cum = cum / total
                cum[-1] = 1
                u = self._uniform64(k)
                # first slot with cum >= u: ATen's binary search on `cum_prob < u`
                out[r] = np.searchsorted(cum.astype(_f64), u, side="left")
            idx = out
        result: np.ndarray = idx.reshape(k) if probs.ndim == 1 else idx.astype(np.int64)
        return result


def _fused() -> bool:
    """True when the profile's kernels fuse multiply-adds (AVX2/AVX-512 builds)."""
    return _profile == "avx2"


def _fisher_yates(z: np.ndarray) -> np.ndarray:
    """The permutation made by ``for i: swap(a[i], a[i + z[i]])`` on ``a = arange(n)``.

    Vectorised without replaying the swaps. Step i finalises position i, and a position
    q > i is only ever touched as a swap *target*, so:

    * ``v[k]``, the value at position k just before step k, is ``v[j]`` for the last
      j < k with target ``t[j] == k`` (that step moved ``v[j]`` there), or ``k`` itself;
    * the result at i is ``v[i]`` when ``t[i] == i``; otherwise the value waiting at
      ``t[i]``: ``v[j']`` for the previous step j' that targeted ``t[i]``, or ``t[i]``.

    ``v`` follows chains of earlier steps, resolved by pointer jumping (log depth rounds).
    """
    m = len(z)  # n - 1 steps
    n = m + 1
    steps = np.arange(m, dtype=np.int64)
    target = steps + z
    order = np.argsort(target, kind="stable")  # steps grouped by target, increasing step
    t_sorted = target[order]
    same_as_prev = np.zeros(m, dtype=bool)
    same_as_prev[1:] = t_sorted[1:] == t_sorted[:-1]
    prev_step = np.full(m, -1, dtype=np.int64)  # previous step with the same target
    prev_step[order[same_as_prev]] = order[np.flatnonzero(same_as_prev) - 1]

    # parent[k]: the last step j < k that targeted k (v[k] = v[j]); roots point to themselves
    parent = np.arange(n, dtype=np.int64)
    last_in_group = np.ones(m, dtype=bool)
    last_in_group[:-1] = t_sorted[1:] != t_sorted[:-1]
    last_steps = order[last_in_group]  # for each target value, its last step
    last_targets = t_sorted[last_in_group]
    # a step that targets itself (z == 0) does not count: use the step before it
    self_target = last_steps == last_targets
    donor = np.where(self_target, prev_step[last_steps], last_steps)
    ok = donor >= 0
    parent[last_targets[ok]] = donor[ok]
    while True:  # pointer jumping: v[k] is the root of k's chain
        grand = parent[parent]
        if np.array_equal(grand, parent):
            break
        parent = grand
    v = parent

    result = np.empty(n, dtype=np.int64)
    waiting = np.where(prev_step >= 0, v[np.maximum(prev_step, 0)], target)
    result[:m] = np.where(target == steps, v[:m], waiting)
    result[m] = v[m]
    return result


def _cast_from_int64(val: np.ndarray, dt: np.dtype) -> np.ndarray:
    """C++ ``static_cast<T>(int64)``: wrap for small ints, nearest for floats, != 0 for bool."""
    if dt == np.float16:
        return val.astype(_f32).astype(dt)  # via float, like c10::Half
    return val.astype(dt)


def _numel(shape: Any) -> int:
    return int(np.prod(_shape_tuple(shape), dtype=np.int64))


def _shape_tuple(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _torch_type_name(dt: Any) -> str:
    """ATen's scalar-type name for a NumPy dtype (used in error messages)."""
    names: dict[str, str] = {
        "float16": "Half", "float32": "Float", "float64": "Double", "int64": "Long",
        "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    }
    name = str(np.dtype(dt).name)
    return names.get(name, name)


# torch seeds its default generator from the OS at start-up (initial_seed() differs per run).
default_generator = Generator()
default_generator.seed()
