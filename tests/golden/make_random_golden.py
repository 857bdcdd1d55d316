"""Write ``random_golden.npz``: PyTorch's CPU random streams, recorded from real torch.

Run from the repository root (torch 2.13.0 installed)::

    ATEN_CPU_CAPABILITY=avx2 python tests/golden/make_random_golden.py

``ATEN_CPU_CAPABILITY=avx2`` pins the kernels torch uses, so the file does not depend on
the machine (AVX-512 machines run the same AVX2 normal kernel and the same fused
arithmetic). The script re-runs itself with ``ATEN_CPU_CAPABILITY=default`` to record the
cases of glasstorch's ``'scalar'`` kernel profile.

The case list lives here and ``tests/test_random.py`` imports it, so both sides run the
same draws: :func:`run_torch` with torch, :func:`run_ours` with glasstorch's Generator.
Small outputs are stored raw; large ones as a SHA-256 of their bytes plus the first bytes.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "random_golden.npz")
RAW_LIMIT = 512  # bytes: outputs up to this size are stored whole
HEAD = 96  # bytes kept from larger outputs (a readable start), beside their SHA-256

SEEDS = [0, 1, 2, 3, 5, 7, 17, 42, 123, 999, 1234, 31337, 271828, 314159, 10**12,
         2**32 - 1, 2**32 + 5, 2**63 - 1, -1, 67280421310721]
F32, F64, F16 = "float32", "float64", "float16"


def _linear_bounds(fan_in: int) -> tuple[float, float]:
    """nn.Linear's init bounds, computed as torch.nn.init does (Python floats)."""
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))  # kaiming_uniform_(a=sqrt(5))
    w_bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    b_bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    return w_bound, b_bound


def cases(profile: str = "avx2") -> list[tuple[str, int, list[tuple[Any, ...]]]]:
    """(name, seed, ops): each case seeds a fresh generator and runs ``ops`` in order."""
    out: list[tuple[str, int, list[tuple[Any, ...]]]] = []
    small = range(1, 41)  # around the 16-element block boundary, drawn one after another
    if profile == "scalar":
        for seed in SEEDS[:6]:
            for dt in (F32, F64):
                out.append((f"scalar-rand-{dt}-{seed}", seed, [("rand", (n,), dt) for n in small]))
                out.append((f"scalar-randn-{dt}-{seed}", seed,
                            [("randn", (n,), dt) for n in small] + [("randn", (1000,), dt)]))
            out.append((f"scalar-linear-{seed}", seed, [
                op for fan in (3, 20) for op in (
                    ("uniform_", (5, fan), F32, -_linear_bounds(fan)[0], _linear_bounds(fan)[0]),
                    ("uniform_", (5,), F32, -_linear_bounds(fan)[1], _linear_bounds(fan)[1]))]))
            out.append((f"scalar-normal-{seed}", seed, [
                ("normal_", (7,), F64, 0.5, 2.0), ("normal_", (40,), F32, -1.0, 0.25),
                ("normal_", (33,), F64, 3.0, 1.5)]))
        return out
    for seed in SEEDS:
        for dt in (F32, F64):
            out.append((f"rand-small-{dt}-{seed}", seed, [("rand", (n,), dt) for n in small]))
            out.append((f"randn-small-{dt}-{seed}", seed, [("randn", (n,), dt) for n in small]))
        out.append((f"carry-{seed}", seed, [("randn", (3,), F32), ("randn", (20,), F32),
                                            ("randn", (1,), F32), ("state",)]))
        out.append((f"state-seeded-{seed}", seed, [("state",)]))
    for seed in SEEDS[:5]:
        for dt in (F32, F64):
            for n in (100, 1000, 4097, 65536, 100_000):
                out.append((f"randn-{n}-{dt}-{seed}", seed, [("randn", (n,), dt)]))
                out.append((f"rand-{n}-{dt}-{seed}", seed, [("rand", (n,), dt)]))
        out.append((f"half-{seed}", seed, [("rand", (n,), F16) for n in (1, 15, 16, 17, 33)]
                    + [("randn", (n,), F16) for n in (1, 15, 16, 17, 33, 1000)]))
        out.append((f"state-draws-{seed}", seed, [("randn", (3,), F64), ("state",),
                                                  ("rand", (700,), F32), ("state",)]))
        for mean, std in ((0.5, 2.0), (-3.0, 0.1), (1000.0, 1e-3), (0.0, 0.0)):
            out.append((f"normal-{mean}-{std}-{seed}", seed, [
                ("normal_", (n,), dt, mean, std) for dt in (F32, F64) for n in (5, 16, 33, 1000)]))
        out.append((f"normal-noncontig-{seed}", seed, [
            ("normal_T", (40, 5), F32, 0.0, 1.0), ("normal_T", (3, 7), F64, 1.0, 2.0),
            ("normal_T", (64, 20), F32, 0.5, 3.0)]))
        out.append((f"linear-{seed}", seed, [
            op for fan in (1, 3, 10, 784, 1000) for dt in (F32, F64) for op in (
                ("uniform_", (8, fan), dt, -_linear_bounds(fan)[0], _linear_bounds(fan)[0]),
                ("uniform_", (8,), dt, -_linear_bounds(fan)[1], _linear_bounds(fan)[1]))]))
        out.append((f"uniform-misc-{seed}", seed, [
            ("uniform_", (50,), F32, -0.3, 0.7), ("uniform_", (50,), F64, 2.0, 2.0),
            ("uniform_", (50,), F16, -1.0, 1.0), ("uniform_", (3000,), F32, -10.0, 5.0)]))
        out.append((f"randint-{seed}", seed, [
            ("randint", 0, 10, (50,), "int64"), ("randint", -5, 5, (20,), "int32"),
            ("randint", 0, 2**28 - 1, (9,), "int64"), ("randint", 0, 2**28, (9,), "int64"),
            ("randint", 0, 2**33, (9,), "int64"), ("randint", -2**40, 2**40, (9,), "int64"),
            ("randint", 0, 256, (9,), "uint8"), ("randint", 3, 10, (9,), F32),
            ("randint", 0, 2, (9,), "bool")]))
        out.append((f"randperm-{seed}", seed, [("randperm", n, "int64")
                                               for n in (0, 1, 2, 5, 100, 1000, 30000)]
                    + [("randperm", 100, F32)]))
        out.append((f"bernoulli-{seed}", seed, [
            ("bernoulli", (20,), F32, 0.3), ("bernoulli", (20,), F64, 0.0),
            ("bernoulli", (20,), F32, 1.0), ("bernoulli_t", (3, 8), F32),
            ("bernoulli_t", (3, 8), F64), ("bernoulli", (2000,), F32, 0.9)]))
        out.append((f"exponential-{seed}", seed, [
            ("exponential_", (20,), F32, 1.0), ("exponential_", (20,), F64, 0.5),
            ("exponential_", (1000,), F32, 2.0)]))
        out.append((f"multinomial-{seed}", seed, [
            ("multinomial", F32, 1, True), ("multinomial", F32, 5, True),
            ("multinomial", F64, 7, True), ("multinomial", F32, 1, False),
            ("multinomial", F32, 3, False), ("multinomial", F64, 4, False)]))
        out.append((f"random-{seed}", seed, [
            ("random_", (5,), "int64"), ("random_", (5,), F32), ("random_", (5,), "int32"),
            ("random_", (5,), "bool"), ("random_", (5,), "uint8"), ("random_", (5,), F64),
            ("random_", (5,), "int16")]))
    return out


