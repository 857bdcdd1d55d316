"""``out=``: results written into an existing tensor, as torch does it (tensors tutorial)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch
from glasstorch.ops._out import OUT_FUNCTIONS

CASES = [
    ("mul", lambda t: (t.ones(2, 3) * 2, t.ones(2, 3) * 3), {}),
    ("add", lambda t: (t.ones(2, 3), 1.5), {"alpha": 1}),
    ("matmul", lambda t: (t.ones(2, 4), t.ones(4, 3)), {}),
    ("sum", lambda t: (t.arange(6.0).reshape(2, 3), 0), {}),
    ("exp", lambda t: (t.zeros(3),), {}),
    ("cat", lambda t: ([t.ones(2), t.zeros(1)],), {}),
    ("clamp", lambda t: (t.arange(5.0), 1.0, 3.0), {}),
    ("where", lambda t: (t.tensor([True, False]), t.ones(2), t.zeros(2)), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("out_shape", ["same", "empty"])
def test_out_matches_torch(name: str, args: Any, kwargs: dict[str, Any], out_shape: str) -> None:
    results = {}
    for lib in (glasstorch, torch):
        reference = getattr(lib, name)(*args(lib), **kwargs)
        out = lib.empty(reference.shape if out_shape == "same" else (0,), dtype=reference.dtype)
        returned = getattr(lib, name)(*args(lib), **kwargs, out=out)
        assert returned is out
        results[lib.__name__] = out.numpy().copy()
    np.testing.assert_array_equal(results["glasstorch"], results["torch"])


def test_out_casts_up_but_not_down_like_torch() -> None:
    for lib in (glasstorch, torch):
        out = lib.empty(2, 3, dtype=lib.float64)
        lib.add(lib.ones(2, 3), 1, out=out)
        assert out.dtype == lib.float64 and out.sum().item() == 12.0
    messages = []
    for lib in (glasstorch, torch):
        with pytest.raises(RuntimeError) as error:
            lib.mul(lib.ones(2), 2.5, out=lib.empty(2, dtype=lib.long))
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def test_out_resize_warns_like_torch() -> None:
    texts = []
    for lib in (glasstorch, torch):
        out = lib.zeros(4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.add(lib.ones(2, 3), 1, out=out)
        assert out.shape == (2, 3)
        texts.append(str(caught[0].message).split(" (Triggered internally")[0])
    assert texts[0] == texts[1]


def test_out_refuses_autograd_like_torch() -> None:
    for lib in (glasstorch, torch):
        a = lib.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match=r"mul\(\): functions with out=\.\.\. arguments "
                                               r"don't support automatic differentiation"):
            lib.mul(a, a, out=lib.empty(2))
        with lib.no_grad():
            out = lib.empty(2)
            lib.mul(a, a, out=out)
        assert not out.requires_grad


def test_every_listed_function_takes_out_in_torch() -> None:
    import inspect

    for name in OUT_FUNCTIONS:
        if hasattr(glasstorch, name):
            doc = getattr(torch, name).__doc__ or ""
            assert "out" in doc, name
            assert "out" not in inspect.signature(getattr(glasstorch.ops, name)).parameters
