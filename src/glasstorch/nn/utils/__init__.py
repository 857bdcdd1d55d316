"""``torch.nn.utils``: gradient clipping and parameter/vector conversion.

Example:
    >>> import glasstorch as torch
    >>> model = torch.nn.Linear(3, 1)
    >>> loss = model(torch.ones(4, 3)).sum()
    >>> loss.backward()
    >>> total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    >>> bool(torch.nn.utils.get_total_norm([p.grad for p in model.parameters()]) <= 1.0)
    True
"""

from __future__ import annotations

from glasstorch.nn.utils import clip_grad as clip_grad, convert_parameters as convert_parameters
from glasstorch.nn.utils.clip_grad import (
    clip_grad_norm as clip_grad_norm,
    clip_grad_norm_ as clip_grad_norm_,
    clip_grad_value_ as clip_grad_value_,
    clip_grads_with_norm_ as clip_grads_with_norm_,
    get_total_norm as get_total_norm,
)
from glasstorch.nn.utils.convert_parameters import (
    parameters_to_vector as parameters_to_vector,
    vector_to_parameters as vector_to_parameters,
)

__all__ = [
    "clip_grad",
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "convert_parameters",
    "get_total_norm",
    "parameters_to_vector",
    "vector_to_parameters",
]
