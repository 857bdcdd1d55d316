"""``torch.distributions``: probability distributions to sample from and score.

Example (REINFORCE-style):
    >>> import glasstorch as torch
    >>> from glasstorch.distributions import Categorical
    >>> _ = torch.manual_seed(0)
    >>> probs = torch.tensor([0.2, 0.8], requires_grad=True)
    >>> m = Categorical(probs)
    >>> action = m.sample()
    >>> action
    tensor(1)
    >>> loss = -m.log_prob(action)
    >>> loss.backward()
    >>> probs.grad
    tensor([ 1.0000, -0.2500])
"""

from __future__ import annotations

from glasstorch.distributions import constraints
from glasstorch.distributions.bernoulli import Bernoulli
from glasstorch.distributions.categorical import Categorical
from glasstorch.distributions.distribution import Distribution
from glasstorch.distributions.kl import kl_divergence, register_kl
from glasstorch.distributions.normal import Normal
from glasstorch.distributions.one_hot_categorical import OneHotCategorical
from glasstorch.distributions.uniform import Uniform

__all__: list[str] = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "Normal",
    "OneHotCategorical",
    "Uniform",
    "constraints",
    "kl_divergence",
    "register_kl",
]
