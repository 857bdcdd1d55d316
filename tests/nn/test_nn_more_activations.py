"""More activation layers and the distance modules against real torch: values, gradients,
``grad_fn`` names, reprs, in-place forms and errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import glasstorch as gt
from glasstorch import nn

RNG = np.random.default_rng(0)
X = (RNG.permutation(48) - 24) * 0.25 + 0.03  # values up to ±6, none on a kink

LAYERS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("SELU", (), {}), ("SELU", (True,), {}),
    ("CELU", (), {}), ("CELU", (0.5, True), {}), ("CELU", (), {"alpha": 2.0}),
    ("Mish", (), {}), ("Mish", (True,), {}),
    ("Hardswish", (), {}), ("Hardswish", (True,), {}),
    ("Hardsigmoid", (), {}), ("Hardsigmoid", (True,), {}),
    ("LogSigmoid", (), {}), ("Softsign", (), {}), ("Tanhshrink", (), {}),
    ("Threshold", (0.1, 20.0), {}), ("Threshold", (0.1, 20, True), {}),
    ("Threshold", (), {"threshold": -1.0, "value": 0.5}),
    ("GLU", (), {}), ("GLU", (0,), {}), ("GLU", (), {"dim": 1}),
]


def _ids(case: tuple[str, tuple[Any, ...], dict[str, Any]]) -> str:
    return f"{case[0]}{case[1]}{case[2]}"


@pytest.mark.parametrize("case", LAYERS, ids=[_ids(c) for c in LAYERS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_layer_matches_torch(case: tuple[str, tuple[Any, ...], dict[str, Any]],
                             dtype: str) -> None:
    name, args, kwargs = case
    ours_m, theirs_m = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours_m) == repr(theirs_m)
    data = X.reshape(4, 6, 2).astype(dtype)
    o_in = gt.tensor(data, requires_grad=True)
    t_in = torch.tensor(data, requires_grad=True)
    ours, theirs = ours_m(o_in * 1), theirs_m(t_in * 1)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    assert repr(ours.dtype) == repr(theirs.dtype)
    tol = (1e-6, 1e-6) if dtype == "float32" else (1e-12, 1e-12)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), *tol)
    up = RNG.standard_normal(tuple(theirs.shape)).astype(dtype)
    ours.backward(gt.tensor(up))
    theirs.backward(torch.tensor(up))
    np.testing.assert_allclose(o_in.grad.numpy(), t_in.grad.numpy(), *tol)


def test_inplace_writes_into_the_input() -> None:
    for name, args in (("selu", ()), ("celu", (0.7,)), ("mish", ()), ("hardswish", ()),
                       ("hardsigmoid", ()), ("threshold", (0.2, -3.0))):
        o, t = gt.tensor(X.copy()), torch.tensor(X.copy())
        ro = getattr(gt.nn.functional, name)(o, *args, inplace=True)
        rt = getattr(torch.nn.functional, name)(t, *args, inplace=True)
        assert ro is o and rt is t
        np.testing.assert_allclose(o.numpy(), t.numpy(), 1e-12, 1e-12)
    o, t = gt.tensor(X.copy()), torch.tensor(X.copy())
    gt.selu_(o), torch.selu_(t)
    gt.celu_(o, 2.0), torch.celu_(t, 2.0)
    gt.nn.functional.threshold_(o, 0.0, 1.0), torch.nn.functional.threshold_(t, 0.0, 1.0)
    np.testing.assert_allclose(o.numpy(), t.numpy(), 1e-12, 1e-12)


def test_pairwise_distance_of_integers_is_float() -> None:
    a, b = [[1, 2], [3, 4]], [[1, 4], [0, 0]]
    ours = gt.nn.functional.pairwise_distance(gt.tensor(a), gt.tensor(b))
    theirs = torch.nn.functional.pairwise_distance(torch.tensor(a), torch.tensor(b))
    assert repr(ours) == repr(theirs)


def test_threshold_keeps_integer_dtype() -> None:
    data = np.array([1, 5, -2, 3])
    ours = gt.nn.functional.threshold(gt.tensor(data), 2, 7)
    theirs = torch.nn.functional.threshold(torch.tensor(data), 2, 7)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("call", [
    lambda F, t: F.glu(t.ones(3)),
    lambda F, t: F.glu(t.tensor(1.0)),
    lambda F, t: F.glu(t.ones(2, 4), dim=2),
    lambda F, t: F.celu(t.ones(2), alpha=0.0),
    lambda F, t: F.selu(t.tensor([1, 2])),
    lambda F, t: F.mish(t.tensor([1, 2])),
    lambda F, t: F.hardswish(t.tensor([1, 2])),
    lambda F, t: F.hardsigmoid(t.tensor([1, 2])),
    lambda F, t: F.logsigmoid(t.tensor([1, 2])),
    lambda F, t: F.cosine_similarity(t.tensor([[1, 2]]), t.tensor([[1, 2]])),
])
def test_errors_match_torch(call: Any) -> None:
    with pytest.raises(Exception) as theirs:
        call(torch.nn.functional, torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(gt.nn.functional, gt)
    assert str(ours.value).startswith(str(theirs.value)[:30])


DIST_CASES = [
    ((3, 4), (3, 4), {}), ((3, 4), (4,), {"dim": -1}), ((2, 3, 4), (3, 1), {"dim": 2}),
    ((5,), (5,), {"dim": 0}), ((3, 4), (3, 4), {"dim": 0, "eps": 1e-3}),
]


@pytest.mark.parametrize("s1, s2, kw", DIST_CASES)
def test_cosine_similarity(s1: tuple[int, ...], s2: tuple[int, ...], kw: dict[str, Any]) -> None:
    a, b = RNG.standard_normal(s1), RNG.standard_normal(s2)
    _compare_pair(lambda F, x, y: F.cosine_similarity(x, y, **kw), a, b)
    _compare_pair(lambda m, x, y: m.CosineSimilarity(**kw)(x, y), a, b, modules=True)


def test_cosine_similarity_zero_vector_uses_eps() -> None:
    a = np.zeros((2, 3))
    b = RNG.standard_normal((2, 3))
    _compare_pair(lambda F, x, y: F.cosine_similarity(x, y), a, b)


@pytest.mark.parametrize("kw", [{}, {"p": 1.0}, {"p": 3, "keepdim": True}, {"eps": 0.0},
                                {"p": float("inf")}])
@pytest.mark.parametrize("s1, s2", [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (4,)),
                                    ((2, 3, 4), (3, 4))])
def test_pairwise_distance(kw: dict[str, Any], s1: tuple[int, ...],
                           s2: tuple[int, ...]) -> None:
    a, b = RNG.standard_normal(s1), RNG.standard_normal(s2)
    _compare_pair(lambda F, x, y: F.pairwise_distance(x, y, **kw), a, b)
    _compare_pair(lambda m, x, y: m.PairwiseDistance(**kw)(x, y), a, b, modules=True)


def test_distance_reprs() -> None:
    for ours, theirs in ((nn.CosineSimilarity(0, 1e-6), torch.nn.CosineSimilarity(0, 1e-6)),
                         (nn.PairwiseDistance(1.0, keepdim=True),
                          torch.nn.PairwiseDistance(1.0, keepdim=True))):
        assert repr(ours) == repr(theirs)
    assert nn.PairwiseDistance(3).norm == torch.nn.PairwiseDistance(3).norm


def _compare_pair(fn: Any, a: np.ndarray, b: np.ndarray, modules: bool = False) -> None:
    libs = ((gt.nn, torch.nn) if modules else (gt.nn.functional, torch.nn.functional))
    o_in = [gt.tensor(v, requires_grad=True) for v in (a, b)]
    t_in = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    ours, theirs = fn(libs[0], *o_in), fn(libs[1], *t_in)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.grad_fn.name() == type(theirs.grad_fn).__name__
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), 1e-12, 1e-12)
    up = RNG.standard_normal(tuple(theirs.shape))
    ours.backward(gt.tensor(up))
    theirs.backward(torch.tensor(up))
    for o, t in zip(o_in, t_in, strict=True):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), 1e-10, 1e-12)
