"""``Adadelta``: steps scaled by the ratio of running RMS of updates and of gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class Adadelta(_kernels.KernelOptimizer):
    """Adadelta, step for step (and bit for bit on float32) as ``torch.optim.Adadelta`` on CPU.

    For each parameter ``p`` with a gradient::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            g = g + weight_decay * p
        v = rho * v + (1 - rho) * g * g                  # state 'square_avg'
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta          # state 'acc_delta'
        p = p - lr * delta

    The state also counts ``'step'`` (a float32 scalar tensor), as torch's does.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: scales ``delta`` (a float, or a 1-element tensor). Default: 1.0.
        rho: decay rate of the running averages, in ``[0, 1]``. Default: 0.9.
        eps: added inside both square roots. Default: ``1e-6``.
        weight_decay: L2 penalty. Default: 0.
        foreach: only ``None`` / ``False``.
        capturable: only ``False``.
        maximize: maximize the objective instead of minimizing it.
        differentiable: only ``False``.

    Raises:
        ValueError: a negative lr, eps or weight decay, a rho outside ``[0, 1]``
            (torch's messages).
        NotImplementedError: ``foreach``, ``capturable`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.Adadelta([w], lr=10.0)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.9046, -1.9038], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
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
            _kernels.check_supported("Adadelta", group)
            lr = group["lr"]
            if isinstance(lr, Tensor):
                lr = float(lr._data.reshape(()))  # torch passes it on as a Python scalar
            rho = group["rho"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["square_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    state["acc_delta"] = Tensor._wrap(np.zeros_like(p._data))
                param = p._data
                grad = p._grad._data
                step_t = state["step"]._data
                step_t += 1
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                if weight_decay != 0:
                    # into scratch memory: p.grad stays as it is
                    grad = _kernels.add_scaled(grad, param, weight_decay,
                                               work.get("grad", grad), work)
                square_avg = state["square_avg"]._data
                acc_delta = state["acc_delta"]._data
                dtype = square_avg.dtype.type
                np.multiply(square_avg, dtype(rho), out=square_avg)
                _kernels.addcmul_(square_avg, grad, grad, 1 - rho, work)
                # std = sqrt(v + eps), kept apart: sqrt() hands back one shared buffer
                shifted = np.add(square_avg, dtype(eps), out=work.get("shifted", square_avg))
                std = work.get("std", square_avg)
                np.copyto(std, _kernels.sqrt(shifted, work))
                np.add(acc_delta, dtype(eps), out=shifted)
                delta = _kernels.sqrt(shifted, work)
                with np.errstate(divide="ignore", invalid="ignore"):
                    np.divide(delta, std, out=delta)
                np.multiply(delta, grad, out=delta)
                np.multiply(acc_delta, dtype(rho), out=acc_delta)
                _kernels.addcmul_(acc_delta, delta, delta, 1 - rho, work)
                _kernels.add_scaled(param, delta, -lr, param, work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
