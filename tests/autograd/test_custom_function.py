"""``autograd.Function`` written with Tensors, and ``autograd.grad``, against real torch.

Each custom Function is written once, in ``functions(lib)``, and defined in both libraries;
the tests run it in both and compare values, gradients, node names and errors.
"""

from __future__ import annotations

import pickle
import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch

both = pytest.mark.parametrize("lib", [pytest.param(torch, id="torch"),
                                       pytest.param(glasstorch, id="glasstorch")])


def functions(lib: Any) -> dict[str, Any]:
    """The same class bodies, subclassing ``lib.autograd.Function``."""
    Function = lib.autograd.Function  # noqa: N806

    class MulConstant(Function):
        @staticmethod
        def forward(ctx: Any, tensor: Any, constant: float) -> Any:
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            return grad_output * ctx.constant, None

    class Legendre3(Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            (x,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)

    class LinearFn(Function):
        @staticmethod
        def forward(ctx: Any, x: Any, w: Any, b: Any = None) -> Any:
            ctx.save_for_backward(x, w, b)
            out = x.mm(w.t())
            return out if b is None else out + b

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            x, w, b = ctx.saved_tensors
            dx = grad.mm(w) if ctx.needs_input_grad[0] else None
            dw = grad.t().mm(x) if ctx.needs_input_grad[1] else None
            db = grad.sum(0) if b is not None and ctx.needs_input_grad[2] else None
            return dx, dw, db

    class SplitSq(Function):  # two outputs, one integer output, one number
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x * x, x * 3, idx, 7

        @staticmethod
        def backward(ctx: Any, g1: Any, g2: Any, g3: Any, g4: Any) -> Any:
            (x,) = ctx.saved_tensors
            ctx.seen = (g2 is None, g3 is None, g4 is None)
            return 2 * x * g1 + 3 * g2

    class NoMaterialize(Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx: Any, g1: Any, g2: Any) -> Any:
            ctx.seen = (g1 is None, g2 is None)
            out = 0 * g1 if g1 is not None else 0 * g2
            if g1 is not None:
                out = out + 2 * g1
            if g2 is not None:
                out = out + 3 * g2
            return out

    class SetupStyle(Function):  # torch 2: forward without ctx, plus setup_context
        @staticmethod
        def forward(x: Any, k: float = 2.0) -> Any:
            return x.exp() * k

        @staticmethod
        def setup_context(ctx: Any, inputs: Any, output: Any) -> None:
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            (out,) = ctx.saved_tensors
            return grad * out, None

    class Dirty(Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return grad * 2

    class Identity(Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return x

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return grad

    class BroadcastGrad(Function):  # returns a gradient that must be summed to the input
        @staticmethod
        def forward(ctx: Any, b: Any, n: int) -> Any:
            ctx.n = n
            return b * 1.0

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return grad.expand(ctx.n, *grad.shape), None

    class DoubleGrad(Function):  # gradient in float64 for a float32 input
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return grad.double() * 2

    return {cls.__name__: cls for cls in (
        MulConstant, Legendre3, LinearFn, SplitSq, NoMaterialize, SetupStyle, Dirty,
        Identity, BroadcastGrad, DoubleGrad,
    )}


FNS = {lib.__name__: functions(lib) for lib in (torch, glasstorch)}


def fns(lib: Any) -> dict[str, Any]:
    return FNS[lib.__name__]


def close(a: Any, b: Any, tol: float = 1e-6) -> None:
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.dtype == b.dtype
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype(np.float32)
W = RNG.standard_normal((5, 4)).astype(np.float32)
B = RNG.standard_normal(5).astype(np.float32)


def run(lib: Any, body: Any) -> Any:
    return body(lib, fns(lib))


def both_equal(body: Any) -> None:
    ours, theirs = run(glasstorch, body), run(torch, body)
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs, strict=True):
        if o is None or isinstance(o, (str, bool, int, float, tuple)):
            assert o == t
        else:
            close(o, t)


# ----------------------------------------------------------------------- values and grads
def test_mul_constant_gradient_and_node_name() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        t = lib.tensor(X, requires_grad=True)
        out = f["MulConstant"].apply(t, 3.0)
        out.sum().backward()
        return out, t.grad, out.grad_fn.name(), out.grad_fn.constant, repr(out)[-40:]
    both_equal(body)


def test_grad_fn_repr_and_next_functions() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        t = lib.tensor(X, requires_grad=True)
        out = f["Legendre3"].apply(t * 2)
        names = [type(n).__name__ if lib is torch else n.name() for n, _ in
                 out.grad_fn.next_functions]
        return re.sub(" at 0x[0-9a-f]+", "", repr(out.grad_fn)).split(".")[-1], tuple(names)
    ours, theirs = run(glasstorch, body), run(torch, body)
    assert ours[0].lstrip("<") == theirs[0] == "Legendre3Backward object>"
    assert ours[1] == theirs[1] == ("MulBackward0",)


def test_legendre_matches_torch_in_a_training_loop() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.linspace(-1.0, 1.0, 50)
        y = lib.sin(x)
        a = lib.tensor(0.3, requires_grad=True)
        b = lib.tensor(-1.0, requires_grad=True)
        for _ in range(20):
            loss = ((a * f["Legendre3"].apply(b * x) - y) ** 2).sum()
            loss.backward()
            with lib.no_grad():
                a -= 1e-3 * a.grad
                b -= 1e-3 * b.grad
                a.grad = None
                b.grad = None
        return a, b, loss
    both_equal(body)


@pytest.mark.parametrize("needs", [(True, True, True), (True, False, True), (False, True, False)])
def test_three_inputs_needs_input_grad(needs: tuple[bool, bool, bool]) -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x, w, b = (lib.tensor(a, requires_grad=n) for a, n in zip((X, W, B), needs, strict=True))
        out = f["LinearFn"].apply(x, w, b)
        out.backward(lib.ones_like(out))
        return (out,) + tuple(t.grad for t in (x, w, b))
    both_equal(body)


def test_optional_input_left_out() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x, w = lib.tensor(X, requires_grad=True), lib.tensor(W, requires_grad=True)
        out = f["LinearFn"].apply(x, w)
        out.sum().backward()
        return out, x.grad, w.grad
    both_equal(body)


def test_several_outputs_non_differentiable_and_materialized() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        sq, tri, idx, seven = f["SplitSq"].apply(x)
        sq.sum().backward()
        return (sq, tri, idx, seven, idx.requires_grad, tri.requires_grad, x.grad,
                sq.grad_fn.seen, sq.grad_fn.name())
    both_equal(body)


def test_set_materialize_grads_false() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        a, b = f["NoMaterialize"].apply(x)
        b.sum().backward()
        return x.grad, a.grad_fn.seen
    both_equal(body)


def test_setup_context_style_with_default_argument() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        out = f["SetupStyle"].apply(x)
        out.sum().backward()
        g1 = x.grad.clone()
        x.grad = None
        out3 = f["SetupStyle"].apply(x, k=3.0)
        out3.sum().backward()
        return out, g1, out3, x.grad, out.grad_fn.name()
    both_equal(body)


def test_mark_dirty_returns_the_input() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        z = x.clone()
        w = f["Dirty"].apply(z)
        (w * w).sum().backward()
        return w, x.grad, w is z, z.grad_fn.name(), z._version
    both_equal(body)


def test_mark_dirty_on_a_leaf_is_refused() -> None:
    errors = []
    for lib in (torch, glasstorch):
        with pytest.raises(RuntimeError) as info:
            fns(lib)["Dirty"].apply(lib.tensor(X, requires_grad=True))
        errors.append(str(info.value))
    assert errors[1].startswith(errors[0])


def test_returning_an_input_gives_a_new_tensor() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        y = f["Identity"].apply(x)
        (y * 2).sum().backward()
        with lib.no_grad():
            z = f["Identity"].apply(x)
        return y, x.grad, y is x, y.grad_fn.name(), z is x, z.grad_fn is None
    both_equal(body)


def test_no_input_requires_grad_records_nothing() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        out = f["Legendre3"].apply(lib.tensor(X))
        return out, out.requires_grad, out.grad_fn is None
    both_equal(body)


def test_gradient_summed_to_the_input_shape_and_cast() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        b = lib.tensor(B, requires_grad=True)
        f["BroadcastGrad"].apply(b, 3).sum().backward()
        x = lib.tensor(X, requires_grad=True)
        f["DoubleGrad"].apply(x).sum().backward()
        return b.grad, x.grad
    both_equal(body)


def test_backward_through_engine_twice_needs_retain_graph() -> None:
    errors = []
    for lib in (torch, glasstorch):
        x = lib.tensor(X, requires_grad=True)
        out = fns(lib)["Legendre3"].apply(x).sum()
        out.backward(retain_graph=True)
        out.backward()
        with pytest.raises(RuntimeError) as info:
            out.backward()
        errors.append(str(info.value))
        close(x.grad, 2 * fns(lib)["Legendre3"].apply(x).detach() * 0 + x.grad)
    assert errors[1].startswith(errors[0][:60])


def test_saved_tensor_modified_in_place() -> None:
    errors = []
    for lib in (torch, glasstorch):
        x = lib.tensor(X, requires_grad=True)
        z = x * 1
        out = fns(lib)["Legendre3"].apply(z)
        with lib.no_grad():
            z.add_(1)
        with pytest.raises(RuntimeError) as info:
            out.sum().backward()
        errors.append(str(info.value))
    prefix = "one of the variables needed for gradient computation has been modified by an " \
             "inplace operation: [torch.FloatTensor [3, 4]]"
    assert errors[0].startswith(prefix) and errors[1].startswith(prefix)
    assert "is at version 1; expected version 0 instead" in errors[1]


def test_gradcheck_on_a_custom_function() -> None:
    for lib in (torch, glasstorch):
        x = lib.tensor(X.astype(np.float64), requires_grad=True)
        w = lib.tensor(W.astype(np.float64), requires_grad=True)
        assert lib.autograd.gradcheck(fns(lib)["LinearFn"].apply, (x, w))
        assert lib.autograd.gradcheck(fns(lib)["MulConstant"].apply, (x, 2.0))


def test_autograd_grad_through_a_custom_function() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x, w = lib.tensor(X, requires_grad=True), lib.tensor(W, requires_grad=True)
        out = f["LinearFn"].apply(x, w).pow(2).sum()
        gx, gw = lib.autograd.grad(out, (x, w))
        return gx, gw, x.grad is None
    both_equal(body)


def test_make_dot_and_explain_show_the_node() -> None:
    from glasstorch.viz import make_dot

    x = glasstorch.tensor(X, requires_grad=True)
    out = fns(glasstorch)["Legendre3"].apply(x * 2).sum()
    dot = make_dot(out, params={"x": x}, show_saved=True, show_attrs=True).source
    assert "Legendre3Backward" in dot and "saved[0]" in dot
    text = str(glasstorch.explain(out, params={"x": x}))
    assert "Legendre3Backward" in text
    out.backward()
    expected = 2 * 1.5 * (5 * (2 * X) ** 2 - 1)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-5)


# ----------------------------------------------------------------------- errors
def _errors(make: Any) -> list[tuple[type, str]]:
    """``make(lib)``'s exception in each library: (type, message)."""
    out = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as info:  # noqa: B017, PT011  (compared below)
            make(lib)
        out.append((type(info.value), str(info.value)))
    return out


def _backward_returning(lib: Any, result: Any, n_inputs: int = 2) -> None:
    class Bad(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, k: Any = 1.0) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Any, grad: Any) -> Any:
            return result(lib, grad)

    x = lib.tensor(X, requires_grad=True)
    args = (x, 2.0) if n_inputs == 2 else (x,)
    Bad.apply(*args).sum().backward()