# ------------------------------------------------------------------ the library's consumers
# Cases run through the public API (the same code for torch and for glasstorch: ``t`` is the
# module): dropout masks, DataLoader shuffling, random_split, layer and nn.init draws. Each
# runs after ``t.manual_seed(seed)`` and also returns the global generator's state bytes.


def _np(x: Any) -> np.ndarray:
    return np.ascontiguousarray(x.detach().numpy() if hasattr(x, "detach") else np.asarray(x))


def _dropout(t: Any) -> list[np.ndarray]:
    F = t.nn.functional
    out = [_np(F.dropout(t.ones(n, dtype=dt), p)) for p in (0.1, 0.5, 0.9)
           for n in (1, 17, 1000) for dt in (t.float32, t.float64)]
    layer = t.nn.Dropout(0.3)
    out.append(_np(layer(t.ones(4, 25))))
    out.append(_np(F.dropout(t.arange(100_000, dtype=t.float32), 0.2)))
    layer.eval()
    out.append(_np(layer(t.ones(3))))
    return out


def _loader(t: Any, use_generator: bool) -> list[np.ndarray]:
    data = t.utils.data
    ds = data.TensorDataset(t.arange(50), t.arange(50) * 2)
    g = t.Generator().manual_seed(7) if use_generator else None
    out = []
    for shuffle, drop_last in ((True, False), (False, False), (True, True)):
        loader = data.DataLoader(ds, batch_size=7, shuffle=shuffle, drop_last=drop_last,
                                 generator=g)
        for _ in range(3):  # epochs
            out.extend(_np(x) for batch in loader for x in batch)
    if g is not None:
        out.append(_np(g.get_state()))
    return out


def _random_split(t: Any) -> list[np.ndarray]:
    split = t.utils.data.random_split
    out = [np.array(part.indices) for part in split(range(10), [3, 3, 4])]
    out += [np.array(part.indices) for part in split(range(101), [0.8, 0.2])]
    out += [np.array(part.indices) for part in split(range(30), [0.5, 0.3, 0.2],
                                                     generator=t.Generator().manual_seed(3))]
    return out


def _layers(t: Any) -> list[np.ndarray]:
    nn = t.nn
    mods = [nn.Conv2d(3, 8, 3), nn.Conv2d(1, 4, (5, 3), bias=False), nn.Conv2d(4, 6, 2, groups=2),
            nn.Embedding(10, 4), nn.Embedding(12, 3, padding_idx=2), nn.Linear(784, 10),
            nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))]
    return [_np(p) for m in mods for p in m.parameters()]


def _init(t: Any) -> list[np.ndarray]:
    init = t.nn.init
    out = []
    for shape in ((16, 9), (4, 3, 3, 3)):
        for fn in (lambda w: init.xavier_uniform_(w), lambda w: init.xavier_normal_(w, 2.0),
                   lambda w: init.kaiming_uniform_(w), lambda w: init.kaiming_normal_(w),
                   lambda w: init.kaiming_uniform_(w, a=0.1, mode="fan_out",
                                                   nonlinearity="leaky_relu"),
                   lambda w: init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"),
                   lambda w: init.normal_(w, 0.5, 0.02), lambda w: init.uniform_(w, -2.0, 3.0)):
            out.append(_np(fn(t.empty(shape))))
    return out


def api_cases() -> list[tuple[str, int, Callable[[Any], list[np.ndarray]]]]:
    """(name, seed, fn): ``fn(t)`` runs after ``t.manual_seed(seed)`` on torch or glasstorch."""
    out: list[tuple[str, int, Callable[[Any], list[np.ndarray]]]] = []
    for seed in SEEDS:
        out.append((f"api-dropout-{seed}", seed, _dropout))
        out.append((f"api-layers-{seed}", seed, _layers))
    for seed in SEEDS[:8]:
        out.append((f"api-loader-{seed}", seed, lambda t: _loader(t, False)))
        out.append((f"api-loader-generator-{seed}", seed, lambda t: _loader(t, True)))
        out.append((f"api-random-split-{seed}", seed, _random_split))
        out.append((f"api-init-{seed}", seed, _init))
    return out


def run_api(t: Any, seed: int, fn: Callable[[Any], list[np.ndarray]]) -> list[np.ndarray]:
    """Seed ``t``'s global generator, run ``fn(t)``, and append the global state bytes."""
    t.manual_seed(seed)
    return [*fn(t), _np(t.get_rng_state())]


def _probs(dt: str) -> np.ndarray:
    """Fixed multinomial weights (not normalised, with a zero)."""
    return np.array([[0.1, 0.2, 0.3, 0.4, 0.0, 1.5], [3.0, 0.5, 0.5, 0.0, 2.0, 0.25]], dt)


def _bern_probs(shape: tuple[int, ...], dt: str) -> np.ndarray:
    return (np.arange(int(np.prod(shape))).reshape(shape) % 7 / 6.0).astype(dt)


def run_torch(seed: int, ops: list[tuple[Any, ...]]) -> list[np.ndarray]:
    """Run ``ops`` with real torch on a freshly seeded ``torch.Generator``."""
    import torch

    g = torch.Generator().manual_seed(seed)
    res: list[np.ndarray] = []
    for op in ops:
        kind = op[0]
        if kind == "state":
            res.append(g.get_state().numpy().copy())
            continue
        if kind in ("rand", "randn"):
            fn = torch.rand if kind == "rand" else torch.randn
            t = fn(op[1], dtype=getattr(torch, op[2]), generator=g)
        elif kind == "normal_":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).normal_(op[3], op[4], generator=g)
        elif kind == "normal_T":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).t()
            t.normal_(op[3], op[4], generator=g)
        elif kind == "uniform_":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).uniform_(op[3], op[4], generator=g)
        elif kind == "randint":
            t = torch.randint(op[1], op[2], op[3], dtype=getattr(torch, op[4]), generator=g)
        elif kind == "randperm":
            t = torch.randperm(op[1], dtype=getattr(torch, op[2]), generator=g)
        elif kind == "bernoulli":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).bernoulli_(op[3], generator=g)
        elif kind == "bernoulli_t":
            t = torch.bernoulli(torch.from_numpy(_bern_probs(op[1], op[2])), generator=g)
        elif kind == "exponential_":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).exponential_(op[3], generator=g)
        elif kind == "multinomial":
            t = torch.multinomial(torch.from_numpy(_probs(op[1])), op[2], op[3], generator=g)
        elif kind == "random_":
            t = torch.empty(op[1], dtype=getattr(torch, op[2])).random_(generator=g)
        else:
            raise ValueError(kind)
        res.append(t.numpy().copy())
    res.append(g.get_state().numpy().copy())
    return res


