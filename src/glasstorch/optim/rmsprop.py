"""``RMSprop``: divide the step by a running root-mean-square of the gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class RMSprop(_kernels.KernelOptimizer):
    """RMSprop, step for step (and bit for bit on float32) as ``torch.optim.RMSprop`` on CPU.

    For each parameter ``p`` with a gradient::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g            # state 'square_avg'
        if centered:
            g_avg = g_avg.lerp(g, 1 - alpha)           # state 'grad_avg'
            avg = sqrt(v - g_avg * g_avg) + eps        # the variance, not the raw mean square
        else:
            avg = sqrt(v) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg             # state 'momentum_buffer'
            p = p - lr * buf
        else:
            p = p - lr * g / avg

    The state also counts ``'step'`` (a float32 scalar tensor), as torch's does.

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate. Default: ``1e-2``.
        alpha: smoothing constant of the running averages. Default: 0.99.
        eps: added to the denominator. Default: ``1e-8``.
        weight_decay: L2 penalty. Default: 0.
        momentum: momentum factor. Default: 0.
        centered: divide by the estimated variance of the gradient. Default: False.
        capturable: only ``False``.
        foreach: only ``None`` / ``False``.
        maximize: maximize the objective instead of minimizing it.
        differentiable: only ``False``.

    Raises:
        ValueError: a negative lr, eps, momentum, weight decay or alpha (torch's messages).
        NotImplementedError: ``foreach``, ``capturable`` or ``differentiable`` set to True.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.RMSprop([w], lr=0.01, momentum=0.9)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.5529, -1.5441], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
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
            _kernels.check_supported("RMSprop", group)
            lr = group["lr"]
            if isinstance(lr, Tensor):
                lr = float(lr._data.reshape(()))  # torch passes it on as a Python scalar
            alpha = group["alpha"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            centered = group["centered"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["square_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    if momentum > 0:
                        state["momentum_buffer"] = Tensor._wrap(np.zeros_like(p._data))
                    if centered:
                        state["grad_avg"] = Tensor._wrap(np.zeros_like(p._data))
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
                square_avg = state["square_avg"]._data
                np.multiply(square_avg, square_avg.dtype.type(alpha), out=square_avg)
                _kernels.addcmul_(square_avg, grad, grad, 1 - alpha, work)
                if centered:
                    grad_avg = state["grad_avg"]._data
                    _kernels.lerp_(grad_avg, grad, 1 - alpha, work)
                    variance = work.get("variance", square_avg)
                    np.copyto(variance, square_avg)
                    _kernels.addcmul_(variance, grad_avg, grad_avg, -1, work)
                    avg = _kernels.sqrt(variance, work)
                else:
                    avg = _kernels.sqrt(square_avg, work)
                np.add(avg, avg.dtype.type(eps), out=avg)
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    np.multiply(buf, buf.dtype.type(momentum), out=buf)
                    _kernels.addcdiv_(buf, grad, avg, 1, work)
                    _kernels.add_scaled(param, buf, -lr, param, work)
                else:
                    _kernels.addcdiv_(param, grad, avg, -lr, work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss
