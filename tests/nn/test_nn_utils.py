"""torch.nn.utils: gradient clipping and parameter/vector conversion against real torch."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch

import glasstorch as gt
from glasstorch import nn

SHAPES = [(3, 4), (4,), (1,), (17, 5), (33,), (2, 3, 8)]


def _params(lib, grads):
    out = []
    for g in grads:
        p = lib.zeros(g.shape, dtype=getattr(lib, str(g.dtype)), requires_grad=True)
        p.grad = lib.tensor(g)
        out.append(p)
    return out


def _grads(seed, dtype, scale=1.0):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in SHAPES]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("max_norm", [0.5, 1.0, 100.0])
@pytest.mark.parametrize("seed", range(4))
def test_clip_grad_norm_matches_torch(seed, max_norm, dtype):
    grads = _grads(seed, dtype, scale=seed + 0.5)
    ours, theirs = _params(gt, grads), _params(torch, grads)
    total_o = nn.utils.clip_grad_norm_(ours, max_norm)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    assert total_o.dtype == getattr(gt, dtype)
    if dtype == "float64":  # the replayed kernel is bit for bit in float64
        assert total_o.numpy().tobytes() == total_t.numpy().tobytes()
    np.testing.assert_allclose(total_o.numpy(), total_t.numpy(), rtol=2e-7)
    for po, pt in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(po.grad.numpy(), pt.grad.numpy(), rtol=3e-7, atol=1e-30)


def test_total_norm_is_mostly_bitwise_in_float32():
    same = 0
    for seed in range(30):
        grads = _grads(seed, "float32", scale=3.0)
        ours = nn.utils.clip_grad_norm_(_params(gt, grads), 1.0)
        theirs = torch.nn.utils.clip_grad_norm_(_params(torch, grads), 1.0)
        same += ours.numpy().tobytes() == theirs.numpy().tobytes()
    assert same >= 25


def test_clipped_grads_are_bitwise_given_the_same_total():
    grads = _grads(11, "float32", scale=5.0)
    ours, theirs = _params(gt, grads), _params(torch, grads)
    nn.utils.clip_grads_with_norm_(ours, 1.0, gt.tensor(7.25))
    torch.nn.utils.clip_grads_with_norm_(theirs, 1.0, torch.tensor(7.25))
    for po, pt in zip(ours, theirs, strict=True):
        assert po.grad.numpy().tobytes() == pt.grad.numpy().tobytes()


@pytest.mark.parametrize("norm_type", [math.inf, 1.0, 3.0, 2])
def test_other_norm_types(norm_type):
    grads = _grads(3, "float32", scale=2.0)
    ours, theirs = _params(gt, grads), _params(torch, grads)
    total_o = nn.utils.clip_grad_norm_(ours, 1.5, norm_type=norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, 1.5, norm_type=norm_type)
    np.testing.assert_allclose(total_o.numpy(), total_t.numpy(), rtol=1e-6)
    if norm_type == math.inf:
        assert total_o.numpy().tobytes() == total_t.numpy().tobytes()
    for po, pt in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(po.grad.numpy(), pt.grad.numpy(), rtol=2e-6)


def test_model_parameters_and_generators():
    torch.manual_seed(0)
    gt.manual_seed(0)
    mo = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    mt = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    x = np.random.default_rng(0).standard_normal((16, 4)).astype(np.float32)
    (mo(gt.tensor(x)) ** 2).sum().backward()
    (mt(torch.tensor(x)) ** 2).sum().backward()
    total_o = nn.utils.clip_grad_norm_(mo.parameters(), 0.1)
    total_t = torch.nn.utils.clip_grad_norm_(mt.parameters(), 0.1)
    np.testing.assert_allclose(total_o.numpy(), total_t.numpy(), rtol=1e-6)
    for po, pt in zip(mo.parameters(), mt.parameters(), strict=True):
        np.testing.assert_allclose(po.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-8)


def test_single_tensor_no_grads_and_empty():
    p = gt.zeros(2, requires_grad=True)
    p.grad = gt.tensor([3.0, 4.0])
    q = torch.zeros(2, requires_grad=True)
    q.grad = torch.tensor([3.0, 4.0])
    assert nn.utils.clip_grad_norm_(p, 1.0).item() == torch.nn.utils.clip_grad_norm_(q, 1.0).item()
    assert p.grad.numpy().tobytes() == q.grad.numpy().tobytes()
    none_o = nn.utils.clip_grad_norm_([gt.zeros(2, requires_grad=True)], 1.0)
    none_t = torch.nn.utils.clip_grad_norm_([torch.zeros(2, requires_grad=True)], 1.0)
    assert repr(none_o) == repr(none_t)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        nn.utils.clip_grad_norm_((x for x in []), 1.0)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.utils.clip_grad_norm_((x for x in []), 1.0)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


def test_nonfinite_error_and_deprecated_alias():
    errors = []
    for lib in (gt, torch):
        p = lib.zeros(2, requires_grad=True)
        p.grad = lib.tensor([float("inf"), 1.0])
        try:
            lib.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
        except RuntimeError as e:
            errors.append(str(e))
    assert len(errors) == 2 and errors[0] == errors[1]
    p = gt.zeros(2, requires_grad=True)
    p.grad = gt.tensor([3.0, 4.0])
    with pytest.warns(FutureWarning, match="deprecated"):
        assert nn.utils.clip_grad_norm(p, 1.0).item() == 5.0


@pytest.mark.parametrize("clip_value", [0.1, 1.0, 2])
def test_clip_grad_value_matches_torch(clip_value):
    grads = _grads(5, "float32", scale=2.0)
    ours, theirs = _params(gt, grads), _params(torch, grads)
    assert nn.utils.clip_grad_value_(ours, clip_value) is None
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    for po, pt in zip(ours, theirs, strict=True):
        assert po.grad.numpy().tobytes() == pt.grad.numpy().tobytes()


def test_parameters_to_vector_and_back():
    torch.manual_seed(0)
    gt.manual_seed(0)
    mo = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    mt = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    vo = nn.utils.parameters_to_vector(mo.parameters())
    vt = torch.nn.utils.parameters_to_vector(mt.parameters())
    assert vo.grad_fn.name() == type(vt.grad_fn).__name__
    np.testing.assert_array_equal(vo.detach().numpy(), vt.detach().numpy())
    new = np.arange(vt.numel(), dtype=np.float32)
    nn.utils.vector_to_parameters(gt.tensor(new), mo.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(new), mt.parameters())
    for (no, po), (nt, pt) in zip(mo.named_parameters(), mt.named_parameters(), strict=True):
        assert no == nt
        np.testing.assert_array_equal(po.detach().numpy(), pt.detach().numpy())
        assert type(po).__name__ == "Parameter"
    errors = []
    for lib, m in ((gt, mo), (torch, mt)):
        try:
            lib.nn.utils.vector_to_parameters([1.0], m.parameters())
        except TypeError as e:
            errors.append(str(e))
    assert errors[0] == errors[1]


def test_public_names_match_torch():
    for name in nn.utils.__all__:
        assert hasattr(torch.nn.utils, name)
    assert nn.utils.clip_grad_norm_ is gt.nn.utils.clip_grad.clip_grad_norm_
