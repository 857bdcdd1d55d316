"""Linear, Identity, activations and Sequential against real torch (copied weights)."""

from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np, assert_close, copy_params  # noqa: E402

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(4, 1), (5, 3), (2, 4, 3), (3,)])
def test_linear_forward_and_gradients_match_torch(shape, bias):
    in_features = shape[-1]
    ours = nn.Linear(in_features, 2, bias=bias)
    theirs = torch.nn.Linear(in_features, 2, bias=bias)
    copy_params(ours, theirs)
    x = randn(*shape)
    x_ours = gt.tensor(x, requires_grad=True)
    x_theirs = torch.tensor(x, requires_grad=True)
    out_ours, out_theirs = ours(x_ours), theirs(x_theirs)
    assert out_ours.shape == out_theirs.shape
    assert out_ours.grad_fn.name() == out_theirs.grad_fn.name()
    assert_close(out_ours, out_theirs)
    upstream = randn(*out_theirs.shape)
    out_ours.backward(gt.tensor(upstream))
    out_theirs.backward(torch.tensor(upstream))
    assert_close(x_ours.grad, x_theirs.grad, rtol=1e-5, atol=1e-6)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(as_np(p.grad), as_np(q.grad), rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def test_linear_attributes_and_dtype():
    layer = nn.Linear(3, 2, dtype=gt.float64)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    assert layer.weight.dtype == gt.float64
    assert (layer.in_features, layer.out_features) == (3, 2)
    assert nn.Linear(3, 2, bias=False).bias is None
    assert repr(nn.Linear(1, 1)) == "Linear(in_features=1, out_features=1, bias=True)"
    bound = 1 / np.sqrt(3)
    assert (layer.weight.abs() <= bound).all() and (layer.bias.abs() <= bound).all()
    assert layer.weight.std().item() > 0  # initialised, not left at zeros


def test_linear_init_matches_torch_bits_under_manual_seed():
    gt.manual_seed(0)
    torch.manual_seed(0)
    ours = [nn.Linear(3, 4), nn.Linear(4, 1), nn.Linear(1, 1)]
    theirs = [torch.nn.Linear(3, 4), torch.nn.Linear(4, 1), torch.nn.Linear(1, 1)]
    for a, b in zip(ours, theirs, strict=True):
        for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
            np.testing.assert_array_equal(as_np(p), as_np(q), err_msg=name)


def test_linear_shape_error_is_clear():
    with pytest.raises(RuntimeError, match=re.escape("mat1 and mat2 shapes cannot be multiplied")):
        nn.Linear(3, 2)(gt.ones(4, 2))


@pytest.mark.parametrize("name", ["ReLU", "Sigmoid", "Tanh", "Identity"])
def test_activation_layers_match_torch(name):
    x = randn(3, 4)
    x_ours, x_theirs = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_ours = getattr(nn, name)()(x_ours)
    out_theirs = getattr(torch.nn, name)()(x_theirs)
    assert_close(out_ours, out_theirs)
    (out_ours * 2).sum().backward()
    (out_theirs * 2).sum().backward()
    assert_close(x_ours.grad, x_theirs.grad)
    assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())


def test_identity_returns_its_input():
    x = gt.ones(2)
    assert nn.Identity(5, unused=True)(x) is x


def test_relu_inplace():
    x = gt.tensor([-1.0, 2.0])
    out = nn.ReLU(inplace=True)(x)
    assert out is x and x.tolist() == [0.0, 2.0]
    y = gt.tensor([-1.0, 2.0])
    assert F.relu(y, inplace=True) is y and y.tolist() == [0.0, 2.0]


def test_functional_activations_match_torch():
    x = randn(5)
    for name in ("relu", "sigmoid", "tanh"):
        assert_close(getattr(F, name)(gt.tensor(x)),
                     getattr(torch.nn.functional, name)(torch.tensor(x)))


def test_functional_linear_matches_torch():
    x, w, b = randn(4, 3), randn(2, 3), randn(2)
    assert_close(F.linear(gt.tensor(x), gt.tensor(w), gt.tensor(b)),
                 torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(b)))
    assert_close(F.linear(gt.tensor(x), gt.tensor(w)),
                 torch.nn.functional.linear(torch.tensor(x), torch.tensor(w)))


# ---------------------------------------------------------------------------- Sequential
def make_seq(lib):
    return lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1),
                             lib.nn.Sigmoid())


def test_sequential_forward_matches_torch():
    ours, theirs = make_seq(gt), make_seq(torch)
    copy_params(ours, theirs)
    x = randn(6, 2)
    assert_close(ours(gt.tensor(x)), theirs(torch.tensor(x)))


def test_sequential_indexing_and_len():
    ours, theirs = make_seq(gt), make_seq(torch)
    assert len(ours) == 4
    assert ours[0] is list(ours)[0] and ours[-1] is ours[3]
    for idx in (slice(1, 3), slice(None, None, 2), slice(-2, None)):
        part = ours[idx]
        assert isinstance(part, nn.Sequential)
        assert repr(part) == repr(theirs[idx])
        assert list(part._modules) == list(theirs[idx]._modules)
    with pytest.raises(IndexError, match="index 4 is out of range"):
        ours[4]
    with pytest.raises(IndexError, match="index -5 is out of range"):
        ours[-5]


def test_sequential_mutation_matches_torch():
    results = []
    for lib in (gt, torch):
        seq = lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Tanh())
        seq.append(lib.nn.Sigmoid()).insert(1, lib.nn.Identity())
        seq.extend([lib.nn.ReLU(inplace=True)])
        seq[0] = lib.nn.Tanh()
        del seq[1]
        results.append((repr(seq), list(seq._modules)))
    assert results[0] == results[1]


def test_sequential_from_ordered_dict():
    def make(lib):
        return lib.nn.Sequential(OrderedDict([("fc", lib.nn.Linear(2, 2)),
                                              ("act", lib.nn.ReLU())]))

    ours, theirs = make(gt), make(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["fc.weight", "fc.bias"]
    assert ours.fc is ours[0]
