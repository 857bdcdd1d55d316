"""torch.distributions: samples bit-exact with torch, scores/entropies/KL and their gradients."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from tests.torch_compare import compare, rand

import glasstorch

SEEDS = [0, 1, 1234]


def _probs(*shape: int, seed: int = 0) -> np.ndarray:
    p = np.random.default_rng(seed).random(shape).astype("float32") + 0.05
    return (p / p.sum(-1, keepdims=True)).astype("float32")


def _same_samples(fn: Callable[[Any], Any], seed: int) -> None:
    """Seed both libraries, draw with ``fn(lib)``, and require bitwise-equal results."""
    glasstorch.manual_seed(seed)
    ours = fn(glasstorch)
    torch.manual_seed(seed)
    theirs = fn(torch)
    ours_t = ours if isinstance(ours, tuple) else (ours,)
    theirs_t = theirs if isinstance(theirs, tuple) else (theirs,)
    for o, t in zip(ours_t, theirs_t, strict=True):
        assert repr(o.dtype) == repr(t.dtype)
        assert tuple(o.shape) == tuple(t.shape)
        assert o.requires_grad == t.requires_grad
        np.testing.assert_array_equal(o.detach().numpy(), t.detach().numpy())
    # The generator must end in the same state, so later draws agree too.
    np.testing.assert_array_equal(glasstorch.rand(3).numpy(), torch.rand(3).numpy())


# ---------------------------------------------------------------- samples, bitwise


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
@pytest.mark.parametrize("batch", [(), (4,), (2, 3)])
def test_normal_sample_and_rsample_bitwise(seed: int, sample_shape: tuple[int, ...],
                                           batch: tuple[int, ...]) -> None:
    loc, scale = rand(*batch, seed=seed), np.abs(rand(*batch, seed=seed + 1)) + 0.1

    def draw(lib: Any) -> Any:
        d = lib.distributions.Normal(lib.tensor(loc, requires_grad=True),
                                     lib.tensor(scale, requires_grad=True))
        return d.sample(sample_shape), d.rsample(sample_shape), d.sample()

    _same_samples(draw, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_scalar_params_and_float64(seed: int) -> None:
    _same_samples(lambda lib: lib.distributions.Normal(0.5, 2.0).rsample((3, 2)), seed)
    _same_samples(lambda lib: lib.distributions.Normal(
        lib.zeros(3, dtype=lib.float64), 1.0).sample((2,)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample_shape", [(), (7,), (2, 3)])
@pytest.mark.parametrize("batch", [(), (4,), (2, 3)])
def test_bernoulli_sample_bitwise(seed: int, sample_shape: tuple[int, ...],
                                  batch: tuple[int, ...]) -> None:
    p = np.random.default_rng(seed).random(batch).astype("float32")
    _same_samples(lambda lib: lib.distributions.Bernoulli(lib.tensor(p)).sample(sample_shape), seed)
    logits = rand(*batch, seed=seed)
    _same_samples(lambda lib: lib.distributions.Bernoulli(
        logits=lib.tensor(logits)).sample(sample_shape), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample_shape", [(), (1,), (6,), (2, 3)])
@pytest.mark.parametrize("batch", [(), (4,), (2, 3)])
def test_categorical_sample_bitwise(seed: int, sample_shape: tuple[int, ...],
                                    batch: tuple[int, ...]) -> None:
    p = _probs(*batch, 5, seed=seed)
    _same_samples(lambda lib: lib.distributions.Categorical(lib.tensor(p)).sample(sample_shape),
                  seed)
    logits = rand(*batch, 5, seed=seed)
    _same_samples(lambda lib: lib.distributions.Categorical(
        logits=lib.tensor(logits)).sample(sample_shape), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample_shape", [(), (4,)])
def test_one_hot_categorical_sample_bitwise(seed: int, sample_shape: tuple[int, ...]) -> None:
    p = _probs(3, 4, seed=seed)
    _same_samples(lambda lib: lib.distributions.OneHotCategorical(
        lib.tensor(p)).sample(sample_shape), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample_shape", [(), (5,), (2, 3)])
def test_uniform_sample_and_rsample_bitwise(seed: int, sample_shape: tuple[int, ...]) -> None:
    low = rand(3, seed=seed)
    high = low + np.abs(rand(3, seed=seed + 1)) + 0.5

    def draw(lib: Any) -> Any:
        d = lib.distributions.Uniform(lib.tensor(low, requires_grad=True),
                                      lib.tensor(high, requires_grad=True))
        return d.sample(sample_shape), d.rsample(sample_shape)

    _same_samples(draw, seed)
    _same_samples(lambda lib: lib.distributions.Uniform(-1.0, 3.0).sample(sample_shape), seed)


def test_sample_n_is_deprecated_and_matches() -> None:
    def draw(lib: Any) -> Any:
        with pytest.warns(FutureWarning, match=r"sample_n\(n\)"):
            return lib.distributions.Normal(lib.zeros(2), lib.ones(2)).sample_n(3)

    _same_samples(draw, 0)


# ---------------------------------------------------------------- values and gradients


def test_normal_rsample_backprop() -> None:
    # The VAE reparameterization trick: gradients flow through loc and scale.
    loc, scale = rand(2, 3), np.abs(rand(2, 3, seed=1)) + 0.1

    def fn(lib: Any, mu: Any, std: Any) -> Any:
        lib.manual_seed(3)
        return lib.distributions.Normal(mu, std).rsample((4,))

    compare(fn, loc, scale)


def test_normal_scores() -> None:
    loc, scale, x = rand(2, 3), np.abs(rand(2, 3, seed=1)) + 0.1, rand(4, 2, 3, seed=2)
    u = np.random.default_rng(0).random((2, 3)).astype("float32") * 0.98 + 0.01
    compare(lambda lib, m, s, v: lib.distributions.Normal(m, s).log_prob(v), loc, scale, x)
    compare(lambda lib, m, s, v: lib.distributions.Normal(m, s).cdf(v), loc, scale, x)
    compare(lambda lib, m, s, v: lib.distributions.Normal(m, s).icdf(v), loc, scale, u)
    compare(lambda lib, m, s: lib.distributions.Normal(m, s).entropy(), loc, scale)
    compare(lambda lib, m, s: lib.distributions.Normal(m, s).perplexity(), loc, scale)
    for attr in ("mean", "mode", "stddev", "variance"):
        compare(lambda lib, m, s, a=attr: getattr(lib.distributions.Normal(m, s), a), loc, scale)
    compare(lambda lib, m: lib.distributions.Normal(m, 2.0).log_prob(m * 0), loc)


def test_categorical_log_prob_entropy_grads() -> None:
    p, logits = _probs(3, 4), rand(3, 4)
    actions = np.array([[0, 3, 1], [2, 2, 0]])

    def lp(lib: Any, probs: Any) -> Any:
        return lib.distributions.Categorical(probs).log_prob(lib.tensor(actions))

    compare(lp, p)
    compare(lambda lib, lg: lib.distributions.Categorical(logits=lg).log_prob(
        lib.tensor(actions)), logits)
    compare(lambda lib, pr: lib.distributions.Categorical(pr).entropy(), p)
    compare(lambda lib, lg: lib.distributions.Categorical(logits=lg).entropy(), logits)
    compare(lambda lib, lg: lib.distributions.Categorical(logits=lg).probs, logits)
    compare(lambda lib, pr: lib.distributions.Categorical(pr).logits, p)
    compare(lambda lib, pr: lib.distributions.Categorical(pr * 3).probs, p)
    compare(lambda lib, pr: (lib.distributions.Categorical(pr).mode,
                             lib.distributions.Categorical(pr).mean), p)
    # A zero probability: entropy stays finite (log 0 clamped to finfo.min).
    zero = np.array([0.0, 0.4, 0.6], dtype="float32")
    compare(lambda lib, pr: lib.distributions.Categorical(pr).entropy(), zero)


def test_reinforce_step_matches_torch() -> None:
    # The beginner RL pattern: sample an action, then backprop -log_prob * reward.
    logits = rand(5, 3)

    def fn(lib: Any, lg: Any) -> Any:
        lib.manual_seed(7)
        m = lib.distributions.Categorical(logits=lg)
        action = m.sample()
        return -(m.log_prob(action) * 2.5).sum(), action

    compare(fn, logits)


def test_bernoulli_log_prob_entropy_grads() -> None:
    p = np.random.default_rng(0).random((2, 3)).astype("float32") * 0.9 + 0.05
    x = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]], dtype="float32")
    compare(lambda lib, pr, v: lib.distributions.Bernoulli(pr).log_prob(v), p, x,
            grads=(True, False))
    compare(lambda lib, lg, v: lib.distributions.Bernoulli(logits=lg).log_prob(v), rand(2, 3), x,
            grads=(True, False))
    compare(lambda lib, pr: lib.distributions.Bernoulli(pr).entropy(), p)
    compare(lambda lib, pr: (lib.distributions.Bernoulli(pr).mean,
                             lib.distributions.Bernoulli(pr).variance), p)
    half = np.array([0.2, 0.5, 0.7], dtype="float32")
    compare(lambda lib, pr: lib.distributions.Bernoulli(pr).mode, half, grads=False)
    compare(lambda lib, lg: lib.distributions.Bernoulli(logits=lg).probs, rand(4))
    compare(lambda lib: lib.distributions.Bernoulli(0.3).log_prob(lib.tensor([1.0, 0.0])))


def test_uniform_scores() -> None:
    low, width = rand(3), np.abs(rand(3, seed=1)) + 0.5
    high = low + width
    x = low + width * np.array([0.1, 0.5, 0.9], dtype="float32")
    compare(lambda lib, lo, hi, v: lib.distributions.Uniform(lo, hi).log_prob(v), low, high, x)
    compare(lambda lib, lo, hi, v: lib.distributions.Uniform(lo, hi).cdf(v), low, high, x)
    compare(lambda lib, lo, hi, v: lib.distributions.Uniform(lo, hi).icdf(v * 0 + 0.3),
            low, high, x)
    compare(lambda lib, lo, hi: (lib.distributions.Uniform(lo, hi).entropy(),
                                 lib.distributions.Uniform(lo, hi).mean,
                                 lib.distributions.Uniform(lo, hi).stddev,
                                 lib.distributions.Uniform(lo, hi).variance,
                                 lib.distributions.Uniform(lo, hi).mode), low, high)
    # Outside the support log_prob is -inf (validation off, as torch requires for that).
    compare(lambda lib, lo, hi: lib.distributions.Uniform(lo, hi, validate_args=False).log_prob(
        hi + 1), low, high)


def test_kl_divergence_pairs() -> None:
    kl = "distributions"
    a, b = rand(2, 3), rand(2, 3, seed=1)
    sa, sb = np.abs(a) + 0.1, np.abs(b) + 0.2

    compare(lambda lib, m1, s1, m2, s2: getattr(lib, kl).kl_divergence(
        lib.distributions.Normal(m1, s1), lib.distributions.Normal(m2, s2)), a, sa, b, sb)
    pa, pb = _probs(2, 4), _probs(2, 4, seed=1)
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.Categorical(p), lib.distributions.Categorical(q)), pa, pb)
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.Categorical(logits=p), lib.distributions.Categorical(logits=q)), a, b)
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.OneHotCategorical(p), lib.distributions.OneHotCategorical(q)), pa, pb)
    ba = np.array([0.0, 0.3, 1.0, 0.6], dtype="float32")
    bb = np.array([0.5, 0.0, 1.0, 0.2], dtype="float32")
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.Bernoulli(p), lib.distributions.Bernoulli(q)), ba, bb, grads=False)
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.Bernoulli(logits=p), lib.distributions.Bernoulli(logits=q)), a, b)
    zero_cat = np.array([[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]], dtype="float32")
    compare(lambda lib, p, q: lib.distributions.kl_divergence(
        lib.distributions.Categorical(p), lib.distributions.Categorical(q)),
        zero_cat, zero_cat[::-1].copy(), grads=False)
    lo, hi = a, a + sa
    compare(lambda lib, l1, h1, l2, h2: lib.distributions.kl_divergence(
        lib.distributions.Uniform(l1, h1), lib.distributions.Uniform(l2, h2)),
        lo, hi, lo - 0.5, hi + sb)
    compare(lambda lib, l1, h1, m, s: lib.distributions.kl_divergence(
        lib.distributions.Uniform(l1, h1), lib.distributions.Normal(m, s)), lo, hi, b, sb)
    compare(lambda lib, m, s, l1, h1: lib.distributions.kl_divergence(
        lib.distributions.Normal(m, s), lib.distributions.Uniform(l1, h1)), b, sb, lo, hi)


def test_kl_not_implemented_and_register_kl() -> None:
    for lib in (glasstorch, torch):
        with pytest.raises(NotImplementedError, match="No KL\\(p \\|\\| q\\) is implemented for p "
                           "type Categorical and q type Normal"):
            lib.distributions.kl_divergence(lib.distributions.Categorical(lib.ones(2)),
                                            lib.distributions.Normal(0.0, 1.0))

    class MyNormal(glasstorch.distributions.Normal):
        pass

    # A subclass inherits the Normal-Normal KL until a more specific one is registered.
    p, q = MyNormal(1.0, 2.0), MyNormal(0.0, 1.0)
    expected = torch.distributions.kl_divergence(torch.distributions.Normal(1.0, 2.0),
                                                 torch.distributions.Normal(0.0, 1.0))
    assert glasstorch.distributions.kl_divergence(p, q).item() == pytest.approx(expected.item())

    @glasstorch.distributions.register_kl(MyNormal, MyNormal)
    def _kl(p: Any, q: Any) -> Any:
        return p.loc * 0 + 42

    assert glasstorch.distributions.kl_divergence(p, q).item() == 42


# ---------------------------------------------------------------- shapes, expand, repr


@pytest.mark.parametrize("make", [
    lambda lib: lib.distributions.Normal(lib.zeros(2, 1), lib.ones(3)),
    lambda lib: lib.distributions.Normal(0.0, 1.0),
    lambda lib: lib.distributions.Normal(lib.zeros(3), 1.0),
    lambda lib: lib.distributions.Bernoulli(lib.full((2, 3), 0.3)),
    lambda lib: lib.distributions.Bernoulli(logits=0.2),
    lambda lib: lib.distributions.Categorical(lib.ones(4)),
    lambda lib: lib.distributions.Categorical(logits=lib.zeros(2, 3, 4)),
    lambda lib: lib.distributions.OneHotCategorical(lib.ones(2, 4)),
    lambda lib: lib.distributions.Uniform(lib.zeros(3), 2.0),
    lambda lib: lib.distributions.Uniform(0.0, 1.0),
])
def test_shapes_expand_repr(make: Callable[[Any], Any]) -> None:
    ours, theirs = make(glasstorch), make(torch)
    assert repr(ours) == repr(theirs)
    assert ours.batch_shape == theirs.batch_shape and ours.event_shape == theirs.event_shape
    assert repr(ours.batch_shape) == repr(theirs.batch_shape)
    assert repr(ours.event_shape) == repr(theirs.event_shape)
    assert ours.has_rsample == theirs.has_rsample
    assert ours.has_enumerate_support == theirs.has_enumerate_support
    assert repr(ours.support) == repr(theirs.support)
    assert tuple(ours.sample((2,)).shape) == tuple(theirs.sample((2,)).shape)
    new_batch = (5, *theirs.batch_shape)
    o2, t2 = ours.expand(new_batch), theirs.expand(new_batch)
    assert type(o2) is type(ours)
    assert repr(o2) == repr(t2) and o2.batch_shape == t2.batch_shape
    assert o2.event_shape == t2.event_shape
    for seed in (0, 5):
        _same_samples(lambda lib: (ours if lib is glasstorch else theirs).expand(new_batch)
                      .sample((3,)), seed)
    if theirs.has_enumerate_support:
        for expand in (True, False):
            o, t = ours.enumerate_support(expand), theirs.enumerate_support(expand)
            assert repr(o.dtype) == repr(t.dtype)
            np.testing.assert_array_equal(o.numpy(), t.numpy())


def test_normal_repr_scalar_and_vector() -> None:
    assert repr(glasstorch.distributions.Normal(glasstorch.zeros(2), glasstorch.ones(2))) == \
        "Normal(loc: torch.Size([2]), scale: torch.Size([2]))"
    assert repr(glasstorch.distributions.Normal(0.0, 1.0)) == \
        repr(torch.distributions.Normal(0.0, 1.0))


def test_constraint_reprs() -> None:
    ours, theirs = glasstorch.distributions.constraints, torch.distributions.constraints
    for name in ("real", "positive", "nonnegative", "unit_interval", "simplex", "boolean",
                 "one_hot", "real_vector", "nonnegative_integer", "positive_integer"):
        assert repr(getattr(ours, name)) == repr(getattr(theirs, name)), name
    assert repr(ours.interval(0, 3)) == repr(theirs.interval(0, 3))
    assert repr(ours.integer_interval(0, 3)) == repr(theirs.integer_interval(0, 3))
    assert ours.is_dependent(glasstorch.distributions.Uniform.support)
    assert not ours.is_dependent(ours.real)


# ---------------------------------------------------------------- validation errors


def _same_error(fn: Callable[[Any], Any], exc: type[BaseException] = ValueError) -> None:
    """Both libraries raise ``exc`` with the same message."""
    messages = []
    for lib in (glasstorch, torch):
        with pytest.raises(exc) as info:
            fn(lib)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("fn", [
    lambda lib: lib.distributions.Normal(lib.zeros(2), lib.tensor([1.0, -1.0])),
    lambda lib: lib.distributions.Normal(lib.tensor([0.0, math.nan]), 1.0),
    lambda lib: lib.distributions.Normal(0.0, 0.0),
    lambda lib: lib.distributions.Bernoulli(lib.tensor([0.5, 1.5])),
    lambda lib: lib.distributions.Bernoulli(),
    lambda lib: lib.distributions.Bernoulli(0.5, 0.1),
    lambda lib: lib.distributions.Categorical(lib.tensor([0.5, -0.5, 1.0])),
    lambda lib: lib.distributions.Categorical(lib.tensor(0.5)),
    lambda lib: lib.distributions.Categorical(logits=lib.tensor(0.5)),
    lambda lib: lib.distributions.Categorical(),
    lambda lib: lib.distributions.Uniform(lib.tensor([0.0, 2.0]), lib.tensor([1.0, 1.0])),
    lambda lib: lib.distributions.Normal(0.0, 1.0).log_prob(0.5),
    lambda lib: lib.distributions.Normal(lib.zeros(3), 1.0).log_prob(lib.zeros(2)),
    lambda lib: lib.distributions.Bernoulli(0.3).log_prob(lib.tensor([0.5])),
    lambda lib: lib.distributions.Categorical(lib.ones(3)).log_prob(lib.tensor([3])),
    lambda lib: lib.distributions.Categorical(lib.ones(3)).log_prob(lib.tensor([1.5])),
    lambda lib: lib.distributions.OneHotCategorical(lib.ones(3)).log_prob(lib.ones(2)),
    lambda lib: lib.distributions.OneHotCategorical(lib.ones(3)).log_prob(lib.ones(3)),
    lambda lib: lib.distributions.Uniform(0.0, 1.0).log_prob(lib.tensor([2.0])),
    lambda lib: lib.distributions.Normal("a", 1.0),
])
def test_validation_errors_match_torch(fn: Callable[[Any], Any]) -> None:
    _same_error(fn)


def test_validation_can_be_turned_off() -> None:
    for lib in (glasstorch, torch):
        d = lib.distributions.Normal(0.0, -1.0, validate_args=False)
        assert math.isnan(d.log_prob(lib.tensor(0.0)).item())
        lib.distributions.Distribution.set_default_validate_args(False)
        try:
            lib.distributions.Normal(0.0, -1.0)
            # expand keeps the instance's setting.
            assert not lib.distributions.Normal(0.0, 1.0).expand((2,))._validate_args
        finally:
            lib.distributions.Distribution.set_default_validate_args(True)
        with pytest.raises(ValueError):
            lib.distributions.Normal(0.0, -1.0)
        with pytest.raises(ValueError):
            lib.distributions.Distribution.set_default_validate_args(3)  # type: ignore[arg-type]


def test_lazy_probs_and_logits_cached_like_torch() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for make in (lambda lib: lib.distributions.Categorical(lib.tensor([0.2, 0.8])),
                     lambda lib: lib.distributions.Bernoulli(logits=lib.tensor([0.2, 0.8]))):
            ours, theirs = make(glasstorch), make(torch)
            ours.entropy()
            theirs.entropy()
            assert repr(ours) == repr(theirs)  # the lazily built parameter now shows too
