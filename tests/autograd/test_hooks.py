"""Gradient hooks (``Tensor.register_hook``) and module forward hooks, compared with torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import glasstorch


def _both(fn: Any) -> tuple[Any, Any]:
    return fn(glasstorch), fn(torch)


def _np(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return [_np(v) for v in x]
    return x.detach().numpy().tolist() if hasattr(x, "detach") else x


def test_tensor_hooks_see_and_replace_gradients() -> None:
    def run(lib: Any) -> Any:
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = y * y
        seen: list[Any] = []
        y.register_hook(lambda g: seen.append(g.clone()))
        handle = x.register_hook(lambda g: g * 10)  # a leaf: runs before .grad
        y.retain_grad()
        z.sum().backward()
        first = (x.grad.clone(), y.grad.clone())
        handle.remove()
        x.grad = None
        (x * 2).sum().backward()
        return _np(seen), _np(first), _np(x.grad)
    ours, theirs = _both(run)
    assert ours == theirs


def test_hook_on_a_multiply_used_leaf_runs_once_on_the_sum() -> None:
    def run(lib: Any) -> Any:
        a = lib.tensor([1.0, 3.0], requires_grad=True)
        calls: list[Any] = []
        a.register_hook(lambda g: calls.append(g.clone()))
        (a * a + a * 2).sum().backward()
        return _np(calls), _np(a.grad)
    ours, theirs = _both(run)
    assert ours == theirs


def test_hooks_with_autograd_grad_and_retain_grad_order() -> None:
    def run(lib: Any) -> Any:
        a = lib.tensor([1.0], requires_grad=True)
        a.register_hook(lambda g: g + 1)
        (ga,) = lib.autograd.grad(a * 5, a)
        b = lib.tensor([1.0, 2.0], requires_grad=True)
        c = b * 2
        c.register_hook(lambda g: g * 0 + 7)  # retain_grad sees the hooked gradient
        c.retain_grad()
        (c * b).sum().backward()
        return _np(ga), _np(c.grad), _np(b.grad)
    ours, theirs = _both(run)
    assert ours == theirs


def test_hook_errors_like_torch() -> None:
    for lib in (glasstorch, torch):
        with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that "
                                               "doesn't require gradient"):
            lib.ones(2).register_hook(print)
        x = lib.ones(2, requires_grad=True)
        x.register_hook(lambda g: g.new_ones(3))
        with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the size of value"):
            (x * 2).sum().backward()
        y = lib.ones(2, requires_grad=True) * 2
        y.register_hook(lambda g: 5)
        with pytest.raises(TypeError, match="expected Variable, but hook returned 'int'"):
            y.sum().backward()


def test_module_forward_hooks_like_torch() -> None:
    def run(lib: Any) -> Any:
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
        activations: dict[str, Any] = {}

        def save(name: str) -> Any:
            def hook(module: Any, args: Any, output: Any) -> None:
                activations[name] = output.detach().clone()
            return hook

        handles = [model[0].register_forward_hook(save("fc1")),
                   model[1].register_forward_hook(save("relu"))]
        double = model[2].register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        negate = model.register_forward_hook(lambda m, args, out: -out)
        first = model(lib.ones(2, 3))
        for h in (*handles, double, negate):
            h.remove()
        second = model(lib.ones(2, 3))
        kw = model[0].register_forward_pre_hook(
            lambda m, args, kwargs: ((args[0] + 1,), kwargs), with_kwargs=True)
        third = model[0](lib.zeros(1, 3))
        kw.remove()
        order: list[str] = []
        model[1].register_forward_hook(lambda *a: order.append("second"))
        model[1].register_forward_hook(lambda *a: order.append("first"), prepend=True)
        model(lib.ones(1, 3))
        return (_np(first), _np(second), _np(third), _np(activations["fc1"]),
                _np(activations["relu"]), order)
    ours, theirs = _both(run)
    for a, b in zip(ours[:5], theirs[:5], strict=True):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-6)
    assert ours[5] == theirs[5] == ["first", "second"]