@pytest.mark.parametrize("result", [
    pytest.param(lambda lib, g: g, id="too-few"),
    pytest.param(lambda lib, g: (g, None, g), id="too-many"),
    pytest.param(lambda lib, g: (g, g), id="grad-for-a-number"),
    pytest.param(lambda lib, g: (lib.ones(4), None), id="bad-shape"),
    pytest.param(lambda lib, g: (g.sum(), None), id="0-d-for-a-matrix"),
    pytest.param(lambda lib, g: (3.0, None), id="a-float"),
    pytest.param(lambda lib, g: (g.numpy(), None), id="an-ndarray"),
])
def test_backward_result_errors(result: Any) -> None:
    (t_type, t_msg), (o_type, o_msg) = _errors(lambda lib: _backward_returning(lib, result))
    assert o_type is t_type
    assert o_msg == t_msg.replace("Bad", "Bad")


def test_extra_trailing_nones_are_fine() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        class Extra(lib.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2

            @staticmethod
            def backward(ctx: Any, grad: Any) -> Any:
                return grad * 2, None, None

        x = lib.tensor(X, requires_grad=True)
        Extra.apply(x).sum().backward()
        return x.grad
    both_equal(body)


def test_old_style_call_and_instantiation() -> None:
    for lib in (torch, glasstorch):
        with pytest.warns(DeprecationWarning, match="should not be instantiated"):
            instance = fns(lib)["Legendre3"]()
        with pytest.raises(RuntimeError, match="^Legacy autograd function with non-static "
                                               "forward method is deprecated"):
            instance(lib.tensor(X))


def test_missing_forward_or_backward() -> None:
    def no_forward(lib: Any) -> None:
        class NoForward(lib.autograd.Function):
            pass
        NoForward.apply(lib.tensor(X))

    def no_backward(lib: Any) -> None:
        class NoBackward(lib.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2
        NoBackward.apply(lib.tensor(X, requires_grad=True)).sum().backward()

    for make in (no_forward, no_backward):
        (t_type, t_msg), (o_type, o_msg) = _errors(make)
        assert o_type is t_type is NotImplementedError
        assert o_msg == t_msg


def test_save_for_backward_refuses_non_tensors() -> None:
    def make(lib: Any) -> None:
        class SaveInt(lib.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x, 3)
                return x

            @staticmethod
            def backward(ctx: Any, grad: Any) -> Any:
                return grad
        SaveInt.apply(lib.tensor(X, requires_grad=True))

    (t_type, t_msg), (o_type, o_msg) = _errors(make)
    assert o_type is t_type is TypeError
    assert o_msg == t_msg


def test_keyword_arguments_are_bound_like_torch() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        out = f["MulConstant"].apply(x, constant=4.0)
        out.sum().backward()
        return out, x.grad
    both_equal(body)

    def skipped(lib: Any) -> None:
        class Kw(lib.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any, k: float = 3.0, j: float = 1.0) -> Any:
                return x * k

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                return g, None
        Kw.apply(lib.tensor(X), j=2.0)

    (t_type, t_msg), (o_type, o_msg) = _errors(skipped)
    assert o_type is t_type is TypeError
    assert o_msg == t_msg


def test_unknown_grad_fn_attribute() -> None:
    (t_type, t_msg), (o_type, o_msg) = _errors(
        lambda lib: fns(lib)["MulConstant"].apply(lib.tensor(X, requires_grad=True), 2.0)
        .grad_fn.nothing_here
    )
    assert o_type is t_type is AttributeError
    assert o_msg == t_msg


# ----------------------------------------------------------------------- autograd.grad
def _grad_errors(make: Any) -> tuple[tuple[type, str], tuple[type, str]]:
    (t, o) = _errors(make)
    return t, o


def test_grad_allow_unused_and_materialize() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        y = lib.tensor(B, requires_grad=True)
        out = (x * 2).sum()
        gx, gy = lib.autograd.grad(out, (x, y), allow_unused=True, retain_graph=True)
        mx, my = lib.autograd.grad(out, (x, y), materialize_grads=True)
        return gx, gy, mx, my
    both_equal(body)


def test_grad_errors_match_torch() -> None:
    def unused(lib: Any) -> None:
        x, y = lib.tensor(X, requires_grad=True), lib.tensor(B, requires_grad=True)
        lib.autograd.grad((x * 2).sum(), (x, y))

    def non_scalar(lib: Any) -> None:
        x = lib.tensor(X, requires_grad=True)
        lib.autograd.grad(x * 2, x)

    def bad_shape(lib: Any) -> None:
        x = lib.tensor(X, requires_grad=True)
        lib.autograd.grad(x * 2, x, grad_outputs=lib.ones(4))

    def no_grad_input(lib: Any) -> None:
        x = lib.tensor(X, requires_grad=True)
        lib.autograd.grad((x * 2).sum(), lib.tensor(B))

    for make in (unused, non_scalar, bad_shape, no_grad_input):
        (t_type, t_msg), (o_type, o_msg) = _errors(make)
        assert o_type is t_type
        assert o_msg.startswith(t_msg.rstrip(".")), (make.__name__, o_msg, t_msg)


def test_grad_with_grad_outputs() -> None:
    def body(lib: Any, f: dict[str, Any]) -> Any:
        x = lib.tensor(X, requires_grad=True)
        (gx,) = lib.autograd.grad(x * x, x, grad_outputs=lib.tensor(X))
        return gx
    both_equal(body)


def test_create_graph_is_not_implemented() -> None:
    x = glasstorch.tensor(X, requires_grad=True)
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        glasstorch.autograd.grad((x * x).sum(), x, create_graph=True)


def test_public_names() -> None:
    assert glasstorch.autograd.Function.__name__ == "Function"
    assert callable(glasstorch.autograd.once_differentiable)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(glasstorch.autograd.FunctionCtx(), glasstorch.autograd.FunctionCtx)
    assert pickle  # (imported for the type checker's sake in error tests)


def test_torch_autograd_function_module_is_the_public_one(tmp_path: Any) -> None:
    """`from torch.autograd.function import Function` in a script run by `glasstorch run`."""
    import subprocess
    import sys

    script = tmp_path / "custom.py"
    script.write_text(
        "import torch\n"
        "from torch.autograd.function import Function\n"
        "class Sq(Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n"
        "        return x * x\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        (x,) = ctx.saved_tensors\n"
        "        return 2 * x * g\n"
        "x = torch.tensor([3.0], requires_grad=True)\n"
        "y = Sq.apply(x)\n"
        "y.backward()\n"
        "print(y, x.grad, type(y.grad_fn).__name__)\n"
    )
    expected = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              check=True).stdout
    ours = subprocess.run([sys.executable, "-m", "glasstorch", "run", str(script)],
                          capture_output=True, text=True, check=True).stdout
    assert ours == expected


def test_legacy_variable_is_a_tensor_like_torch() -> None:
    """`from torch.autograd import Variable` (pre-0.4 tutorials) gives a leaf tensor."""
    for lib in (glasstorch, torch):
        t = lib.ones(2)
        v = lib.autograd.Variable(t, requires_grad=True)
        assert isinstance(t, lib.autograd.Variable) and v.is_leaf and v.requires_grad
        (v * 3).sum().backward()
        assert v.grad.tolist() == [3.0, 3.0]
        v.data.add_(1)  # the same memory as t
        assert t.tolist() == [2.0, 2.0]
        assert not lib.autograd.Variable(t).requires_grad
        with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
            lib.autograd.Variable([1, 2])
        with pytest.warns(UserWarning, match="volatile was removed"):
            lib.autograd.Variable(t, volatile=True)
