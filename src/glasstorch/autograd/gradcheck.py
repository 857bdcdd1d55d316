"""``gradcheck``: backward's gradients against finite differences (``torch.autograd.gradcheck``).

The analytical Jacobian comes from the engine: one backward pass per output element, seeded
with a one-hot gradient. The numerical Jacobian comes from central differences,
``(f(x + eps) - f(x - eps)) / (2 eps)``, one input element at a time. Both are computed in the
inputs' dtype, so use float64 inputs: with float32, rounding swamps a difference quotient.

``fast_mode=True`` checks one random direction instead of whole Jacobians (as torch's fast
mode does): for random ``u`` (input space) and ``v`` (output space) it compares
``v . (J u)`` from finite differences with ``(v J) . u`` from a single backward pass. It costs
two forward passes per input, whatever the sizes, and still catches almost any wrong rule.

Use it to test a custom ``Function``:

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.autograd import gradcheck
    >>> x = torch.rand(3, dtype=torch.float64, requires_grad=True)
    >>> gradcheck(lambda a: (a * a).sum(), (x,))
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch.autograd import grad_mode


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when the analytical and numerical gradients differ."""


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    fast_mode: bool = False,
) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against finite differences.

    Args:
        func: takes the tensors of ``inputs`` and returns a Tensor or a tuple of Tensors.
        inputs: a Tensor or a tuple of arguments; the tensors with ``requires_grad=True``
            are the ones checked (use float64 for them).
        eps: the finite-difference step.
        atol: absolute tolerance: an entry passes when
            ``|analytical - numerical| <= atol + rtol * |numerical|``.
        rtol: relative tolerance (see ``atol``).
        raise_exception: raise ``GradcheckError`` on a mismatch (else return False).
        nondet_tol: accepted for torch compatibility; glasstorch's backward is
            deterministic.
        check_undefined_grad: accepted for torch compatibility; glasstorch's backward
            always defines its gradients.
        fast_mode: check one random direction instead of the full Jacobians.

    Returns:
        True when every gradient matches.
    """
    from glasstorch._tensor import Tensor

    args = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    diff = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
    if not diff:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "the them have requires_grad=True."
        )
    for i in diff:
        if args[i]._data.dtype != np.float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=2,
            )
    check = _check_fast if fast_mode else _check_full
    try:
        check(func, args, diff, eps, atol, rtol)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


# ----------------------------------------------------------------------------- helpers
def _outputs(func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    from glasstorch._tensor import Tensor

    out = func(*args)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def _differentiable(out: Any) -> bool:
    return out._data.dtype.kind == "f"


def _evaluate(func: Callable[..., Any], args: tuple[Any, ...]) -> list[np.ndarray]:
    """The outputs' values as fresh float64 arrays (outputs may be views of the inputs)."""
    with grad_mode.no_grad():
        outs = _outputs(func, args)
    return [np.array(o._data, dtype=np.float64) for o in outs if _differentiable(o)]


def _central_difference(func: Callable[..., Any], args: tuple[Any, ...], data: np.ndarray,
                        direction: np.ndarray, eps: float) -> list[np.ndarray]:
    """``(f(x + eps d) - f(x - eps d)) / (2 eps)`` for each output, ``x`` changed in place."""
    original = data.copy()
    try:
        data += eps * direction
        plus = _evaluate(func, args)
        data[...] = original - eps * direction
        minus = _evaluate(func, args)
    finally:
        data[...] = original
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus, strict=True)]


def _backward(outputs: tuple[Any, ...], k: int, seed: np.ndarray, args: tuple[Any, ...],
              diff: list[int]) -> list[np.ndarray]:
    """The gradient of ``sum(seed * outputs[k])`` with respect to each checked input."""
    from glasstorch._tensor import Tensor
    from glasstorch.autograd import grad

    out = outputs[k]
    wanted = [args[i] for i in diff]
    if not out.requires_grad:
        return [np.zeros(a._data.shape) for a in wanted]  # not connected: zero gradient
    seed_t = Tensor._wrap(seed.astype(out._data.dtype))
    grads = grad(out, wanted, grad_outputs=seed_t, retain_graph=True, allow_unused=True)
    result = []
    for a, g in zip(wanted, grads, strict=True):
        if g is None:
            result.append(np.zeros(a._data.shape))
            continue
        if g._data.shape != a._data.shape:
            raise GradcheckError(
                f"Gradient has shape {tuple(g.shape)} but the input has shape {tuple(a.shape)}"
            )
        result.append(g._data.astype(np.float64))
    return result


