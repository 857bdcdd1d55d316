"""ModuleList, ModuleDict, Sequential reprs, Flatten and Unflatten against real torch."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

import glasstorch as gt
from glasstorch import nn


def both(build):
    return build(nn), build(torch.nn)


def assert_same(ours, theirs):
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]


LISTS = [
    lambda m: m.ModuleList(),
    lambda m: m.ModuleList([m.Linear(2, 3)]),
    lambda m: m.ModuleList([m.Linear(2, 2) for _ in range(3)]),
    lambda m: m.ModuleList([m.ReLU(), m.ReLU(), m.Linear(2, 2), m.ReLU(), m.ReLU(), m.ReLU()]),
    lambda m: m.ModuleList([m.Sequential(m.Linear(1, 2), m.Tanh()) for _ in range(2)]
                           + [m.Sequential(m.Linear(1, 2))]),
    lambda m: m.ModuleList([m.ModuleList([m.ReLU(), m.ReLU()]), m.Dropout()]),
]


@pytest.mark.parametrize("build", LISTS)
def test_module_list_repr_and_keys(build):
    assert_same(*both(build))


def test_module_list_operations():
    def ops(m):
        layers = m.ModuleList([m.Linear(2, 2), m.ReLU()])
        layers.append(m.Tanh())
        layers.extend([m.Linear(2, 3), m.Sigmoid()])
        layers.insert(1, m.Dropout(0.1))
        layers += [m.ELU()]
        layers[2] = m.LeakyReLU()
        layers[-1] = m.GELU()
        del layers[0]
        del layers[-2:]
        popped = layers.pop(1)
        combined = layers + m.ModuleList([m.SiLU()])
        sliced = layers[1:]
        return layers, popped, combined, sliced

    ours, theirs = ops(nn), ops(torch.nn)
    for o, t in zip(ours, theirs, strict=True):
        assert_same(o, t)
    layers_o, layers_t = ours[0], theirs[0]
    assert len(layers_o) == len(layers_t)
    assert [type(x).__name__ for x in layers_o] == [type(x).__name__ for x in layers_t]
    assert repr(layers_o[-1]) == repr(layers_t[-1])
    assert type(ours[3]).__name__ == "ModuleList"


def test_module_list_parameters_and_errors():
    ours, theirs = both(lambda m: m.ModuleList([m.Linear(3, 2), m.Linear(2, 1)]))
    assert [n for n, _ in ours.named_parameters()] == \
        [n for n, _ in theirs.named_parameters()]
    for fn in [lambda x: x[5], lambda x: x[-3], lambda x: x.extend(5)]:
        errors = []
        for lst in (ours, theirs):
            try:
                fn(lst)
            except Exception as e:  # noqa: BLE001
                errors.append((type(e), str(e)))
        assert len(errors) == 2 and errors[0] == errors[1]
    assert [k for k in dir(ours) if k.isdigit()] == []


def test_module_dict():
    def ops(m):
        d = m.ModuleDict({"b": m.Linear(2, 2), "a": m.ReLU()})
        d["c"] = m.Linear(2, 1)
        d.update([("d", m.Tanh()), ("b", m.Linear(2, 5))])
        d.update(OrderedDict(e=m.Sigmoid()))
        popped = d.pop("a")
        return d, popped

    (ours, op), (theirs, tp) = ops(nn), ops(torch.nn)
    assert_same(ours, theirs)
    assert repr(op) == repr(tp)
    assert list(ours) == list(theirs) == list(ours.keys())
    assert [repr(v) for v in ours.values()] == [repr(v) for v in theirs.values()]
    assert [k for k, _ in ours.items()] == [k for k, _ in theirs.items()]
    assert ("c" in ours, "a" in ours, len(ours)) == ("c" in theirs, "a" in theirs, len(theirs))
    del ours["c"]
    del theirs["c"]
    assert_same(ours, theirs)
    ours.clear()
    theirs.clear()
    assert_same(ours, theirs)
    for bad in [5, [("a",)], [5]]:
        errors = []
        for lib in (nn, torch.nn):
            try:
                lib.ModuleDict().update(bad)
            except Exception as e:  # noqa: BLE001
                errors.append((type(e), str(e)))
        assert len(errors) == 2 and errors[0] == errors[1]


def test_sequential_repr_does_not_compress_repeats():
    ours, theirs = both(lambda m: m.Sequential(m.Linear(2, 2), m.Linear(2, 2), m.ReLU()))
    assert_same(ours, theirs)


FLATTEN = [
    (lambda m: m.Flatten(), (2, 3, 4, 5)),
    (lambda m: m.Flatten(0, -1), (2, 3, 4)),
    (lambda m: m.Flatten(start_dim=2), (2, 3, 4, 5)),
    (lambda m: m.Flatten(1, 2), (2, 3, 4, 5)),
    (lambda m: m.Unflatten(1, (2, 5)), (3, 10)),
    (lambda m: m.Unflatten(-1, [2, -1]), (3, 10)),
    (lambda m: m.Unflatten(0, (1, 3)), (3, 10)),
]


@pytest.mark.parametrize(("build", "shape"), FLATTEN)
def test_flatten_and_unflatten(build, shape):
    ours, theirs = both(build)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    xo, xt = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    assert tuple(yo.shape) == tuple(yt.shape)
    np.testing.assert_array_equal(yo.detach().numpy(), yt.detach().numpy())
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__


def test_unflatten_checks_its_size_like_torch():
    for bad in [5, (2, 2.5)]:
        errors = []
        for lib in (nn, torch.nn):
            try:
                lib.Unflatten(1, bad)
            except Exception as e:  # noqa: BLE001
                errors.append((type(e), str(e)))
        assert len(errors) == 2 and errors[0] == errors[1]
    assert "Flatten" in nn.__all__ and "Unflatten" in nn.__all__
