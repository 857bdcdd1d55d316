"""``Normal``: the Gaussian distribution."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import glasstorch as torch
from glasstorch._tensor import Size, Tensor
from glasstorch.distributions import constraints
from glasstorch.distributions.distribution import _EMPTY_SIZE, Distribution, _size
from glasstorch.distributions.utils import _standard_normal, broadcast_all

__all__ = ["Normal"]


class Normal(Distribution):
    """A normal (Gaussian) distribution with mean ``loc`` and standard deviation ``scale``.

    Args:
        loc: mean of the distribution (mu).
        scale: standard deviation of the distribution (sigma), positive.
        validate_args: whether to check the arguments (default: the global setting).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.distributions import Normal
        >>> _ = torch.manual_seed(0)
        >>> m = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
        >>> m
        Normal(loc: torch.Size([2]), scale: torch.Size([2]))
        >>> m.sample()
        tensor([1.5410, 0.4131])
        >>> m.log_prob(torch.tensor([0.5, 0.5]))
        tensor([-1.0439, -1.6433])
    """

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True
    _mean_carrier_measure = 0

    @property
    def mean(self) -> Tensor:
        """``loc``."""
        return self.loc

    @property
    def mode(self) -> Tensor:
        """``loc``."""
        return self.loc

    @property
    def stddev(self) -> Tensor:
        """``scale``."""
        return self.scale

    @property
    def variance(self) -> Tensor:
        """``scale ** 2``."""
        return self.stddev.pow(2)

    def __init__(self, loc: Tensor | float, scale: Tensor | float,
                 validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        if isinstance(loc, Number) and isinstance(scale, Number):
            batch_shape = Size()
        else:
            batch_shape = self.loc.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: _size, _instance: Any = None) -> Normal:
        """A ``Normal`` whose parameters are expanded (as views) to ``batch_shape``."""
        new = self._get_checked_instance(Normal, _instance)
        batch_shape = Size(batch_shape)
        new.loc = self.loc.expand(batch_shape)
        new.scale = self.scale.expand(batch_shape)
        super(Normal, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape: _size = _EMPTY_SIZE) -> Tensor:
        """Draw samples with ``torch.normal`` (same random stream as torch), without gradient."""
        shape = self._extended_shape(sample_shape)
        with torch.no_grad():
            return torch.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape: _size = _EMPTY_SIZE) -> Tensor:
        """Reparameterized sample ``loc + eps * scale`` with ``eps ~ N(0, 1)``; differentiable."""
        shape = self._extended_shape(sample_shape)
        eps = _standard_normal(shape, dtype=self.loc.dtype, device=self.loc.device)
        return self.loc + eps * self.scale

    def log_prob(self, value: Any) -> Tensor:
        """``-(value - loc)**2 / (2 scale**2) - log(scale) - log(sqrt(2 pi))``."""
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale**2
        log_scale = math.log(self.scale) if isinstance(self.scale, Number) else self.scale.log()
        return -((value - self.loc) ** 2) / (2 * var) - log_scale - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value: Any) -> Tensor:
        """``0.5 * (1 + erf((value - loc) / (scale sqrt 2)))``."""
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + torch.erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value: Any) -> Tensor:
        """``loc + scale * erfinv(2 value - 1) * sqrt 2``."""
        return self.loc + self.scale * torch.erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        """``0.5 + 0.5 log(2 pi) + log(scale)``."""
        return 0.5 + 0.5 * math.log(2 * math.pi) + torch.log(self.scale)
