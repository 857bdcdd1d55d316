"""Process-wide settings (torch.compile, determinism, matmul precision), compared with torch."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import torch

import glasstorch


@pytest.mark.parametrize("lib", [glasstorch, torch], ids=["glasstorch", "torch"])
def test_settings_remember_what_they_are_told(lib: Any) -> None:
    assert lib.are_deterministic_algorithms_enabled() is False
    try:
        lib.use_deterministic_algorithms(True, warn_only=True)
        assert lib.are_deterministic_algorithms_enabled() is True
        assert lib.is_deterministic_algorithms_warn_only_enabled() is True
    finally:
        lib.use_deterministic_algorithms(False)
    assert lib.get_float32_matmul_precision() == "highest"
    try:
        lib.set_float32_matmul_precision("high")
        assert lib.get_float32_matmul_precision() == "high"
    finally:
        lib.set_float32_matmul_precision("highest")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lib.set_float32_matmul_precision("bad")
    assert "is not one of 'highest', 'high', or 'medium'" in str(caught[0].message)
    assert lib.get_float32_matmul_precision() == "highest"


def test_compile_returns_a_model_that_computes_the_same() -> None:
    model = glasstorch.nn.Linear(2, 1)
    assert glasstorch.compile(model) is model
    assert glasstorch.compile()(len) is len  # the decorator form
    for lib in (glasstorch, torch):
        with pytest.raises(RuntimeError, match="Unrecognized mode=fast, should be one of"):
            lib.compile(lib.nn.Linear(1, 1), mode="fast")


def test_typename_like_torch() -> None:
    for value in (lambda t: t.ones(2), lambda t: t.ones(2, dtype=t.long),
                  lambda t: t.ones(1, dtype=t.bool), lambda t: 3):
        assert glasstorch.typename(value(glasstorch)) == torch.typename(value(torch))
