"""The op table: one ``OpInfo`` per public op (or op variant), driving every generic op test.

This is PyTorch's ``OpInfo`` idea kept small. An entry says how to call the op, on which
input shapes, with which input values, and which ``Function`` classes it exercises; the tests
in ``test_op_db.py`` then check, for every entry, against real PyTorch as the oracle:

- the forward values (float32 and float64, plus the integer dtypes an entry lists),
- the output dtype and shape,
- the ``grad_fn`` name and ``requires_grad`` of each output,
- the gradient of every input, for the same random upstream gradient,
- and, without torch, a float64 numerical gradcheck (full Jacobian and random direction).

``op`` takes the torch-like module first, so one lambda drives both libraries:
``op(glasstorch, x, y)`` and ``op(torch, x, y)``. Constant non-float arguments (index
tensors, masks) are built inside the lambda with ``t.tensor(...)``, so they are the same for
both. The tensor inputs are drawn by the entry's ``domains``: one ``Domain`` per input that
keeps the values where the op is smooth (positive for ``log``, nonzero for ``/``, away from
0 for ``relu``/``abs``, without ties for ``max``/``maximum``...), which is what lets the
numerical gradcheck pass without special cases.

To add an op: add an entry here (``covers`` names its Function class(es) in
``Function.registry``). ``test_every_function_has_an_entry`` fails until every registered
Function is reached by some entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Shape = tuple[int, ...]

# ----------------------------------------------------------------------------- domains


class Domain:
    """How to draw one input's values: ``domain(rng, shape, dtype) -> ndarray``.

    ``floats(rng, shape)`` gives float64 values (cast to the sample's float dtype);
    ``ints(rng, shape)`` gives the values used when an entry is run with an integer dtype.
    """

    def __init__(self, name: str, floats: Callable[..., np.ndarray],
                 ints: Callable[..., np.ndarray] | None = None) -> None:
        self.name = name
        self.floats = floats
        self.ints = ints

    def __call__(self, rng: np.random.Generator, shape: Shape, dtype: np.dtype) -> np.ndarray:
        dtype = np.dtype(dtype)
        if dtype.kind == "f":
            return np.asarray(self.floats(rng, shape), dtype=np.float64).astype(dtype)
        if dtype.kind == "b":
            return np.asarray(rng.random(shape) < 0.5)
        if self.ints is None:
            raise ValueError(f"domain {self.name} has no integer values")
        return np.asarray(self.ints(rng, shape)).astype(dtype)

    def __repr__(self) -> str:
        return self.name


def _sign(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def uniform(low: float, high: float) -> Domain:
    """Uniform floats in ``[low, high)``; integers in ``[ceil(low), floor(high)]``."""
    return Domain(
        f"uniform({low}, {high})",
        lambda rng, shape: rng.uniform(low, high, shape),
        lambda rng, shape: rng.integers(int(np.ceil(low)), int(np.floor(high)) + 1, shape),
    )


def nonzero(low: float = 0.5, high: float = 2.0) -> Domain:
    """``|x|`` uniform in ``[low, high)`` with a random sign: safe divisors, away from 0."""
    return Domain(
        f"nonzero({low}, {high})",
        lambda rng, shape: _sign(rng, shape) * rng.uniform(low, high, shape),
        lambda rng, shape: _sign(rng, shape) * rng.integers(1, 5, shape),
    )


def distinct(offset: float = 0.03, spacing: float = 0.1) -> Domain:
    """Shuffled, evenly spaced values ``(k + offset/spacing) * spacing``: no ties at all.

    With the default offset no value is within 0.03 of a multiple of 0.1, so kinks at 0,
    ±0.1, ±0.5 (``relu``, ``abs``, ``clamp``) are out of a finite difference's reach, and
    two inputs drawn with offsets 0.03 and 0.08 never come within 0.05 of each other
    (``maximum``, ``l1_loss``).
    """

    def floats(rng: np.random.Generator, shape: Shape) -> np.ndarray:
        n = int(np.prod(shape))
        return ((rng.permutation(n) - n // 2) * spacing + offset).reshape(shape)

    def ints(rng: np.random.Generator, shape: Shape) -> np.ndarray:
        n = int(np.prod(shape))
        return (rng.permutation(n) - n // 2).reshape(shape)

    return Domain(f"distinct({offset})", floats, ints)


def offgrid(step: float, low: float = 0.2, high: float = 0.8, span: int = 2) -> Domain:
    """``step * (k + u)``, ``k`` an integer in ``[-span, span]``, ``u`` in ``[low, high)``.

    Keeps ``x / step`` away from integers: the jumps of floor, round, ``%`` and ``//``.
    """
    return Domain(
        f"offgrid({step}, {low}, {high})",
        lambda rng, shape: step * (rng.integers(-span, span + 1, shape)
                                   + rng.uniform(low, high, shape)),
    )


def small_ints(low: int = -2, high: int = 2) -> Domain:
    """Integer values (also as floats): many exact ties, for ``==`` and tie-breaking rules."""
    return Domain(
        f"small_ints({low}, {high})",
        lambda rng, shape: rng.integers(low, high + 1, shape).astype(np.float64),
        lambda rng, shape: rng.integers(low, high + 1, shape),
    )


def with_zeros(low: float = 0.5, high: float = 1.5) -> Domain:
    """Nonzero values with about a third of them replaced by exact zeros (``prod``)."""
    return Domain(
        "with_zeros",
        lambda rng, shape: np.where(rng.random(shape) < 0.35, 0.0,
                                    _sign(rng, shape) * rng.uniform(low, high, shape)),
        lambda rng, shape: np.where(rng.random(shape) < 0.35, 0, rng.integers(1, 4, shape)),
    )


REAL = uniform(-2.0, 2.0)
POSITIVE = uniform(0.5, 2.0)
NONZERO = nonzero()
DISTINCT = distinct(0.03)
DISTINCT_B = distinct(0.08)
UNIT = uniform(0.05, 0.95)  # probabilities, away from 0 and 1

# ----------------------------------------------------------------------------- samples

UNARY: tuple[tuple[Shape, ...], ...] = (
    ((),), ((5,),), ((3, 4),), ((1, 4),), ((3, 1),), ((2, 3, 4),),
)
# broadcast pairs in both directions, 0-dim with dimensioned, and equal shapes
BINARY: tuple[tuple[Shape, ...], ...] = (
    ((), ()), ((5,), (5,)), ((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (3, 4)),
    ((3, 1), (1, 4)), ((1, 4), (3, 1)), ((), (3, 4)), ((3, 4), ()), ((2, 3, 4), (3, 1)),
)
# pairs where the second broadcasts to the first (in-place ops keep the first's shape)
INPLACE: tuple[tuple[Shape, ...], ...] = (
    ((), ()), ((5,), (5,)), ((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 4), (3, 1)),
    ((3, 4), ()), ((2, 3, 4), (3, 1)),
)
MATRICES: tuple[tuple[Shape, ...], ...] = (((3, 4),), ((1, 4),), ((3, 1),), ((2, 3, 4),))
NOT_EMPTY_DIM = (((5,),), ((3, 4),), ((1, 4),), ((2, 3, 4),))  # the last dim has >= 2 entries

FLOATS = ("float32", "float64")
WITH_INT = ("float32", "float64", "int64")

# ----------------------------------------------------------------------------- the entry


@dataclass(frozen=True)
class OpInfo:
    """One op (or one way of calling it) and how to test it.

    Attributes:
        name: a unique test id.
        op: ``op(t, *inputs)`` with ``t`` the glasstorch or torch module; returns a Tensor or
            a tuple of Tensors.
        samples: one tuple of input shapes per sample (its length is the number of inputs).
        domains: one Domain per input (or one for all).
        covers: the ``Function.registry`` names this entry exercises (checked).
        dtypes: the dtypes the inputs are made in for the forward/dtype tests (float ones
            also for the gradient test).
        grads: the inputs that require grad and whose gradients are compared (None: all).
        differentiable: False when no output requires grad in torch (comparisons, argmax).
        backward_error: torch's message when the outputs require grad but backward raises
            (``//``: "derivative for aten::floor_divide is not implemented").
        gradcheck: False only where finite differences cannot work (a dtype change to float32).
        tol32, tol64: (rtol, atol) for values and gradients, when the default is too tight.
    """

    name: str
    op: Callable[..., Any]
    samples: Sequence[tuple[Shape, ...]]
    domains: Domain | tuple[Domain, ...] = REAL
    covers: tuple[str, ...] = ()
    dtypes: tuple[str, ...] = FLOATS
    grads: tuple[int, ...] | None = None
    differentiable: bool = True
    backward_error: str | None = None
    gradcheck: bool = True
    tol32: tuple[float, float] = (1e-5, 1e-6)
    tol64: tuple[float, float] = (1e-10, 1e-12)

    @property
    def nargs(self) -> int:
        return len(self.samples[0])

    def domain(self, i: int) -> Domain:
        return self.domains[i] if isinstance(self.domains, tuple) else self.domains

    def grad_inputs(self) -> tuple[int, ...]:
        return tuple(range(self.nargs)) if self.grads is None else self.grads

    def make_arrays(self, sample: tuple[Shape, ...], dtype: str,
                    rng: np.random.Generator) -> list[np.ndarray]:
        return [self.domain(i)(rng, shape, np.dtype(dtype)) for i, shape in enumerate(sample)]


def unary(name: str, op: Callable[..., Any], covers: tuple[str, ...], domain: Domain = REAL,
          samples: Sequence[tuple[Shape, ...]] = UNARY, **kw: Any) -> OpInfo:
    return OpInfo(name, op, samples, domain, covers, **kw)


def binary(name: str, op: Callable[..., Any], covers: tuple[str, ...],
           domains: tuple[Domain, Domain] = (REAL, REAL),
           samples: Sequence[tuple[Shape, ...]] = BINARY, **kw: Any) -> OpInfo:
    return OpInfo(name, op, samples, domains, covers, **kw)


# ----------------------------------------------------------------------------- helpers
# Lambdas cannot hold statements; these run `x op= y` and the in-place methods on a
# non-leaf copy (a leaf that requires grad may not be changed in place).


def _iadd(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z += y
    return z


def _isub(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z -= y
    return z


def _imul(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z *= y
    return z


def _idiv(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z /= y
    return z


def _setitem_row(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[1] = y  # a basic index: CopySlices
    return z


def _setitem_mask(t: Any, x: Any, v: Any) -> Any:
    z = x * 1
    z[z > 0] = v  # an advanced index: IndexPut
    return z


def _setitem_long_index(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[t.tensor([0, 2])] = y
    return z


def _setitem_all(t: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[...] = y  # the whole tensor from a tensor: CopyBackwards
    return z


def _setitem_all_scalar(t: Any, x: Any) -> Any:
    z = x * 1
    z[...] = 2.0  # the whole tensor from a number: FillBackward3
    return z


def _setitem_through_view(t: Any, x: Any, v: Any) -> tuple[Any, Any]:
    z = x * 1
    row = z[0]
    row[1] = v  # z becomes CopySlices, the view row AsStrided
    return z, row


MASK_34 = np.array([[True, False, False, True], [False, False, True, True],
                    [True, True, False, False]])
ROWS_3 = np.array([True, False, True])
GATHER_IDX_DIM1 = np.array([[0, 3], [1, 1], [2, 0]])  # repeated entries: grads must add up
GATHER_IDX_DIM0 = np.array([[2, 0, 1, 1], [0, 0, 2, 1]])
SCATTER_IDX = np.array([[0, 3], [2, 1], [1, 0]])  # no repeats in a row: deterministic

# ----------------------------------------------------------------------------- the table

OP_DB: list[OpInfo] = [
    # ---- + - * / with tensors (broadcast pairs) and Python scalars on either side
    binary("add", lambda t, x, y: x + y, ("Add",), dtypes=WITH_INT),
    binary("torch.add", lambda t, x, y: t.add(x, y), ("Add",)),
    binary("add_alpha", lambda t, x, y: t.add(x, y, alpha=2.5), ("Add",)),
    unary("add_scalar", lambda t, x: x + 2.5, ("Add",), dtypes=WITH_INT),
    unary("radd_scalar", lambda t, x: 2.5 + x, ("Add",), dtypes=WITH_INT),
    unary("add_int_scalar", lambda t, x: x + 2, ("Add",), dtypes=WITH_INT),
    binary("sub", lambda t, x, y: x - y, ("Sub",), dtypes=WITH_INT),
    binary("sub_alpha", lambda t, x, y: t.sub(x, y, alpha=0.5), ("Sub",)),
    unary("sub_scalar", lambda t, x: x - 1.5, ("Sub",), dtypes=WITH_INT),
    unary("rsub_scalar", lambda t, x: 1.5 - x, ("Rsub",), dtypes=WITH_INT),
    unary("rsub_int_scalar", lambda t, x: 3 - x, ("Rsub",), dtypes=WITH_INT),
    binary("mul", lambda t, x, y: x * y, ("Mul",), dtypes=WITH_INT),
    binary("torch.mul", lambda t, x, y: t.mul(x, y), ("Mul",)),
    unary("mul_scalar", lambda t, x: x * 2.5, ("Mul",), dtypes=WITH_INT),
    unary("rmul_scalar", lambda t, x: 2.5 * x, ("Mul",), dtypes=WITH_INT),
    binary("div", lambda t, x, y: x / y, ("Div",), (REAL, NONZERO), dtypes=WITH_INT),
    binary("torch.div", lambda t, x, y: t.div(x, y), ("Div",), (REAL, NONZERO)),
    unary("div_scalar", lambda t, x: x / 2.5, ("Div",), dtypes=WITH_INT),
    unary("rdiv_scalar", lambda t, x: 2.5 / x, ("Reciprocal", "Mul"), NONZERO, dtypes=WITH_INT),
    unary("reciprocal", lambda t, x: x.reciprocal(), ("Reciprocal",), NONZERO),
    binary("div_floor_mode", lambda t, x, y: t.div(x, y, rounding_mode="floor"), ("DivMode",),
           (offgrid(1.0), uniform(0.95, 1.05)), dtypes=FLOATS),
    binary("div_trunc_mode", lambda t, x, y: t.div(x, y, rounding_mode="trunc"), ("DivMode",),
           (offgrid(1.0), uniform(0.95, 1.05))),
    # ---- // and %: torch has no derivative for floor_divide (nor for `number % tensor`)
    binary("floordiv", lambda t, x, y: x // y, ("FloorDivide",),
           (offgrid(1.0), uniform(0.95, 1.05)),
           backward_error="derivative for aten::floor_divide is not implemented"),
    binary("floordiv_int", lambda t, x, y: x // y, ("FloorDivide",), (REAL, NONZERO),
           dtypes=("int64",),
           backward_error="derivative for aten::floor_divide is not implemented"),
    unary("floordiv_scalar", lambda t, x: x // 1.5, ("FloorDivide",), offgrid(1.5),
          backward_error="derivative for aten::floor_divide is not implemented"),
    unary("floordiv_int_scalar", lambda t, x: x // 2, ("FloorDivide",), dtypes=("int64",),
          backward_error="derivative for aten::floor_divide is not implemented"),
    unary("rfloordiv_scalar", lambda t, x: 2.5 // x, ("FloorDivide",), NONZERO, dtypes=WITH_INT,
          backward_error="derivative for aten::floor_divide is not implemented"),
    binary("remainder", lambda t, x, y: x % y, ("Remainder",), (offgrid(1.0), uniform(0.95, 1.05))),
    binary("remainder_int", lambda t, x, y: x % y, ("Remainder",), (REAL, NONZERO),
           dtypes=("int64",)),
    unary("remainder_scalar", lambda t, x: x % 1.5, ("RemainderScalar",), offgrid(1.5)),
    unary("remainder_int_scalar", lambda t, x: x % 3, ("RemainderScalar",), dtypes=("int64",)),
    unary("rremainder_scalar", lambda t, x: 2.5 % x, ("RRemainder",), NONZERO, dtypes=WITH_INT,
          backward_error="derivative for aten::remainder is not implemented"),
    # ---- ** (scalar exponent, tensor exponent, scalar base)
    unary("pow_2", lambda t, x: x ** 2, ("Pow",), dtypes=WITH_INT),
    unary("pow_3", lambda t, x: x ** 3, ("Pow",), dtypes=WITH_INT),
    unary("pow_half", lambda t, x: x ** 0.5, ("Pow",), POSITIVE),
    unary("pow_frac", lambda t, x: x ** 1.7, ("Pow",), POSITIVE),
    unary("pow_neg", lambda t, x: x ** -1.5, ("Pow",), POSITIVE),
    unary("pow_neg_int", lambda t, x: x ** -2, ("Pow",), NONZERO),
    unary("pow_0", lambda t, x: x ** 0, ("Pow",)),
    unary("pow_1", lambda t, x: t.pow(x, 1), ("Pow",)),
    unary("square", lambda t, x: x.square(), ("Pow",), dtypes=WITH_INT),
    binary("pow_tensor", lambda t, x, y: x ** y, ("PowTensor",), (POSITIVE, REAL)),
    unary("rpow_scalar", lambda t, x: 2.0 ** x, ("RPow",), dtypes=WITH_INT),
    unary("rpow_int_scalar", lambda t, x: 3 ** x, ("RPow",)),
    # ---- unary math
    unary("neg", lambda t, x: -x, ("Neg",), dtypes=WITH_INT),
    unary("torch.neg", lambda t, x: t.neg(x), ("Neg",)),
    unary("abs", lambda t, x: x.abs(), ("Abs",), DISTINCT, dtypes=WITH_INT),
    unary("builtin_abs", lambda t, x: abs(x), ("Abs",), DISTINCT),
    unary("exp", lambda t, x: x.exp(), ("Exp",), dtypes=WITH_INT),
    unary("torch.exp", lambda t, x: t.exp(x), ("Exp",)),
    unary("log", lambda t, x: x.log(), ("Log",), POSITIVE, dtypes=WITH_INT),
    unary("torch.log", lambda t, x: t.log(x), ("Log",), POSITIVE),
    unary("log1p", lambda t, x: x.log1p(), ("Log1p",), uniform(-0.5, 2.0)),
    unary("log2", lambda t, x: x.log2(), ("Log2",), POSITIVE),
    unary("log10", lambda t, x: x.log10(), ("Log10",), POSITIVE),
    unary("sqrt", lambda t, x: x.sqrt(), ("Sqrt",), POSITIVE, dtypes=WITH_INT),
    unary("torch.sqrt", lambda t, x: t.sqrt(x), ("Sqrt",), POSITIVE),
    unary("rsqrt", lambda t, x: x.rsqrt(), ("Rsqrt",), POSITIVE),
    unary("sin", lambda t, x: x.sin(), ("Sin",), dtypes=WITH_INT),
    unary("cos", lambda t, x: t.cos(x), ("Cos",)),
    unary("tan", lambda t, x: x.tan(), ("Tan",), uniform(-1.2, 1.2)),
    unary("tanh", lambda t, x: x.tanh(), ("Tanh",)),
    unary("torch.tanh", lambda t, x: t.tanh(x), ("Tanh",), uniform(-5.0, 5.0)),
    unary("sigmoid", lambda t, x: x.sigmoid(), ("Sigmoid",), dtypes=WITH_INT),
    unary("torch.sigmoid", lambda t, x: t.sigmoid(x), ("Sigmoid",), uniform(-8.0, 8.0)),
    unary("relu", lambda t, x: x.relu(), ("Relu",), DISTINCT, dtypes=WITH_INT),
    unary("torch.relu", lambda t, x: t.relu(x), ("Relu",), DISTINCT),
    unary("sign", lambda t, x: x.sign(), ("Sign",), DISTINCT),
    unary("floor", lambda t, x: x.floor(), ("Floor",), offgrid(1.0)),
    unary("ceil", lambda t, x: x.ceil(), ("Ceil",), offgrid(1.0)),
    unary("trunc", lambda t, x: x.trunc(), ("Trunc",), offgrid(1.0)),
    unary("round", lambda t, x: x.round(), ("Round",), offgrid(1.0, 0.1, 0.4)),
    unary("round_decimals", lambda t, x: x.round(decimals=1), ("RoundDecimals",),
          offgrid(0.1, 0.1, 0.4, span=20)),
    # ---- clamp, maximum, minimum (inputs away from the kinks, no ties)
    unary("clamp", lambda t, x: x.clamp(-0.5, 0.5), ("Clamp",), DISTINCT, dtypes=WITH_INT),
    unary("clamp_min_kw", lambda t, x: t.clamp(x, min=0.1), ("Clamp",), DISTINCT),
    unary("clamp_max_kw", lambda t, x: x.clamp(max=0.1), ("Clamp",), DISTINCT),
    unary("clamp_min", lambda t, x: x.clamp_min(0.1), ("ClampMin",), DISTINCT),
    unary("clamp_max", lambda t, x: x.clamp_max(0.1), ("ClampMax",), DISTINCT),
    unary("clip", lambda t, x: x.clip(-0.5, 0.5), ("Clamp",), DISTINCT),
    binary("clamp_tensor_min", lambda t, x, y: x.clamp(min=y), ("ClampTensor",),
           (DISTINCT, DISTINCT_B)),
    OpInfo("clamp_tensor_both", lambda t, x, lo, hi: t.clamp(x, lo, hi),
           (((3, 4), (4,), (3, 1)), ((5,), (), ())), (DISTINCT, distinct(-0.02), distinct(0.05)),
           ("ClampTensor",)),
    binary("maximum", lambda t, x, y: t.maximum(x, y), ("Maximum",), (DISTINCT, DISTINCT_B),
           dtypes=WITH_INT),
    binary("minimum", lambda t, x, y: t.minimum(x, y), ("Minimum",), (DISTINCT, DISTINCT_B),
           dtypes=WITH_INT),
    binary("max_binary", lambda t, x, y: t.max(x, y), ("Maximum",), (DISTINCT, DISTINCT_B)),
    # ties: torch gives each side half of the gradient (no gradcheck at a kink)
    binary("maximum_ties", lambda t, x, y: x.maximum(y), ("Maximum",),
           (small_ints(), small_ints()), gradcheck=False),
    binary("minimum_ties", lambda t, x, y: x.minimum(y), ("Minimum",),
           (small_ints(), small_ints()), gradcheck=False),
    # ---- comparisons and logic: bool results, no grad_fn
    binary("eq", lambda t, x, y: x == y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("ne", lambda t, x, y: x != y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("lt", lambda t, x, y: x < y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("le", lambda t, x, y: x <= y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("gt", lambda t, x, y: x > y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("ge", lambda t, x, y: x >= y, (), (small_ints(), small_ints()), dtypes=WITH_INT,
           differentiable=False),
    binary("torch.eq", lambda t, x, y: t.eq(x, y), (), (small_ints(), small_ints()),
           differentiable=False),
    unary("gt_scalar", lambda t, x: x > 0.5, (), dtypes=WITH_INT, differentiable=False),
    unary("reflected_lt_scalar", lambda t, x: 0.5 < x, (), dtypes=WITH_INT,
          differentiable=False),
    unary("eq_int_scalar", lambda t, x: x == 1, (), small_ints(), dtypes=WITH_INT,
          differentiable=False),
    unary("method_ge", lambda t, x: x.ge(0), (), dtypes=WITH_INT, differentiable=False),
    binary("logical_and", lambda t, x, y: t.logical_and(x > 0, y > 0), (), differentiable=False),
    binary("logical_or", lambda t, x, y: t.logical_or(x, y), (), (small_ints(), small_ints()),
           dtypes=WITH_INT, differentiable=False),
    binary("logical_xor", lambda t, x, y: t.logical_xor(x > 0, y), (), differentiable=False),
    unary("logical_not", lambda t, x: t.logical_not(x), (), small_ints(), dtypes=WITH_INT,
          differentiable=False),
    binary("and_operator", lambda t, x, y: (x > 0) & (y < 0.5), (), differentiable=False),
    binary("or_operator", lambda t, x, y: (x > 0) | (y < 0.5), (), differentiable=False),
    binary("xor_operator", lambda t, x, y: (x > 0) ^ (y < 0.5), (), differentiable=False),
    unary("invert_operator", lambda t, x: ~(x > 0), (), differentiable=False),
    # ---- where, masked_fill
    binary("where", lambda t, x, y: t.where(x > 0, x, y), ("Where",), (DISTINCT, REAL),
           dtypes=WITH_INT),
    unary("where_scalar_other", lambda t, x: t.where(x > 0, x, 0.0), ("Where",), DISTINCT),
    unary("where_scalar_input", lambda t, x: t.where(x > 0, 1.5, x), ("Where",), DISTINCT),
    binary("tensor_where", lambda t, x, y: x.where(y > 0, y), ("Where",), (REAL, DISTINCT)),
    unary("masked_fill", lambda t, x: x.masked_fill(x > 0, 0.0), ("MaskedFill",), DISTINCT,
          dtypes=WITH_INT),
    unary("masked_fill_broadcast_mask",
          lambda t, x: x.masked_fill(t.tensor(MASK_34[0]), -1.0), ("MaskedFill",),
          samples=(((4,),), ((3, 4),), ((2, 3, 4),))),
    binary("masked_fill_tensor_value", lambda t, x, v: x.masked_fill(x > 0, v),
           ("MaskedFillTensor",), (DISTINCT, REAL), samples=(((3, 4), ()), ((5,), ()))),
    unary("torch.masked_fill", lambda t, x: t.masked_fill(x, x < 0.1, 2.0), ("MaskedFill",),
          DISTINCT),
    # ---- reductions (dim, negative dim, tuple dim, keepdim)
    unary("sum", lambda t, x: x.sum(), ("Sum",), dtypes=WITH_INT),
    unary("torch.sum", lambda t, x: t.sum(x), ("Sum",)),
    unary("sum_dim0", lambda t, x: x.sum(0), ("SumDim",), dtypes=WITH_INT),
    unary("sum_dim_last_keepdim", lambda t, x: x.sum(dim=-1, keepdim=True), ("SumDim",),
          dtypes=WITH_INT),
    unary("sum_dims_tuple", lambda t, x: t.sum(x, (0, -1)), ("SumDim",), samples=MATRICES),
    unary("sum_dtype", lambda t, x: x.sum(dtype=t.float64), ("Sum",), dtypes=WITH_INT),
    unary("mean", lambda t, x: x.mean(), ("Mean",)),
    unary("torch.mean", lambda t, x: t.mean(x), ("Mean",)),
    unary("mean_dim0", lambda t, x: x.mean(0), ("MeanDim",)),
    unary("mean_dim_last_keepdim", lambda t, x: x.mean(-1, keepdim=True), ("MeanDim",)),
    unary("mean_dims_tuple", lambda t, x: x.mean((0, 1)), ("MeanDim",), samples=MATRICES),
    unary("prod", lambda t, x: x.prod(), ("Prod",), uniform(0.5, 1.5), dtypes=WITH_INT),
    unary("prod_dim", lambda t, x: x.prod(-1), ("ProdDim",), uniform(0.5, 1.5), dtypes=WITH_INT),
    unary("prod_dim_keepdim", lambda t, x: t.prod(x, 0, keepdim=True), ("ProdDim",),
          uniform(0.5, 1.5)),
    unary("prod_with_zeros", lambda t, x: x.prod(), ("Prod",), with_zeros()),
    unary("prod_dim_with_zeros", lambda t, x: x.prod(-1), ("ProdDim",), with_zeros()),
    unary("max", lambda t, x: x.max(), ("Max",), DISTINCT, dtypes=WITH_INT),
    unary("max_dim", lambda t, x: x.max(0), ("MaxDim",), DISTINCT, dtypes=WITH_INT),
    unary("max_dim_keepdim", lambda t, x: t.max(x, dim=-1, keepdim=True), ("MaxDim",), DISTINCT),
    unary("min", lambda t, x: x.min(), ("Min",), DISTINCT, dtypes=WITH_INT),
    unary("min_dim", lambda t, x: t.min(x, -1), ("MinDim",), DISTINCT, dtypes=WITH_INT),
    unary("min_dim_keepdim", lambda t, x: x.min(dim=0, keepdim=True), ("MinDim",), DISTINCT),
    unary("max_dim_ties", lambda t, x: x.max(-1), ("MaxDim",), small_ints(0, 1), gradcheck=False),
    # ties: max() shares the gradient evenly; max(dim) gives it to the index it returns
    unary("max_ties", lambda t, x: x.max(), ("Max",), small_ints(0, 1), gradcheck=False),
    unary("amax", lambda t, x: x.amax(-1), ("Amax",), DISTINCT),
    unary("amin", lambda t, x: x.amin(0), ("Amin",), DISTINCT),
    unary("argmax", lambda t, x: x.argmax(), (), DISTINCT, dtypes=WITH_INT,
          differentiable=False),
    unary("argmax_dim", lambda t, x: x.argmax(-1), (), DISTINCT, dtypes=WITH_INT,
          differentiable=False),
    unary("argmin_dim_keepdim", lambda t, x: t.argmin(x, 0, keepdim=True), (), DISTINCT,
          dtypes=WITH_INT, differentiable=False),
    unary("std", lambda t, x: x.std(), ("Std",), samples=NOT_EMPTY_DIM),
    unary("std_dim", lambda t, x: x.std(-1), ("Std",), samples=NOT_EMPTY_DIM),
    unary("std_dim_keepdim_biased", lambda t, x: t.std(x, dim=-1, keepdim=True, unbiased=False),
          ("Std",), samples=NOT_EMPTY_DIM),
    unary("var", lambda t, x: x.var(), ("Var",), samples=NOT_EMPTY_DIM),
    unary("var_dim", lambda t, x: x.var(0), ("Var",), samples=(((3, 4),), ((2, 3, 4),), ((5,),))),
    unary("var_dim_keepdim", lambda t, x: t.var(x, -1, keepdim=True), ("Var",),
          samples=NOT_EMPTY_DIM),
    unary("var_correction0", lambda t, x: x.var(-1, correction=0), ("Var",), samples=NOT_EMPTY_DIM),
    unary("norm", lambda t, x: x.norm(), ("Norm",), NONZERO),
    unary("torch.norm", lambda t, x: t.norm(x), ("Norm",), NONZERO),
    unary("norm_p1", lambda t, x: x.norm(p=1), ("Norm",), NONZERO),
    unary("norm_p3", lambda t, x: x.norm(p=3), ("Norm",), NONZERO),
    unary("norm_dim", lambda t, x: x.norm(dim=-1), ("Norm",), NONZERO),
    unary("norm_dim_keepdim", lambda t, x: x.norm(dim=0, keepdim=True), ("Norm",), NONZERO,
          samples=NOT_EMPTY_DIM),
    unary("cumsum", lambda t, x: x.cumsum(-1), ("Cumsum",), dtypes=WITH_INT),
    unary("torch.cumsum_dim0", lambda t, x: t.cumsum(x, 0), ("Cumsum",)),
    unary("logsumexp", lambda t, x: x.logsumexp(-1), ("Logsumexp",)),
    unary("torch.logsumexp_keepdim", lambda t, x: t.logsumexp(x, 0, keepdim=True),
          ("Logsumexp",)),
    # ---- shape and view ops
    unary("reshape_flat", lambda t, x: x.reshape(-1), ("View",), dtypes=WITH_INT),
    unary("reshape", lambda t, x: x.reshape(2, -1), ("View",),
          samples=(((3, 4),), ((2, 3, 4),), ((4,),))),
    unary("torch.reshape", lambda t, x: t.reshape(x, (4, 3)), ("View",),
          samples=(((3, 4),), ((12,),), ((2, 6),))),
    unary("reshape_noncontiguous", lambda t, x: x.t().reshape(-1), ("UnsafeView", "View"),
          samples=(((3, 4),), ((1, 4),))),
    unary("view", lambda t, x: x.view(-1), ("View",), dtypes=WITH_INT),
    unary("view_2d", lambda t, x: x.view(4, 3), ("View",),
          samples=(((3, 4),), ((12,),), ((2, 6),))),
    unary("view_as", lambda t, x: x.view_as(x.reshape(-1)), ("View",)),
    unary("flatten", lambda t, x: x.flatten(), ("View",), dtypes=WITH_INT),
    unary("flatten_start", lambda t, x: x.flatten(1), ("View",), samples=(((2, 3, 4),), ((3, 4),))),
    unary("torch.flatten_range", lambda t, x: t.flatten(x, 0, 1), ("View",), samples=MATRICES),
    unary("squeeze", lambda t, x: x.squeeze(), ("Squeeze",),
          samples=(((1, 4),), ((3, 1),), ((1, 3, 1),), ((),), ((5,),))),
    unary("squeeze_dim", lambda t, x: x.squeeze(0), ("SqueezeDim",),
          samples=(((1, 4),), ((3, 1),), ((1, 3, 1),))),
    unary("squeeze_neg_dim", lambda t, x: t.squeeze(x, -1), ("SqueezeDim",),
          samples=(((1, 4),), ((3, 1),), ((1, 3, 1),))),
    unary("unsqueeze", lambda t, x: x.unsqueeze(0), ("Unsqueeze",), dtypes=WITH_INT),
    unary("unsqueeze_last", lambda t, x: t.unsqueeze(x, -1), ("Unsqueeze",)),
    unary("transpose", lambda t, x: x.transpose(0, 1), ("Transpose",), samples=MATRICES,
          dtypes=WITH_INT),
    unary("transpose_neg", lambda t, x: t.transpose(x, -1, -2), ("Transpose",), samples=MATRICES),
    unary("permute", lambda t, x: x.permute(2, 0, 1), ("Permute",),
          samples=(((2, 3, 4),), ((1, 3, 1),))),
    unary("permute_tuple", lambda t, x: t.permute(x, (1, 0)), ("Permute",),
          samples=(((3, 4),), ((1, 4),))),
    unary("t", lambda t, x: x.t(), ("MatrixTranspose",),
          samples=(((3, 4),), ((5,),), ((),), ((1, 4),))),
    unary("T", lambda t, x: x.T, ("Permute",), samples=(((3, 4),), ((1, 4),))),
    unary("expand", lambda t, x: x.expand(3, 4), ("Expand",),
          samples=(((1, 4),), ((3, 1),), ((),), ((4,),))),
    unary("expand_new_dim", lambda t, x: x.expand(2, -1, -1), ("Expand",),
          samples=(((3, 4),), ((1, 4),))),
    binary("expand_as", lambda t, x, y: x.expand_as(y), ("Expand",),  # y gets no gradient
           samples=(((1, 4), (3, 4)), ((), (2, 3)))),
    unary("repeat", lambda t, x: x.repeat(2, 3), ("Repeat",),
          samples=(((3, 4),), ((1, 4),), ((5,),), ((),))),
    unary("repeat_more_dims", lambda t, x: x.repeat(2, 1, 2), ("Repeat",),
          samples=(((3, 4),), ((3,),))),
    unary("squeeze_dims", lambda t, x: x.squeeze((0, 2)), ("SqueezeDims",),
          samples=(((1, 3, 1),), ((1, 4, 1, 2),))),
    unary("reshape_alias", lambda t, x: x.t()[None].reshape(4, 3), ("ReshapeAlias",),
          samples=(((3, 4),),)),
    unary("reshape_slice_copy", lambda t, x: x[:, :2].reshape(-1), ("UnsafeView",),
          samples=(((3, 4),),)),
    unary("unflatten", lambda t, x: x.unflatten(1, (2, 2)), ("View",),
          samples=(((3, 4),), ((2, 4, 3),))),
    unary("ravel", lambda t, x: t.ravel(x), ("View",)),
    unary("tile", lambda t, x: x.tile(2), ("Repeat",), samples=(((3, 4),), ((5,),))),
    unary("broadcast_to", lambda t, x: t.broadcast_to(x, (2, 3, 4)), ("Expand",),
          samples=(((3, 4),), ((1, 4),), ((),))),
    unary("movedim", lambda t, x: t.movedim(x, 0, -1), ("Permute",),
          samples=(((3, 4),), ((2, 3, 4),))),
    unary("narrow", lambda t, x: x.narrow(-1, 1, 2), ("Slice",), samples=(((3, 4),), ((5,),))),
    unary("select", lambda t, x: t.select(x, 1, -1), ("Select",),
          samples=(((3, 4),), ((2, 3, 4),))),
    unary("flip", lambda t, x: x.flip(0), ("Flip",), samples=(((3, 4),), ((5,),), ((2, 3, 4),))),
    unary("flip_dims", lambda t, x: t.flip(x, (0, -1)), ("Flip",),
          samples=(((3, 4),), ((2, 3, 4),))),
    unary("roll", lambda t, x: x.roll(1, 0), ("Roll",), samples=(((3, 4),), ((5,),))),
    unary("roll_dims", lambda t, x: t.roll(x, (2, -1), (0, 1)), ("Roll",), samples=(((3, 4),),)),
    unary("roll_flat", lambda t, x: x.roll(2), ("Roll",), samples=(((3, 4),), ((5,),))),
    unary("contiguous", lambda t, x: x.t().contiguous(), ("Clone",),
          samples=(((3, 4),), ((2, 5),))),
    unary("clone", lambda t, x: x.clone(), ("Clone",), dtypes=WITH_INT),
    unary("to_other_float", lambda t, x: x.to(t.float64 if x.dtype == t.float32 else t.float32),
          ("ToCopy",), gradcheck=False),
    unary("double_float_roundtrip", lambda t, x: x.float().double() * 2, ("ToCopy",),
          gradcheck=False),
    unary("detach", lambda t, x: x.detach(), (), differentiable=False),
    # ---- cat, stack, split, chunk, unbind
    binary("cat", lambda t, x, y: t.cat([x, y]), ("Cat",),
           samples=(((2, 3), (4, 3)), ((5,), (2,)), ((2, 3), (2, 3)), ((1, 2, 3), (2, 2, 3))),
           dtypes=WITH_INT),
    binary("cat_dim1", lambda t, x, y: t.cat((x, y), dim=1), ("Cat",),
           samples=(((3, 2), (3, 4)), ((2, 1, 3), (2, 2, 3)))),
    binary("cat_neg_dim_reused", lambda t, x, y: t.cat([x, y, x], -1), ("Cat",),
           samples=(((3, 2), (3, 4)), ((2,), (3,)))),
    binary("stack", lambda t, x, y: t.stack([x, y]), ("Stack",),
           samples=(((2, 3), (2, 3)), ((), ()), ((4,), (4,))), dtypes=WITH_INT),
    binary("stack_dim1", lambda t, x, y: t.stack((x, y), dim=1), ("Stack",),
           samples=(((2, 3), (2, 3)), ((4,), (4,)))),
    binary("stack_neg_dim", lambda t, x, y: t.stack([x, y, x], -1), ("Stack",),
           samples=(((2, 3), (2, 3)), ((), ()))),
    unary("split", lambda t, x: x.split(2), ("Split",), samples=(((5, 3),), ((4,),), ((2, 3),)),
          dtypes=WITH_INT),
    unary("split_sizes", lambda t, x: x.split([1, 4]), ("SplitWithSizes",),
          samples=(((5, 3),), ((5,),))),
    unary("torch.split_dim", lambda t, x: t.split(x, 2, dim=-1), ("Split",),
          samples=(((3, 5),), ((2, 2, 4),))),
    unary("chunk", lambda t, x: x.chunk(2), ("Split",), samples=(((5, 3),), ((4,),), ((1, 3),))),
    unary("chunk_dim", lambda t, x: t.chunk(x, 3, dim=1), ("Split",),
          samples=(((2, 6),), ((2, 7),))),
    unary("chunk_one_used", lambda t, x: x.chunk(2)[1] * 2, ("Mul",),
          samples=(((5, 3),), ((4,),))),
    unary("unbind", lambda t, x: x.unbind(), ("Unbind",), samples=(((3, 4),), ((2,),))),
    # ---- indexing
    unary("index_int", lambda t, x: x[0], ("Select",), samples=(((3, 4),), ((5,),), ((2, 3, 4),)),
          dtypes=WITH_INT),
    unary("index_neg_int", lambda t, x: x[-1], ("Select",), samples=(((3, 4),), ((5,),))),
    unary("index_slice", lambda t, x: x[1:3], ("Slice",),
          samples=(((3, 4),), ((5,),), ((4, 2, 3),)),
          dtypes=WITH_INT),
    unary("index_slice_step", lambda t, x: x[::2], ("Slice",), samples=(((5, 3),), ((4,),))),
    unary("index_col", lambda t, x: x[:, 1], ("Select",), samples=(((3, 4),), ((2, 3, 4),))),
    unary("index_int_slice", lambda t, x: x[0, 1:3], ("Slice",), samples=(((3, 4),), ((2, 3, 4),))),
    unary("index_slice_step_2d", lambda t, x: x[1:, ::2], ("Slice",),
          samples=(((3, 4),), ((4, 5),))),
    unary("index_none", lambda t, x: x[None], ("Unsqueeze",)),
    unary("index_col_none", lambda t, x: x[:, None], ("Unsqueeze",), samples=(((3, 4),), ((5,),))),
    unary("index_ellipsis", lambda t, x: x[...], ("Alias",)),
    unary("index_ellipsis_int", lambda t, x: x[..., 1], ("Select",),
          samples=(((3, 4),), ((2, 3, 4),))),
    unary("index_ellipsis_none", lambda t, x: x[..., None], ("Unsqueeze",),
          samples=(((3, 4),), ((5,),))),
    unary("index_bool_mask_from_data", lambda t, x: x[x > 0], ("Index",), dtypes=WITH_INT),
    unary("index_bool_mask_const", lambda t, x: x[t.tensor(MASK_34)], ("Index",),
          samples=(((3, 4),),)),
    unary("index_bool_rows", lambda t, x: x[t.tensor(ROWS_3)], ("Index",),
          samples=(((3, 4),), ((3,),), ((3, 2, 2),))),
    unary("index_long_tensor", lambda t, x: x[t.tensor([0, 2, 0])], ("Index",),
          samples=(((3, 4),), ((3,),), ((4, 2),)), dtypes=WITH_INT),
    unary("index_long_tensor_2d", lambda t, x: x[t.tensor([[0, 1], [2, 2]])], ("Index",),
          samples=(((3, 4),), ((3,),))),
    unary("index_two_long_tensors", lambda t, x: x[t.tensor([0, 2, 2]), t.tensor([1, 3, 3])],
          ("Index",),
          samples=(((3, 4),), ((3, 4, 2),))),
    unary("index_slice_then_long", lambda t, x: x[:, t.tensor([3, 0, 0])], ("Index",),
          samples=(((3, 4),), ((2, 4, 2),))),
    unary("index_list", lambda t, x: x[[0, 2]], ("Index",), samples=(((3, 4),), ((3,),))),
    unary("index_0d_long_tensor", lambda t, x: x[t.tensor(1)], ("Select",),
          samples=(((3, 4),), ((3,),))),
    # ---- gather, scatter
    unary("gather_dim1", lambda t, x: x.gather(1, t.tensor(GATHER_IDX_DIM1)), ("Gather",),
          samples=(((3, 4),), ((3, 5),)), dtypes=WITH_INT),
    unary("torch.gather_dim0", lambda t, x: t.gather(x, 0, t.tensor(GATHER_IDX_DIM0)), ("Gather",),
          samples=(((3, 4),), ((4, 4),))),
    # src has the index's shape: with a larger src torch's own backward fails (2.13)
    binary("scatter_src", lambda t, x, y: x.scatter(1, t.tensor(SCATTER_IDX), y), ("Scatter",),
           samples=(((3, 4), (3, 2)), ((3, 5), (3, 2))), dtypes=WITH_INT),
    unary("scatter_value", lambda t, x: x.scatter(1, t.tensor(SCATTER_IDX), 1.5), ("ScatterValue",),
          samples=(((3, 4),), ((3, 5),))),
    binary("torch.scatter_dim0", lambda t, x, y: t.scatter(x, 0, t.tensor(GATHER_IDX_DIM0[:1]), y),
           ("Scatter",), samples=(((3, 4), (1, 4)), ((4, 4), (1, 4)))),
    unary("scatter_add", lambda t, x: x.scatter_add(1, t.tensor(GATHER_IDX_DIM1), x[:, :2] * 2),
          ("ScatterAdd",), samples=(((3, 4),), ((3, 5),))),
    binary("torch.scatter_add_dim0",
           lambda t, x, y: t.scatter_add(x, 0, t.tensor(GATHER_IDX_DIM0), y), ("ScatterAdd",),
           samples=(((3, 4), (2, 4)), ((4, 4), (2, 4)))),
    binary("scatter_reduce_arg", lambda t, x,
           y: x.scatter(1, t.tensor(SCATTER_IDX), y, reduce="add"),
           ("ScatterReduce",), samples=(((3, 4), (3, 2)),),
           backward_error="derivative for aten::scatter is not implemented"),
    unary("index_select", lambda t, x: x.index_select(0, t.tensor([0, 2, 0])), ("IndexSelect",),
          samples=(((3, 4),), ((3,),), ((4, 2),))),
    unary("torch.index_select_dim1", lambda t, x: t.index_select(x, 1, t.tensor([3, 1])),
          ("IndexSelect",),
          samples=(((3, 4),), ((2, 4, 2),))),
    unary("masked_select", lambda t, x: x.masked_select(x > 0), ("MaskedSelect",)),
    unary("masked_select_broadcast", lambda t, x: t.masked_select(x, t.tensor(MASK_34[0])),
          ("MaskedSelect",),
          samples=(((3, 4),), ((4,),))),
    unary("take", lambda t, x: x.take(t.tensor([[0, 5], [2, 2]])), ("Take",),
          samples=(((3, 4),), ((6,),))),
    # ---- writing through an index (setitem) on non-leaf tensors
    binary("setitem_row", _setitem_row, ("CopySlices",),
           samples=(((3, 4), (4,)), ((3, 4), ()), ((3,), ()))),
    binary("setitem_mask", _setitem_mask, ("IndexPut",), (DISTINCT, REAL),
           samples=(((3, 4), ()), ((5,), ()))),
    binary("setitem_long_index", _setitem_long_index, ("IndexPut",),
           samples=(((3, 4), (4,)), ((3, 4), (2, 4)), ((3,), ()))),
    binary("setitem_all", _setitem_all, ("CopyWhole",), samples=(((3, 4), (4,)), ((3, 4), (3, 4)))),
    binary("setitem_all_0d", _setitem_all, ("FillWhole",), samples=(((3, 4), ()),)),
    unary("setitem_all_scalar", _setitem_all_scalar, ("CopyWhole", "FillWhole"),
          samples=(((3, 4),), ((),))),
    binary("setitem_through_view", _setitem_through_view, ("AsStrided", "CopySlices"),
           samples=(((3, 4), ()), ((2, 3), ()))),
    # ---- matmul and friends
    binary("matmul_1d_1d", lambda t, x, y: x @ y, ("Dot",), samples=(((4,), (4,)),)),
    binary("matmul_2d_2d", lambda t, x, y: x @ y, ("Mm",),
           samples=(((3, 4), (4, 5)), ((1, 4), (4, 1)), ((3, 1), (1, 2)))),
    binary("matmul_2d_1d", lambda t, x, y: t.matmul(x, y), ("Mv",), samples=(((3, 4), (4,)),)),
    binary("matmul_1d_2d", lambda t, x, y: x.matmul(y), ("MatmulVecMat",),
           samples=(((4,), (4, 5)),)),
    binary("matmul_batched", lambda t, x, y: x @ y, ("Matmul",),
           samples=(((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (4,)))),
    binary("matmul_broadcast_batch", lambda t, x, y: x @ y, ("Matmul", "MatmulTransposed"),
           samples=(((2, 1, 3, 4), (3, 4, 5)), ((1, 3, 4), (2, 4, 5)))),
    binary("matmul_int", lambda t, x, y: x @ y, ("Dot", "Mm"),
           samples=(((3, 4), (4, 5)), ((4,), (4,))),
           dtypes=("int64",)),
    binary("mm", lambda t, x, y: t.mm(x, y), ("Mm",), samples=(((3, 4), (4, 5)), ((1, 3), (3, 1)))),
    binary("mm_method_t", lambda t, x, y: x.mm(y.t()), ("Mm",), samples=(((3, 4), (5, 4)),)),
    binary("bmm", lambda t, x, y: t.bmm(x, y), ("Bmm",), samples=(((2, 3, 4), (2, 4, 5)),)),
    binary("dot", lambda t, x, y: t.dot(x, y), ("Dot",), samples=(((4,), (4,)), ((1,), (1,)))),
    binary("mv", lambda t, x, y: x.mv(y), ("Mv",), samples=(((3, 4), (4,)),)),
    binary("outer", lambda t, x, y: t.outer(x, y), ("Outer",),
           samples=(((3,), (4,)), ((1,), (2,)))),
    # ---- nn.functional: activations, linear, losses
    unary("F.relu", lambda t, x: t.nn.functional.relu(x), ("Relu",), DISTINCT),
    unary("F.sigmoid", lambda t, x: t.nn.functional.sigmoid(x), ("Sigmoid",)),
    unary("F.tanh", lambda t, x: t.nn.functional.tanh(x), ("Tanh",)),
    binary("F.linear", lambda t, x, w: t.nn.functional.linear(x, w), ("Mm", "MatrixTranspose"),
           samples=(((3, 4), (5, 4)), ((1, 4), (2, 4)))),
    OpInfo("F.linear_bias", lambda t, x, w, b: t.nn.functional.linear(x, w, b),
           (((3, 4), (5, 4), (5,)), ((1, 4), (2, 4), (2,)), ((2, 3, 4), (5, 4), (5,)),
            ((4,), (5, 4), (5,))), covers=("Addmm", "MatrixTranspose", "LinearView")),
    binary("F.linear_1d_and_batched", lambda t, x, w: t.nn.functional.linear(x, w),
           ("LinearSqueeze", "LinearUnsafeView"), samples=(((4,), (5, 4)), ((2, 3, 4), (5, 4)))),
    OpInfo("F.linear_batched_2d_bias", lambda t, x, w, b: t.nn.functional.linear(x, w, b),
           (((2, 3, 4), (5, 4), (3, 5)),), covers=("LinearAdd",)),
    binary("F.mse_loss", lambda t, x, y: t.nn.functional.mse_loss(x, y), ("MseLoss",),
           samples=(((3, 4), (3, 4)), ((5,), (5,)), ((), ()))),
    binary("F.mse_loss_sum", lambda t, x, y: t.nn.functional.mse_loss(x, y, reduction="sum"),
           ("MseLoss",),
           samples=(((3, 4), (3, 4)), ((5,), (5,)))),
    binary("F.mse_loss_none", lambda t, x, y: t.nn.functional.mse_loss(x, y, reduction="none"),
           ("MseLoss",), samples=(((3, 4), (3, 4)), ((5,), (5,)))),
    binary("F.l1_loss", lambda t, x, y: t.nn.functional.l1_loss(x, y), ("Mean",),
           (DISTINCT, DISTINCT_B), samples=(((3, 4), (3, 4)), ((5,), (5,)), ((), ()))),
    binary("F.l1_loss_sum", lambda t, x, y: t.nn.functional.l1_loss(x, y, reduction="sum"),
           ("Sum",),
           (DISTINCT, DISTINCT_B), samples=(((3, 4), (3, 4)),)),
    binary("F.l1_loss_none", lambda t, x, y: t.nn.functional.l1_loss(x, y, reduction="none"),
           ("Abs",), (DISTINCT, DISTINCT_B), samples=(((3, 4), (3, 4)),)),
    binary("F.binary_cross_entropy",
           lambda t, x, y: t.nn.functional.binary_cross_entropy(x, y),
           ("BinaryCrossEntropy",), (UNIT, UNIT),
           samples=(((3, 4), (3, 4)), ((5,), (5,)), ((), ()))),
    binary("F.binary_cross_entropy_sum",
           lambda t, x, y: t.nn.functional.binary_cross_entropy(x, y, reduction="sum"),
           ("BinaryCrossEntropy",), (UNIT, UNIT), samples=(((3, 4), (3, 4)),)),
    binary("F.binary_cross_entropy_none",
           lambda t, x, y: t.nn.functional.binary_cross_entropy(x, y, reduction="none"),
           ("BinaryCrossEntropy",), (UNIT, UNIT), samples=(((3, 4), (3, 4)),)),
    # ---- in-place ops on non-leaf tensors (they take over the result's grad_fn)
    binary("iadd", _iadd, ("Add", "Mul"), samples=INPLACE),
    binary("isub", _isub, ("Sub", "Mul"), samples=INPLACE),
    binary("imul", _imul, ("Mul",), samples=INPLACE),
    binary("idiv", _idiv, ("Div", "Mul"), (REAL, NONZERO), samples=INPLACE),
    binary("add_", lambda t, x, y: (x * 1).add_(y, alpha=2), ("Add",), samples=INPLACE),
    binary("mul_", lambda t, x, y: (x + 0).mul_(y), ("Mul", "Add"), samples=INPLACE),
    unary("clamp_", lambda t, x: (x * 1).clamp_(-0.5, 0.5), ("Clamp",), DISTINCT),
    unary("masked_fill_", lambda t, x: (x * 1).masked_fill_(x > 0, 0.5), ("MaskedFill",),
          DISTINCT),
    unary("fill_", lambda t, x: (x * 1).fill_(2.0), ("Fill",)),
    binary("fill_tensor", lambda t, x, v: (x * 1).fill_(v), ("FillTensor",),
           samples=(((3, 4), ()), ((5,), ()))),
    unary("zero_", lambda t, x: (x * 1).zero_(), ("Zero",)),
    binary("copy_", lambda t, x, y: (x * 1).copy_(y), ("Copy",), samples=INPLACE),
]

# The nn ops' entries live beside this table, one file per op module.
from op_db_activation import OPS as _ACTIVATION_OPS  # noqa: E402
from op_db_conv import OPS as _CONV_OPS  # noqa: E402
from op_db_linalg_more import OPS as _LINALG_MORE_OPS  # noqa: E402
from op_db_loss import OPS as _LOSS_OPS  # noqa: E402
from op_db_math_more import OPS as _MATH_MORE_OPS  # noqa: E402
from op_db_normalization import OPS as _NORMALIZATION_OPS  # noqa: E402
from op_db_sorting import OPS as _SORTING_OPS  # noqa: E402

OP_DB += _ACTIVATION_OPS + _CONV_OPS + _LOSS_OPS + _NORMALIZATION_OPS
OP_DB += _SORTING_OPS + _LINALG_MORE_OPS + _MATH_MORE_OPS

OPS_BY_NAME = {op.name: op for op in OP_DB}
assert len(OPS_BY_NAME) == len(OP_DB), "duplicate OpInfo names"
