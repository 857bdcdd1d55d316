"""Run the same function on glasstorch and on real torch and compare everything.

``compare(fn, *arrays)`` builds tensors from the same NumPy arrays in both libraries, calls
``fn(lib, *tensors)`` with ``lib`` the module, and checks the outputs' values, dtype, shape,
``grad_fn`` name and ``requires_grad``, then backpropagates one random upstream gradient
through both and compares every input's gradient.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import glasstorch

TOL = {"float32": (2e-5, 1e-5), "float64": (1e-10, 1e-12)}


def _make(lib: Any, arrays: list[np.ndarray], grads: tuple[bool, ...]) -> list[Any]:
    pairs = zip(arrays, grads, strict=True)
    return [lib.tensor(a, requires_grad=g and a.dtype.kind == "f") for a, g in pairs]


def compare(fn: Callable[..., Any], *arrays: np.ndarray, grads: bool | tuple[bool, ...] = True,
            seed: int = 0, quiet: bool = False) -> list[Any]:
    """Check ``fn(glasstorch, *xs)`` against ``fn(torch, *xs)``; return glasstorch's outputs.

    Args:
        grads: which inputs require grad (one bool for all, or one per input).
        quiet: silence warnings both libraries give (e.g. std's "degrees of freedom").
    """
    if isinstance(grads, bool):
        grads = (grads,) * len(arrays)
    ours_in = _make(glasstorch, list(arrays), grads)
    theirs_in = _make(torch, list(arrays), grads)
    with warnings.catch_warnings():
        if quiet:
            warnings.simplefilter("ignore")
        ours, theirs = fn(glasstorch, *ours_in), fn(torch, *theirs_in)
    ours = list(ours) if isinstance(ours, tuple) else [ours]
    theirs = list(theirs) if isinstance(theirs, tuple) else [theirs]
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        assert repr(o.dtype) == repr(t.dtype)
        assert tuple(o.shape) == tuple(t.shape)
        close(o.detach().numpy(), t.detach().numpy())
        t_name = None if t.grad_fn is None else type(t.grad_fn).__name__
        assert (None if o.grad_fn is None else o.grad_fn.name()) == t_name
        assert o.requires_grad == t.requires_grad
    rng = np.random.default_rng(seed)
    pairs = [(o, t) for o, t in zip(ours, theirs, strict=True) if t.requires_grad]
    if pairs:
        ups = [rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype)
               for _, t in pairs]
        torch.autograd.backward([t for _, t in pairs], [torch.tensor(u) for u in ups])
        glasstorch.autograd.backward([o for o, _ in pairs], [glasstorch.tensor(u) for u in ups])
    for i, (o, t) in enumerate(zip(ours_in, theirs_in, strict=True)):
        if t.grad is None:
            assert o.grad is None, f"input {i}: torch has no gradient"
            continue
        assert o.grad is not None, f"input {i}: gradient missing"
        assert repr(o.grad.dtype) == repr(t.grad.dtype)
        close(o.grad.numpy(), t.grad.numpy())
    return ours


def close(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Equal shapes; integers exactly, floats within TOL for their dtype."""
    assert ours.shape == theirs.shape
    if theirs.dtype.kind != "f":
        np.testing.assert_array_equal(ours, theirs)
        return
    rtol, atol = TOL[str(theirs.dtype)]
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)


def rand(*shape: int, dtype: str = "float32", seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)
