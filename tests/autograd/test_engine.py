"""The autograd engine and grad mode, side by side with real torch.

Most tests take ``lib`` and run twice, once with ``torch`` (the oracle: the assertions
describe torch's behaviour) and once with ``glasstorch``; a test that only passes for one of
them shows a difference. Error messages are pinned to torch's wording (glasstorch may add a
hint after it). Tests that need glasstorch internals (freed saved arrays, a 100,000-op chain)
run on glasstorch only.
"""

from __future__ import annotations

import gc
import warnings
import weakref
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402

LIBS = [pytest.param(torch, id="torch"), pytest.param(glasstorch, id="glasstorch")]
both = pytest.mark.parametrize("lib", LIBS)


def values(t: Any) -> list[Any]:
    return t.detach().numpy().tolist()


def vec(lib: Any, data: Any = (1.0, 2.0, 3.0), **kw: Any) -> Any:
    return lib.tensor(list(data), **kw)


# ----------------------------------------------------------------------------- accumulation
@both
def test_grad_accumulates_across_backward_calls(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    (x * x).sum().backward()
    assert values(x.grad) == [2.0, 4.0, 6.0]
    (x * 3).sum().backward()
    assert values(x.grad) == [5.0, 7.0, 9.0]
    x.grad = None
    (x * 3).sum().backward()
    assert values(x.grad) == [3.0, 3.0, 3.0]


@both
def test_grad_zero_resets_in_place(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    x.grad.zero_()
    (x * 2).sum().backward()
    assert x.grad is g  # accumulated into the same tensor
    assert values(g) == [2.0, 2.0, 2.0]


@both
def test_diamond_graph_sums_both_paths(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    a = x * 2
    b = a.exp()
    c = a * a  # `a` is used by two nodes
    (b + c).sum().backward()
    expected = [2 * np.exp(2 * v) + 8 * v for v in (1.0, 2.0, 3.0)]
    np.testing.assert_allclose(values(x.grad), expected, rtol=1e-6)


@both
def test_tensor_used_twice_in_one_op(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    (x * x).sum().backward()
    assert values(x.grad) == [2.0, 4.0, 6.0]
    y = lib.tensor(3.0, requires_grad=True)
    (y + y + y).backward()
    assert y.grad.item() == 3.0


@both
def test_broadcast_gradient_is_summed_to_input_shape(lib: Any) -> None:
    w = lib.tensor([[1.0], [2.0]], requires_grad=True)  # (2, 1)
    b = lib.tensor(0.5, requires_grad=True)  # 0-dim
    x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (w * x + b).sum().backward()
    assert values(w.grad) == [[6.0], [15.0]]
    assert b.grad.shape == ()
    assert b.grad.item() == 6.0


@both
def test_float32_parameter_gets_float32_grad_from_float64_scalar(lib: Any) -> None:
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    (w * np.float64(2.5)).sum().backward()
    assert w.grad.dtype == lib.float32


# ----------------------------------------------------------------------------- retain_graph
@both
def test_second_backward_without_retain_graph_raises(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


@both
def test_retain_graph_allows_second_backward(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = values(x.grad)
    y.backward()
    np.testing.assert_allclose(values(x.grad), [2 * v for v in first], rtol=1e-6)


@both
def test_graph_without_saved_tensors_can_run_twice(lib: Any) -> None:
    # add and sum save nothing, so torch allows a second pass; so must we
    x = vec(lib, requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    assert values(x.grad) == [2.0, 2.0, 2.0]


def test_saved_arrays_are_released_after_backward() -> None:
    x = glasstorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x * 2
    ref = weakref.ref(a._data)
    loss = a.sin().sum()  # Sin saves its input: the array of `a`
    del a
    gc.collect()
    assert ref() is not None, "the graph must keep the saved array until backward"
    loss.backward()
    gc.collect()
    assert ref() is None, "backward must release the saved arrays"


def test_retain_graph_keeps_saved_arrays() -> None:
    x = glasstorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    a = x * 2
    ref = weakref.ref(a._data)
    loss = a.sin().sum()
    del a
    loss.backward(retain_graph=True)
    gc.collect()
    assert ref() is not None
    loss.backward()
    gc.collect()
    assert ref() is None


def test_node_saved_state_after_backward() -> None:
    from glasstorch.autograd.function import _FREED

    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    assert y.grad_fn.saved is not _FREED
    y.sum().backward()
    assert y.grad_fn.saved is _FREED


# ----------------------------------------------------------------------------- backward args
@both
def test_backward_on_non_scalar_needs_gradient(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()


def test_non_scalar_error_says_how_to_fix_it() -> None:
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"loss\.mean\(\)\.backward\(\).*gradient="):
        (x * 2).backward()


@both
def test_backward_with_gradient(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    (x * 2).backward(gradient=lib.tensor([1.0, 0.5, -1.0]))
    assert values(x.grad) == [2.0, 1.0, -2.0]
    x.grad = None
    (x * x).backward(lib.tensor([1.0, 1.0, 1.0]))
    assert values(x.grad) == [2.0, 4.0, 6.0]


@both
def test_backward_gradient_shape_mismatch(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with pytest.raises(RuntimeError, match="Mismatch in shape: grad_output\\[0\\] has a shape of"):
        (x * 2).backward(lib.tensor([1.0, 1.0]))


@both
def test_backward_on_tensor_without_grad_fn(lib: Any) -> None:
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does "
                                           "not have a grad_fn"):
        vec(lib).sum().backward()


@both
def test_backward_on_a_leaf(lib: Any) -> None:
    x = lib.tensor(2.0, requires_grad=True)
    x.backward()
    assert x.grad.item() == 1.0


@both
def test_torch_autograd_backward_with_several_roots(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    a = (x * 2).sum()
    b = (x * x).sum()
    lib.autograd.backward([a, b])
    assert values(x.grad) == [4.0, 6.0, 8.0]


@both
def test_backward_inputs_restricts_accumulation(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    w = vec(lib, requires_grad=True)
    (x * w).sum().backward(inputs=[x])
    assert values(x.grad) == [1.0, 2.0, 3.0]
    assert w.grad is None


# ----------------------------------------------------------------------------- autograd.grad
@both
def test_autograd_grad_returns_without_touching_grad(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    (gx,) = lib.autograd.grad((x * x).sum(), x)
    assert values(gx) == [2.0, 4.0, 6.0]
    assert x.grad is None
    assert not gx.requires_grad


@both
def test_autograd_grad_with_grad_outputs(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 3
    (gx,) = lib.autograd.grad(y, [x], grad_outputs=lib.tensor([1.0, 2.0, 0.0]), retain_graph=True)
    assert values(gx) == [3.0, 6.0, 0.0]
    (gx,) = lib.autograd.grad([y], [x], grad_outputs=[lib.tensor([1.0, 1.0, 1.0])])
    assert values(gx) == [3.0, 3.0, 3.0]


@both
def test_autograd_grad_several_inputs_and_intermediate(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    w = lib.tensor(2.0, requires_grad=True)
    h = x * w
    loss = (h * h).sum()
    gx, gw, gh = lib.autograd.grad(loss, [x, w, h])
    assert values(gx) == [8.0, 16.0, 24.0]
    assert gw.item() == 56.0
    assert values(gh) == [4.0, 8.0, 12.0]


@both
def test_autograd_grad_allow_unused(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    unused = lib.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph. Set "
                                           "allow_unused=True if this is the desired behavior"):
        lib.autograd.grad((x * 2).sum(), [x, unused])
    gx, gu = lib.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert values(gx) == [2.0, 2.0, 2.0]
    assert gu is None
    gx, gu = lib.autograd.grad((x * 2).sum(), [x, unused], materialize_grads=True)
    assert gu.item() == 0.0


@both
def test_autograd_grad_retain_graph(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = (x.exp()).sum()
    (g1,) = lib.autograd.grad(y, x, retain_graph=True)
    (g2,) = lib.autograd.grad(y, x)
    assert values(g1) == values(g2)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        lib.autograd.grad(y, x)


@both
def test_autograd_grad_input_must_require_grad(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with pytest.raises(RuntimeError, match="One of the differentiated Tensors does not require"):
        lib.autograd.grad((x * 2).sum(), [vec(lib)])


# ----------------------------------------------------------------------------- grad mode
@both
def test_no_grad_context_records_nothing(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with lib.no_grad():
        assert not lib.is_grad_enabled()
        y = x * 2
        with lib.enable_grad():
            z = x * 2
    assert lib.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    assert z.grad_fn is not None and z.requires_grad


@both
def test_no_grad_and_enable_grad_as_decorators(lib: Any) -> None:
    x = vec(lib, requires_grad=True)

    @lib.no_grad()
    def frozen(t: Any) -> Any:
        return t * 2

    @lib.enable_grad()
    def tracked(t: Any) -> Any:
        return t * 2

    assert not frozen(x).requires_grad
    with lib.no_grad():
        assert tracked(x).requires_grad
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()


@both
def test_set_grad_enabled_context_function_and_decorator(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with lib.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    lib.set_grad_enabled(False)  # takes effect at once, without `with`
    try:
        assert not lib.is_grad_enabled()
        assert not (x * 2).requires_grad
    finally:
        lib.set_grad_enabled(True)
    assert lib.is_grad_enabled()

    @lib.set_grad_enabled(False)
    def frozen(t: Any) -> Any:
        return t * 2

    assert lib.is_grad_enabled()  # decorating does not switch the mode
    assert not frozen(x).requires_grad
    assert lib.is_grad_enabled()


@both
def test_grad_mode_restored_after_exception(lib: Any) -> None:
    with pytest.raises(ValueError):
        with lib.no_grad():
            raise ValueError("boom")
    assert lib.is_grad_enabled()


@both
def test_no_grad_parameter_update(lib: Any) -> None:
    w = vec(lib, requires_grad=True)
    (w * w).sum().backward()
    with lib.no_grad():
        w -= 0.5 * w.grad
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert values(w) == [0.0, 0.0, 0.0]


# ----------------------------------------------------------------------------- in place
@both
@pytest.mark.parametrize("method", ["add_", "mul_", "zero_", "fill_", "iadd", "clamp_"])
def test_in_place_on_leaf_requiring_grad_raises(lib: Any, method: str) -> None:
    x = vec(lib, requires_grad=True)
    calls = {
        "add_": lambda: x.add_(1),
        "mul_": lambda: x.mul_(2),
        "zero_": lambda: x.zero_(),
        "fill_": lambda: x.fill_(1.0),
        "clamp_": lambda: x.clamp_(0, 1),
        "iadd": lambda: x.__iadd__(1),
    }
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation."):
        calls[method]()
    assert values(x) == [1.0, 2.0, 3.0]


@both
def test_in_place_on_leaf_allowed_under_no_grad(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with lib.no_grad():
        x.add_(1)
        x.mul_(2)
    assert values(x) == [4.0, 6.0, 8.0]
    assert x.requires_grad and x.is_leaf


@both
def test_in_place_on_non_leaf_takes_over_grad_fn(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 2
    y.add_(1)
    assert y.grad_fn.name() == "AddBackward0"
    y.exp_()
    assert y.grad_fn.name() == "ExpBackward0"
    y.sum().backward()
    np.testing.assert_allclose(values(x.grad), [2 * np.exp(2 * v + 1) for v in (1, 2, 3)],
                               rtol=1e-6)


@both
def test_zero_on_non_leaf_stops_the_gradient(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 2
    y.zero_()
    assert y.grad_fn.name() == "ZeroBackward0"
    (y + x).sum().backward()
    assert values(x.grad) == [1.0, 1.0, 1.0]


@both
def test_modified_saved_output_raises_version_error(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x.exp()  # exp saves its output
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"one of the variables needed for gradient computation "
                                           r"has been modified by an inplace operation: "
                                           r"\[torch.FloatTensor \[3\]\]"):
        y.sum().backward()


@both
def test_modified_saved_input_raises_version_error(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    a = x * 1
    y = a * a  # mul saves its inputs
    a.mul_(2)
    assert a._version == 1
    with pytest.raises(RuntimeError, match="one of the variables needed for gradient computation "
                                           "has been modified by an inplace operation"):
        y.sum().backward()


@both
def test_parameter_changed_under_no_grad_before_backward(lib: Any) -> None:
    w = vec(lib, requires_grad=True)
    loss = (w * w).sum()
    with lib.no_grad():
        w.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@both
def test_in_place_through_a_view_is_seen(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    a = x * 1
    y = a.sin()  # sin saves its input
    a[0:2].mul_(2)  # the view shares a's version counter (and memory)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


@both
def test_version_counter(lib: Any) -> None:
    x = vec(lib)
    assert x._version == 0
    x.add_(1)
    x[0] = 5
    assert x._version == 2
    view = x[1:]
    view.mul_(2)
    assert x._version == 3 and view._version == 3
    assert values(x) == [5.0, 6.0, 8.0]


@both
def test_unused_modification_is_fine(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    a = x * 1
    y = a + 1  # add saves nothing, so changing `a` afterwards is harmless
    a.mul_(2)
    y.sum().backward()
    assert values(x.grad) == [1.0, 1.0, 1.0]


# ----------------------------------------------------------------------------- leaves, detach
@both
def test_is_leaf_and_requires_grad(lib: Any) -> None:
    a = vec(lib)
    b = vec(lib, requires_grad=True)
    c = b * 2
    d = a * 2
    assert a.is_leaf and not a.requires_grad and a.grad_fn is None
    assert b.is_leaf and b.requires_grad and b.grad_fn is None
    assert not c.is_leaf and c.requires_grad and c.grad_fn is not None
    assert d.is_leaf and not d.requires_grad


@both
def test_grad_fn_names_and_next_functions(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = (x * 2 + 1).sum()
    assert y.grad_fn.name() == "SumBackward0"
    (add, _), = y.grad_fn.next_functions
    assert add.name() == "AddBackward0"
    mul = add.next_functions[0][0]
    assert mul.name() == "MulBackward0"
    acc = mul.next_functions[0][0]
    assert acc.variable is x
    assert "AccumulateGrad" in acc.name()
    assert repr(x * 2).endswith("grad_fn=<MulBackward0>)")


@both
def test_detach_shares_memory_and_leaves_the_graph(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    d[0] = 100.0  # same memory as y
    assert values(y)[0] == 100.0
    dx = x.detach()
    dx[1] = 7.0
    assert values(x)[1] == 7.0


@both
def test_detach_in_place(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 2
    assert y.detach_() is y
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf


@both
def test_requires_grad_(lib: Any) -> None:
    x = vec(lib)
    assert x.requires_grad_() is x
    assert x.requires_grad and x.is_leaf
    x.requires_grad_(False)
    assert not x.requires_grad
    x.requires_grad = True
    assert x.requires_grad
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf "
                                           "variables."):
        (x * 2).requires_grad_(False)


@both
def test_requires_grad_on_integer_tensor_raises(lib: Any) -> None:
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require "
                                           "gradients"):
        lib.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype can "
                                           "require gradients"):
        lib.tensor([1, 2], requires_grad=True)


@both
def test_retain_grad(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    h = x * 2
    h.retain_grad()
    assert h.retains_grad
    (h * h).sum().backward()
    assert values(h.grad) == [4.0, 8.0, 12.0]
    assert values(x.grad) == [8.0, 16.0, 24.0]
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has "
                                           "requires_grad=False"):
        vec(lib).retain_grad()


@both
def test_retain_grad_on_leaf_is_a_no_op(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    assert values(x.grad) == [2.0, 2.0, 2.0]


@both
def test_grad_of_non_leaf_warns_and_is_none(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf "
                                         "Tensor is being accessed"):
        assert y.grad is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is not None  # leaves don't warn


@both
def test_grad_assignment(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    x.grad = lib.tensor([1.0, 1.0, 1.0])
    (x * 2).sum().backward()
    assert values(x.grad) == [3.0, 3.0, 3.0]
    x.grad = None
    assert x.grad is None
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None but got "
                                        "grad of type float"):
        x.grad = 1.0
    with pytest.raises(RuntimeError, match="attempting to assign a gradient of size '\\[2\\]' to a "
                                           "tensor of size '\\[3\\]'"):
        x.grad = lib.tensor([1.0, 2.0])


@both
def test_numpy_of_tensor_requiring_grad(lib: Any) -> None:
    x = vec(lib, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad. "
                                           r"Use tensor.detach\(\).numpy\(\) instead."):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0, 2.0, 3.0]


# ----------------------------------------------------------------------------- deep graphs
def _chain(lib: Any, n: int, step: Any) -> tuple[Any, Any]:
    x = lib.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = step(y)
    y.backward()
    return x, y


def test_100000_op_chain_of_multiplications() -> None:
    x, y = _chain(glasstorch, 100_000, lambda t: t * 1.0001)
    expected = np.float32(1.0)
    for _ in range(100_000):  # the same float32 roundings, forward and backward
        expected = expected * np.float32(1.0001)
    assert y.item() == pytest.approx(float(expected), rel=1e-6)
    assert x.grad.item() == pytest.approx(float(expected), rel=1e-6)


def test_100000_op_chain_of_additions() -> None:
    x, y = _chain(glasstorch, 100_000, lambda t: t + 1)
    assert y.item() == 100_001.0
    assert x.grad.item() == 1.0


def test_deep_chain_matches_torch() -> None:
    ours, _ = _chain(glasstorch, 3000, lambda t: (t * 0.999).sin() + 0.5)
    theirs, _ = _chain(torch, 3000, lambda t: (t * 0.999).sin() + 0.5)
    assert ours.grad.item() == pytest.approx(theirs.grad.item(), rel=1e-4)


def test_wide_graph_sums_many_uses() -> None:
    x = glasstorch.tensor(2.0, requires_grad=True)
    total = x * 0
    for _ in range(5000):
        total = total + x * x
    total.backward()
    assert x.grad.item() == 5000 * 4.0
