"""Helpers for the torch.utils.data tests: run the same code on glasstorch and torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import glasstorch

LIBS = (glasstorch, torch)


def rng_bytes(lib: Any) -> bytes:
    """The global generator's state as bytes (torch's 5056-byte layout in both)."""
    return bytes(np.asarray(lib.get_rng_state().numpy()).tobytes())


def gen_bytes(gen: Any) -> bytes:
    state = gen.get_state()
    return bytes(np.asarray(state if isinstance(state, np.ndarray) else state.numpy()).tobytes())


def assert_same_tensor(ours: Any, theirs: Any) -> None:
    """Bit-equal values, same dtype, shape, requires_grad and grad_fn name."""
    assert isinstance(ours, glasstorch.Tensor), type(ours)
    assert isinstance(theirs, torch.Tensor), type(theirs)
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    a, b = ours.detach().numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype
    assert a.tobytes() == np.ascontiguousarray(b).tobytes()
    assert ours.requires_grad == theirs.requires_grad
    t_name = None if theirs.grad_fn is None else type(theirs.grad_fn).__name__
    assert (None if ours.grad_fn is None else ours.grad_fn.name()) == t_name


def assert_same(ours: Any, theirs: Any) -> None:
    """Structures equal (types of containers, keys) with tensors compared exactly."""
    if isinstance(theirs, torch.Tensor):
        assert_same_tensor(ours, theirs)
        return
    assert type(ours) is type(theirs), (type(ours), type(theirs))
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for k in theirs:
            assert_same(ours[k], theirs[k])
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            assert_same(o, t)
    else:
        assert ours == theirs


def same_error(fn: Any) -> tuple[type, str]:
    """Call ``fn(lib)`` for both libraries; both must raise the same type and message."""
    caught = []
    for lib in LIBS:
        try:
            fn(lib)
        except Exception as err:  # noqa: BLE001 - we compare whatever was raised
            caught.append((type(err), str(err)))
        else:
            caught.append((None, ""))
    assert caught[1][0] is not None, "torch raised nothing"
    assert caught[0] == caught[1], caught
    return caught[1]
