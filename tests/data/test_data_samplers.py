"""Samplers against real torch: the same indices and the same random draws."""

from __future__ import annotations

from typing import Any

import pytest

from data_helpers import LIBS, gen_bytes, rng_bytes, same_error


def _draw(make: Any, seed: int, use_gen: bool, passes: int = 2) -> list[Any]:
    res = []
    for lib in LIBS:
        lib.manual_seed(seed)
        gen = lib.Generator().manual_seed(seed + 7) if use_gen else None
        sampler = make(lib, gen)
        out = [list(sampler) for _ in range(passes)]
        res.append((out, len(sampler), rng_bytes(lib), gen_bytes(gen) if gen else None))
    return res


@pytest.mark.parametrize("seed", [0, 5, 99])
@pytest.mark.parametrize("use_gen", [False, True])
@pytest.mark.parametrize("n,replacement,num_samples", [
    (10, False, None), (1, False, None), (10, False, 25), (10, False, 4),
    (10, True, None), (7, True, 70), (100, True, 31), (3, True, 64),
])
def test_random_sampler(seed: int, use_gen: bool, n: int, replacement: bool,
                        num_samples: Any) -> None:
    res = _draw(lambda lib, g: lib.utils.data.RandomSampler(
        range(n), replacement=replacement, num_samples=num_samples, generator=g),
        seed, use_gen)
    assert res[0] == res[1]


@pytest.mark.parametrize("use_gen", [False, True])
def test_subset_random_sampler(use_gen: bool) -> None:
    res = _draw(lambda lib, g: lib.utils.data.SubsetRandomSampler([3, 9, 4, 1, 20], g), 3,
                use_gen)
    assert res[0] == res[1]


@pytest.mark.parametrize("use_gen", [False, True])
@pytest.mark.parametrize("replacement,k", [(True, 10), (True, 1), (False, 3), (False, 6)])
def test_weighted_random_sampler(use_gen: bool, replacement: bool, k: int) -> None:
    weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    res = _draw(lambda lib, g: lib.utils.data.WeightedRandomSampler(weights, k, replacement, g),
                11, use_gen)
    assert res[0] == res[1]


def test_sequential_and_batch_sampler() -> None:
    res = []
    for lib in LIBS:
        d = lib.utils.data
        seq = d.SequentialSampler(range(10))
        out = [list(seq), len(seq)]
        for bs in (1, 3, 5, 10, 11):
            for drop in (False, True):
                b = d.BatchSampler(seq, bs, drop)
                out += [list(b), len(b)]
        out.append(list(d.BatchSampler([5, 6, 7], 2, False)))  # any iterable
        res.append(out)
    assert res[0] == res[1]


@pytest.mark.parametrize("make", [
    lambda lib: lib.utils.data.RandomSampler(range(3), replacement=1),
    lambda lib: lib.utils.data.RandomSampler(range(3), num_samples=0),
    lambda lib: lib.utils.data.RandomSampler(range(3), num_samples=2.0),
    lambda lib: lib.utils.data.RandomSampler([]),
    lambda lib: lib.utils.data.WeightedRandomSampler([1.0], 0),
    lambda lib: lib.utils.data.WeightedRandomSampler([1.0], True),
    lambda lib: lib.utils.data.WeightedRandomSampler([1.0], 2, replacement=None),
    lambda lib: lib.utils.data.WeightedRandomSampler([[1.0]], 2),
    lambda lib: lib.utils.data.BatchSampler(range(3), 0, False),
    lambda lib: lib.utils.data.BatchSampler(range(3), True, False),
    lambda lib: lib.utils.data.BatchSampler(range(3), 2, 0),
    lambda lib: list(lib.utils.data.Sampler()),
    lambda lib: len(lib.utils.data.Sampler()),
])
def test_sampler_errors(make: Any) -> None:
    same_error(make)
