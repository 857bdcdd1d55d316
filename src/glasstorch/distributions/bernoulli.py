"""``Bernoulli``: a coin flip that gives 1 with probability ``probs``."""

from __future__ import annotations

import math
from numbers import Number
from typing import Any

import glasstorch as torch
from glasstorch._tensor import Size, Tensor
from glasstorch.distributions import constraints
from glasstorch.distributions.distribution import _EMPTY_SIZE, Distribution, _size
from glasstorch.distributions.utils import (
    broadcast_all,
    lazy_property,
    logits_to_probs,
    probs_to_logits,
)
from glasstorch.nn.functional import binary_cross_entropy_with_logits

__all__ = ["Bernoulli"]


class Bernoulli(Distribution):
    """A Bernoulli distribution parameterized by ``probs`` or ``logits`` (not both).

    Samples are 0 or 1 (in the parameter's dtype): 1 with probability ``p``.

    Args:
        probs: the probability of sampling 1.
        logits: the log-odds of sampling 1.
        validate_args: whether to check the arguments (default: the global setting).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.distributions import Bernoulli
        >>> _ = torch.manual_seed(0)
        >>> m = Bernoulli(torch.tensor([0.3, 0.9]))
        >>> m.sample()
        tensor([0., 1.])
        >>> m
        Bernoulli(probs: torch.Size([2]))
    """

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True
    _mean_carrier_measure = 0

    def __init__(self, probs: Tensor | float | None = None, logits: Tensor | float | None = None,
                 validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            is_scalar = isinstance(probs, Number)
            (self.probs,) = broadcast_all(probs)
        else:
            is_scalar = isinstance(logits, Number)
            (self.logits,) = broadcast_all(logits)
        self._param = self.probs if probs is not None else self.logits
        batch_shape = Size() if is_scalar else self._param.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: _size, _instance: Any = None) -> Bernoulli:
        """A ``Bernoulli`` whose parameter is expanded (as a view) to ``batch_shape``."""
        new = self._get_checked_instance(Bernoulli, _instance)
        batch_shape = Size(batch_shape)
        if "probs" in self.__dict__:
            new.probs = self.probs.expand(batch_shape)
            new._param = new.probs
        if "logits" in self.__dict__:
            new.logits = self.logits.expand(batch_shape)
            new._param = new.logits
        super(Bernoulli, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        """``probs``."""
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where ``probs > 0.5``, 0 where below, NaN at exactly 0.5."""
        mode = (self.probs >= 0.5).to(self.probs)
        mode[self.probs == 0.5] = math.nan
        return mode

    @property
    def variance(self) -> Tensor:
        """``probs * (1 - probs)``."""
        return self.probs * (1 - self.probs)

    @lazy_property
    def logits(self) -> Tensor:
        """Log-odds ``log(p) - log(1 - p)`` (computed from ``probs`` on first use)."""
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self) -> Tensor:
        """``sigmoid(logits)`` (computed from ``logits`` on first use)."""
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self) -> Size:
        """The shape of the parameter given."""
        return self._param.size()

    def sample(self, sample_shape: _size = _EMPTY_SIZE) -> Tensor:
        """Draw with ``torch.bernoulli`` (same random stream as torch)."""
        shape = self._extended_shape(sample_shape)
        with torch.no_grad():
            return torch.bernoulli(self.probs.expand(shape))

    def log_prob(self, value: Any) -> Tensor:
        """``-binary_cross_entropy_with_logits(logits, value)``, elementwise."""
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        """``binary_cross_entropy_with_logits(logits, probs)``, elementwise."""
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """``[0, 1]`` along dim 0 (expanded over the batch when ``expand``)."""
        values = torch.arange(2, dtype=self._param.dtype, device=self._param.device)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1,) + tuple(self._batch_shape))
        return values
