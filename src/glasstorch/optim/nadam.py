"""``NAdam``: Adam with Nesterov momentum (and momentum decay)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class NAdam(_kernels.KernelOptimizer):
    """NAdam, step for step (and bit for bit on float32) as ``torch.optim.NAdam`` on CPU.

    For each parameter ``p`` with a gradient, at step ``t`` (counted per parameter)::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            if decoupled_weight_decay:  p = p * (1 - lr * weight_decay)
            else:                       g = g + weight_decay * p
        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_product = mu_product * mu_t                 # state 'mu_product' (float32 scalar)
        m = m.lerp(g, 1 - beta1)                       # state 'exp_avg'
        v = beta2 * v + (1 - beta2) * g * g            # state 'exp_avg_sq'
        denom = sqrt(v / (1 - beta2 ** t)) + eps
        p = p - lr * (1 - mu_t) / (1 - mu_product) * g / denom
        p = p - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom

    The state also counts ``'step'`` (a float32 scalar tensor), as torch's does.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate (a float, or a 1-element tensor). Default: ``2e-3``.
        betas: decay rates of ``m`` and ``v``. Default: ``(0.9, 0.999)``.
        eps: added to the denominator. Default: ``1e-8``.
        weight_decay: L2 penalty (or decoupled decay). Default: 0.
        momentum_decay: how fast ``mu_t`` approaches ``beta1 / 2``. Default: ``4e-3``.
        decoupled_weight_decay: decay the weights directly, as AdamW. Default: False.
        foreach: only ``None`` / ``False``.
        maximize: maximize the objective instead of minimizing it.
        capturable: only ``False``.
        differentiable: only ``False``.

    Raises:
        ValueError: a negative lr, eps, weight decay or momentum decay, a beta outside
            ``[0, 1)`` (torch's messages).
        NotImplementedError: ``foreach``, ``capturable`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.NAdam([w], lr=0.1)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.7527, -1.7475], requires_grad=True)
        >>> sorted(optimizer.state[w])
        ['exp_avg', 'exp_avg_sq', 'mu_product', 'step']
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
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
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
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
            _kernels.check_supported("NAdam", group)
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            # a tensor lr stays a float32 scalar: torch's scalar arithmetic rounds in float32
            lr = lr._data.reshape(()).copy() if isinstance(lr, Tensor) else lr
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum_decay = group["momentum_decay"]
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["mu_product"] = Tensor._wrap(np.ones((), np.float32))
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._data))
                param = p._data
                grad = p._grad._data
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                bias_correction2 = 1 - beta2 ** step
                dtype = param.dtype.type
                if weight_decay != 0:
                    if decoupled:
                        np.multiply(param, dtype(1 - lr * weight_decay), out=param)
                    else:
                        # into scratch memory: p.grad stays as it is
                        grad = _kernels.add_scaled(grad, param, weight_decay,
                                                   work.get("grad", grad), work)
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
                mu_product = state["mu_product"]._data
                mu_product *= np.float32(mu)  # a float32 tensor times a Python scalar
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _kernels.lerp_(exp_avg, grad, 1 - beta1, work)
                np.multiply(exp_avg_sq, dtype(beta2), out=exp_avg_sq)
                _kernels.addcmul_(exp_avg_sq, grad, grad, 1 - beta2, work)
                scaled = np.divide(exp_avg_sq, dtype(bias_correction2),
                                   out=work.get("scaled_sq", exp_avg_sq))
                denom = _kernels.sqrt(scaled, work)
                np.add(denom, dtype(eps), out=denom)
                mu_product_value = float(mu_product)
                mu_product_next = mu_product_value * mu_next
                _kernels.addcdiv_(param, grad, denom,
                                  float(-lr * (1.0 - mu) / (1.0 - mu_product_value)), work)
                _kernels.addcdiv_(param, exp_avg, denom,
                                  float((-lr * mu_next) / (1.0 - mu_product_next)), work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
