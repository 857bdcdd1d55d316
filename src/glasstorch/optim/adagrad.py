"""``Adagrad``: per-coordinate steps that shrink with the sum of squared gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class Adagrad(_kernels.KernelOptimizer):
    """Adagrad, step for step (and bit for bit on float32) as ``torch.optim.Adagrad`` on CPU.

    For each parameter ``p`` with a gradient, at step ``t`` (counted per parameter)::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            g = g + weight_decay * p
        clr = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g * g                       # state 'sum', starts at initial_accumulator_value
        p = p - clr * g / (sqrt(sum) + eps)

    As in PyTorch, the state (``'step'``, a float32 scalar tensor, and ``'sum'``) is made
    for every parameter when the optimizer is created.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate. Default: ``1e-2``.
        lr_decay: learning-rate decay per step. Default: 0.
        weight_decay: L2 penalty. Default: 0.
        initial_accumulator_value: the starting value of ``sum``. Default: 0.
        eps: added to the denominator. Default: ``1e-10``.
        foreach: only ``None`` / ``False``.
        maximize: maximize the objective instead of minimizing it.
        differentiable: only ``False``.
        fused: only ``None`` / ``False``.

    Raises:
        ValueError: a negative lr, lr_decay, weight decay, initial accumulator value or eps
            (torch's messages).
        NotImplementedError: ``foreach``, ``fused`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.Adagrad([w], lr=0.5)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.1564, -0.9836], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        super().__init__(params, defaults)  # refuses foreach=True etc. (_kernels)
        for group in self.param_groups:  # torch creates Adagrad's state up front
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> dict[str, Any]:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = Tensor._wrap(np.zeros((), np.float32))
            state["sum"] = Tensor._wrap(
                np.full_like(p._data, self.defaults["initial_accumulator_value"])
            )
        return state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional function that re-evaluates the model and returns the loss
                (it runs with gradients enabled); its result is returned.
        """
        loss = self._closure_loss(closure)
        work = self._work
        for group in self.param_groups:
            _kernels.check_supported("Adagrad", group)
            lr = group["lr"]
            lr_decay = group["lr_decay"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self._init_state(p)  # a group added later gets its state here
                param = p._data
                grad = p._grad._data
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                if weight_decay != 0:
                    # into scratch memory: p.grad stays as it is
                    grad = _kernels.add_scaled(grad, param, weight_decay,
                                               work.get("grad", grad), work)
                if isinstance(lr, Tensor):  # a tensor lr divides as a tensor, as in torch
                    clr = float(lr._data.reshape(()) / (1 + (step - 1) * lr_decay))
                else:
                    clr = lr / (1 + (step - 1) * lr_decay)
                state_sum = state["sum"]._data
                _kernels.addcmul_(state_sum, grad, grad, 1, work)
                std = _kernels.sqrt(state_sum, work)
                np.add(std, std.dtype.type(eps), out=std)
                _kernels.addcdiv_(param, grad, std, -clr, work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
