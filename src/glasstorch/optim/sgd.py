"""``SGD``: stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim.optimizer import Optimizer, ParamsT


def _add_scaled(a: np.ndarray, b: np.ndarray, alpha: float, out: np.ndarray | None = None
                ) -> np.ndarray:
    """``a + alpha * b`` rounded once, like torch's ``a.add_(b, alpha=alpha)``.

    torch's CPU kernel computes this with a fused multiply-add, so the product is not
    rounded on its own. For float32 the same single rounding comes from doing the sum in
    float64 (the product of two float32 values is exact there); this keeps every SGD step
    on the very bits torch computes. float64 arrays use the plain formula.
    """
    if a.dtype == np.float32:
        exact = a.astype(np.float64)
        exact += np.float64(np.float32(alpha)) * b.astype(np.float64)
        if out is None:
            return exact.astype(np.float32)
        np.copyto(out, exact, casting="same_kind")
        return out
    if alpha == 1:
        return np.add(a, b, out=out)
    return np.add(a, alpha * b, out=out)


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (PyTorch's exact variant).

    For each parameter ``p`` with a gradient, ``step()`` does::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            g = g + weight_decay * p
        if momentum != 0:
            if first step:
                buf = copy of g                     # no dampening on the first step
            else:
                buf = momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g                              # in place

    Like PyTorch (and unlike some other libraries), the momentum buffer starts as the first
    gradient, and ``lr`` multiplies the whole step rather than being folded into ``buf``.
    Updates are written into the parameters' memory, so views of them and earlier
    ``state_dict()`` values see the new numbers.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate. Default: ``1e-3``.
        momentum: momentum factor. Default: 0.
        dampening: dampening of the momentum. Default: 0.
        weight_decay: L2 penalty. Default: 0.
        nesterov: use Nesterov momentum (needs ``momentum > 0`` and ``dampening = 0``).
        maximize: maximize the objective instead of minimizing it.
        foreach: only ``None`` / ``False`` (one update per tensor).
        differentiable: only ``False``.
        fused: only ``None`` / ``False``.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0], requires_grad=True)
        >>> optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([0.4600], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        for name, value in (("foreach", foreach), ("fused", fused),
                            ("differentiable", differentiable)):
            if value:
                raise NotImplementedError(
                    f"glasstorch's SGD does not implement {name}=True: it updates one tensor "
                    f"at a time with NumPy. Leave {name} at its default."
                )
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional function that re-evaluates the model and returns the loss
                (it runs with gradients enabled); its result is returned.
        """
        loss = self._closure_loss(closure)
        state = self.state
        for group in self.param_groups:
            lr = group["lr"]
            if isinstance(lr, Tensor):
                lr = lr.item()
            momentum = group["momentum"]
            dampening = group["dampening"]
            weight_decay = group["weight_decay"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            for p in group["params"]:
                grad_tensor = p._grad
                if grad_tensor is None:
                    continue
                param = p._data
                grad = grad_tensor._data
                if maximize:
                    grad = -grad
                if weight_decay != 0:
                    grad = _add_scaled(grad, param, weight_decay)  # new array: p.grad unchanged
                if momentum != 0:
                    param_state = state[p]
                    buf_tensor = param_state.get("momentum_buffer")
                    if buf_tensor is None:
                        buf = grad.copy()  # first step: the buffer is the gradient itself
                        param_state["momentum_buffer"] = Tensor._wrap(buf)
                    else:
                        buf = buf_tensor._data
                        np.multiply(buf, momentum, out=buf)
                        _add_scaled(buf, grad, 1 - dampening, out=buf)
                    grad = _add_scaled(grad, buf, momentum) if nesterov else buf
                _add_scaled(param, grad, -lr, out=param)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