def run_ours(gen_module: Any, seed: int, ops: list[tuple[Any, ...]]) -> list[np.ndarray]:
    """Run ``ops`` with glasstorch's Generator kernels (NumPy in, NumPy out)."""
    g = gen_module.Generator().manual_seed(seed)
    res: list[np.ndarray] = []
    for op in ops:
        kind = op[0]
        if kind == "state":
            res.append(g.get_state())
            continue
        if kind == "rand":
            a = g.uniform(op[1], op[2])
        elif kind == "randn":
            a = g.normal(op[1], op[2])
        elif kind == "normal_":
            a = g.normal(op[1], op[2], op[3], op[4])
        elif kind == "normal_T":
            # torch.empty(r, c).t() is column-major: its memory order is the (r, c) array
            a = g.normal(op[1], op[2], op[3], op[4], contiguous=False).T
        elif kind == "uniform_":
            a = g.uniform(op[1], op[2], op[3], op[4])
        elif kind == "randint":
            a = g.random_from_to(op[3], op[4], op[1], op[2])
        elif kind == "randperm":
            a = g.randperm(op[1], op[2])
        elif kind == "bernoulli":
            a = g.bernoulli(op[3], op[1], op[2])
        elif kind == "bernoulli_t":
            p = _bern_probs(op[1], op[2])
            a = g.bernoulli(p, op[1], op[2])
        elif kind == "exponential_":
            a = g.exponential(op[1], op[2], op[3])
        elif kind == "multinomial":
            a = g.multinomial(_probs(op[1]), op[2], op[3])
        elif kind == "random_":
            a = g.random(op[1], op[2])
        else:
            raise ValueError(kind)
        res.append(np.ascontiguousarray(a))
    res.append(g.get_state())
    return res


def payload(arrays: list[np.ndarray]) -> bytes:
    """All outputs' bytes (C order, with dtype and shape) in one string."""
    parts = []
    for a in arrays:
        a = np.ascontiguousarray(a)
        parts.append(f"{a.dtype.str}{a.shape}".encode())
        parts.append(a.tobytes())
    return b"|".join(parts)


def record(entries: dict[str, np.ndarray], key: str, data: bytes) -> None:
    """Store ``data`` whole if small, else as SHA-256 + head."""
    if len(data) <= RAW_LIMIT:
        entries[key + ".raw"] = np.frombuffer(data, np.uint8).copy()
    else:
        entries[key + ".sha"] = np.frombuffer(hashlib.sha256(data).digest(), np.uint8).copy()
        entries[key + ".head"] = np.frombuffer(data[:HEAD], np.uint8).copy()


def make(profile: str) -> dict[str, np.ndarray]:
    import torch

    entries: dict[str, np.ndarray] = {}
    for name, seed, ops in cases(profile):
        record(entries, name, payload(run_torch(seed, ops)))
    if profile == "avx2":
        for name, seed, fn in api_cases():
            record(entries, name, payload(run_api(torch, seed, fn)))
    # a few whole states, to read the layout byte by byte
    for seed in (0, 2**32 + 5):
        g = torch.Generator().manual_seed(seed)
        entries[f"fullstate-seeded-{seed}"] = g.get_state().numpy().copy()
        torch.randn(3, generator=g)  # leaves a cached Box-Muller value
        entries[f"fullstate-cached-{seed}"] = g.get_state().numpy().copy()
    entries["meta.torch_version"] = np.frombuffer(torch.__version__.encode(), np.uint8).copy()
    return entries


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--scalar-part":
        entries = make("scalar")
        np.savez_compressed(sys.argv[2], **{"scalar/" + k: v for k, v in entries.items()})
        return
    if os.environ.get("ATEN_CPU_CAPABILITY") != "avx2":
        sys.exit("run with ATEN_CPU_CAPABILITY=avx2 so the golden file does not depend on the CPU")
    entries = make("avx2")
    tmp = os.path.join(HERE, "_scalar_part.npz")
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    subprocess.run([sys.executable, os.path.abspath(__file__), "--scalar-part", tmp],
                   check=True, env=env)
    with np.load(tmp) as part:
        entries.update({k: part[k] for k in part.files})
    os.remove(tmp)
    np.savez_compressed(GOLDEN, **entries)
    print(f"wrote {GOLDEN}: {len(entries)} entries, {os.path.getsize(GOLDEN) // 1024} KiB")


if __name__ == "__main__":
    main()
