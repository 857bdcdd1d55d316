"""More lr_scheduler against torch: LinearLR ... CyclicLR, 60+ steps, equal floats."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
import torch  # the oracle; tests/conftest.py checks its version
from test_optim_lr_scheduler import Scale, _opt, errors, sched_id, train

import glasstorch as gt

from test_optim_adam import assert_same

SCHEDULERS = [
    ("LinearLR", dict()),
    ("LinearLR", dict(start_factor=0.1, end_factor=0.9, total_iters=30)),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.0, total_iters=60)),
    ("ConstantLR", dict()),
    ("ConstantLR", dict(factor=0.7, total_iters=13)),
    ("PolynomialLR", dict()),
    ("PolynomialLR", dict(total_iters=40, power=2.3)),
    ("PolynomialLR", dict(total_iters=70, power=0.5)),
    ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.95)),
    ("MultiplicativeLR", dict(lr_lambda=Scale(0.999))),
    ("CosineAnnealingWarmRestarts", dict(T_0=10)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=2, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", dict(T_0=7, T_mult=3)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=7)),
    ("CyclicLR", dict(base_lr=[0.01, 0.02], max_lr=0.3, step_size_up=5, step_size_down=9,
                      mode="triangular2")),
    ("CyclicLR", dict(base_lr=0.001, max_lr=0.2, step_size_up=4, mode="exp_range",
                      gamma=0.97, base_momentum=0.7, max_momentum=0.95)),
    ("CyclicLR", dict(base_lr=0.001, max_lr=0.2, step_size_up=6, cycle_momentum=False)),
    ("CyclicLR", dict(base_lr=0.001, max_lr=0.2, step_size_up=6,
                      scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations")),
    ("CyclicLR", dict(base_lr=0.001, max_lr=0.2, step_size_up=3, scale_fn=Scale(0.8))),
]
OPTIMIZERS = [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01))]


def make_params(lib):
    rng = np.random.default_rng(0)
    return [lib.tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
            for _ in range(2)]


def make_optimizer(lib, params, name, options):
    groups = [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.05}]
    return getattr(lib.optim, name)(groups, **options)


def build(lib, optimizer, spec):
    """A scheduler from (name, options), or a composite from a callable."""
    if callable(spec):
        return spec(lib, optimizer)
    name, options = spec
    return getattr(lib.optim.lr_scheduler, name)(optimizer, **options)


def _sequential(lib, opt):
    s = lib.optim.lr_scheduler
    return s.SequentialLR(opt, [s.LinearLR(opt, start_factor=0.2, total_iters=5),
                                s.ExponentialLR(opt, gamma=0.95),
                                s.CosineAnnealingLR(opt, T_max=9)], milestones=[5, 25])


def _sequential_constant(lib, opt):
    s = lib.optim.lr_scheduler
    return s.SequentialLR(opt, [s.ConstantLR(opt, factor=0.1, total_iters=2),
                                s.StepLR(opt, step_size=4, gamma=0.5)], milestones=[3])


def _chained(lib, opt):
    s = lib.optim.lr_scheduler
    return s.ChainedScheduler([s.ConstantLR(opt, factor=0.1, total_iters=3),
                               s.ExponentialLR(opt, gamma=0.97),
                               s.PolynomialLR(opt, total_iters=50, power=1.5)])


def _chained_in_sequential(lib, opt):
    s = lib.optim.lr_scheduler
    chained = s.ChainedScheduler([s.LinearLR(opt, start_factor=0.5, total_iters=4),
                                  s.MultiStepLR(opt, milestones=[2, 6], gamma=0.5)], opt)
    with warnings.catch_warnings():  # torch warns here too (see the test below)
        warnings.simplefilter("ignore")
        return s.SequentialLR(opt, [chained, s.ExponentialLR(opt, gamma=0.9)], milestones=[10])


def test_nested_initial_step_warns_like_torch():
    messages = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        s = lib.optim.lr_scheduler
        chained = s.ChainedScheduler([s.ConstantLR(opt), s.ExponentialLR(opt, gamma=0.9)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s.SequentialLR(opt, [chained, s.ConstantLR(opt)], milestones=[4])
        messages[lib.__name__] = [str(w.message) for w in caught]
    assert messages["glasstorch"] == messages["torch"]
    assert len(messages["torch"]) == 2


COMPOSITES = [_sequential, _sequential_constant, _chained, _chained_in_sequential]


def composite_id(value):
    return value.__name__ if callable(value) else sched_id(value)


def record(lib, optimizer_spec, spec, steps):
    params = make_params(lib)
    opt = make_optimizer(lib, params, *optimizer_spec)
    sched = build(lib, opt, spec)
    initial = list(sched.get_last_lr())
    lrs, momenta = train(lib, params, opt, sched, steps)
    groups = [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]
    return (initial, lrs, momenta, getattr(sched, "last_epoch", None), groups,
            [p.detach().numpy().copy() for p in params])


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: o[0])
@pytest.mark.parametrize("scheduler", SCHEDULERS + COMPOSITES, ids=composite_id)
def test_seventy_steps_equal_torch(optimizer, scheduler):
    ours = record(gt, optimizer, scheduler, 70)
    theirs = record(torch, optimizer, scheduler, 70)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]  # exact float equality, every step
    assert ours[2] == theirs[2]  # the cycled momentum / betas too
    assert ours[3] == theirs[3]
    assert ours[4] == theirs[4]
    for a, b in zip(ours[5], theirs[5], strict=True):
        assert_same(a, b)


def _strip(state):
    """The comparable part of a state_dict (callables are not equal across libraries)."""
    if isinstance(state, dict):
        return {k: _strip(v) for k, v in state.items() if k not in ("_scale_fn_ref",)}
    if isinstance(state, list):
        return [_strip(v) for v in state]
    if callable(state):
        return "<callable>"
    return state


@pytest.mark.parametrize("scheduler", SCHEDULERS + COMPOSITES, ids=composite_id)
def test_state_dict_round_trip(scheduler):
    results = {}
    for lib in (gt, torch):
        params = make_params(lib)
        opt = make_optimizer(lib, params, "SGD", dict(lr=0.1, momentum=0.9))
        sched = build(lib, opt, scheduler)
        first, _ = train(lib, params, opt, sched, 23)
        saved_opt = copy.deepcopy(opt.state_dict())
        saved = sched.state_dict()
        saved_copy = copy.deepcopy(_strip(saved))
        params2 = make_params(lib)
        opt2 = make_optimizer(lib, params2, "SGD", dict(lr=0.1, momentum=0.9))
        sched2 = build(lib, opt2, scheduler)
        opt2.load_state_dict(saved_opt)
        sched2.load_state_dict(saved)
        after_load = _strip(saved)  # torch's CyclicLR pops '_scale_fn_custom' from it
        rest, momenta = train(lib, params2, opt2, sched2, 45, seed=2)
        results[lib.__name__] = (first + rest, momenta, saved_copy, after_load)
    ours, theirs = results["glasstorch"], results["torch"]
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]  # same keys, order and values
    assert list(ours[2]) == list(theirs[2])
    assert ours[3] == theirs[3]


def test_cyclic_state_dict_keeps_callable_scale_fn_state():
    saved = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        scale = Scale(0.5)
        sched = lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=2, scale_fn=scale,
                                                cycle_momentum=False)
        state = sched.state_dict()
        assert state["_scale_fn_custom"] == {"factor": 0.5}
        scale.factor = 0.9
        sched.load_state_dict(state)
        assert scale.factor == 0.5
        saved[lib.__name__] = list(state)
    assert saved["glasstorch"] == saved["torch"]


@pytest.mark.parametrize("options", [
    dict(T_0=5), dict(T_0=3, T_mult=2), dict(T_0=2, T_mult=3, eta_min=0.01),
])
def test_warm_restarts_fractional_epochs_equal_torch(options):
    results = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, **options)
        lrs = []
        iters = 7
        for epoch in range(12):
            for i in range(iters):
                opt.step()
                sched.step(epoch + i / iters)
                lrs.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
        for epoch in (26, None, None, 3.5, None, 0, 40.25):
            sched.step(epoch)
            lrs.append((sched.get_last_lr(), sched.T_cur, sched.T_i, sched.last_epoch))
        results[lib.__name__] = lrs
    assert results["glasstorch"] == results["torch"]


@pytest.mark.parametrize("name,options", [
    ("LinearLR", dict(start_factor=0.25, total_iters=6)), ("ConstantLR", dict(total_iters=4)),
    ("PolynomialLR", dict(total_iters=8, power=2.0)),
])
def test_closed_form_epoch_argument_equals_torch(name, options):
    results = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **options)
        lrs = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for epoch in (3, 5, 4, 11, 2, 0, 8):
                opt.step()
                sched.step(epoch)
                lrs.append(sched.get_last_lr())
        results[lib.__name__] = (lrs, [str(w.message) for w in caught])
    assert results["glasstorch"] == results["torch"]
    assert results["torch"][1]  # the deprecation warning was given


@pytest.mark.parametrize("name,options", [
    ("LinearLR", dict()), ("ConstantLR", dict()), ("PolynomialLR", dict()),
    ("MultiplicativeLR", dict(lr_lambda=lambda e: 0.9)),
    ("CosineAnnealingWarmRestarts", dict(T_0=3)),
    ("CyclicLR", dict(base_lr=0.01, max_lr=0.1)),
])
def test_warnings_match_torch(name, options):
    messages = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **options)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()  # before optimizer.step()
            sched.get_lr()  # outside step()
        messages[lib.__name__] = ([str(w.message) for w in caught], sched.get_last_lr())
    assert messages["glasstorch"] == messages["torch"]
    assert messages["torch"][0]


def test_multiplicative_lr_with_tensor_lr_equals_torch():
    results = {}
    for lib in (gt, torch):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=lib.tensor(0.1))
        sched = lib.optim.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=4)
        lrs = []
        for _ in range(8):
            opt.step()
            sched.step()
            lrs.append(float(opt.param_groups[0]["lr"]))
        results[lib.__name__] = (lrs, type(opt.param_groups[0]["lr"]).__name__)
    assert results["glasstorch"] == results["torch"]


def _two_optimizers(lib):
    a, b = _opt(lib), _opt(lib)
    s = lib.optim.lr_scheduler
    return s.SequentialLR(a, [s.ConstantLR(a), s.ConstantLR(b)], milestones=[3])


BAD = [
    lambda lib: lib.optim.lr_scheduler.LinearLR(_opt(lib), start_factor=0),
    lambda lib: lib.optim.lr_scheduler.LinearLR(_opt(lib), start_factor=1.5),
    lambda lib: lib.optim.lr_scheduler.LinearLR(_opt(lib), end_factor=-0.1),
    lambda lib: lib.optim.lr_scheduler.ConstantLR(_opt(lib), factor=1.5),
    lambda lib: lib.optim.lr_scheduler.ConstantLR(_opt(lib), factor=-1),
    lambda lib: lib.optim.lr_scheduler.LinearLR("sgd"),
    lambda lib: lib.optim.lr_scheduler.PolynomialLR(_opt(lib), last_epoch=3),
    lambda lib: lib.optim.lr_scheduler.MultiplicativeLR(_opt(lib), [lambda e: 1] * 2),
    lambda lib: lib.optim.lr_scheduler.MultiplicativeLR(_opt(lib), 0.5),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), T_0=0),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), T_0=2.0),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), 2, T_mult=0),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), 2, T_mult=1.5),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), 2, eta_min="0"),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(_opt(lib), 2).step(-1),
    lambda lib: lib.optim.lr_scheduler.CyclicLR("sgd", 0.1, 1.0),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(_opt(lib), 0.1, 1.0, mode="saw"),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(_opt(lib), [0.1, 0.2], 1.0),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(_opt(lib), 0.1, [1.0, 2.0]),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(_opt(lib, "Adagrad"), 0.1, 1.0),
    lambda lib: lib.optim.lr_scheduler.SequentialLR(_opt(lib), [], milestones=[]),
    lambda lib: lib.optim.lr_scheduler.SequentialLR(_opt(lib), [object()], milestones=[]),
    lambda lib: _two_optimizers(lib),
    lambda lib: (lambda o: lib.optim.lr_scheduler.SequentialLR(
        o, [lib.optim.lr_scheduler.ConstantLR(o)], milestones=[2]))(_opt(lib)),
    lambda lib: (lambda o: lib.optim.lr_scheduler.SequentialLR(
        o, [lib.optim.lr_scheduler.ReduceLROnPlateau(o)], milestones=[]))(_opt(lib)),
    lambda lib: lib.optim.lr_scheduler.ChainedScheduler([]),
    lambda lib: lib.optim.lr_scheduler.ChainedScheduler([object()], _opt(lib)),
    lambda lib: (lambda o: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ReduceLROnPlateau(o)]))(_opt(lib)),
    lambda lib: (lambda a, b: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ConstantLR(a), lib.optim.lr_scheduler.ConstantLR(b)]))(
        _opt(lib), _opt(lib)),
]


@pytest.mark.parametrize("index", range(len(BAD)))
def test_errors_match_torch(index):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = errors(torch, BAD[index])
        ours = errors(gt, BAD[index])
    assert theirs is not None
    assert ours is not None
    assert ours[0].__name__ == theirs[0].__name__
    if "is different from" in theirs[1]:  # names the optimizer objects: compare the shape
        assert ours[1].split(" has ")[0] == theirs[1].split(" has ")[0]
        assert ours[1].endswith("which is different from SGD.")
    else:
        assert ours[1] == theirs[1]


def test_names_are_exported_like_torch():
    assert sorted(gt.optim.lr_scheduler.__all__) == sorted(torch.optim.lr_scheduler.__all__)
    for name in torch.optim.lr_scheduler.__all__:
        assert getattr(gt.optim.lr_scheduler, name).__name__ == name
