"""``OneHotCategorical``: a ``Categorical`` whose samples are one-hot vectors."""

from __future__ import annotations

from typing import Any

import glasstorch as torch
from glasstorch._tensor import Size, Tensor
from glasstorch.distributions import constraints
from glasstorch.distributions.categorical import Categorical
from glasstorch.distributions.distribution import _EMPTY_SIZE, Distribution, _size
from glasstorch.nn import functional as F

__all__ = ["OneHotCategorical"]


class OneHotCategorical(Distribution):
    """A categorical distribution whose samples are one-hot vectors of length ``K``.

    Args:
        probs: event probabilities.
        logits: event log probabilities (unnormalised).
        validate_args: whether to check the arguments (default: the global setting).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.distributions import OneHotCategorical
        >>> _ = torch.manual_seed(0)
        >>> OneHotCategorical(torch.tensor([0.25, 0.25, 0.5])).sample()
        tensor([0., 0., 1.])
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs: Tensor | None = None, logits: Tensor | None = None,
                 validate_args: bool | None = None) -> None:
        self._categorical = Categorical(probs, logits)
        batch_shape = self._categorical.batch_shape
        event_shape = Size(self._categorical.param_shape[-1:])
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape: _size, _instance: Any = None) -> OneHotCategorical:
        """A ``OneHotCategorical`` whose parameters are expanded (as views) to ``batch_shape``."""
        new = self._get_checked_instance(OneHotCategorical, _instance)
        batch_shape = Size(batch_shape)
        new._categorical = self._categorical.expand(batch_shape)
        super(OneHotCategorical, new).__init__(batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def _param(self) -> Tensor:
        return self._categorical._param

    @property
    def probs(self) -> Tensor:
        """Normalised probabilities."""
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        """Normalised log probabilities."""
        return self._categorical.logits

    @property
    def mean(self) -> Tensor:
        """``probs``."""
        return self._categorical.probs

    @property
    def mode(self) -> Tensor:
        """One-hot vector of the most probable class."""
        probs = self._categorical.probs
        mode = probs.argmax(dim=-1)
        return F.one_hot(mode, num_classes=probs.shape[-1]).to(probs)

    @property
    def variance(self) -> Tensor:
        """``probs * (1 - probs)``."""
        return self._categorical.probs * (1 - self._categorical.probs)

    @property
    def param_shape(self) -> Size:
        """The shape of the parameter given."""
        return self._categorical.param_shape

    def sample(self, sample_shape: _size = _EMPTY_SIZE) -> Tensor:
        """One-hot encode a ``Categorical`` sample (same random stream as torch)."""
        sample_shape = Size(sample_shape)
        probs = self._categorical.probs
        num_events = self._categorical._num_events
        indices = self._categorical.sample(sample_shape)
        return F.one_hot(indices, num_events).to(probs)

    def log_prob(self, value: Any) -> Tensor:
        """The log probability of the class marked in each one-hot ``value``."""
        if self._validate_args:
            self._validate_sample(value)
        indices = value.max(-1)[1]
        return self._categorical.log_prob(indices)

    def entropy(self) -> Tensor:
        """The entropy of the underlying ``Categorical``."""
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """The ``K`` one-hot vectors along dim 0 (expanded over the batch when ``expand``)."""
        n = self.event_shape[0]
        values = torch.eye(n, dtype=self._param.dtype, device=self._param.device)
        values = values.view((n,) + (1,) * len(self.batch_shape) + (n,))
        if expand:
            values = values.expand((n,) + tuple(self.batch_shape) + (n,))
        return values
