"""lr_scheduler against torch.optim.lr_scheduler: 60 steps of every option, equal floats."""

from __future__ import annotations

import copy
import math
import re
import warnings

import numpy as np
import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch as gt
from glasstorch.optim.lr_scheduler import StepLR

from test_optim_adam import assert_same


class Scale:
    """A callable object (not a function): LambdaLR saves its __dict__."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, epoch):
        return self.factor ** epoch


SCHEDULERS = [
    ("StepLR", dict(step_size=7)),
    ("StepLR", dict(step_size=3, gamma=0.7)),
    ("MultiStepLR", dict(milestones=[5, 12, 12, 40])),
    ("MultiStepLR", dict(milestones=[2, 30], gamma=0.37)),
    ("ExponentialLR", dict(gamma=0.93)),
    ("CosineAnnealingLR", dict(T_max=10)),
    ("CosineAnnealingLR", dict(T_max=17, eta_min=0.003)),
    ("CosineAnnealingLR", dict(T_max=60, eta_min=1e-4)),
    ("LambdaLR", dict(lr_lambda=lambda e: 1 / (1 + e) ** 0.5)),
    ("LambdaLR", dict(lr_lambda=Scale(0.9))),
    ("OneCycleLR", dict(max_lr=0.9, total_steps=61)),
    ("OneCycleLR", dict(max_lr=[0.9, 0.2], epochs=6, steps_per_epoch=11,
                        anneal_strategy="linear")),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=70, three_phase=True, pct_start=0.25,
                        div_factor=10.0, final_div_factor=100.0)),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=70, cycle_momentum=False)),
    ("OneCycleLR", dict(max_lr=0.5, total_steps=70, base_momentum=0.8, max_momentum=0.9)),
]
OPTIMIZERS = [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01))]


def make(lib, optimizer_name, optimizer_options, scheduler_name, scheduler_options):
    rng = np.random.default_rng(0)
    params = [lib.tensor(rng.standard_normal(3).astype(np.float32), requires_grad=True)
              for _ in range(2)]
    groups = [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.05}]
    optimizer = getattr(lib.optim, optimizer_name)(groups, **optimizer_options)
    scheduler = getattr(lib.optim.lr_scheduler, scheduler_name)(optimizer, **scheduler_options)
    return params, optimizer, scheduler


def train(lib, params, optimizer, scheduler, steps, seed=1):
    rng = np.random.default_rng(seed)
    lrs, momenta = [], []
    for _ in range(steps):
        for p in params:
            p.grad = lib.tensor(rng.standard_normal(3).astype(np.float32))
        optimizer.step()
        scheduler.step()
        lrs.append(list(scheduler.get_last_lr()))
        momenta.append([g.get("momentum", g.get("betas")) for g in optimizer.param_groups])
    return lrs, momenta


def sched_id(value):
    if isinstance(value, dict):
        return "-".join(f"{k}={getattr(v, '__name__', v)}" for k, v in value.items())
    return str(value)


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: o[0])
@pytest.mark.parametrize("scheduler", SCHEDULERS, ids=sched_id)
def test_sixty_steps_equal_torch(optimizer, scheduler):
    steps = 60
    results = {}
    for lib in (gt, torch):
        params, opt, sched = make(lib, *optimizer, *scheduler)
        initial = list(sched.get_last_lr())
        lrs, momenta = train(lib, params, opt, sched, steps)
        results[lib.__name__] = (initial, lrs, momenta, sched.last_epoch,
                                 [p.detach().numpy().copy() for p in params],
                                 [{k: v for k, v in g.items() if k != "params"}
                                  for g in opt.param_groups])
    ours, theirs = results["glasstorch"], results["torch"]
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]  # exact float equality, every step
    assert ours[2] == theirs[2]
    assert ours[3] == theirs[3]
    for a, b in zip(ours[4], theirs[4], strict=True):
        assert_same(a, b)
    assert ours[5] == theirs[5]


@pytest.mark.parametrize("scheduler", SCHEDULERS[:10], ids=sched_id)
def test_state_dict_round_trip(scheduler):
    results = {}
    for lib in (gt, torch):
        params, opt, sched = make(lib, "SGD", dict(lr=0.1), *scheduler)
        first, _ = train(lib, params, opt, sched, 20)
        saved_opt = copy.deepcopy(opt.state_dict())
        saved = copy.deepcopy(sched.state_dict())
        params2, opt2, sched2 = make(lib, "SGD", dict(lr=0.1), *scheduler)
        opt2.load_state_dict(saved_opt)
        sched2.load_state_dict(saved)
        rest, _ = train(lib, params2, opt2, sched2, 40, seed=2)
        state = sched2.state_dict()
        results[lib.__name__] = (first + rest, sorted(state), saved)
    ours, theirs = results["glasstorch"], results["torch"]
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert list(ours[2]) == list(theirs[2])  # same keys in the same order
    for key, value in theirs[2].items():
        if key != "milestones":
            assert ours[2][key] == value, key


def test_lambda_state_dict_keeps_callable_objects_state():
    for lib in (gt, torch):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=1.0)
        sched = lib.optim.lr_scheduler.LambdaLR(opt, Scale(0.5))
        saved = sched.state_dict()
        assert saved["lr_lambdas"] == [{"factor": 0.5}]
        other = lib.optim.lr_scheduler.LambdaLR(opt, Scale(0.1))
        other.load_state_dict(saved)
        assert other.lr_lambdas[0].factor == 0.5
        assert "lr_lambdas" in saved


PLATEAU = [
    dict(),
    dict(mode="max", factor=0.5, patience=2),
    dict(threshold=0.1, threshold_mode="abs", patience=1, cooldown=3),
    dict(mode="max", threshold=0.05, threshold_mode="rel", patience=0, min_lr=[0.02, 0.001]),
    dict(patience=0, min_lr=0.01, eps=1e-3, factor=0.3),
]


@pytest.mark.parametrize("options", PLATEAU, ids=sched_id)
def test_reduce_on_plateau_equals_torch(options):
    rng = np.random.default_rng(5)
    metrics = np.concatenate([np.linspace(1, 0.5, 10), 0.5 + 0.02 * rng.standard_normal(50),
                              np.linspace(0.5, 1.5, 10)])
    results = {}
    for lib in (gt, torch):
        params = [lib.zeros(1, requires_grad=True), lib.zeros(1, requires_grad=True)]
        opt = lib.optim.SGD([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.03}],
                            lr=0.1)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
        lrs = [list(sched.get_last_lr())]
        for metric in metrics:
            sched.step(float(metric) if lib is gt else metric)
            lrs.append(list(sched.get_last_lr()))
        results[lib.__name__] = (lrs, sched.state_dict())
    assert results["glasstorch"][0] == results["torch"][0]
    assert results["glasstorch"][1] == results["torch"][1]
    assert list(results["glasstorch"][1]) == list(results["torch"][1])


def test_reduce_on_plateau_accepts_a_loss_tensor_and_reloads():
    opt = gt.optim.SGD([gt.zeros(1, requires_grad=True)], lr=1.0)
    sched = gt.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(gt.tensor(1.0))
    sched.step(gt.tensor(2.0))
    assert sched.get_last_lr() == [0.1]
    other = gt.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max")
    other.load_state_dict(sched.state_dict())
    assert other.mode == "min" and other.mode_worse == math.inf


def errors(lib, build):
    try:
        build(lib)
    except Exception as error:  # noqa: BLE001 - the type is compared below
        return type(error), str(error)
    return None


BAD = [
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_opt(lib), factor=1.0),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_opt(lib), mode="up"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_opt(lib), threshold_mode="x"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(_opt(lib), min_lr=[0.1, 0.2]),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau("sgd"),
    lambda lib: lib.optim.lr_scheduler.StepLR("sgd", 3),
    lambda lib: lib.optim.lr_scheduler.StepLR(_opt(lib), 3, last_epoch=4),
    lambda lib: lib.optim.lr_scheduler.LambdaLR(_opt(lib), [lambda e: 1, lambda e: 2]),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, total_steps=0),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, epochs=0, steps_per_epoch=2),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, epochs=2, steps_per_epoch=0),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, 10, pct_start=1),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, 10, anneal_strategy="exp"),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib), [1.0, 2.0], 10),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(_opt(lib, "Adagrad"), 1.0, 10),
    lambda lib: _step_times(lib.optim.lr_scheduler.OneCycleLR(_opt(lib), 1.0, 3), 4),
]


def _step_times(scheduler, times):
    for _ in range(times):
        scheduler.optimizer.step()
        scheduler.step()


def _opt(lib, name="SGD"):
    return getattr(lib.optim, name)([lib.zeros(1, requires_grad=True)], lr=0.1)


@pytest.mark.parametrize("index", range(len(BAD)))
def test_errors_match_torch(index):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = errors(torch, BAD[index])
        ours = errors(gt, BAD[index])
    assert theirs is not None
    assert ours is not None
    assert ours[0].__name__ == theirs[0].__name__
    assert ours[1] == theirs[1]


def test_step_before_optimizer_step_warns_like_torch():
    messages = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()
        messages[lib.__name__] = [str(w.message) for w in caught]
    assert messages["glasstorch"] == messages["torch"]
    assert re.search("before `optimizer.step\\(\\)`", messages["torch"][0])


def test_no_warning_in_the_right_order():
    opt = _opt(gt)
    sched = StepLR(opt, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()


def test_get_lr_outside_step_and_epoch_argument_warn_like_torch():
    messages = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2)
        opt.step()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.get_lr()
            sched.step(5)
        messages[lib.__name__] = ([str(w.message) for w in caught], sched.get_last_lr())
    assert messages["glasstorch"] == messages["torch"]


@pytest.mark.parametrize("name,options", [
    ("StepLR", dict(step_size=3)), ("MultiStepLR", dict(milestones=[2, 4, 4])),
    ("ExponentialLR", dict(gamma=0.5)), ("CosineAnnealingLR", dict(T_max=7)),
])
def test_closed_form_epoch_argument_equals_torch(name, options):
    results = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **options)
        lrs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in (3, 5, 4, 11, 2):
                opt.step()
                sched.step(epoch)
                lrs.append(sched.get_last_lr())
        results[lib.__name__] = lrs
    assert results["glasstorch"] == results["torch"]


def test_resume_with_last_epoch_equals_torch():
    results = {}
    for lib in (gt, torch):
        opt = _opt(lib)
        for group in opt.param_groups:
            group["initial_lr"] = 0.3
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=4)
        lrs = [sched.get_last_lr()]
        for _ in range(8):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        results[lib.__name__] = lrs
    assert results["glasstorch"] == results["torch"]


def test_importable_both_ways_and_old_name():
    from glasstorch.optim import lr_scheduler

    assert gt.optim.lr_scheduler is lr_scheduler
    assert StepLR is lr_scheduler.StepLR
    assert issubclass(lr_scheduler._LRScheduler, lr_scheduler.LRScheduler)
    assert lr_scheduler._LRScheduler.__name__ == "_LRScheduler"
    for name in lr_scheduler.__all__:
        assert hasattr(torch.optim.lr_scheduler, name)
