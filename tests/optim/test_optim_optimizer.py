"""The Optimizer base: parameter groups, zero_grad, state_dict in torch's format, errors."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch import nn, optim  # noqa: E402


def test_empty_parameter_list_explains_the_fix():
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list. Pass "
                       r"model.parameters\(\) after the model's layers are created"):
        optim.SGD([], lr=0.1)
    params = nn.Linear(1, 1).parameters()
    optim.SGD(params, lr=0.1)
    with pytest.raises(ValueError, match="can be used up only once"):
        optim.SGD(params, lr=0.1)  # the generator is exhausted


def test_bad_params_are_rejected_like_torch():
    with pytest.raises(TypeError, match="^optimizer can only optimize Tensors, but one of the "
                       "params is list$"):
        optim.SGD([[1.0]], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts, but got "
                       "torch.FloatTensor"):
        optim.SGD(gt.zeros(1, requires_grad=True), lr=0.1)
    with pytest.raises(ValueError, match=r"^can't optimize a non-leaf Tensor \(.*requires_grad_"):
        optim.SGD([gt.zeros(1, requires_grad=True) * 2], lr=0.1)
    with pytest.raises(TypeError, match="ordering of tensors in sets will change"):
        optim.SGD([{"params": {gt.zeros(1, requires_grad=True)}}], lr=0.1)
    w = gt.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter "
                       "group"):
        optim.SGD([{"params": [w]}, {"params": w}], lr=0.1)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([w, w], lr=0.1)
    with pytest.raises(TypeError, match="param_group must be a dict"):
        optim.SGD([w], lr=0.1).add_param_group([w])


def test_param_groups_match_torch():
    def make(lib, module):
        a = lib.zeros(2, requires_grad=True)
        b = lib.zeros(3, requires_grad=True)
        opt = module.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
        opt.add_param_group({"params": [lib.zeros(1, requires_grad=True)], "nesterov": False})
        return opt

    ours, theirs = make(gt, optim), make(torch, torch.optim)
    assert len(ours.param_groups) == len(theirs.param_groups) == 3
    for g_ours, g_theirs in zip(ours.param_groups, theirs.param_groups, strict=True):
        assert list(g_ours) == list(g_theirs)
        assert {k: v for k, v in g_ours.items() if k != "params"} == \
            {k: v for k, v in g_theirs.items() if k != "params"}
    assert repr(ours) == repr(theirs)


def test_named_parameters_give_param_names():
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"][0] is model.weight
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]


def test_zero_grad():
    w = gt.ones(2, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None
    opt.zero_grad()  # nothing to do


# ---------------------------------------------------------------------------- state_dict
def momentum_run(lib, module, steps, opt=None, params=None):
    if params is None:
        params = [lib.tensor([1.0, -2.0], requires_grad=True),
                  lib.tensor([[0.5]], requires_grad=True)]
    if opt is None:
        opt = module.SGD([{"params": params[:1]}, {"params": params[1:], "lr": 0.05}], lr=0.1,
                         momentum=0.9, nesterov=True)
    for _ in range(steps):
        opt.zero_grad()
        ((params[0] ** 2).sum() + (params[1] ** 3).sum()).backward()
        opt.step()
    return params, opt


def test_state_dict_format_matches_torch():
    _, ours = momentum_run(gt, optim, 3)
    _, theirs = momentum_run(torch, torch.optim, 3)
    sd_ours, sd_theirs = ours.state_dict(), theirs.state_dict()
    assert list(sd_ours) == list(sd_theirs) == ["state", "param_groups"]
    assert sd_ours["param_groups"] == sd_theirs["param_groups"]
    assert list(sd_ours["state"]) == list(sd_theirs["state"]) == [0, 1]
    for key in sd_ours["state"]:
        assert list(sd_ours["state"][key]) == ["momentum_buffer"]
        np.testing.assert_allclose(sd_ours["state"][key]["momentum_buffer"].numpy(),
                                   sd_theirs["state"][key]["momentum_buffer"].numpy(), rtol=1e-6)


def test_load_torch_state_dict_and_continue_identically():
    params_theirs, theirs = momentum_run(torch, torch.optim, 3)
    params_ours = [gt.tensor(p.detach().numpy(), requires_grad=True) for p in params_theirs]
    ours = optim.SGD([{"params": params_ours[:1]}, {"params": params_ours[1:]}], lr=1.0)
    ours.load_state_dict(theirs.state_dict())  # real torch tensors inside
    assert ours.param_groups[1]["lr"] == 0.05 and ours.param_groups[0]["nesterov"]
    assert ours.param_groups[0]["params"][0] is params_ours[0]
    momentum_run(gt, optim, 4, ours, params_ours)
    momentum_run(torch, torch.optim, 4, theirs, params_theirs)
    for a, b in zip(params_ours, params_theirs, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5)


def test_round_trip_through_state_dict():
    params_a, a = momentum_run(gt, optim, 3)
    params_b = [p.detach().clone().requires_grad_() for p in params_a]
    b = optim.SGD([{"params": params_b[:1]}, {"params": params_b[1:]}], lr=1.0)
    b.load_state_dict(copy.deepcopy(a.state_dict()))
    momentum_run(gt, optim, 2, a, params_a)
    momentum_run(gt, optim, 2, b, params_b)
    for x, y in zip(params_a, params_b, strict=True):
        np.testing.assert_array_equal(x.detach().numpy(), y.detach().numpy())


def test_load_casts_state_to_the_parameter_dtype():
    _, source = momentum_run(gt, optim, 1)
    params = [gt.zeros(2, dtype=gt.float64, requires_grad=True),
              gt.zeros(1, 1, dtype=gt.float64, requires_grad=True)]
    target = optim.SGD([{"params": params[:1]}, {"params": params[1:]}], lr=1.0)
    target.load_state_dict(source.state_dict())
    assert target.state[params[0]]["momentum_buffer"].dtype == gt.float64


def test_failed_load_leaves_the_optimizer_unchanged():
    params, opt = momentum_run(gt, optim, 2)
    groups_before = copy.deepcopy([{k: v for k, v in g.items() if k != "params"}
                                   for g in opt.param_groups])
    state_before = {k: dict(v) for k, v in opt.state.items()}
    other = optim.SGD([gt.zeros(2, requires_grad=True)], lr=0.3).state_dict()
    with pytest.raises(ValueError, match="^loaded state dict has a different number of "
                       "parameter groups$"):
        opt.load_state_dict(other)
    sizes = optim.SGD([{"params": [gt.zeros(1, requires_grad=True)]},
                       {"params": [gt.zeros(1, requires_grad=True) for _ in range(2)]}],
                      lr=0.3).state_dict()
    with pytest.raises(ValueError, match=re.escape(
            "loaded state dict contains a parameter group that doesn't match the size of "
            "optimizer's group")):
        opt.load_state_dict(sizes)
    assert [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups] == \
        groups_before
    assert {k: dict(v) for k, v in opt.state.items()} == state_before
    assert opt.param_groups[0]["params"][0] is params[0]


def test_state_dict_errors_match_torch():
    for lib, module in ((gt, optim), (torch, torch.optim)):
        opt = module.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        with pytest.raises(ValueError, match="different number of parameter groups"):
            opt.load_state_dict({"state": {}, "param_groups": []})
