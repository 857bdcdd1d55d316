"""glasstorch's random streams against PyTorch: bit for bit, never with a tolerance.

Three sources of truth:

* ``tests/golden/random_golden.npz``, recorded from torch 2.13.0 by
  ``tests/golden/make_random_golden.py`` (``ATEN_CPU_CAPABILITY=avx2`` and ``=default``);
* real torch, when it is installed, run live on the same cases in this process;
* exact arithmetic (``fractions``) for the float helpers, and an exhaustive run over every
  possible input of the AVX2 log/sincos emulation.

The kernel tests use ``glasstorch._generator`` on NumPy arrays only; the Tensor-level tests
at the end need ``glasstorch._tensor``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")


def _load(name: str, path: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


try:
    from glasstorch import _generator as G
except Exception:  # the rest of the package may be mid-construction: load the file alone
    G = _load("_glasstorch_generator_alone", os.path.join(SRC, "glasstorch", "_generator.py"))

MK = _load("_make_random_golden", os.path.join(HERE, "golden", "make_random_golden.py"))
GOLD = dict(np.load(os.path.join(HERE, "golden", "random_golden.npz")))

try:
    import torch
except ImportError:  # pragma: no cover - torch is a test dependency
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="live checks need PyTorch")

AVX2_CASES = MK.cases("avx2")
SCALAR_CASES = MK.cases("scalar")


@pytest.fixture
def profile() -> Any:
    """Run a test under a chosen kernel profile and restore the previous one."""
    saved = G.get_kernel_profile()
    yield G.set_kernel_profile
    G.set_kernel_profile(saved)


def _check_golden(name: str, data: bytes) -> None:
    if name + ".raw" in GOLD:
        assert data == GOLD[name + ".raw"].tobytes(), f"{name}: differs from torch"
    else:
        head = GOLD[name + ".head"].tobytes()
        assert data[: len(head)] == head, f"{name}: first bytes differ from torch"
        assert hashlib.sha256(data).digest() == GOLD[name + ".sha"].tobytes(), name


def _bits(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    if a.dtype.kind == "f":
        return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize])
    return a


def _assert_same(ours: list[np.ndarray], theirs: list[np.ndarray], what: str) -> None:
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a.dtype == b.dtype and a.shape == b.shape, f"{what}[{i}]: {a.dtype}{a.shape}"
        bad = np.flatnonzero(_bits(a).ravel() != _bits(b).ravel())
        assert bad.size == 0, (
            f"{what}[{i}]: {bad.size} of {a.size} values differ, first at {bad[0]}: "
            f"ours {a.ravel()[bad[0]]!r}, torch {b.ravel()[bad[0]]!r}"
        )


# ------------------------------------------------------------------------- golden file
def test_golden_file_is_from_torch_2_13() -> None:
    assert GOLD["meta.torch_version"].tobytes().decode().startswith("2.13.0")
    assert os.path.getsize(os.path.join(HERE, "golden", "random_golden.npz")) < 400_000


@pytest.mark.parametrize("name,seed,ops", AVX2_CASES, ids=[c[0] for c in AVX2_CASES])
def test_golden_avx2(profile: Any, name: str, seed: int, ops: list[Any]) -> None:
    profile("avx2")
    _check_golden(name, MK.payload(MK.run_ours(G, seed, ops)))


@pytest.mark.parametrize("name,seed,ops", SCALAR_CASES, ids=[c[0] for c in SCALAR_CASES])
def test_golden_scalar_profile(profile: Any, name: str, seed: int, ops: list[Any]) -> None:
    """The 'scalar' profile reproduces ATEN_CPU_CAPABILITY=default (C-library logf/sinf)."""
    profile("scalar")
    _check_golden("scalar/" + name, MK.payload(MK.run_ours(G, seed, ops)))


API_CASES = MK.api_cases()


@pytest.mark.parametrize("name,seed,fn", API_CASES, ids=[c[0] for c in API_CASES])
def test_golden_api(profile: Any, name: str, seed: int, fn: Any) -> None:
    """Dropout masks, DataLoader shuffles, random_split and layer/nn.init draws, via the API."""
    import glasstorch

    profile("avx2")
    _check_golden(name, MK.payload(MK.run_api(glasstorch, seed, fn)))


@needs_torch
@pytest.mark.parametrize("name,seed,fn", API_CASES[::7], ids=[c[0] for c in API_CASES[::7]])
def test_live_api(name: str, seed: int, fn: Any) -> None:
    import glasstorch

    _assert_same(MK.run_api(glasstorch, seed, fn), MK.run_api(torch, seed, fn), name)


@pytest.mark.parametrize("seed", [0, 2**32 + 5])
def test_golden_full_state_bytes(seed: int) -> None:
    g = G.Generator().manual_seed(seed)
    assert g.get_state().tobytes() == GOLD[f"fullstate-seeded-{seed}"].tobytes()
    g.normal((3,), np.float32)
    assert g.get_state().tobytes() == GOLD[f"fullstate-cached-{seed}"].tobytes()


@pytest.mark.parametrize("seed", [0, 2**32 + 5])
def test_golden_state_restores_in_ours(seed: int) -> None:
    """A state torch saved (with a cached normal) continues identically here."""
    g = G.Generator().set_state(GOLD[f"fullstate-cached-{seed}"])
    ref = G.Generator().manual_seed(seed)
    ref.normal((3,), np.float32)
    assert g.normal((5,), np.float64).tobytes() == ref.normal((5,), np.float64).tobytes()


# ------------------------------------------------------------------------- live torch
@needs_torch
@pytest.mark.parametrize("name,seed,ops", AVX2_CASES[::3], ids=[c[0] for c in AVX2_CASES[::3]])
def test_live_against_torch(profile: Any, name: str, seed: int, ops: list[Any]) -> None:
    """The same cases, against the torch installed here (its native CPU kernels)."""
    profile("avx2")
    _assert_same(MK.run_ours(G, seed, ops), MK.run_torch(seed, ops), name)


@needs_torch
def test_live_random_shapes_and_parameters(profile: Any) -> None:
    """Random sizes, dtypes, means/stds and bounds (exercises the exact-FMA fallbacks)."""
    profile("avx2")
    rng = np.random.default_rng(2024)
    for trial in range(60):
        seed = int(rng.integers(0, 2**63))
        n = int(rng.choice([1, 2, 15, 16, 17, 31, 48, 100, 257, 5000]))
        dt = str(rng.choice(["float32", "float64", "float16"]))
        mean = float(rng.normal() * 10.0 ** rng.integers(-3, 4))
        std = float(abs(rng.normal()) * 10.0 ** rng.integers(-3, 4))
        lo = float(rng.normal() * 10.0 ** rng.integers(-3, 3))
        hi = lo + float(abs(rng.normal()) * 10.0 ** rng.integers(-3, 3))
        ops = [("normal_", (n,), dt, mean, std), ("uniform_", (n,), dt, lo, hi),
               ("randn", (n,), dt), ("normal_T", (n, 3), dt, mean, std)]
        _assert_same(MK.run_ours(G, seed, ops), MK.run_torch(seed, ops), f"trial {trial}")


@needs_torch
def test_live_state_round_trip_both_ways() -> None:
    tg = torch.Generator().manual_seed(11)
    torch.randn(5, generator=tg)  # cached double
    torch.rand(1000, generator=tg)  # mid-block position
    ours = G.Generator().set_state(tg.get_state().numpy())
    assert ours.get_state().tobytes() == tg.get_state().numpy().tobytes()
    for _ in range(3):
        assert ours.normal((7,), np.float64).tobytes() == \
            torch.randn(7, dtype=torch.float64, generator=tg).numpy().tobytes()
        assert ours.uniform((700,), np.float32).tobytes() == \
            torch.rand(700, generator=tg).numpy().tobytes()
    # ours -> torch
    g = G.Generator().manual_seed(99)
    g.normal((3,), np.float32)
    g.uniform((1234,), np.float64)
    tg2 = torch.Generator()
    tg2.set_state(torch.from_numpy(g.get_state()))
    assert torch.randn(40, generator=tg2).numpy().tobytes() == \
        g.normal((40,), np.float32).tobytes()
    assert tg2.get_state().numpy().tobytes() == g.get_state().tobytes()


@needs_torch
def test_live_hand_made_state_where_left_and_next_disagree() -> None:
    """torch accepts any 0 < left <= 624, next <= 624; it reads state[next...] then twists."""
    tg = torch.Generator().manual_seed(5)
    torch.rand(10, generator=tg)
    raw = tg.get_state().numpy().copy()
    raw[8:12] = np.frombuffer(np.int32(37).tobytes(), np.uint8)  # left
    raw[16:24] = np.frombuffer(np.uint64(400).tobytes(), np.uint8)  # next
    tg.set_state(torch.from_numpy(raw))
    g = G.Generator().set_state(raw)
    for n in (10, 30, 700):
        theirs = torch.rand(n, generator=tg).numpy()
        assert g.uniform((n,), np.float32).tobytes() == theirs.tobytes()
        assert g.get_state().tobytes() == tg.get_state().numpy().tobytes()


@needs_torch
def test_live_default_generator_seeding_rules() -> None:
    for seed in (-1, -(2**63), 2**64 - 1, 2**32, 12345):
        tg = torch.Generator().manual_seed(seed)
        g = G.Generator().manual_seed(seed)
        assert g.initial_seed() == tg.initial_seed()
        assert g.get_state().tobytes() == tg.get_state().numpy().tobytes()
    assert G.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721


# ------------------------------------------------------------------------- generator API
def test_seed_errors_match_torch() -> None:
    g = G.Generator()
    with pytest.raises(RuntimeError, match="manual_seed expected a long, but got float"):
        g.manual_seed(1.5)
    with pytest.raises(RuntimeError, match="but got bool"):
        g.manual_seed(True)
    with pytest.raises(ValueError, match="Overflow"):
        g.manual_seed(2**64)
    with pytest.raises(ValueError, match="Overflow"):
        g.manual_seed(-(2**63) - 1)
    assert g.manual_seed(-1).initial_seed() == 2**64 - 1
    assert g.manual_seed(np.int64(7)) is g


def test_seed_and_default_generator() -> None:
    g = G.Generator()
    s = g.seed()
    assert 0 <= s < 2**64 and g.initial_seed() == s
    assert G.default_generator.initial_seed() != 67280421310721  # seeded from the OS


def test_set_state_errors() -> None:
    g = G.Generator()
    st = g.get_state()
    with pytest.raises(TypeError, match="ByteTensor"):
        g.set_state(st.astype(np.float32))
    with pytest.raises(RuntimeError, match="size 5056"):
        g.set_state(st[:100])
    bad = st.copy()
    bad[8:12] = 0  # left == 0
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(bad)
    assert g.set_state(st) is g


def test_device_argument() -> None:
    assert str(G.Generator("cpu").device) == "cpu"
    with pytest.raises(RuntimeError, match="CPU only"):
        G.Generator("cuda")


def test_kernel_profile_switch() -> None:
    saved = G.get_kernel_profile()
    try:
        G.set_kernel_profile("default")
        assert G.get_kernel_profile() == "scalar"
        G.set_kernel_profile("AVX512")
        assert G.get_kernel_profile() == "avx2"
        with pytest.raises(ValueError, match="unknown kernel profile"):
            G.set_kernel_profile("sse9")
    finally:
        G.set_kernel_profile(saved)


def test_kernel_errors_match_torch() -> None:
    g = G.Generator()
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        g.uniform((3,), np.int64)
    with pytest.raises(NotImplementedError, match="not implemented for 'Int'"):
        g.normal((3,), np.int32)
    with pytest.raises(RuntimeError, match=r"\[from, to\) range"):
        g.uniform((3,), np.float32, 1.0, 0.0)
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        g.normal((3,), np.float32, 0.0, -1.0)
    with pytest.raises(RuntimeError, match="'from' to be less than 'to'"):
        g.random_from_to((3,), np.int64, 5, 5)
    with pytest.raises(RuntimeError, match="lambda > 0.0"):
        g.exponential((3,), np.float32, -1.0)
    with pytest.raises(RuntimeError, match=r"p to be in \[0, 1\]"):
        g.bernoulli(1.5, (3,), np.float32)
    with pytest.raises(RuntimeError, match="negative dimension"):
        g.randperm(-1)
    with pytest.raises(RuntimeError, match="2049 for Half"):
        g.randperm(3000, np.float16)
    with pytest.raises(RuntimeError, match="without replacement"):
        g.multinomial(np.ones(2, np.float32), 3, False)
    with pytest.raises(RuntimeError, match="sum of probabilities"):
        g.multinomial(np.zeros(3, np.float32), 1, True)


def test_empty_draws_consume_nothing() -> None:
    g = G.Generator().manual_seed(3)
    before = g.get_state()
    assert g.normal((0, 4), np.float32).shape == (0, 4)
    assert g.uniform((), np.float64).shape == ()
    g2 = G.Generator().set_state(before)
    g2.uniform((), np.float64)
    assert g.get_state().tobytes() == g2.get_state().tobytes()


# ------------------------------------------------------------------------- exact helpers
def _exact(a: float, b: float, c: float) -> Fraction:
    return Fraction(a) * Fraction(b) + Fraction(c)


def test_fma64_is_correctly_rounded() -> None:
    rng = np.random.default_rng(7)
    a = rng.normal(size=4000) * 10.0 ** rng.integers(-5, 5, 4000)
    b = rng.normal(size=4000) * 10.0 ** rng.integers(-5, 5, 4000)
    c = rng.normal(size=4000) * 10.0 ** rng.integers(-8, 8, 4000)
    # hard cases: products that cancel c almost exactly, and exact ties
    a[:500] = 1.0 + 2.0**-52 * rng.integers(1, 1000, 500)
    b[:500] = 1.0 + 2.0**-52 * rng.integers(1, 1000, 500)
    c[:500] = -1.0
    a[500:600] = 1.0 + 2.0**-30
    b[500:600] = 1.0 + 2.0**-23
    c[500:600] = 2.0**-53 * rng.integers(-4, 4, 100)
    got = G._fma64(a, b, c)
    want = np.array([float(_exact(x, y, z)) for x, y, z in zip(a, b, c, strict=True)])
    assert (got.view(np.uint64) == want.view(np.uint64)).all()


def test_fma32_is_correctly_rounded_including_double_rounding_traps() -> None:
    rng = np.random.default_rng(8)
    a = rng.normal(size=3000).astype(np.float32)
    b = np.full(3000, 1.7, np.float32)
    c = rng.normal(size=3000).astype(np.float32)
    # Traps: (1 + m 2**-23) * 1.5 with odd m is exactly halfway between two float32, and
    # c = +-2**-60 vanishes when the float64 sum rounds: only the fix-up gets these right.
    m = (2 * rng.integers(0, 2**20, 400) + 1).astype(np.float32)
    a[:400] = np.float32(1.0) + m * np.float32(2.0**-23)
    b[:400] = 1.5
    c[:400] = np.where(rng.random(400) < 0.5, 2.0**-60, -(2.0**-60)).astype(np.float32)
    got = G._fma32(a, b, c)
    exact = [Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
             for x, y, z in zip(a, b, c, strict=True)]
    want = np.array([_round_to_f32(q) for q in exact], np.float32)
    assert (got.view(np.uint32) == want.view(np.uint32)).all()
    naive = (a.astype(np.float64) * b + c).astype(np.float32)
    assert (naive[:400] != want[:400]).any()  # the traps are real


def _round_to_f32(q: Fraction) -> float:
    """Round an exact rational to the nearest float32 (ties to even), as a float."""
    lo = np.float32(float(q))  # within one float32 ulp of the answer
    best, best_err = None, None
    for cand in (np.nextafter(lo, np.float32(-np.inf)), lo, np.nextafter(lo, np.float32(np.inf))):
        err = abs(Fraction(float(cand)) - q)
        if best is None or err < best_err or (
            err == best_err and int(np.float32(cand).view(np.uint32)) % 2 == 0
        ):
            best, best_err = cand, err
    return float(best)


def test_vectorised_fisher_yates_equals_the_swap_loop() -> None:
    rng = np.random.default_rng(9)
    for n in (2, 3, 5, 17, 100, 2000):
        for _ in range(20):
            z = np.array([rng.integers(0, n - i) for i in range(n - 1)], np.int64)
            if rng.random() < 0.3:
                z[rng.random(n - 1) < 0.5] = 0  # many self-swaps
            a = list(range(n))
            for i, zi in enumerate(z):
                a[i], a[i + zi] = a[i + zi], a[i]
            assert G._fisher_yates(z).tolist() == a


def _exact_fma32_reference(a: np.ndarray, b: Any, c: Any) -> np.ndarray:
    """float32 fma via round-to-odd in float64: always correct, slower than the kernel's."""
    p = np.multiply(a, b, dtype=np.float64)
    s, e = G._two_sum(p, np.broadcast_to(np.asarray(c, np.float64), p.shape))
    return G._round_odd_fix(s, e).astype(np.float32)


