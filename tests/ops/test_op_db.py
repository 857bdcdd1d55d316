"""Generic op tests: every entry of ``op_db.OP_DB`` against real PyTorch.

For each entry and each of its sample shapes, the same input values go into glasstorch and
into torch, and the tests compare:

- ``test_forward``: output values (float32 and float64, plus listed integer dtypes); when
  torch raises for a dtype, glasstorch must raise the same exception type;
- ``test_output_dtype_and_shape``: dtype and shape of every output;
- ``test_grad_fn``: ``grad_fn`` name (what ``repr`` prints), ``requires_grad`` and ``is_leaf``;
- ``test_gradients``: the gradient of every input after ``backward`` with the same random
  upstream gradient (or the same error, for ops torch cannot differentiate);
- ``test_gradcheck``: float64 finite differences (full Jacobian, then a random direction),
  independent of torch;
- ``test_covers``: the Function classes an entry claims to exercise appear in its graph;
- ``test_every_function_has_an_entry``: every registered Function is reached by an entry.

Inputs are made with a fixed seed per entry, so a failure is reproducible by its test id.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch  # noqa: E402
from glasstorch.autograd.function import Function, Node, OutputSlot  # noqa: E402
from glasstorch.autograd.gradcheck import gradcheck  # noqa: E402

try:
    from op_db import OP_DB, OpInfo  # noqa: E402
except ImportError:  # tests/ops became a package
    from .op_db import OP_DB, OpInfo  # type: ignore[no-redef]  # noqa: E402

FLOAT_DTYPES = ("float32", "float64")

# Functions that are not ops of their own and so have no entry. Keep this empty unless a
# Function really cannot be reached through the public API; say why for each name.
NOT_PUBLIC_OPS: dict[str, str] = {}


# ----------------------------------------------------------------------------- running
def _rng(op: OpInfo, dtype: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{op.name}/{dtype}".encode()))


def _samples(op: OpInfo, dtype: str) -> Iterator[tuple[tuple[Any, ...], list[np.ndarray]]]:
    """Each sample's shapes and its input arrays (drawn once, shared by both libraries)."""
    rng = _rng(op, dtype)
    for sample in op.samples:
        yield sample, op.make_arrays(sample, dtype, rng)


def _inputs(lib: Any, op: OpInfo, arrays: list[np.ndarray], track: bool) -> list[Any]:
    """Tensors of ``lib`` for ``arrays``; the entry's grad inputs require grad if ``track``."""
    wanted = op.grad_inputs() if track else ()
    return [
        lib.tensor(a, requires_grad=bool(i in wanted and a.dtype.kind == "f"))
        for i, a in enumerate(arrays)
    ]


