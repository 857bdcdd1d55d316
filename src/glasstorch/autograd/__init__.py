"""``glasstorch.autograd``: reverse-mode differentiation.

``backward`` and ``grad`` start the engine (``engine.py``); ``Function`` is how every op
defines its forward and backward (``function.py``); grad mode lives in ``grad_mode.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glasstorch._errors import message as _message
from glasstorch.autograd.check_grad import GradCheckReport, check_grad  # noqa: F401
from glasstorch.autograd.grad_mode import (  # noqa: F401
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from glasstorch.autograd.gradcheck import GradcheckError, gradcheck  # noqa: F401,E402
from glasstorch.autograd.variable import Variable  # noqa: F401


def _as_list(x: Any) -> list[Any]:
    from glasstorch._tensor import Tensor

    if x is None:
        return []
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _root_grads(tensors: list[Any], grad_tensors: list[Any]) -> list[np.ndarray]:
    from glasstorch._tensor import Tensor

    if not grad_tensors:
        grad_tensors = [None] * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"grad_tensors/grad_outputs has {len(grad_tensors)} entries but there are "
            f"{len(tensors)} tensors to differentiate."
        )
    out = []
    for t, g in zip(tensors, grad_tensors, strict=True):
        if not t._rg:
            raise RuntimeError(_message("backward_no_grad_fn"))
        if g is None:
            if t._data.size != 1:
                raise RuntimeError(_message("backward_non_scalar", shape=tuple(t.shape)))
            out.append(np.ones_like(t._data))
        else:
            if not isinstance(g, Tensor):
                raise TypeError(f"gradient must be a Tensor or None, not {type(g).__name__}")
            if g._data.shape != t._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and output[0] "
                    f"has a shape of {t.shape}."
                )
            out.append(g._data.astype(t._data.dtype, copy=False))
    return out


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """Accumulate d(tensors)/d(leaf) into every leaf's ``.grad`` (``torch.autograd.backward``)."""
    from glasstorch.autograd.engine import run_backward

    if create_graph:
        raise NotImplementedError(
            "glasstorch does not implement create_graph=True (higher-order gradients): "
            "backward rules compute on NumPy arrays and build no graph."
        )
    roots = _as_list(tensors)
    grads = _root_grads(roots, _as_list(grad_tensors))
    retain = bool(retain_graph) if retain_graph is not None else False
    if inputs is not None:
        wanted = _as_list(inputs)
        captured = run_backward(roots, grads, retain, capture=wanted)
        from glasstorch.autograd.engine import _accumulate_leaf

        for t, g in zip(wanted, captured or [], strict=True):
            if g is not None:
                _accumulate_leaf(t, g)
        return
    run_backward(roots, grads, retain)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad`` (``torch.autograd.grad``).

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor(3.0, requires_grad=True)
        >>> torch.autograd.grad(x * x, x)
        (tensor(6.),)
    """
    from glasstorch._tensor import Tensor
    from glasstorch.autograd.engine import run_backward

    if create_graph:
        raise NotImplementedError(
            "glasstorch does not implement create_graph=True (higher-order gradients): "
            "backward rules compute on NumPy arrays and build no graph."
        )
    if is_grads_batched:
        raise NotImplementedError("glasstorch does not implement is_grads_batched=True")
    outs = _as_list(outputs)
    ins = _as_list(inputs)
    for t in ins:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _root_grads(outs, _as_list(grad_outputs))
    captured = run_backward(outs, grads, bool(retain_graph), capture=ins) or []
    result: list[Tensor | None] = []
    for index, (t, g) in enumerate(zip(ins, captured, strict=True)):
        if g is None:
            if materialize_grads:
                result.append(Tensor._wrap(np.zeros_like(t._data)))
                continue
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {index} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            result.append(None)
        else:
            result.append(Tensor._wrap(np.array(g, dtype=t._data.dtype, copy=True)))
    return tuple(result)


def __getattr__(name: str) -> Any:
    # The public, tensor-level Function (custom.py) loads on first use: it needs Tensor,
    # which imports this package. The ops' array-level base class is
    # glasstorch.autograd.function.Function.
    if name in ("Function", "FunctionCtx", "once_differentiable"):
        from glasstorch.autograd import custom

        return getattr(custom, name)
    raise AttributeError(f"glasstorch does not implement torch.autograd.{name} yet")

