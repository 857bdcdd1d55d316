"""Activation layers: ``ReLU``, ``Sigmoid``, ``Softmax``... (each calls its op in ``F``)."""

from __future__ import annotations

import warnings

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F
from glasstorch.nn.modules.module import Module

__all__ = ["ELU", "GELU", "Hardtanh", "LeakyReLU", "LogSoftmax", "ReLU", "ReLU6", "SiLU",
           "Sigmoid", "Softmax", "Softplus", "Tanh", "CELU", "GLU", "Hardsigmoid", "Hardswish",
           "LogSigmoid", "Mish", "SELU", "Softsign", "Tanhshrink", "Threshold"]


class ReLU(Module):
    """``max(0, x)`` elementwise.

    Args:
        inplace: overwrite the input instead of returning a new tensor. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReLU()(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``relu(input)``, written into ``input`` when ``inplace``."""
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        """``'inplace=True'`` when set, as torch prints it."""
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """``1 / (1 + exp(-x))`` elementwise.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Sigmoid()(torch.tensor([0.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``sigmoid(input)``."""
        return F.sigmoid(input)


class Tanh(Module):
    """``tanh(x)`` elementwise.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Tanh()(torch.tensor([0.0]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``tanh(input)``."""
        return F.tanh(input)


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Args:
        negative_slope: the slope for negative inputs. Default: ``0.01``.
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.LeakyReLU(0.1)
        >>> m
        LeakyReLU(negative_slope=0.1)
        >>> m(torch.tensor([-1.0, 2.0]))
        tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``leaky_relu(input, negative_slope)``."""
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        """The slope, and ``inplace=True`` when set, as torch prints them."""
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace_str}"


class ELU(Module):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Args:
        alpha: the value the negative side tends to is ``-alpha``. Default: ``1.0``.
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ELU()(torch.tensor([-1.0, 1.0]))
        tensor([-0.6321,  1.0000])
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``elu(input, alpha)``."""
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        """``alpha``, and ``inplace=True`` when set."""
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{inplace_str}"


