"""``Adamax``: Adam with the infinity norm in place of the running mean square."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class Adamax(_kernels.KernelOptimizer):
    """Adamax, step for step (and bit for bit on float32) as ``torch.optim.Adamax`` on CPU.

    For each parameter ``p`` with a gradient, at step ``t`` (counted per parameter)::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            g = g + weight_decay * p
        m = m.lerp(g, 1 - beta1)                  # state 'exp_avg'
        u = max(beta2 * u, |g| + eps)             # state 'exp_inf'
        p = p - lr / (1 - beta1 ** t) * m / u

    The state also counts ``'step'`` (a float32 scalar tensor), as torch's does.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate (a float, or a 1-element tensor). Default: ``2e-3``.
        betas: decay rates of ``m`` and ``u``. Default: ``(0.9, 0.999)``.
        eps: added to ``|g|``, keeps the step finite. Default: ``1e-8``.
        weight_decay: L2 penalty. Default: 0.
        foreach: only ``None`` / ``False``.
        maximize: maximize the objective instead of minimizing it.
        differentiable: only ``False``.
        capturable: only ``False``.

    Raises:
        ValueError: a negative lr, eps or weight decay, a beta outside ``[0, 1)``
            (torch's messages).
        NotImplementedError: ``foreach``, ``capturable`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.Adamax([w], lr=0.1)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.7155, -1.7076], requires_grad=True)
        >>> sorted(optimizer.state[w])
        ['exp_avg', 'exp_inf', 'step']
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
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
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
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
            _kernels.check_supported("Adamax", group)
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    state["exp_inf"] = Tensor._wrap(np.zeros_like(p._data))
                param = p._data
                grad = p._grad._data
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                step_t = state["step"]._data
                step_t += 1
                if weight_decay != 0:
                    # into scratch memory: p.grad stays as it is
                    grad = _kernels.add_scaled(grad, param, weight_decay,
                                               work.get("grad", grad), work)
                exp_avg = state["exp_avg"]._data
                exp_inf = state["exp_inf"]._data
                dtype = exp_inf.dtype.type
                _kernels.lerp_(exp_avg, grad, 1 - beta1, work)
                np.multiply(exp_inf, dtype(beta2), out=exp_inf)
                norm = np.abs(grad, out=work.get("norm", grad))
                norm += dtype(eps)
                np.maximum(exp_inf, norm, out=exp_inf)  # NaN propagates, as torch.maximum
                bias_correction = 1 - beta1 ** float(step_t)
                if isinstance(lr, Tensor):  # a tensor lr divides as a float32 tensor
                    clr = float(lr._data.reshape(()) / bias_correction)
                else:
                    clr = lr / bias_correction
                _kernels.addcdiv_(param, exp_avg, exp_inf, -clr, work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
