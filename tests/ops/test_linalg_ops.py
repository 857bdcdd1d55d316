"""matmul / mm / bmm / mv / dot / outer / linear against real torch.

Each case runs the same function on glasstorch and torch tensors made from the same arrays and
compares the output values, dtype and shape, the ``grad_fn`` name torch records for that
overload, and the gradient of every input for one random upstream gradient. Errors are
compared by exception type with torch, and our message (with its fix hint) is pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

from torch_compare import close as _close, compare as _compare, rand

compare = _compare



def same_error(fn: Callable[..., Any], *arrays: np.ndarray, match: str) -> None:
    """torch raises; glasstorch raises the same exception type with a message matching ``match``."""
    with pytest.raises(Exception) as theirs:
        fn(torch, *[torch.tensor(a) for a in arrays])
    with pytest.raises(theirs.type, match=match):
        fn(glasstorch, *[glasstorch.tensor(a) for a in arrays])


def test_compare_can_fail() -> None:
    """The helper notices a wrong value, a wrong grad_fn name and a wrong gradient."""
    a = rand(3, 4)
    with pytest.raises(AssertionError):
        compare(lambda t, x: x * 2 if t is torch else x * 3, a)  # wrong value
    with pytest.raises(AssertionError):
        compare(lambda t, x: (x * 1) if t is torch else (x * 1) + 0, a)  # AddBackward0
    with pytest.raises(AssertionError):  # same value and grad_fn, gradient 3 instead of 2
        compare(lambda t, x: x * 2 - x.detach() * 0 if t is torch else x * 3 - x.detach(), a)
    wrong = glasstorch.tensor(a, requires_grad=True)
    (wrong * 3).sum().backward()
    with pytest.raises(AssertionError):
        _close(wrong.grad.numpy(), np.full_like(a, 2.0))


# ----------------------------------------------------------------------------- matmul
MATMUL_SHAPES = [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((1, 4), (4, 1)),
    ((3, 1), (1, 2)), ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (4,)),
    ((4,), (2, 4, 5)), ((3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 5)), ((2, 3, 4), (1, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (2, 1, 4, 5)), ((2, 2, 3, 4), (4,)),
    ((4,), (3, 2, 4, 5)), ((2, 3, 4), (4, 1)), ((0, 3, 4), (4, 2)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("grads", [(True, True), (True, False), (False, True)],
                         ids=["both", "left", "right"])
@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_matches_torch(shapes: Any, grads: tuple[bool, bool], dtype: str) -> None:
    a, b = rand(*shapes[0], dtype=dtype, seed=1), rand(*shapes[1], dtype=dtype, seed=2)
    compare(lambda t, x, y: x @ y, a, b, grads=grads)


def test_matmul_function_and_method() -> None:
    a, b = rand(2, 3, 4), rand(4, 5)
    compare(lambda t, x, y: t.matmul(x, y), a, b)
    compare(lambda t, x, y: x.matmul(y), a, b)


def test_matmul_names_the_batched_cases_like_torch() -> None:
    x = glasstorch.tensor(rand(3, 4), requires_grad=True)
    w = glasstorch.tensor(rand(2, 4, 5))
    assert (x @ w).grad_fn.name() == "CloneBackward0"  # 2-D @ 3-D with the 2-D needing grad
    assert (x.detach() @ w.requires_grad_()).grad_fn.name() == "UnsafeViewBackward0"


def test_matmul_int_keeps_dtype() -> None:
    a = np.arange(6).reshape(2, 3)
    b = np.arange(12).reshape(3, 4)
    out = compare(lambda t, x, y: x @ y, a, b)[0]
    assert out.dtype == glasstorch.int64
    compare(lambda t, x, y: x @ y, np.arange(3), np.arange(3))
    compare(lambda t, x, y: x @ y, np.arange(24).reshape(2, 3, 4), np.arange(4))


def test_matmul_of_broadcast_batch_sums_the_gradient() -> None:
    a = glasstorch.tensor(rand(1, 3, 4), requires_grad=True)
    b = glasstorch.tensor(rand(5, 4, 2), requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.shape == (1, 3, 4) and b.grad.shape == (5, 4, 2)
    expected = np.ones((5, 3, 2), np.float32) @ b.detach().numpy().swapaxes(-1, -2)
    np.testing.assert_allclose(a.grad.numpy(), expected.sum(0, keepdims=True), rtol=1e-5)


# ----------------------------------------------------------------------------- mm, bmm, mv, dot
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mm_bmm_mv_dot_outer(dtype: str) -> None:
    compare(lambda t, x, y: t.mm(x, y), rand(3, 4, dtype=dtype), rand(4, 5, dtype=dtype))
    compare(lambda t, x, y: x.mm(y), rand(1, 4, dtype=dtype), rand(4, 1, dtype=dtype))
    compare(lambda t, x, y: t.bmm(x, y), rand(2, 3, 4, dtype=dtype), rand(2, 4, 5, dtype=dtype))
    compare(lambda t, x, y: x.bmm(y), rand(2, 3, 4, dtype=dtype), rand(2, 4, 5, dtype=dtype),
            grads=(False, True))
    compare(lambda t, x, y: t.mv(x, y), rand(3, 4, dtype=dtype), rand(4, dtype=dtype))
    compare(lambda t, x, y: x.mv(y), rand(3, 4, dtype=dtype), rand(4, dtype=dtype),
            grads=(True, False))
    compare(lambda t, x, y: t.dot(x, y), rand(4, dtype=dtype), rand(4, dtype=dtype))
    compare(lambda t, x, y: x.dot(y), rand(1, dtype=dtype), rand(1, dtype=dtype))
    compare(lambda t, x, y: t.outer(x, y), rand(3, dtype=dtype), rand(4, dtype=dtype))
    compare(lambda t, x, y: t.outer(x, y), rand(3, dtype=dtype), rand(4, dtype=dtype),
            grads=(False, True))


def test_outer_promotes_like_mul() -> None:
    compare(lambda t, x, y: t.outer(x, y), np.arange(3), rand(4))


def test_dot_and_matmul_of_vectors_are_equal_to_numpy() -> None:
    a, b = rand(5), rand(5, seed=3)
    out = glasstorch.tensor(a) @ glasstorch.tensor(b)
    assert out.shape == () and np.isclose(out.item(), float(a @ b), rtol=1e-6)


# ----------------------------------------------------------------------------- linear
LINEAR_CASES = [  # input shape, bias shape (None: no bias)
    ((3, 4), (5,)), ((3, 4), None), ((4,), (5,)), ((4,), None), ((2, 3, 4), (5,)),
    ((2, 3, 4), None), ((2, 2, 3, 4), (5,)), ((1, 4), (5,)), ((3, 4), (3, 5)), ((3, 4), (1, 5)),
    ((3, 4), ()), ((2, 3, 4), (3, 5)), ((0, 4), (5,)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", LINEAR_CASES, ids=str)
def test_linear_matches_torch(case: Any, dtype: str) -> None:
    x_shape, b_shape = case
    x, w = rand(*x_shape, dtype=dtype, seed=1), rand(5, 4, dtype=dtype, seed=2)
    F = "nn.functional"  # noqa: N806
    if b_shape is None:
        compare(lambda t, x, w: _get(t, F).linear(x, w), x, w)
        return
    b = rand(*b_shape, dtype=dtype, seed=3)
    compare(lambda t, x, w, b: _get(t, F).linear(x, w, b), x, w, b)


def _get(module: Any, path: str) -> Any:
    for name in path.split("."):
        module = getattr(module, name)
    return module


@pytest.mark.parametrize("grads", [(False, True, True), (True, False, False),
                                   (False, False, True), (True, True, False)], ids=str)
def test_linear_computes_only_the_needed_gradients(grads: tuple[bool, ...]) -> None:
    x, w, b = rand(3, 4), rand(5, 4), rand(5)
    compare(lambda t, x, w, b: t.nn.functional.linear(x, w, b), x, w, b, grads=grads)
    compare(lambda t, x, w, b: t.nn.functional.linear(x, w, b), rand(2, 3, 4), w, b, grads=grads)


def test_linear_keeps_only_what_backward_needs() -> None:
    x = glasstorch.tensor(rand(3, 4))  # data: no gradient wanted
    w = glasstorch.tensor(rand(5, 4), requires_grad=True)
    out = glasstorch.nn.functional.linear(x, w, glasstorch.tensor(rand(5), requires_grad=True))
    saved_w_t, saved_x = out.grad_fn.saved_tensors
    assert saved_x is x._data  # dW = (x^T @ grad)^T needs x, with no copy
    assert saved_w_t is None  # dx is not needed, so neither is W


def _graph_names(node: object) -> list[str | None]:
    """The names one level down the graph, as torch's next_functions lists them."""
    return [None if fn is None else fn.name() for fn, _ in node.next_functions]  # type: ignore[attr-defined]


