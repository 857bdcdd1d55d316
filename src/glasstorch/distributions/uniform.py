"""``Uniform``: the continuous uniform distribution on ``[low, high)``."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import glasstorch as torch
from glasstorch._tensor import Size, Tensor
from glasstorch.distributions import constraints
from glasstorch.distributions.distribution import _EMPTY_SIZE, Distribution, _size
from glasstorch.distributions.utils import broadcast_all

__all__ = ["Uniform"]


class Uniform(Distribution):
    """Uniformly distributed samples from the half-open interval ``[low, high)``.

    Args:
        low: lower bound (inclusive).
        high: upper bound (exclusive).
        validate_args: whether to check the arguments (default: the global setting).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.distributions import Uniform
        >>> _ = torch.manual_seed(0)
        >>> m = Uniform(0.0, 5.0)
        >>> m.sample()
        tensor(2.4813)
        >>> m
        Uniform(low: 0.0, high: 5.0)
    """

    has_rsample = True

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:
        """``low < high`` and ``high > low``."""
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @property
    def mean(self) -> Tensor:
        """``(high + low) / 2``."""
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        """NaN: every point of the interval is a mode."""
        return math.nan * self.high

    @property
    def stddev(self) -> Tensor:
        """``(high - low) / sqrt(12)``."""
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        """``(high - low) ** 2 / 12``."""
        return (self.high - self.low).pow(2) / 12

    def __init__(self, low: Tensor | float, high: Tensor | float,
                 validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        if isinstance(low, Number) and isinstance(high, Number):
            batch_shape = Size()
        else:
            batch_shape = self.low.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: _size, _instance: Any = None) -> Uniform:
        """A ``Uniform`` whose bounds are expanded (as views) to ``batch_shape``."""
        new = self._get_checked_instance(Uniform, _instance)
        batch_shape = Size(batch_shape)
        new.low = self.low.expand(batch_shape)
        new.high = self.high.expand(batch_shape)
        super(Uniform, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        """``interval(low, high)``."""
        return constraints.interval(self.low, self.high)

    def rsample(self, sample_shape: _size = _EMPTY_SIZE) -> Tensor:
        """``low + rand * (high - low)``, with ``rand`` drawn as torch draws it; differentiable."""
        shape = self._extended_shape(sample_shape)
        rand = torch.rand(shape, dtype=self.low.dtype, device=self.low.device)
        return self.low + rand * (self.high - self.low)

    def log_prob(self, value: Any) -> Tensor:
        """``-log(high - low)`` inside the interval, ``-inf`` outside."""
        if self._validate_args:
            self._validate_sample(value)
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return torch.log(lb.mul(ub)) - torch.log(self.high - self.low)

    def cdf(self, value: Any) -> Tensor:
        """``clamp((value - low) / (high - low), 0, 1)``."""
        if self._validate_args:
            self._validate_sample(value)
        result = (value - self.low) / (self.high - self.low)
        return result.clamp(min=0, max=1)

    def icdf(self, value: Any) -> Tensor:
        """``value * (high - low) + low``."""
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        """``log(high - low)``."""
        return torch.log(self.high - self.low)
