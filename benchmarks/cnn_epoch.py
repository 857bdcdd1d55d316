"""One epoch of a small CNN on 8x8 images: glasstorch vs torch, interleaved in one process.

    python benchmarks/cnn_epoch.py [--rounds 7] [--batch 64] [--batches 30] [--single-thread]

Conv2d(1,8,3,padding=1) -> ReLU -> MaxPool2d(2) -> Conv2d(8,16,3,padding=1) -> ReLU ->
MaxPool2d(2) -> Flatten -> Linear(64,10); cross entropy; SGD. Each round runs torch then
glasstorch on the same data; the medians and their ratio (glasstorch / torch, below 1 is
faster) are printed. The issue asks for at most 1.0x.

``--single-thread`` gives both libraries one thread (torch.set_num_threads(1) and
OPENBLAS_NUM_THREADS=1 for NumPy): on a loaded machine OpenBLAS's threads wait on each other
for the small matrix products of a small CNN, and the timing measures the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

if "--single-thread" in sys.argv:  # before NumPy loads OpenBLAS
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402


def epoch(lib: Any, xs: list[np.ndarray], ys: list[np.ndarray]) -> float:
    nn = lib.nn
    lib.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64, 10),
    )
    loss_fn = nn.CrossEntropyLoss()
    opt = lib.optim.SGD(model.parameters(), lr=0.05)
    batches = [(lib.tensor(x), lib.tensor(y)) for x, y in zip(xs, ys, strict=True)]
    t0 = time.perf_counter()
    for xb, yb in batches:
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    loss.item()
    return time.perf_counter() - t0


def main() -> None:
    import torch

    import glasstorch

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--single-thread", action="store_true")
    args = parser.parse_args()
    if args.single_thread:
        torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((args.batch, 1, 8, 8)).astype(np.float32)
          for _ in range(args.batches)]
    ys = [rng.integers(0, 10, args.batch) for _ in range(args.batches)]
    times: dict[str, list[float]] = {"torch": [], "glasstorch": []}
    for lib in (torch, glasstorch):  # warm-up
        epoch(lib, xs, ys)
    for _ in range(args.rounds):
        times["torch"].append(epoch(torch, xs, ys))
        times["glasstorch"].append(epoch(glasstorch, xs, ys))
    t, g = statistics.median(times["torch"]), statistics.median(times["glasstorch"])
    print(f"torch {t * 1e3:.1f} ms  glasstorch {g * 1e3:.1f} ms  ratio {g / t:.2f}x "
          f"(batch {args.batch}, {args.batches} batches"
          f"{', single thread' if args.single_thread else ''})")


if __name__ == "__main__":
    main()