def _as_list(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _run(lib: Any, op: OpInfo, arrays: list[np.ndarray],
         track: bool) -> tuple[list[Any], list[Any]]:
    inputs = _inputs(lib, op, arrays, track)
    return inputs, _as_list(op.op(lib, *inputs))


def _values(t: Any) -> np.ndarray:
    return np.asarray(t.detach().numpy())


def _tol(op: OpInfo, dtype: Any) -> tuple[float, float]:
    return op.tol64 if str(dtype).endswith("float64") else op.tol32


def _assert_close(ours: np.ndarray, theirs: np.ndarray, op: OpInfo, what: str) -> None:
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != torch's {theirs.shape}"
    if theirs.dtype.kind in "biu":
        np.testing.assert_array_equal(ours, theirs, err_msg=what)
        return
    rtol, atol = _tol(op, theirs.dtype)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def _grad_fn_name(t: Any) -> str | None:
    """What ``repr`` prints inside ``grad_fn=<...>`` (None for no grad_fn)."""
    if t.grad_fn is None:
        return None
    if isinstance(t, torch.Tensor):
        return type(t.grad_fn).__name__
    return t.grad_fn.name()


FORWARD = [pytest.param(op, d, id=f"{op.name}-{d}") for op in OP_DB for d in op.dtypes]
GRAD = [pytest.param(op, d, id=f"{op.name}-{d}") for op in OP_DB for d in op.dtypes
        if d in FLOAT_DTYPES]
ALL = [pytest.param(op, id=op.name) for op in OP_DB]
CHECKED = [pytest.param(op, id=op.name) for op in OP_DB
           if op.differentiable and op.backward_error is None and op.gradcheck]


# ----------------------------------------------------------------------------- tests
@pytest.mark.parametrize("op, dtype", FORWARD)
def test_forward(op: OpInfo, dtype: str) -> None:
    for sample, arrays in _samples(op, dtype):
        try:
            _, theirs = _run(torch, op, arrays, track=False)
        except Exception as err:  # torch refuses this input: so must we
            with pytest.raises(type(err)):
                _run(glasstorch, op, arrays, track=False)
            continue
        _, ours = _run(glasstorch, op, arrays, track=False)
        assert len(ours) == len(theirs), f"{sample}: {len(ours)} outputs, torch has {len(theirs)}"
        for k, (o, t) in enumerate(zip(ours, theirs, strict=True)):
            assert isinstance(o, glasstorch.Tensor), f"{sample}: output {k} is {type(o)}"
            _assert_close(_values(o), _values(t), op, f"{op.name} {sample} output {k}")


@pytest.mark.parametrize("op, dtype", FORWARD)
def test_output_dtype_and_shape(op: OpInfo, dtype: str) -> None:
    for sample, arrays in _samples(op, dtype):
        try:
            _, theirs = _run(torch, op, arrays, track=False)
        except Exception:
            continue  # test_forward checks that we raise too
        _, ours = _run(glasstorch, op, arrays, track=False)
        for k, (o, t) in enumerate(zip(ours, theirs, strict=True)):
            assert repr(o.dtype) == repr(t.dtype), f"{sample} output {k}: dtype"
            assert tuple(o.shape) == tuple(t.shape), f"{sample} output {k}: shape"


@pytest.mark.parametrize("op", ALL)
def test_grad_fn(op: OpInfo) -> None:
    for sample, arrays in _samples(op, "float32"):
        _, theirs = _run(torch, op, arrays, track=True)
        _, ours = _run(glasstorch, op, arrays, track=True)
        for k, (o, t) in enumerate(zip(ours, theirs, strict=True)):
            where = f"{op.name} {sample} output {k}"
            assert _grad_fn_name(o) == _grad_fn_name(t), f"{where}: grad_fn"
            assert o.requires_grad == t.requires_grad, f"{where}: requires_grad"
            assert o.is_leaf == t.is_leaf, f"{where}: is_leaf"
        if op.differentiable:
            assert any(t.requires_grad for t in theirs), f"{op.name}: mark it differentiable=False"
        else:
            assert not any(t.requires_grad for t in theirs), f"{op.name} is differentiable"


@pytest.mark.parametrize("op, dtype", GRAD)
def test_gradients(op: OpInfo, dtype: str) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{op.name}/upstream".encode()))
    for sample, arrays in _samples(op, dtype):
        t_in, t_out = _run(torch, op, arrays, track=True)
        o_in, o_out = _run(glasstorch, op, arrays, track=True)
        pairs = [(o, t) for o, t in zip(o_out, t_out, strict=True) if t.requires_grad]
        if not pairs:
            assert not op.differentiable
            assert not any(o.requires_grad for o in o_out)
            continue
        upstream = [rng.standard_normal(tuple(t.shape)).astype(dtype) for _, t in pairs]
        t_seeds = [torch.tensor(u) for u in upstream]
        o_seeds = [glasstorch.tensor(u) for u in upstream]
        if op.backward_error is not None:
            with pytest.raises(RuntimeError, match=op.backward_error):
                torch.autograd.backward([t for _, t in pairs], t_seeds)
            with pytest.raises(RuntimeError, match=op.backward_error):
                glasstorch.autograd.backward([o for o, _ in pairs], o_seeds)
            continue
        torch.autograd.backward([t for _, t in pairs], t_seeds)
        glasstorch.autograd.backward([o for o, _ in pairs], o_seeds)
        for i, (o, t) in enumerate(zip(o_in, t_in, strict=True)):
            where = f"{op.name} {sample}: grad of input {i}"
            if t.grad is None:
                assert o.grad is None, f"{where}: torch has no gradient"
                continue
            assert o.grad is not None, f"{where}: missing"
            assert repr(o.grad.dtype) == repr(t.grad.dtype), f"{where}: dtype"
            _assert_close(_values(o.grad), _values(t.grad), op, where)


@pytest.mark.parametrize("op", CHECKED)
def test_gradcheck(op: OpInfo) -> None:
    for sample, arrays in _samples(op, "float64"):
        inputs = _inputs(glasstorch, op, arrays, track=True)

        def func(*xs: Any) -> Any:
            return op.op(glasstorch, *xs)

        assert gradcheck(func, inputs), f"{op.name} {sample}"
        assert gradcheck(func, inputs, fast_mode=True), f"{op.name} {sample} (fast mode)"


# ----------------------------------------------------------------------------- coverage
def _functions_in_graph(outputs: list[Any]) -> set[str]:
    """The names of the Function classes of every node reachable from ``outputs``."""
    seen: set[int] = set()
    names: set[str] = set()
    stack = [o.grad_fn for o in outputs if o.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        names.add(node.fn.__name__)
        for edge in node.next:
            if isinstance(edge, Node):
                stack.append(edge)
            elif type(edge) is OutputSlot:
                stack.append(edge.node)
    return names


def _covered_by(op: OpInfo) -> set[str]:
    names: set[str] = set()
    for _, arrays in _samples(op, "float64"):
        _, outs = _run(glasstorch, op, arrays, track=True)
        names |= _functions_in_graph(outs)
    return names


@pytest.mark.parametrize("op", [p for p in ALL if p.values[0].covers])
def test_covers(op: OpInfo) -> None:
    missing = set(op.covers) - _covered_by(op)
    assert not missing, f"{op.name} claims to cover {sorted(missing)} but never builds them"


def test_every_function_has_an_entry() -> None:
    """Adding a Function without an op_db entry fails here: add the entry (or a reason)."""
    reached: set[str] = set()
    for op in OP_DB:
        reached |= set(op.covers)
        try:
            reached |= _covered_by(op)
        except Exception:  # noqa: BLE001 - an op still missing fails its own tests
            pass
    missing = sorted(set(Function.registry) - reached - set(NOT_PUBLIC_OPS))
    assert not missing, (
        f"Function classes without an op_db entry: {missing}. Add an OpInfo that builds "
        "them to tests/ops/op_db.py."
    )


def test_table_is_well_formed() -> None:
    for op in OP_DB:
        assert op.samples, op.name
        for sample in op.samples:
            assert len(sample) == op.nargs, f"{op.name}: every sample needs {op.nargs} shapes"
        if isinstance(op.domains, tuple):
            assert len(op.domains) == op.nargs, f"{op.name}: one domain per input"
        assert set(op.grad_inputs()) <= set(range(op.nargs)), op.name
        assert set(op.covers) <= set(Function.registry), f"{op.name}: unknown class in covers"


def test_the_tests_can_fail() -> None:
    """The comparison helpers reject a wrong value, a wrong dtype and a wrong gradient."""
    op = OP_DB[0]
    with pytest.raises(AssertionError):
        _assert_close(np.float32([1.0, 2.0]), np.float32([1.0, 2.0001]), op, "value")
    with pytest.raises(AssertionError):
        _assert_close(np.int64([1, 2]), np.int64([1, 3]), op, "ints")
    x = glasstorch.tensor(np.arange(3.0), requires_grad=True)
    with pytest.raises(Exception, match="Jacobian mismatch"):
        gradcheck(lambda a: (a * a).detach() * a, (x,))
