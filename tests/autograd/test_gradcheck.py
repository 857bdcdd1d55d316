"""``autograd.gradcheck``: it passes correct gradients, catches wrong ones, and reports like torch.

Each behaviour is checked on torch's own gradcheck too (``lib``), so the tests pin torch's
behaviour rather than ours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402
from glasstorch.autograd.function import Function  # noqa: E402

both = pytest.mark.parametrize("lib", [pytest.param(torch, id="torch"),
                                       pytest.param(glasstorch, id="glasstorch")])


def inputs(lib: Any, dtype: Any = None, requires_grad: bool = True) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    dtype = dtype or lib.float64
    x = lib.tensor(rng.uniform(0.5, 2.0, (3, 4)), dtype=dtype, requires_grad=requires_grad)
    y = lib.tensor(rng.uniform(0.5, 2.0, (4,)), dtype=dtype, requires_grad=requires_grad)
    return x, y


@both
def test_correct_gradients_pass(lib: Any) -> None:
    x, y = inputs(lib)
    assert lib.autograd.gradcheck(lambda a, b: (a * b).exp() / b, (x, y))
    assert lib.autograd.gradcheck(lambda a, b: (a @ b).sum(), (x, y), fast_mode=True)
    assert lib.autograd.gradcheck(lambda a: (a.sin(), a.max(0)[0]), (x,))


@both
def test_wrong_gradient_is_caught(lib: Any) -> None:
    x, _ = inputs(lib)

    def wrong(a: Any) -> Any:
        return (a * a).detach() * a  # the true derivative is 3a², backward gives a²

    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input"):
        lib.autograd.gradcheck(wrong, (x,))
    assert lib.autograd.gradcheck(wrong, (x,), raise_exception=False) is False
    assert lib.autograd.gradcheck(wrong, (x,), fast_mode=True, raise_exception=False) is False


@both
def test_only_inputs_requiring_grad_are_checked(lib: Any) -> None:
    x, _ = inputs(lib)
    w = lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64)  # a constant
    assert lib.autograd.gradcheck(lambda a, b: a * b, (x, w))


@both
def test_needs_an_input_requiring_grad(lib: Any) -> None:
    x, _ = inputs(lib, requires_grad=False)
    with pytest.raises(ValueError, match="gradcheck expects at least one input tensor to require "
                                         "gradient"):
        lib.autograd.gradcheck(lambda a: a * 2, (x,))


@both
def test_warns_for_float32_inputs(lib: Any) -> None:
    x, _ = inputs(lib, dtype=lib.float32)
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double"):
        lib.autograd.gradcheck(lambda a: a * 2, (x,), atol=1e-2, rtol=1e-2,
                               raise_exception=False)


def test_a_custom_function_with_a_bug_is_caught() -> None:
    class Cube(Function):
        """out = x ** 3;  dx = 3 x ** 2 grad (written wrong on purpose: 2 x ** 2)"""

        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx: Any, grad: np.ndarray) -> np.ndarray:
            (x,) = ctx.saved_tensors
            return 2 * x ** 2 * grad

    try:
        x, _ = inputs(glasstorch)
        assert not glasstorch.autograd.gradcheck(Cube.apply, (x,), raise_exception=False)
        Cube.backward = staticmethod(lambda ctx, grad: 3 * ctx.saved_tensors[0] ** 2 * grad)
        assert glasstorch.autograd.gradcheck(Cube.apply, (x,))
    finally:
        Function.registry.pop("Cube", None)  # keep the op_db guard about real ops only


def test_inputs_are_restored() -> None:
    x, _ = inputs(glasstorch)
    before = x.detach().numpy().copy()
    glasstorch.autograd.gradcheck(lambda a: a.exp(), (x,))
    glasstorch.autograd.gradcheck(lambda a: a.exp(), (x,), fast_mode=True)
    np.testing.assert_array_equal(x.detach().numpy(), before)
    assert x.grad is None