def test_linear_records_torchs_graph() -> None:
    """torch records addmm(bias, x, W.t()): make_dot pictures of nn.Linear match torchviz's."""
    graphs = []
    for lib in (torch, glasstorch):
        x = lib.tensor(rand(3, 4))
        w = lib.tensor(rand(5, 4), requires_grad=True)
        b = lib.tensor(rand(5), requires_grad=True)
        with_bias = lib.nn.functional.linear(x, w, b).grad_fn
        no_bias = lib.nn.functional.linear(x, w).grad_fn
        graphs.append([with_bias.name(), _graph_names(with_bias),
                       _graph_names(with_bias.next_functions[2][0]),
                       no_bias.name(), _graph_names(no_bias)])
    assert graphs[1] == graphs[0]
    assert graphs[0][1] == ["torch::autograd::AccumulateGrad", None, "TBackward0"]


def test_linear_with_1d_weight_is_a_dot_per_row() -> None:
    compare(lambda t, x, w: t.nn.functional.linear(x, w), rand(3, 4), rand(4))
    compare(lambda t, x, w: t.nn.functional.linear(x, w), rand(4), rand(4))


def test_linear_int() -> None:
    x, w = np.arange(6).reshape(2, 3), np.arange(6).reshape(2, 3)
    compare(lambda t, x, w: t.nn.functional.linear(x, w), x, w)


