"""SGD against torch.optim.SGD: every option combination, in-place updates, errors."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch import optim  # noqa: E402

RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((3, 4)).astype(np.float32)
B0 = RNG.standard_normal(3).astype(np.float32)
X = RNG.standard_normal((8, 4)).astype(np.float32)
Y = RNG.standard_normal((8, 3)).astype(np.float32)


def train(lib, steps=20, **options):
    """``steps`` SGD steps on a small least-squares problem; returns the final parameters."""
    w = lib.tensor(W0, requires_grad=True)
    b = lib.tensor(B0, requires_grad=True)
    frozen = lib.tensor(B0, requires_grad=True)  # never gets a gradient: must stay put
    module = gt.optim if lib is gt else torch.optim
    optimizer = module.SGD([w, b, frozen], **options)
    x, y = lib.tensor(X), lib.tensor(Y)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((x @ w.T + b - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return [t.detach().numpy().copy() for t in (w, b, frozen)], optimizer


COMBOS = [
    dict(momentum=m, dampening=d, nesterov=n, weight_decay=wd, maximize=mx)
    for m, d, n, wd, mx in itertools.product((0, 0.9), (0, 0.1), (False, True), (0, 0.01),
                                             (False, True))
]


def combo_id(options):
    return "-".join(f"{k}={v}" for k, v in options.items())


@pytest.mark.parametrize("options", COMBOS, ids=combo_id)
def test_twenty_steps_match_torch(options):
    lr = 0.001 if options["maximize"] else 0.05  # maximizing diverges: keep it small
    if options["nesterov"] and (options["momentum"] == 0 or options["dampening"] != 0):
        with pytest.raises(ValueError) as ours:
            train(gt, lr=lr, **options)
        with pytest.raises(ValueError) as theirs:
            train(torch, lr=lr, **options)
        assert str(ours.value) == str(theirs.value)
        return
    ours, opt_ours = train(gt, lr=lr, **options)
    theirs, opt_theirs = train(torch, lr=lr, **options)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(ours[2], B0)
    assert len(opt_ours.state) == len(opt_theirs.state)
    if options["momentum"]:
        for p_ours, p_theirs in zip(opt_ours.param_groups[0]["params"][:2],
                                    opt_theirs.param_groups[0]["params"][:2], strict=True):
            np.testing.assert_allclose(opt_ours.state[p_ours]["momentum_buffer"].numpy(),
                                       opt_theirs.state[p_theirs]["momentum_buffer"].numpy(),
                                       rtol=1e-5, atol=1e-6)


def test_first_momentum_step_copies_the_gradient():
    w = gt.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.5)
    (w * w).sum().backward()
    optimizer.step()
    buf = optimizer.state[w]["momentum_buffer"]
    assert buf.tolist() == [2.0, 4.0]  # no dampening on the first step
    assert buf._data is not w.grad._data
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6], rtol=1e-6)


def test_step_updates_in_place_without_a_graph():
    w = gt.tensor([1.0, 2.0], requires_grad=True)
    view = w.detach()
    memory = w._data
    optimizer = optim.SGD([w], lr=0.5, weight_decay=0.1, momentum=0.5)
    for _ in range(2):
        optimizer.zero_grad()
        (w * 3).sum().backward()
        grad_before = w.grad.clone()
        optimizer.step()
        assert w.grad.tolist() == grad_before.tolist()  # weight decay leaves p.grad alone
    assert w._data is memory and view.tolist() == w.tolist()
    assert w.is_leaf and w.grad_fn is None and w.requires_grad


def test_step_is_seen_by_the_saved_tensor_check():
    w = gt.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    optimizer.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_closure_and_tensor_lr():
    w = gt.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=gt.tensor(0.5))

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with gt.no_grad():
        loss = optimizer.step(closure)  # the closure still records its graph
    assert loss.item() == 1.0 and w.item() == 0.0
    assert optimizer.step() is None


@pytest.mark.parametrize("kwargs,message", [
    (dict(lr=-1), "Invalid learning rate: -1"),
    (dict(lr=0.1, momentum=-0.5), "Invalid momentum value: -0.5"),
    (dict(lr=0.1, weight_decay=-1e-3), "Invalid weight_decay value: -0.001"),
    (dict(lr=0.1, nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    (dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
])
def test_argument_errors_match_torch(kwargs, message):
    for module in (optim, torch.optim):
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            module.SGD([gt.zeros(1, requires_grad=True)] if module is optim
                       else [torch.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        optim.SGD([gt.zeros(1, requires_grad=True)], lr=gt.tensor([0.1, 0.2]))


@pytest.mark.parametrize("flag", ["foreach", "fused", "differentiable"])
def test_unsupported_flags_say_so(flag):
    w = gt.zeros(1, requires_grad=True)
    optim.SGD([w], **{flag: False})
    with pytest.raises(NotImplementedError, match=f"does not implement {flag}=True"):
        optim.SGD([w], **{flag: True})


def test_repr_and_defaults_match_torch():
    ours = optim.SGD([gt.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    assert repr(ours) == repr(theirs)
    assert ours.defaults == theirs.defaults
    assert optim.SGD([gt.zeros(1, requires_grad=True)]).defaults["lr"] == 1e-3


def test_seed_style_training_matches_torch():
    """Seed 003: logistic regression with Linear + sigmoid + BCELoss for 300 steps."""
    results = []
    for lib in (gt, torch):
        model = lib.nn.Linear(1, 1)
        with lib.no_grad():
            model.weight.fill_(0.5)
            model.bias.fill_(-0.25)
        x = lib.tensor([[1.0], [2.0], [3.0], [4.0]])
        y = lib.tensor([[0.0], [0.0], [1.0], [1.0]])
        criterion = lib.nn.BCELoss()
        optimizer = (optim if lib is gt else torch.optim).SGD(model.parameters(), lr=0.01)
        for _ in range(300):
            loss = criterion(lib.sigmoid(model(x)), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        results.append((loss.item(), model.weight.item(), model.bias.item()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5)
