"""Adam and AdamW against torch.optim: 50 steps of every option combination, bit for bit."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch as gt
from glasstorch.optim import _kernels

SHAPES = ((5, 7), (13,), (1,), (3, 1, 2))


def make_params(lib, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return [lib.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True)
            for s in SHAPES]


def gradients(steps, seed=1, dtype=np.float32):
    """Seeded gradients of mixed scales, with exact zeros (sqrt's special path) sprinkled in."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(steps):
        step = []
        for shape in SHAPES:
            g = rng.standard_normal(shape) * rng.choice([1e-4, 1.0, 30.0])
            g[rng.random(shape) < 0.1] = 0
            step.append(g.astype(dtype))
        out.append(step)
    return out


def run(lib, name, options, steps=50, grads=None, params=None, optimizer=None, dtype=np.float32):
    params = params if params is not None else make_params(lib, dtype=dtype)
    optimizer = optimizer or getattr(lib.optim, name)(params, **options)
    history = []
    for step_grads in grads if grads is not None else gradients(steps, dtype=dtype):
        for p, g in zip(params, step_grads, strict=True):
            p.grad = lib.tensor(g)
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history, optimizer, params


def _sqrt_reproduced() -> bool:
    """Whether glasstorch's float32 sqrt kernel gives torch's bits on this machine.

    torch takes float32 sqrt from MKL, whose kernel depends on the CPU; glasstorch
    reproduces the one MKL runs on AMD processors (optim/_kernels.py). Where the probe
    differs, the optimizer comparisons below fall back from bits to a tight tolerance.
    """
    x = np.random.default_rng(0).uniform(0, 3, 100_000).astype(np.float32)
    ours = _kernels.sqrt(x, _kernels.Workspace())
    return bool(np.array_equal(ours, torch.from_numpy(x).sqrt().numpy()))


SQRT_REPRODUCED = _sqrt_reproduced()


def assert_same(a, b):
    """Equal bits (within 1e-5 for float32 where sqrt is not reproduced, see above)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    a, b = np.atleast_1d(a), np.atleast_1d(b)
    if SQRT_REPRODUCED or a.dtype != np.float32:
        assert np.array_equal(a.view(np.uint8), b.view(np.uint8)), f"{a} != {b}"
    else:
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def assert_bits_equal(ours, theirs):
    """Bit-equal parameters at every step (within 1e-5 where sqrt is not reproduced)."""
    for step, (a_list, b_list) in enumerate(zip(ours, theirs, strict=True)):
        for a, b in zip(a_list, b_list, strict=True):
            assert a.dtype == b.dtype
            if SQRT_REPRODUCED or a.dtype != np.float32:
                assert np.array_equal(a.view(np.uint8), b.view(np.uint8)), \
                    f"step {step}: {a} != {b}"
            else:
                np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7, err_msg=f"step {step}")


ADAM_COMBOS = [
    dict(lr=lr, amsgrad=ams, weight_decay=wd, maximize=mx, decoupled_weight_decay=dec)
    for lr, ams, wd, mx, dec in itertools.product((1e-3, 0.05), (False, True), (0, 0.1),
                                                 (False, True), (False, True))
] + [dict(betas=(0.5, 0.9), eps=1e-3), dict(betas=(0.0, 0.0)), dict(eps=0.0)]


def combo_id(options):
    return "-".join(f"{k}={v}" for k, v in options.items())


@pytest.mark.parametrize("options", ADAM_COMBOS, ids=combo_id)
def test_adam_fifty_steps_bit_exact(options):
    ours, opt_ours, _ = run(gt, "Adam", options)
    theirs, opt_theirs, _ = run(torch, "Adam", options)
    assert_bits_equal(ours, theirs)
    state_ours = opt_ours.state_dict()
    state_theirs = opt_theirs.state_dict()
    assert state_ours["param_groups"] == state_theirs["param_groups"]
    for key, value in state_theirs["state"].items():
        assert list(state_ours["state"][key]) == list(value)
        for name, tensor in value.items():
            mine = state_ours["state"][key][name]
            assert str(mine.dtype) == str(tensor.dtype)
            assert_same(mine.numpy(), tensor.numpy())


ADAMW_COMBOS = [dict(amsgrad=ams, weight_decay=wd, maximize=mx, lr=lr)
                for ams, wd, mx, lr in itertools.product((False, True), (0, 1e-2, 0.3),
                                                         (False, True), (1e-3, 0.1))]


@pytest.mark.parametrize("options", ADAMW_COMBOS, ids=combo_id)
def test_adamw_fifty_steps_bit_exact(options):
    ours, opt_ours, _ = run(gt, "AdamW", options)
    theirs, opt_theirs, _ = run(torch, "AdamW", options)
    assert_bits_equal(ours, theirs)
    assert opt_ours.state_dict()["param_groups"] == opt_theirs.state_dict()["param_groups"]


def test_adamw_defaults_and_repr_match_torch():
    w = gt.zeros(2, requires_grad=True)
    tw = torch.zeros(2, requires_grad=True)
    assert repr(gt.optim.AdamW([w])) == repr(torch.optim.AdamW([tw]))
    assert repr(gt.optim.Adam([w], amsgrad=True)) == repr(torch.optim.Adam([tw], amsgrad=True))


def test_tensor_lr_matches_torch():
    options = dict(weight_decay=0.1, decoupled_weight_decay=True)
    ours, _, _ = run(gt, "Adam", dict(lr=gt.tensor(0.01), **options))
    theirs, _, _ = run(torch, "Adam", dict(lr=torch.tensor(0.01), **options))
    assert_bits_equal(ours, theirs)


def test_float64_params_close_to_torch():
    ours, _, _ = run(gt, "Adam", dict(lr=0.01, weight_decay=0.1), dtype=np.float64)
    theirs, _, _ = run(torch, "Adam", dict(lr=0.01, weight_decay=0.1), dtype=np.float64)
    for a_list, b_list in zip(ours, theirs, strict=True):
        for a, b in zip(a_list, b_list, strict=True):
            assert a.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_state_dict_round_trip_continues_like_torch(name, amsgrad):
    grads = gradients(50)
    options = dict(lr=0.01, amsgrad=amsgrad, weight_decay=0.05)
    runs = {}
    for lib in (gt, torch):
        first, optimizer, params = run(lib, name, options, grads=grads[:20])
        saved = copy.deepcopy(optimizer.state_dict())
        fresh_params = [lib.tensor(p.detach().numpy().copy(), requires_grad=True)
                        for p in params]
        fresh = getattr(lib.optim, name)(fresh_params, lr=0.5)  # lr comes back from the save
        fresh.load_state_dict(saved)
        rest, fresh, _ = run(lib, name, options, grads=grads[20:], params=fresh_params,
                             optimizer=fresh)
        runs[lib.__name__] = (first + rest, fresh.state_dict())
    assert_bits_equal(runs["glasstorch"][0], runs["torch"][0])
    ours, theirs = runs["glasstorch"][1], runs["torch"][1]
    assert ours["param_groups"] == theirs["param_groups"]
    assert float(ours["state"][0]["step"]) == float(theirs["state"][0]["step"]) == 50.0


def test_state_dict_from_torch_loads():
    _, opt_theirs, _ = run(torch, "Adam", dict(lr=0.01), steps=5)
    params = make_params(gt)
    optimizer = gt.optim.Adam(params, lr=0.01)
    optimizer.load_state_dict(copy.deepcopy(opt_theirs.state_dict()))
    step = optimizer.state[params[0]]["step"]
    assert isinstance(step, gt.Tensor) and step.dtype == gt.float32 and float(step) == 5.0


def test_state_keys_and_step_type_match_torch():
    ours = make_params(gt)
    theirs = make_params(torch)
    opt_ours = gt.optim.Adam(ours, amsgrad=True)
    opt_theirs = torch.optim.Adam(theirs, amsgrad=True)
    for p in ours:
        p.grad = gt.ones_like(p)
    for p in theirs:
        p.grad = torch.ones_like(p)
    opt_ours.step()
    opt_theirs.step()
    assert list(opt_ours.state[ours[0]]) == list(opt_theirs.state[theirs[0]])
    step = opt_ours.state[ours[0]]["step"]
    assert step.shape == () and step.dtype == gt.float32


def test_params_without_grad_are_skipped():
    params = make_params(gt)
    optimizer = gt.optim.Adam(params)
    params[0].grad = gt.ones_like(params[0])
    before = params[1].detach().numpy().copy()
    optimizer.step()
    assert np.array_equal(params[1].detach().numpy(), before)
    assert params[1] not in optimizer.state


def test_closure_result_is_returned():
    w = gt.tensor([1.0], requires_grad=True)
    optimizer = gt.optim.Adam([w])

    def closure():
        optimizer.zero_grad()
        loss = (w ** 2).sum()
        loss.backward()
        return loss

    assert optimizer.step(closure).item() == 1.0


BAD = [
    dict(lr=-1), dict(eps=-1.0), dict(betas=(1.0, 0.9)), dict(betas=(0.9, -0.1)),
    dict(weight_decay=-0.5), dict(betas=(0.9, 0)), dict(betas=(0, 0.999)),
]


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("options", BAD, ids=combo_id)
def test_bad_arguments_raise_torchs_errors(name, options):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError) as ours:
        getattr(gt.optim, name)([gt.zeros(1, requires_grad=True)], **options)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("option", ["foreach", "fused", "capturable", "differentiable"])
def test_unsupported_options_say_so(option):
    with pytest.raises(NotImplementedError, match=f"{option}=True"):
        gt.optim.Adam([gt.zeros(1, requires_grad=True)], **{option: True})
    optimizer = gt.optim.Adam([gt.zeros(1, requires_grad=True)])
    optimizer.add_param_group({"params": [gt.zeros(1, requires_grad=True)], option: True})
    with pytest.raises(NotImplementedError, match=option):
        optimizer.step()


def test_false_options_are_accepted():
    gt.optim.Adam([gt.zeros(1, requires_grad=True)], foreach=False, fused=False,
                  capturable=False, differentiable=False)


def test_fused_errors_match_torch():
    for options in (dict(fused=True, differentiable=True), dict(fused=True, foreach=True)):
        with pytest.raises(RuntimeError) as theirs:
            torch.optim.Adam([torch.zeros(1, requires_grad=True)], **options)
        with pytest.raises(RuntimeError) as ours:
            gt.optim.Adam([gt.zeros(1, requires_grad=True)], **options)
        assert str(ours.value) == str(theirs.value)


def test_tensor_betas_refused_clearly():
    with pytest.raises(NotImplementedError, match="betas"):
        gt.optim.Adam([gt.zeros(1, requires_grad=True)], betas=(gt.tensor(0.9), gt.tensor(0.99)))


def test_sqrt_kernel_equals_torchs_float32_sqrt():
    rng = np.random.default_rng(7)
    x = np.concatenate([
        rng.uniform(0, 3, 100_000), np.exp(rng.uniform(-100, 88, 100_000)),
        [0.0, -0.0, np.inf, 1e-40, 1e-45, 3.4e38, 3.4028235e38, 1.0, 4.0],
    ]).astype(np.float32)
    x = np.concatenate([x, rng.integers(0, 0x7F800000, 100_000, dtype=np.uint32)
                        .view(np.float32)])
    ours = _kernels.sqrt(x, _kernels.Workspace())
    theirs = torch.from_numpy(x).sqrt().numpy()
    if SQRT_REPRODUCED:
        assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))
    else:  # another CPU's MKL kernel: still within one unit in the last place
        ulps = np.abs(ours.view(np.int32).astype(np.int64) - theirs.view(np.int32))
        assert ulps[np.isfinite(theirs)].max() <= 1


@pytest.mark.parametrize("weight", [0.1, 0.001, 0.5, 0.9, -0.3, 1.7])
def test_lerp_kernel_equals_torch(weight):
    rng = np.random.default_rng(3)
    a = (rng.standard_normal(1001) * rng.uniform(1e-3, 1e3, 1001)).astype(np.float32)
    b = (rng.standard_normal(1001) * rng.uniform(1e-3, 1e3, 1001)).astype(np.float32)
    theirs = torch.from_numpy(a.copy()).lerp_(torch.from_numpy(b), weight).numpy()
    _kernels.lerp_(a, b, weight, _kernels.Workspace())
    assert np.array_equal(a.view(np.uint32), theirs.view(np.uint32))


@pytest.mark.parametrize("value", [1, -1, 0.001, -3.5])
def test_addcmul_addcdiv_kernels_equal_torch(value):
    rng = np.random.default_rng(4)
    a, b, c = (rng.standard_normal(1003).astype(np.float32) for _ in range(3))
    c = np.abs(c) + np.float32(0.1)
    theirs = torch.from_numpy(a.copy()).addcmul_(torch.from_numpy(b), torch.from_numpy(c),
                                                 value=value).numpy()
    ours = a.copy()
    _kernels.addcmul_(ours, b, c, value, _kernels.Workspace())
    assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))
    theirs = torch.from_numpy(a.copy()).addcdiv_(torch.from_numpy(b), torch.from_numpy(c),
                                                 value=value).numpy()
    ours = a.copy()
    _kernels.addcdiv_(ours, b, c, value, _kernels.Workspace())
    assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))


def test_float64_kernels_close_to_torch():
    rng = np.random.default_rng(9)
    a, b = rng.standard_normal(101), rng.standard_normal(101)
    c = np.abs(b) + 0.5
    work = _kernels.Workspace()
    ours = a.copy()
    _kernels.addcmul_(ours, b, c, 0.3, work)
    theirs = torch.from_numpy(a.copy()).addcmul_(torch.from_numpy(b), torch.from_numpy(c),
                                                 value=0.3).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-15)
    ours = a.copy()
    _kernels.lerp_(ours, b, 0.9, work)
    theirs = torch.from_numpy(a.copy()).lerp_(torch.from_numpy(b), 0.9).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(_kernels.sqrt(c, work), np.sqrt(c), rtol=1e-15)


def test_gradients_are_not_modified():
    for options in (dict(maximize=True), dict(weight_decay=0.5)):
        w = gt.tensor([1.0, -2.0], requires_grad=True)
        w.grad = gt.tensor([0.5, 0.25])
        gt.optim.Adam([w], **options).step()
        assert w.grad.tolist() == [0.5, 0.25]


@pytest.mark.parametrize("options", [dict(lr=0.01), dict(lr=0.01, amsgrad=True),
                                     dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)])
def test_adam_flat_path_with_skipped_grads_and_reload(options):
    """All parameters updated in one flat pass; a parameter without a grad for a few steps
    (its own bias correction from then on) and a state_dict reload fall back correctly."""
    rng = np.random.default_rng(11)
    shapes = [(4, 3), (3,), (2, 2)]
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(30)]
    history = {}
    for lib in (gt, torch):
        params = [lib.tensor(a.copy(), requires_grad=True) for a in init]
        opt = lib.optim.Adam(params, **options)
        out = []
        for step, step_grads in enumerate(grads):
            for i, (p, g) in enumerate(zip(params, step_grads, strict=True)):
                p.grad = None if (i == 1 and 5 <= step < 8) else lib.tensor(g)
            opt.step()
            if step == 20:  # reload into a fresh optimizer and go on with it
                state = copy.deepcopy(opt.state_dict())
                opt = lib.optim.Adam(params, **options)
                opt.load_state_dict(state)
            out.append([p.detach().numpy().copy() for p in params])
        history[lib.__name__] = out
    assert_bits_equal(history["glasstorch"], history["torch"])
