"""Time the seed workloads on glasstorch and on torch, side by side in one process.

    python benchmarks/run.py                 # all workloads, 5 interleaved rounds
    python benchmarks/run.py --rounds 9 --only W1 W8a

The workloads are the scripts in ../shared/bench/workloads (each has a ``workload(torch)``
function that takes the module to use as ``torch``). For every workload, glasstorch and
torch run alternately (torch, glasstorch, torch, ...) after one warm-up run each, so both
see the same machine load; the table shows medians and the ratio glasstorch / torch
(below 1 means glasstorch is faster). Import time is measured in fresh subprocesses.
Machines are shared and noisy: compare ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_BENCH = HERE.parent.parent / "shared" / "bench"

# id -> (module name in workloads/, callable name, keyword arguments, target ratio)
WORKLOADS: dict[str, tuple[str, str, dict[str, Any], float | None]] = {
    "W1": ("w1_linreg", "workload", {}, 0.5),
    "W3": ("w3_height_weight", "workload", {}, 0.5),
    "W4": ("w4_logistic", "workload", {}, 0.5),
    "W5b": ("w5b_sin_autograd", "workload", {}, 0.5),
    "W6": ("w6_digits_mlp", "workload", {}, 0.3),  # needs scikit-learn (the digits data)
    "CNN": ("cnn_digits", "workload", {}, 1.0),  # benchmarks/workloads/; needs scikit-learn
    "W8a": ("w8_micro", "chain", {}, 0.5),
    "W8b": ("w8_micro", "add", {}, None),  # reported: no target in the issue
}


def _time(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_workload(name: str, libs: dict[str, Any], rounds: int) -> dict[str, float]:
    module, func, kwargs, _ = WORKLOADS[name]
    workload_module = importlib.import_module(module)
    fn = getattr(workload_module, func)
    # a workload with `prepare(torch)` gets its data tensors from it, outside the timing
    prepare = getattr(workload_module, "prepare", None)
    data = {lib: prepare(mod) if prepare else () for lib, mod in libs.items()}
    times: dict[str, list[float]] = {lib: [] for lib in libs}
    for lib, mod in libs.items():
        fn(mod, *data[lib], **kwargs)  # warm-up: first-call costs are not what a loop pays
    for _ in range(rounds):
        for lib, mod in libs.items():
            args = data[lib]
            times[lib].append(_time(lambda: fn(mod, *args, **kwargs)))  # noqa: B023
    return {lib: statistics.median(ts) for lib, ts in times.items()}


def import_times(rounds: int) -> dict[str, float]:
    """Median seconds of ``import X`` in a fresh interpreter, alternating the two."""
    code = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"
    times: dict[str, list[float]] = {"torch": [], "glasstorch": []}
    # As installed packages are: with their bytecode cached (pip writes torch's .pyc files
    # at install time). PYTHONDONTWRITEBYTECODE would make every run recompile glasstorch's
    # sources, so it is dropped, and a first import writes the cache.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for lib in times:
        subprocess.run([sys.executable, "-c", f"import {lib}"], check=True, env=env)
    for _ in range(rounds):
        for lib in times:
            out = subprocess.run([sys.executable, "-c", code.format(lib)], capture_output=True,
                                 text=True, check=True, env=env)
            times[lib].append(float(out.stdout.strip()))
    return {lib: statistics.median(ts) for lib, ts in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH,
                    help="the shared bench folder (holds workloads/ and common.py)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per workload")
    ap.add_argument("--only", nargs="*",
                    help="workload ids to run (W1 W3 W4 W5b W6 CNN W8a W8b import)")
    args = ap.parse_args()

    workloads_dir = args.bench_dir / "workloads"
    if not workloads_dir.is_dir():
        print(f"benchmarks: {workloads_dir} not found; pass --bench-dir", file=sys.stderr)
        return 2
    sys.path[:0] = [str(workloads_dir), str(args.bench_dir), str(HERE / "workloads")]
    import torch

    import glasstorch

    libs = {"torch": torch, "glasstorch": glasstorch}
    wanted = args.only or [*WORKLOADS, "import"]
    print("| workload | torch (s) | glasstorch (s) | ratio | target |")
    print("|---|---|---|---|---|")
    for name in wanted:
        if name == "import":
            res = import_times(args.rounds)
            target = 0.3
            ok = res["glasstorch"] <= target
            verdict = "ok" if ok else "MISSED"
            print(f"| import | {res['torch']:.3f} | {res['glasstorch']:.3f} | "
                  f"{res['glasstorch'] / res['torch']:.2f} | < {target} s {verdict} |", flush=True)
            continue
        res = bench_workload(name, libs, args.rounds)
        ratio = res["glasstorch"] / res["torch"]
        target = WORKLOADS[name][3]
        verdict = "(reported)" if target is None else \
            f"<= {target} {'ok' if ratio <= target else 'MISSED'}"
        print(f"| {name} | {res['torch']:.4f} | {res['glasstorch']:.4f} | {ratio:.2f} | "
              f"{verdict} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
