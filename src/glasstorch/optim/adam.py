"""``Adam``: adaptive moment estimation (with AMSGrad and decoupled weight decay)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glasstorch._tensor import Tensor
from glasstorch.optim import _kernels
from glasstorch.optim.optimizer import ParamsT


class Adam(_kernels.KernelOptimizer):
    """Adam, step for step (and bit for bit on float32) as ``torch.optim.Adam`` on CPU.

    For each parameter ``p`` with a gradient, at step ``t`` (counted per parameter)::

        g = -p.grad if maximize else p.grad
        if weight_decay != 0:
            if decoupled_weight_decay:  p = p * (1 - lr * weight_decay)    # AdamW
            else:                       g = g + weight_decay * p           # L2 penalty
        m = m.lerp(g, 1 - beta1)                  # = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        if amsgrad:
            v_max = max(v_max, v);  v = v_max     # never let the step size grow back
        denom = sqrt(v) / sqrt(1 - beta2 ** t) + eps
        p = p - lr / (1 - beta1 ** t) * m / denom

    The state of each parameter is ``'step'`` (a float32 scalar tensor), ``'exp_avg'``
    (``m``), ``'exp_avg_sq'`` (``v``) and, with ``amsgrad``, ``'max_exp_avg_sq'``, as in
    PyTorch, so ``state_dict()`` has torch's layout. Each in-place op rounds like torch's
    CPU kernel, including torch's float32 square root (see ``optim/_kernels.py``).

    Args:
        params: ``model.parameters()``, a list of tensors, or a list of parameter groups.
        lr: learning rate (a float, or a 1-element tensor). Default: ``1e-3``.
        betas: decay rates of the running averages ``m`` and ``v`` (Python floats).
            Default: ``(0.9, 0.999)``.
        eps: added to the denominator, keeps the step finite. Default: ``1e-8``.
        weight_decay: L2 penalty (or decoupled decay). Default: 0.
        amsgrad: use the AMSGrad variant. Default: False.
        foreach: only ``None`` / ``False`` (torch's choice on CPU: one tensor at a time).
        maximize: maximize the objective instead of minimizing it.
        capturable: only ``False`` (CUDA graphs).
        differentiable: only ``False``.
        fused: only ``None`` / ``False``.
        decoupled_weight_decay: decay the weights directly, as AdamW. Default: False.

    Raises:
        ValueError: a negative lr, eps or weight decay, a beta outside ``[0, 1)``
            (torch's messages).
        NotImplementedError: ``foreach``, ``fused``, ``capturable`` or ``differentiable``
            set to True, or betas given as tensors.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.Adam([w], lr=0.1)
        >>> for _ in range(3):
        ...     optimizer.zero_grad()
        ...     (w ** 2).sum().backward()
        ...     optimizer.step()
        >>> w
        tensor([ 0.7016, -1.7006], requires_grad=True)
        >>> sorted(optimizer.state[w])
        ['exp_avg', 'exp_avg_sq', 'step']
    """

    def __init__(self, params: ParamsT, lr: float | Tensor = 1e-3,
                 betas: tuple[float | Tensor, float | Tensor] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        # torch's checks, in torch's order and with torch's messages
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            if lr.numel() != 1:
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
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        if isinstance(betas[0], Tensor):
            raise NotImplementedError(
                "glasstorch's Adam takes betas as Python floats, not tensors: pass "
                "betas=(0.9, 0.999) (or your values) as floats."
            )
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        super().__init__(params, defaults)  # refuses foreach=True etc. (_kernels)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional function that re-evaluates the model and returns the loss
                (it runs with gradients enabled); its result is returned.
        """
        loss = self._closure_loss(closure)
        name = type(self).__name__
        work = self._work
        for group in self.param_groups:
            _kernels.check_supported(name, group)
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            plan = self._flat_plan(group)
            if plan is not None:
                self._flat_step(plan, group)
                continue
            for p in group["params"]:
                if p._grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = Tensor._wrap(np.zeros((), np.float32))
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(p._data))
                    state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._data))
                    if amsgrad:
                        state["max_exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._data))
                param = p._data
                grad = p._grad._data
                if maximize:
                    grad = np.negative(grad, out=work.get("grad", grad))
                step_t = state["step"]._data
                step_t += 1
                step = float(step_t)
                if weight_decay != 0:
                    if decoupled:
                        # torch: param.mul_(1 - lr * weight_decay)
                        factor = 1 - (lr._data.reshape(()) * weight_decay if isinstance(lr, Tensor)
                                      else lr * weight_decay)
                        np.multiply(param, param.dtype.type(factor), out=param)
                    else:
                        # into scratch memory: p.grad stays as it is
                        grad = _kernels.add_scaled(grad, param, weight_decay,
                                                   work.get("grad", grad), work)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _kernels.lerp_(exp_avg, grad, 1 - beta1, work)
                np.multiply(exp_avg_sq, exp_avg_sq.dtype.type(beta2), out=exp_avg_sq)
                _kernels.addcmul_(exp_avg_sq, grad, grad, 1 - beta2, work)
                # bias corrections in Python floats, as torch (a tensor lr divides as one)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                if isinstance(lr, Tensor):
                    step_size = float(lr._data.reshape(()) / bias_correction1)
                else:
                    step_size = lr / bias_correction1
                if amsgrad:
                    max_exp_avg_sq = state["max_exp_avg_sq"]._data
                    np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    denom = _kernels.sqrt(max_exp_avg_sq, work)
                else:
                    denom = _kernels.sqrt(exp_avg_sq, work)
                dtype = denom.dtype.type
                np.divide(denom, dtype(bias_correction2 ** 0.5), out=denom)
                np.add(denom, dtype(eps), out=denom)
                _kernels.addcdiv_(param, exp_avg, denom, -step_size, work)
                p._bump()  # an in-place change: autograd's saved-tensor check must see it
        return loss

    # ------------------------------------------------------------------ the flat path
    # A small model's parameters are a few small arrays, and each NumPy call costs about a
    # microsecond whatever its size: one pass over all of a group's parameters at once (like
    # torch's foreach path) takes a quarter of the calls. Every operation is elementwise, so
    # the bits are the same as parameter by parameter. The state tensors become views into
    # one flat buffer per state (exp_avg, exp_avg_sq, max_exp_avg_sq).

    def _flat_plan(self, group: dict[str, Any]) -> _FlatPlan | None:
        """The group's flat layout, (re)built when needed; None where it does not apply."""
        params = group["params"]
        if isinstance(group["lr"], Tensor) or (group["weight_decay"] != 0
                                                and not group["decoupled_weight_decay"]):
            return None
        for p in params:
            if p._grad is None or p._data.dtype != np.float32 \
                    or p._grad._data.dtype != np.float32:
                return None
        plans: dict[int, _FlatPlan] = self.__dict__.setdefault("_flat_plans", {})
        plan = plans.get(id(group))
        if plan is not None and plan.matches(self, group):
            return plan
        plan = _FlatPlan.build(self, group)
        if plan is not None:
            plans[id(group)] = plan
        return plan

    def _flat_step(self, plan: _FlatPlan, group: dict[str, Any]) -> None:
        """One Adam step of every parameter in ``group`` through the flat buffers."""
        work = self._work
        beta1, beta2 = group["betas"]
        lr, eps, amsgrad = group["lr"], group["eps"], group["amsgrad"]
        params = group["params"]
        grad = plan.grad
        np.concatenate([p._grad._data.reshape(-1) for p in params], out=grad)
        if group["maximize"]:
            np.negative(grad, out=grad)
        for step_t in plan.steps:
            step_t += 1
        step = float(plan.steps[0])
        weight_decay = group["weight_decay"]
        if weight_decay != 0:  # decoupled (AdamW): param.mul_(1 - lr * weight_decay)
            factor = np.float32(1 - lr * weight_decay)
            for p in params:
                np.multiply(p._data, factor, out=p._data)
        _kernels.lerp_(plan.exp_avg, grad, 1 - beta1, work)
        np.multiply(plan.exp_avg_sq, np.float32(beta2), out=plan.exp_avg_sq)
        _kernels.addcmul_(plan.exp_avg_sq, grad, grad, 1 - beta2, work)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        if amsgrad:
            assert plan.max_exp_avg_sq is not None
            np.maximum(plan.max_exp_avg_sq, plan.exp_avg_sq, out=plan.max_exp_avg_sq)
            denom = _kernels.sqrt(plan.max_exp_avg_sq, work)
        else:
            denom = _kernels.sqrt(plan.exp_avg_sq, work)
        np.divide(denom, np.float32(bias_correction2 ** 0.5), out=denom)
        np.add(denom, np.float32(eps), out=denom)
        # param.addcdiv_(exp_avg, denom, value=-step_size), the final add per parameter
        quotient = np.multiply(plan.exp_avg, np.float32(-step_size),
                               out=work.get("quotient", plan.exp_avg))
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(quotient, denom, out=quotient)
        for p, (start, stop) in zip(params, plan.spans):  # noqa: B905 (built from params)
            p._data += quotient[start:stop].reshape(p._data.shape)
            p._bump()


class _FlatPlan:
    """Where each parameter of a group sits in the flat state buffers."""

    def __init__(self, params: list[Any], spans: list[tuple[int, int]], amsgrad: bool) -> None:
        total = spans[-1][1] if spans else 0
        self.params = list(params)
        self.spans = spans
        self.amsgrad = amsgrad
        self.grad = np.empty(total, np.float32)
        self.exp_avg = np.zeros(total, np.float32)
        self.exp_avg_sq = np.zeros(total, np.float32)
        self.max_exp_avg_sq = np.zeros(total, np.float32) if amsgrad else None
        self.views: list[tuple[np.ndarray, ...]] = []
        self.steps: list[np.ndarray] = []

    @classmethod
    def build(cls, opt: Adam, group: dict[str, Any]) -> _FlatPlan | None:
        """Lay the group out flat, moving any existing state into the buffers."""
        params = group["params"]
        spans, start = [], 0
        for p in params:
            spans.append((start, start + p._data.size))
            start += p._data.size
        keys = ["exp_avg", "exp_avg_sq"] + (["max_exp_avg_sq"] if group["amsgrad"] else [])
        steps = set()
        for p in params:
            state = opt.state[p]
            if state:
                if set(state) != {"step", *keys} or any(
                        state[k]._data.dtype != np.float32 for k in keys):
                    return None
                steps.add(float(state["step"]._data))
            else:
                steps.add(0.0)
        if len(steps) > 1:  # bias corrections differ between parameters
            return None
        plan = cls(params, spans, group["amsgrad"])
        buffers = [plan.exp_avg, plan.exp_avg_sq]
        if plan.max_exp_avg_sq is not None:
            buffers.append(plan.max_exp_avg_sq)
        for p, (begin, end) in zip(params, spans):  # noqa: B905 (built from params)
            state = opt.state[p]
            if not state:
                state["step"] = Tensor._wrap(np.zeros((), np.float32))
            views = []
            for key, flat in zip(keys, buffers):  # noqa: B905
                view = flat[begin:end].reshape(p._data.shape)
                if key in state:
                    view[...] = state[key]._data
                state[key] = Tensor._wrap(view)
                views.append(view)
            plan.views.append(tuple(views))
            plan.steps.append(state["step"]._data)
        return plan

    def matches(self, opt: Adam, group: dict[str, Any]) -> bool:
        """Still the same parameters, options and state tensors as when it was built."""
        params = group["params"]
        if len(params) != len(self.params) or group["amsgrad"] != self.amsgrad:
            return False
        keys = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
        for p, mine, views, step in zip(params, self.params, self.views, self.steps):  # noqa: B905
            if p is not mine or p._data.shape != views[0].shape:
                return False
            state = opt.state.get(p)
            if not state or state["step"]._data is not step:
                return False
            for key, view in zip(keys, views):  # noqa: B905
                if state[key]._data is not view:
                    return False
        # a parameter skipped at some step (no grad) has its own bias correction now
        first = float(self.steps[0])
        return all(float(step) == first for step in self.steps)
