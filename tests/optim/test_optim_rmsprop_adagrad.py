"""RMSprop and Adagrad against torch.optim: 50 steps of every option combination, bit for bit."""

from __future__ import annotations

import copy
import itertools

import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch as gt

from test_optim_adam import assert_bits_equal, assert_same, combo_id, gradients, make_params, run

RMSPROP_COMBOS = [
    dict(lr=lr, momentum=m, centered=c, weight_decay=wd, maximize=mx)
    for lr, m, c, wd, mx in itertools.product((1e-3, 0.01), (0, 0.9), (False, True), (0, 0.1),
                                              (False, True))
] + [dict(alpha=0.5, eps=1e-3), dict(alpha=0.0, momentum=0.5)]


@pytest.mark.parametrize("options", RMSPROP_COMBOS, ids=combo_id)
def test_rmsprop_fifty_steps_bit_exact(options):
    ours, opt_ours, _ = run(gt, "RMSprop", options)
    theirs, opt_theirs, _ = run(torch, "RMSprop", options)
    assert_bits_equal(ours, theirs)
    state_ours, state_theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert state_ours["param_groups"] == state_theirs["param_groups"]
    for key, value in state_theirs["state"].items():
        assert list(state_ours["state"][key]) == list(value)
        for name, tensor in value.items():
            assert_same(state_ours["state"][key][name].numpy(), tensor.numpy())


ADAGRAD_COMBOS = [
    dict(lr=lr, lr_decay=d, weight_decay=wd, initial_accumulator_value=init, maximize=mx)
    for lr, d, wd, init, mx in itertools.product((0.01, 0.5), (0, 0.01), (0, 0.1), (0, 0.3),
                                                 (False, True))
] + [dict(eps=1e-3)]


@pytest.mark.parametrize("options", ADAGRAD_COMBOS, ids=combo_id)
def test_adagrad_fifty_steps_bit_exact(options):
    ours, opt_ours, _ = run(gt, "Adagrad", options)
    theirs, opt_theirs, _ = run(torch, "Adagrad", options)
    assert_bits_equal(ours, theirs)
    state_ours, state_theirs = opt_ours.state_dict(), opt_theirs.state_dict()
    assert state_ours["param_groups"] == state_theirs["param_groups"]
    for key, value in state_theirs["state"].items():
        assert list(state_ours["state"][key]) == list(value)
        for name, tensor in value.items():
            assert_same(state_ours["state"][key][name].numpy(), tensor.numpy())


def test_adagrad_state_exists_before_the_first_step():
    ours = gt.optim.Adagrad(make_params(gt), initial_accumulator_value=0.25).state_dict()
    theirs = torch.optim.Adagrad(make_params(torch), initial_accumulator_value=0.25).state_dict()
    assert sorted(ours["state"]) == sorted(theirs["state"])
    assert list(ours["state"][0]) == list(theirs["state"][0]) == ["step", "sum"]
    assert_same(ours["state"][3]["sum"].numpy(), theirs["state"][3]["sum"].numpy())


@pytest.mark.parametrize("name,options", [
    ("RMSprop", dict(momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr_decay=0.01, weight_decay=0.01)),
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


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad"])
def test_tensor_lr_matches_torch(name):
    ours, _, _ = run(gt, name, dict(lr=gt.tensor(0.03)))
    theirs, _, _ = run(torch, name, dict(lr=torch.tensor(0.03)))
    assert_bits_equal(ours, theirs)


@pytest.mark.parametrize("name,options", [
    ("RMSprop", dict(lr=-1)), ("RMSprop", dict(eps=-1e-3)), ("RMSprop", dict(momentum=-0.1)),
    ("RMSprop", dict(weight_decay=-1)), ("RMSprop", dict(alpha=-0.5)),
    ("Adagrad", dict(lr=-0.1)), ("Adagrad", dict(lr_decay=-1)),
    ("Adagrad", dict(weight_decay=-1)), ("Adagrad", dict(initial_accumulator_value=-1)),
    ("Adagrad", dict(eps=-1.0)),
])
def test_bad_arguments_raise_torchs_errors(name, options):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError) as ours:
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name,option", [
    ("RMSprop", "foreach"), ("RMSprop", "capturable"), ("RMSprop", "differentiable"),
    ("Adagrad", "foreach"), ("Adagrad", "fused"), ("Adagrad", "differentiable"),
])
def test_unsupported_options_say_so(name, option):
    with pytest.raises(NotImplementedError, match=f"{option}=True"):
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **{option: True})


def test_reprs_match_torch():
    for name in ("RMSprop", "Adagrad"):
        ours = getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)])
        theirs = getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)])
        assert repr(ours) == repr(theirs)