def test_avx2_math_exhaustive_over_all_inputs(monkeypatch: Any) -> None:
    """Every uniform is k * 2**-24, so log256/sincos256 see only 2**24 inputs each. Over all
    of them, the kernel's cheap FMA (float64 sum, one cast) equals a fully exact FMA: this
    is the proof behind _fma_rounded, so the kernel needs no double-rounding checks."""
    def exact_fma_rounded(y: np.ndarray, y64: np.ndarray, w64: np.ndarray, c: Any) -> None:
        y[...] = _exact_fma32_reference(y, w64, c)

    fast_fma = G._fma_rounded
    step = 1 << 20  # in pieces, to keep the temporaries small
    for start in range(0, 1 << 24, step):
        u = np.arange(start, start + step, dtype=np.float32) * np.float32(2.0**-24)
        results = []
        for fma in (fast_fma, exact_fma_rounded):
            monkeypatch.setattr(G, "_fma_rounded", fma)
            log = G._log256_ps(np.float32(1) - u)
            sin, cos = G._sincos256_ps(G._TWO_PI_F32 * u)
            results.append(np.concatenate([log, sin, cos]).view(np.uint32))
        bad = np.flatnonzero(results[0] != results[1])
        assert bad.size == 0, f"inputs near k={start + bad[0] % step} differ"