class GELU(Module):
    """``x * Phi(x)``, Phi the standard normal CDF (or its tanh approximation).

    Args:
        approximate: ``'none'`` (exact, with erf) or ``'tanh'``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.GELU(approximate="tanh")
        GELU(approximate='tanh')
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        """``gelu(input, approximate)``."""
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        """``approximate='none'`` or ``'tanh'``."""
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """``x * sigmoid(x)`` (swish).

    Args:
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.SiLU()(torch.tensor([1.0]))
        tensor([0.7311])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``silu(input)``."""
        return F.silu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        """``'inplace=True'`` when set."""
        return "inplace=True" if self.inplace else ""


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``: a smooth ReLU (linear beyond ``threshold``).

    Args:
        beta: sharpness. Default: ``1.0``.
        threshold: above ``beta * x > threshold`` the output is ``x``. Default: ``20.0``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Softplus()
        Softplus(beta=1.0, threshold=20.0)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        """``softplus(input, beta, threshold)``."""
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """``beta`` and ``threshold``."""
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """Rescales ``dim`` so its entries are in [0, 1] and sum to 1.

    Args:
        dim: the dimension to normalise. ``None`` is deprecated: torch then picks one
            (0 for 0-, 1- and 3-d inputs, else 1) and warns.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Softmax(dim=1)
        >>> m
        Softmax(dim=1)
        >>> m(torch.tensor([[0.0, 0.0]]))
        tensor([[0.5000, 0.5000]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """``softmax(input, dim)``."""
        # _stacklevel=5 as in torch: the implicit-dim warning points at the caller's line
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        """``dim=...``."""
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``log(softmax(x))`` over ``dim``, computed stably (pair it with ``NLLLoss``).

    Args:
        dim: the dimension to normalise. ``None`` is deprecated (see ``Softmax``).

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.LogSoftmax(dim=0)(torch.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """``log_softmax(input, dim)``."""
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        """``dim=...``."""
        return f"dim={self.dim}"


class Hardtanh(Module):
    """``x`` clamped to ``[min_val, max_val]``.

    Args:
        min_val: the lower limit. Default: ``-1.0``.
        max_val: the upper limit. Default: ``1.0``.
        inplace: overwrite the input. Default: ``False``.
        min_value: deprecated spelling of ``min_val``.
        max_value: deprecated spelling of ``max_val``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Hardtanh(-2.0, 2.0)
        >>> m
        Hardtanh(min_val=-2.0, max_val=2.0)
        >>> m(torch.tensor([-3.0, 1.0, 3.0]))
        tensor([-2.,  1.,  2.])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError(
                f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})"
            )

    def forward(self, input: Tensor) -> Tensor:
        """``hardtanh(input, min_val, max_val)``."""
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        """The limits, and ``inplace=True`` when set."""
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace_str}"


class ReLU6(Hardtanh):
    """``min(max(0, x), 6)``.

    Args:
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.ReLU6()(torch.tensor([-1.0, 7.0]))
        tensor([0., 6.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        """``'inplace=True'`` when set."""
        return "inplace=True" if self.inplace else ""


class _InplaceActivation(Module):
    """A parameter-free activation with torch's ``inplace`` flag."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        """``'inplace=True'`` when set, as torch prints it."""
        return "inplace=True" if self.inplace else ""


class SELU(_InplaceActivation):
    """``scale * elu(x, alpha)`` with SELU's fixed constants (self-normalising networks).

    Args:
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.SELU()(torch.tensor([-1.0, 1.0]))
        tensor([-1.1113,  1.0507])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``selu(input)``."""
        return F.selu(input, self.inplace)


class CELU(Module):
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere.

    Args:
        alpha: the scale of the negative part. Default: ``1.0``.
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.CELU(0.5)
        CELU(alpha=0.5)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``celu(input, alpha)``."""
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        """``alpha=...`` and ``inplace=True`` when set."""
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Mish(_InplaceActivation):
    """``x * tanh(softplus(x))``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Mish()(torch.tensor([1.0]))
        tensor([0.8651])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``mish(input)``."""
        return F.mish(input, self.inplace)


class Hardswish(_InplaceActivation):
    """``x * hardsigmoid(x)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Hardswish()(torch.tensor([1.0]))
        tensor([0.6667])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``hardswish(input)``."""
        return F.hardswish(input, self.inplace)

    def extra_repr(self) -> str:
        """Nothing: torch prints ``Hardswish()`` even with ``inplace=True``."""
        return ""


class Hardsigmoid(Hardswish):
    """``clamp(x / 6 + 1/2, 0, 1)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Hardsigmoid()(torch.tensor([0.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``hardsigmoid(input)``."""
        return F.hardsigmoid(input, self.inplace)


class LogSigmoid(Module):
    """``log(sigmoid(x))``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.LogSigmoid()(torch.tensor([0.0]))
        tensor([-0.6931])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``logsigmoid(input)``."""
        return F.logsigmoid(input)


class Softsign(Module):
    """``x / (1 + |x|)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Softsign()(torch.tensor([1.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``softsign(input)``."""
        return F.softsign(input)


class Tanhshrink(Module):
    """``x - tanh(x)``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Tanhshrink()(torch.tensor([1.0]))
        tensor([0.2384])
    """

    def forward(self, input: Tensor) -> Tensor:
        """``tanhshrink(input)``."""
        return F.tanhshrink(input)


class Threshold(Module):
    """``value`` where ``x <= threshold``, ``x`` elsewhere.

    Args:
        threshold: the value to threshold at.
        value: the value that replaces the elements at or below it.
        inplace: overwrite the input. Default: ``False``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Threshold(0.1, 20.0)
        >>> m
        Threshold(threshold=0.1, value=20.0)
        >>> m(torch.tensor([0.0, 1.0]))
        tensor([20.,  1.])
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        """``threshold(input, threshold, value)``."""
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        """``threshold=..., value=...`` and ``inplace=True`` when set."""
        inplace = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace}"


class GLU(Module):
    """The gated linear unit: ``a * sigmoid(b)``, ``a`` and ``b`` the halves along ``dim``.

    Args:
        dim: the dimension to split in half. Default: ``-1``.

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.GLU()
        GLU(dim=-1)
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """``glu(input, dim)``."""
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        """``dim=...``."""
        return f"dim={self.dim}"