# ----------------------------------------------------------------------------- errors
def test_matmul_shape_error_names_the_shapes_and_the_fix() -> None:
    same_error(lambda t, x, w: x @ w, rand(32, 10), rand(20, 10),
               match=r"mat1 and mat2 shapes cannot be multiplied \(32x10 and 20x10\): inner "
                     r"sizes 10 and 20 differ\. If the weight is stored as \(out, in\), use "
                     r"x @ w\.T\.")
    same_error(lambda t, x, w: x @ w, rand(32, 10), rand(20, 5),
               match=r"\(32x10 and 20x5\): inner sizes 10 and 20 differ\. The last size")
    same_error(lambda t, x, w: x @ w, rand(3), rand(4, 5), match=r"\(1x3 and 4x5\)")
    same_error(lambda t, x, w: x @ w, rand(2, 5, 3), rand(4, 5), match=r"inner sizes 3 and 4")
    same_error(lambda t, x, w: x @ w, rand(2, 5, 3), rand(2, 4, 5), match=r"inner sizes 3 and 4")


def test_matmul_errors_match_torch() -> None:
    same_error(lambda t, x, y: x @ y, rand(3), rand(4),
               match=r"inconsistent tensor size, expected tensor \[3\] and src \[4\]")
    same_error(lambda t, x, y: x @ y, rand(2, 3), rand(4), match=r"size mismatch, got input \(2\)")
    same_error(lambda t, x, y: x @ y, np.float32(1.0), rand(3),
               match=r"at least 1D, but they are 0D and 1D\. For a product with a scalar use \*")
    same_error(lambda t, x, y: x @ y, rand(2, 2, 3), rand(3, 3, 4),
               match=r"The size of tensor a \(2\) must match the size of tensor b \(3\) at "
                     r"non-singleton dimension 0")
    same_error(lambda t, x, y: x @ y, rand(2, 3), rand(3, 4, dtype="float64"),
               match=r"expected m1 and m2 to have the same dtype, but got: float != double\. "
                     r"Convert one")
    same_error(lambda t, x, y: x @ y, rand(2, 3), np.arange(12).reshape(3, 4),
               match=r"float != long int")
    with pytest.raises(TypeError, match=r"matmul\(\): argument 'other' \(position 2\) must be "
                                        r"Tensor, not list"):
        glasstorch.matmul(glasstorch.tensor(rand(2, 3)), [1.0, 2.0, 3.0])


def test_mm_bmm_mv_dot_outer_errors_match_torch() -> None:
    same_error(lambda t, x, y: t.mm(x, y), rand(3), rand(3, 3), match=r"self must be a matrix")
    same_error(lambda t, x, y: t.mm(x, y), rand(2, 3), rand(3), match=r"mat2 must be a matrix")
    same_error(lambda t, x, y: t.mm(x, y), rand(2, 3), rand(2, 3),
               match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)")
    same_error(lambda t, x, y: t.bmm(x, y), rand(2, 3), rand(2, 3, 4),
               match=r"batch1 must be a 3D tensor")
    same_error(lambda t, x, y: t.bmm(x, y), rand(2, 2, 3), rand(2, 4, 4),
               match=r"Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] "
                     r"but got: \[2, 4\]")
    same_error(lambda t, x, y: t.bmm(x, y), rand(2, 2, 3), rand(2, 3, 4, dtype="float64"),
               match=r"expected scalar type Float but found Double")
    same_error(lambda t, x, y: t.mv(x, y), rand(2, 3), rand(4),
               match=r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)")
    same_error(lambda t, x, y: t.mv(x, y), rand(3), rand(3), match=r"vector \+ matrix @ vector")
    same_error(lambda t, x, y: t.mv(x, y), rand(2, 3), rand(3, dtype="float64"),
               match=r"addmv input tensors must have the same dtype")
    same_error(lambda t, x, y: t.dot(x, y), rand(3), rand(3, dtype="float64"),
               match=r"dot : expected both vectors to have same dtype, but found Float and "
                     r"Double")
    same_error(lambda t, x, y: t.dot(x, y), rand(2, 3), rand(2, 3),
               match=r"1D tensors expected, but got 2D and 2D tensors")
    same_error(lambda t, x, y: t.dot(x, y), rand(3), rand(4), match=r"inconsistent tensor size")
    same_error(lambda t, x, y: t.outer(x, y), rand(2, 2), rand(3),
               match=r"outer: Expected 1-D argument self, but got 2-D")


def test_linear_errors() -> None:
    def lin(t: Any, *args: Any) -> Any:
        return t.nn.functional.linear(*args)

    same_error(lin, rand(4, 3), rand(5, 4),
               match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 4x5\): the input has "
                     r"3 features but the weight of shape \(5, 4\) = \(out_features, "
                     r"in_features\) expects 4")
    same_error(lin, rand(2, 4, 3), rand(5, 4), match=r"\(8x3 and 4x5\)")
    same_error(lin, rand(4, 3), rand(5, 3), rand(6),
               match=r"^The expanded size of the tensor \(5\) must match the existing size \(6\) "
                     r"at non-singleton dimension 1\.  Target sizes: \[4, 5\]\.  Tensor sizes: "
                     r"\[6\]\. The bias has 6 values but the layer has 5 outputs")
    same_error(lin, rand(4, 3), rand(5, 3), rand(3, 5),
               match=r"bias of shape \(3, 5\) cannot be added to the output of shape \(4, 5\)")
    same_error(lin, rand(4, 3), rand(5, 3), rand(5, dtype="float64"),
               match=r"self and mat2 must have the same dtype, but got Double and Float")
    same_error(lin, rand(4, 3), rand(5, 3, dtype="float64"), match=r"float != double")
    same_error(lin, np.float32(1.0), rand(2, 3), match=r"at least 1D, but they are 0D and 2D")
