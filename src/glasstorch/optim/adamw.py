"""``AdamW``: Adam with decoupled weight decay (the weights shrink, the moments do not)."""

from __future__ import annotations

from glasstorch._tensor import Tensor
from glasstorch.optim.adam import Adam
from glasstorch.optim.optimizer import ParamsT


class AdamW(Adam):
    """AdamW, as ``torch.optim.AdamW``: ``Adam`` with ``decoupled_weight_decay=True``.

    Each step first shrinks every parameter, ``p = p * (1 - lr * weight_decay)``, and then
    takes Adam's step with the plain gradient, so the decay does not pass through the
    running averages. Note the default ``weight_decay=1e-2`` (Adam's is 0).

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate. Default: ``1e-3``.
        betas: decay rates of the running averages. Default: ``(0.9, 0.999)``.
        eps: added to the denominator. Default: ``1e-8``.
        weight_decay: decoupled weight decay. Default: ``1e-2``.
        amsgrad: use the AMSGrad variant. Default: False.
        maximize: maximize the objective instead of minimizing it.
        foreach: only ``None`` / ``False``.
        capturable: only ``False``.
        differentiable: only ``False``.
        fused: only ``None`` / ``False``.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0], requires_grad=True)
        >>> optimizer = torch.optim.AdamW([w], lr=0.1, weight_decay=0.5)
        >>> (w ** 2).sum().backward()
        >>> optimizer.step()
        >>> w
        tensor([0.8500], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