# ------------------------------------------------------------------------- Tensor level
@needs_torch
def test_tensor_functions_match_torch() -> None:

    import glasstorch as gt
    from glasstorch.ops import random as R

    def run(t: Any) -> list[Any]:
        is_torch = t is torch
        out = [
            t.rand(2, 3), t.rand((2, 3)), t.rand([4]), t.rand(()), t.randn(3),
            t.randn(20), t.randn(1), t.randn(2, 3, dtype=t.float64), t.rand(size=(5,)),
            t.randint(10, (5,)), t.randint(3, 10, (2, 2)), t.randint(0, 5, (3,), dtype=t.int32),
            t.randperm(10), t.randperm(6, dtype=t.float32),
            t.normal(2.0, 3.0, (4,)), t.normal(t.arange(20.0), 0.5),
            t.normal(t.zeros(2, 1), t.ones(1, 17)), t.normal(1.0, t.arange(5.0)),
            t.normal(t.arange(3.0)),
            t.bernoulli(t.full((2, 5), 0.5)), t.bernoulli(t.zeros(6), 0.7),
            t.multinomial(t.tensor([0.2, 0.3, 0.5]), 6, replacement=True),
            t.multinomial(t.tensor([[1.0, 2.0, 3.0, 4.0]]), 3),
            t.rand_like(t.zeros(2, 2)), t.randn_like(t.zeros(17, dtype=t.float64)),
            t.randint_like(t.zeros(3), 7), t.randint_like(t.zeros(3), 2, 7),
        ]
        gen = t.Generator().manual_seed(4)
        out += [t.rand(3, generator=gen), t.randn(16, generator=gen)]
        x = t.zeros(40)
        if is_torch:
            out += [x.uniform_(-1, 1).clone(), x.normal_(2, 0.5).clone(),
                    t.zeros(3, 5).t().normal_(), t.zeros(4, dtype=t.int64).random_(),
                    t.zeros(4).random_(5).clone(), t.zeros(4).random_(-3, 3).clone(),
                    t.zeros(5).bernoulli_(0.4).clone(), t.zeros(5).exponential_(3.0).clone()]
        else:
            out += [R.uniform_(x, -1, 1).clone(), R.normal_(x, 2, 0.5).clone(),
                    R.normal_(gt.Tensor._wrap(np.zeros((3, 5), np.float32).T)),
                    R.random_(t.zeros(4, dtype=t.int64)), R.random_(t.zeros(4), 5),
                    R.random_(t.zeros(4), -3, 3), R.bernoulli_(t.zeros(5), 0.4),
                    R.exponential_(t.zeros(5), 3.0)]
        out.append(t.get_rng_state())
        return out

    torch.manual_seed(21)
    theirs = [a.numpy() for a in run(torch)]
    gt.manual_seed(21)
    ours = [np.asarray(a._data) for a in run(gt)]
    _assert_same(ours, theirs, "tensor api")


def test_tensor_api_arguments() -> None:

    import glasstorch as gt
    from glasstorch.ops import random as R

    assert R.rand(2, 3).shape == (2, 3) and R.rand(()).shape == ()
    assert R.randn(2, dtype=gt.float64).dtype == gt.float64
    assert R.randint(5, (3,)).dtype == gt.int64
    t = R.rand(3, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    with pytest.raises(TypeError, match="out= argument is not supported"):
        R.rand(3, out=gt.Tensor._wrap(np.zeros(3, np.float32)))
    with pytest.raises(TypeError, match="not supported"):
        R.randn(3, memory_format=1)
    with pytest.raises(RuntimeError, match="CUDA"):
        R.rand(3, device="cuda")
    with pytest.raises(RuntimeError, match="floating point"):
        R.randint(0, 3, (2,), requires_grad=True)
    with pytest.raises(TypeError, match="tuple of ints"):
        R.randn(2, 3.0)
    with pytest.raises(TypeError, match="randint"):
        R.randint(0, 10.5, (3,))
    with pytest.raises(RuntimeError, match="out of bounds for unsigned char"):
        R.randint(0, 300, (3,), dtype=gt.uint8)
    with pytest.raises(TypeError, match="give a size"):
        R.normal(2.0, 3.0)
    with pytest.raises(RuntimeError, match="all elements of std >= 0.0"):
        R.normal(R.zeros(2) if hasattr(R, "zeros") else gt.zeros(2), -gt.ones(2))
    with pytest.raises(TypeError, match="torch.Generator"):
        R.rand(3, generator=np.random.default_rng())
    leaf = R.rand(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        R.uniform_(leaf)


def test_torch_random_module() -> None:

    import importlib

    rnd = importlib.import_module("glasstorch.random")
    g = rnd.manual_seed(3)
    assert g is G.default_generator and rnd.initial_seed() == 3
    state = rnd.get_rng_state()
    assert state._data.dtype == np.uint8 and state._data.shape == (5056,)
    first = G.default_generator.uniform((4,), np.float32)
    rnd.set_rng_state(state)
    assert (G.default_generator.uniform((4,), np.float32) == first).all()
    rnd.manual_seed(0)
    with rnd.fork_rng():
        G.default_generator.uniform((100,), np.float32)
    fresh = G.Generator().manual_seed(0)
    assert G.default_generator.get_state().tobytes() == fresh.get_state().tobytes()
    with pytest.raises(TypeError, match="ByteTensor"):
        rnd.set_rng_state(np.zeros(5056, np.uint8))
    assert isinstance(rnd.seed(), int)


def test_bernoulli_of_a_0d_probability_like_torch() -> None:
    import glasstorch

    for seed in range(6):
        glasstorch.manual_seed(seed)
        torch.manual_seed(seed)
        ours, theirs = glasstorch.bernoulli(glasstorch.tensor(0.3)), torch.bernoulli(
            torch.tensor(0.3))
        assert tuple(ours.shape) == tuple(theirs.shape) == ()
        assert ours.item() == theirs.item()
        assert glasstorch.rand(3).tolist() == torch.rand(3).tolist()  # the streams stay in step
