"""Adamax, NAdam, RAdam, Adadelta vs torch.optim: 50 steps of option combinations, bitwise."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch as gt

from test_optim_adam import assert_bits_equal, assert_same, combo_id, gradients, make_params, run

COMBOS = {
    "Adamax": [
        dict(lr=lr, weight_decay=wd, maximize=mx)
        for lr, wd, mx in itertools.product((2e-3, 0.05), (0, 0.1), (False, True))
    ] + [dict(betas=(0.5, 0.9), eps=1e-3), dict(betas=(0.0, 0.0)), dict(eps=0.0)],
    "NAdam": [
        dict(lr=lr, weight_decay=wd, maximize=mx, decoupled_weight_decay=dec)
        for lr, wd, mx, dec in itertools.product((2e-3, 0.05), (0, 0.1), (False, True),
                                                 (False, True))
    ] + [dict(momentum_decay=0.1, betas=(0.5, 0.9)), dict(momentum_decay=0.0), dict(eps=1e-3)],
    "RAdam": [
        dict(lr=lr, weight_decay=wd, maximize=mx, decoupled_weight_decay=dec)
        for lr, wd, mx, dec in itertools.product((1e-3, 0.05), (0, 0.1), (False, True),
                                                 (False, True))
    ] + [dict(betas=(0.5, 0.9), eps=1e-3), dict(betas=(0.9, 0.5)), dict(eps=0.0, lr=0.01)],
    "Adadelta": [
        dict(lr=lr, rho=rho, weight_decay=wd, maximize=mx)
        for lr, rho, wd, mx in itertools.product((1.0, 0.1), (0.9, 0.5), (0, 0.1),
                                                 (False, True))
    ] + [dict(eps=1e-3), dict(rho=0.0), dict(rho=1.0)],
}
CASES = [(name, options) for name, combos in COMBOS.items() for options in combos]


def case_id(case):
    return f"{case[0]}-{combo_id(case[1])}" if isinstance(case, tuple) else str(case)


@pytest.mark.parametrize("name,options", CASES, ids=[case_id(c) for c in CASES])
def test_fifty_steps_bit_exact(name, options):
    ours, opt_ours, _ = run(gt, name, options)
    theirs, opt_theirs, _ = run(torch, name, options)
    assert_bits_equal(ours, theirs)
    state_ours, state_theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert state_ours["param_groups"] == state_theirs["param_groups"]
    assert list(state_ours["state"]) == list(state_theirs["state"])
    for key, value in state_theirs["state"].items():
        assert list(state_ours["state"][key]) == list(value)
        for state_name, tensor in value.items():
            mine = state_ours["state"][key][state_name]
            assert str(mine.dtype) == str(tensor.dtype)
            assert_same(mine.numpy(), tensor.numpy())


@pytest.mark.parametrize("name", list(COMBOS))
def test_tensor_lr_matches_torch(name):
    options = {"NAdam": dict(weight_decay=0.1, decoupled_weight_decay=True),
               "RAdam": dict(weight_decay=0.1, decoupled_weight_decay=True)}.get(name, {})
    ours, _, _ = run(gt, name, dict(lr=gt.tensor(0.03), **options))
    theirs, _, _ = run(torch, name, dict(lr=torch.tensor(0.03), **options))
    assert_bits_equal(ours, theirs)


@pytest.mark.parametrize("name", list(COMBOS))
def test_float64_params_close_to_torch(name):
    ours, _, _ = run(gt, name, {}, steps=20, dtype=np.float64)
    theirs, _, _ = run(torch, name, {}, steps=20, dtype=np.float64)
    for a_list, b_list in zip(ours, theirs, strict=True):
        for a, b in zip(a_list, b_list, strict=True):
            assert a.dtype == b.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,options", [
    ("Adamax", dict(weight_decay=0.01)),
    ("NAdam", dict(weight_decay=0.01, momentum_decay=0.01)),
    ("RAdam", dict(weight_decay=0.01, decoupled_weight_decay=True)),
    ("Adadelta", dict(weight_decay=0.01, rho=0.8)),
])
def test_state_dict_round_trip_continues_like_torch(name, options):
    grads = gradients(50)
    results = {}
    for lib in (gt, torch):
        first, optimizer, params = run(lib, name, options, grads=grads[:25])
        saved = copy.deepcopy(optimizer.state_dict())
        fresh_params = [lib.tensor(p.detach().numpy().copy(), requires_grad=True)
                        for p in params]
        fresh = getattr(lib.optim, name)(fresh_params, lr=0.7)
        fresh.load_state_dict(saved)
        rest, _, _ = run(lib, name, options, grads=grads[25:], params=fresh_params,
                         optimizer=fresh)
        results[lib.__name__] = first + rest
    assert_bits_equal(results["glasstorch"], results["torch"])


@pytest.mark.parametrize("name", list(COMBOS))
def test_state_dict_from_torch_loads(name):
    grads = gradients(30)
    _, opt_theirs, params_theirs = run(torch, name, {}, grads=grads[:10])
    params = [gt.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params_theirs]
    optimizer = getattr(gt.optim, name)(params)
    optimizer.load_state_dict(copy.deepcopy(opt_theirs.state_dict()))
    ours, _, _ = run(gt, name, {}, grads=grads[10:], params=params, optimizer=optimizer)
    theirs, _, _ = run(torch, name, {}, grads=grads[10:], params=params_theirs,
                       optimizer=opt_theirs)
    assert_bits_equal(ours, theirs)


@pytest.mark.parametrize("name", list(COMBOS))
def test_params_without_grad_are_skipped_and_grads_untouched(name):
    options = dict(weight_decay=0.1, maximize=True)
    results = {}
    for lib in (gt, torch):
        params = make_params(lib)
        optimizer = getattr(lib.optim, name)(params, **options)
        grads = gradients(3)
        history = []
        for step, step_grads in enumerate(grads):
            for i, (p, g) in enumerate(zip(params, step_grads, strict=True)):
                p.grad = None if (i == 1 and step == 1) else lib.tensor(g)
            optimizer.step()
            history.append([p.detach().numpy().copy() for p in params])
            assert np.array_equal(params[0].grad.numpy(), step_grads[0])
        results[lib.__name__] = (history, sorted(optimizer.state_dict()["state"]))
    assert_bits_equal(results["glasstorch"][0], results["torch"][0])
    assert results["glasstorch"][1] == results["torch"][1]


@pytest.mark.parametrize("name", list(COMBOS))
def test_closure_result_is_returned(name):
    w = gt.tensor([1.0, 2.0], requires_grad=True)
    optimizer = getattr(gt.optim, name)([w])

    def closure():
        optimizer.zero_grad()
        loss = (w ** 2).sum()
        loss.backward()
        return loss

    assert float(optimizer.step(closure)) == 5.0


@pytest.mark.parametrize("name,options", [
    ("Adamax", dict(lr=-1)), ("Adamax", dict(eps=-1e-3)), ("Adamax", dict(betas=(1.0, 0.9))),
    ("Adamax", dict(betas=(0.9, -0.1))), ("Adamax", dict(weight_decay=-1)),
    ("NAdam", dict(lr=-1)), ("NAdam", dict(eps=-1.0)), ("NAdam", dict(betas=(-0.1, 0.9))),
    ("NAdam", dict(betas=(0.9, 1.0))), ("NAdam", dict(weight_decay=-0.5)),
    ("NAdam", dict(momentum_decay=-1e-3)),
    ("RAdam", dict(lr=-1e-3)), ("RAdam", dict(eps=-1.0)), ("RAdam", dict(betas=(1.5, 0.9))),
    ("RAdam", dict(betas=(0.9, 1.0))), ("RAdam", dict(weight_decay=-1)),
    ("Adadelta", dict(lr=-1)), ("Adadelta", dict(rho=1.5)), ("Adadelta", dict(rho=-0.1)),
    ("Adadelta", dict(eps=-1.0)), ("Adadelta", dict(weight_decay=-1)),
])
def test_bad_arguments_raise_torchs_errors(name, options):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError) as ours:
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", list(COMBOS))
def test_two_element_tensor_lr_refused_like_torch(name):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)],
                                   lr=torch.tensor([0.1, 0.2]))
    with pytest.raises(ValueError) as ours:
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], lr=gt.tensor([0.1, 0.2]))
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name,option", [
    (name, option) for name in COMBOS for option in ("foreach", "capturable", "differentiable")
])
def test_unsupported_options_say_so(name, option):
    with pytest.raises(NotImplementedError, match=f"{option}=True"):
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **{option: True})
    optimizer = getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)])
    optimizer.param_groups[0][option] = True  # set after construction: refused at step()
    with pytest.raises(NotImplementedError, match=f"{option}=True"):
        optimizer.step()


@pytest.mark.parametrize("name", list(COMBOS))
def test_false_options_accepted_and_reprs_match_torch(name):
    kwargs = dict(foreach=False, capturable=False, differentiable=False)
    ours = getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **kwargs)
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **kwargs)
    assert repr(ours) == repr(theirs)
    ours = getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)])
    theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)])
    assert repr(ours) == repr(theirs)
    assert ours.defaults == theirs.defaults


def test_radam_early_steps_take_the_unrectified_branch():
    # with beta2 = 0.999, rho_t <= 5 for the first 5 steps: plain momentum SGD there
    grads = gradients(8)
    ours, _, _ = run(gt, "RAdam", dict(lr=0.1), grads=grads)
    theirs, _, _ = run(torch, "RAdam", dict(lr=0.1), grads=grads)
    assert_bits_equal(ours, theirs)


def test_names_are_exported():
    for name in ("Adamax", "NAdam", "RAdam", "Adadelta"):
        assert name in gt.optim.__all__
        assert getattr(gt.optim, name).__name__ == name