def _mismatch(o: int, i: int, numerical: Any, analytical: Any, note: str = "") -> GradcheckError:
    from glasstorch._tensor import Tensor

    num = Tensor._wrap(np.asarray(numerical, dtype=np.float64))
    ana = Tensor._wrap(np.asarray(analytical, dtype=np.float64))
    return GradcheckError(
        f"Jacobian mismatch for output {o} with respect to input {i},\n"
        f"numerical:{num!r}\nanalytical:{ana!r}\n{note}"
    )


def _close(analytical: np.ndarray, numerical: np.ndarray, atol: float, rtol: float) -> bool:
    return bool(np.all(np.abs(analytical - numerical) <= atol + rtol * np.abs(numerical)))


# ----------------------------------------------------------------------------- the checks
def _check_full(func: Callable[..., Any], args: tuple[Any, ...], diff: list[int], eps: float,
                atol: float, rtol: float) -> None:
    """Compare whole Jacobians, one column per input element and one row per output element."""
    outputs = [o for o in _outputs(func, args) if _differentiable(o)]
    sizes = [o._data.size for o in outputs]
    # numerical[o][n]: shape (outputs[o].size, inputs[diff[n]].size)
    numerical = [[np.zeros((s, args[i]._data.size)) for i in diff] for s in sizes]
    for n, i in enumerate(diff):
        data = args[i]._data
        for j, index in enumerate(np.ndindex(data.shape)):
            direction = np.zeros(data.shape, dtype=data.dtype)
            direction[index] = 1
            for o, column in enumerate(_central_difference(func, args, data, direction, eps)):
                numerical[o][n][:, j] = column.reshape(-1)
    for o, out in enumerate(outputs):
        analytical = [np.zeros((sizes[o], args[i]._data.size)) for i in diff]
        for k in range(sizes[o]):
            seed = np.zeros(sizes[o])
            seed[k] = 1
            grads = _backward(tuple(outputs), o, seed.reshape(out._data.shape), args, diff)
            for n, g in enumerate(grads):
                analytical[n][k] = g.reshape(-1)
        for n, i in enumerate(diff):
            if not _close(analytical[n], numerical[o][n], atol, rtol):
                raise _mismatch(o, i, numerical[o][n], analytical[n])


def _check_fast(func: Callable[..., Any], args: tuple[Any, ...], diff: list[int], eps: float,
                atol: float, rtol: float) -> None:
    """Compare ``v . (J u)`` (finite differences) with ``(v J) . u`` (one backward pass)."""
    rng = np.random.default_rng(0)
    outputs = [o for o in _outputs(func, args) if _differentiable(o)]
    seeds = [rng.standard_normal(o._data.shape) for o in outputs]
    for i in diff:
        data = args[i]._data
        u = rng.standard_normal(data.shape)
        u /= max(np.linalg.norm(u), 1e-12)  # a unit step, as in torch's fast mode
        jvps = _central_difference(func, args, data, u.astype(data.dtype), eps)
        for o in range(len(outputs)):
            numerical = np.sum(seeds[o] * jvps[o])
            (g,) = _backward(tuple(outputs), o, seeds[o], args, [i])
            analytical = np.sum(g * u)
            if not _close(np.asarray(analytical), np.asarray(numerical), atol, rtol):
                raise _mismatch(
                    o, i, numerical, analytical,
                    "\nThe above quantities are v . (J u) for random u and v (fast_mode=True); "
                    "run gradcheck with fast_mode=False to see the full Jacobians.\n",
                )
