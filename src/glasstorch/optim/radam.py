"""``RAdam``: Adam with the variance of its adaptive step rectified."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class RAdam(_kernels.KernelOptimizer):
    """RAdam, step for step (and bit for bit on float32) as ``torch.optim.RAdam`` on CPU.

    For each parameter ``p`` with a gradient, at step ``t`` (counted per parameter)::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            if decoupled_weight_decay:  p = p * (1 - lr * weight_decay)
            else:                       g = g + weight_decay * p
        m = m.lerp(g, 1 - beta1)                       # state 'exp_avg'
        v = beta2 * v + (1 - beta2) * g * g            # state 'exp_avg_sq'
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2 ** t / (1 - beta2 ** t)
        if rho_t > 5:   # the variance is tractable: an adaptive, rectified step
            r = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            p = p - m / (1 - beta1 ** t) * lr * sqrt(1 - beta2 ** t) / (sqrt(v) + eps) * r
        else:           # too early: plain momentum SGD
            p = p - m / (1 - beta1 ** t) * lr

    The state also counts ``'step'`` (a float32 scalar tensor), as torch's does.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate (a float, or a 1-element tensor). Default: ``1e-3``.
        betas: decay rates of ``m`` and ``v``. Default: ``(0.9, 0.999)``.
        eps: added to the denominator. Default: ``1e-8``.
        weight_decay: L2 penalty (or decoupled decay). Default: 0.
        decoupled_weight_decay: decay the weights directly, as AdamW. Default: False.
        foreach: only ``None`` / ``False``.
        maximize: maximize the objective instead of minimizing it.
        capturable: only ``False``.
        differentiable: only ``False``.

    Raises:
        ValueError: a negative lr, eps or weight decay, a beta outside ``[0, 1)``
            (torch's messages).
        NotImplementedError: ``foreach``, ``capturable`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.RAdam([w], lr=0.1)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.4623, -0.9246], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)  # refuses foreach=True etc. (_kernels)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional function that re-evaluates the model and returns the loss
                (it runs with gradients enabled); its result is returned.
        """
        loss = self._closure_loss(closure)
        work = self._work
        for group in self.param_groups:
            _kernels.check_supported("RAdam", group)
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            # a tensor lr stays a float32 scalar: torch's scalar arithmetic rounds in float32
            lr = lr._data.reshape(()).copy() if isinstance(lr, Tensor) else lr
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._data))
                param = p._data
                grad = p._grad._data
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                dtype = param.dtype.type
                if weight_decay != 0:
                    if decoupled:
                        np.multiply(param, dtype(1 - lr * weight_decay), out=param)
                    else:
                        # into scratch memory: p.grad stays as it is
                        grad = _kernels.add_scaled(grad, param, weight_decay,
                                                   work.get("grad", grad), work)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _kernels.lerp_(exp_avg, grad, 1 - beta1, work)
                np.multiply(exp_avg_sq, dtype(beta2), out=exp_avg_sq)
                _kernels.addcmul_(exp_avg_sq, grad, grad, 1 - beta2, work)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                # torch's tensor expression, one rounding per operation, left to right
                update = np.divide(exp_avg, dtype(bias_correction1),
                                   out=work.get("update", exp_avg))
                update *= dtype(lr)
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    adaptive = _kernels.sqrt(exp_avg_sq, work)
                    adaptive += dtype(eps)
                    # (bc2 ** 0.5) / tensor is tensor.reciprocal() * (bc2 ** 0.5) in torch
                    with np.errstate(divide="ignore"):
                        np.divide(dtype(1), adaptive, out=adaptive)
                    adaptive *= dtype(bias_correction2 ** 0.5)
                    update *= adaptive
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    update *= dtype(rect)
                param -= update
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
