"""``Identity`` and ``Linear`` (PyTorch's initialisation, so seeded runs match PyTorch)."""

from __future__ import annotations

import math
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty

__all__ = ["Identity", "Linear"]


class Identity(Module):
    """Returns its input unchanged (a placeholder; any constructor arguments are ignored).

    Example:
        >>> import glasstorch as torch
        >>> torch.nn.Identity(54, unused=0.1)(torch.tensor([1.0, 2.0]))
        tensor([1., 2.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """``input`` itself (the same tensor object)."""
        return input


class Linear(Module):
    """Applies an affine map to the last dimension: ``y = x @ weight.T + bias``.

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: if ``False``, the layer has no additive bias. Default: ``True``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype (default: the default dtype, float32).

    Shape:
        - Input: ``(*, in_features)``, any number of leading dimensions.
        - Output: ``(*, out_features)``.

    Attributes:
        weight: shape ``(out_features, in_features)``, initialised from
            ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` (PyTorch's
            ``kaiming_uniform_(a=sqrt(5))``).
        bias: shape ``(out_features,)``, from the same distribution.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.Linear(20, 30)
        >>> m(torch.randn(128, 20)).shape
        torch.Size([128, 30])
        >>> m
        Linear(in_features=20, out_features=30, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty((out_features, in_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights exactly as PyTorch does (same random calls, same order)."""
        # kaiming_uniform_ with a=sqrt(5) is uniform(-1/sqrt(in), 1/sqrt(in)); torch keeps
        # this form for reproducibility (pytorch/pytorch#57109).
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """``input @ weight.T + bias``, through the fused ``F.linear``."""
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """The sizes and whether there is a bias, as torch prints them."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
