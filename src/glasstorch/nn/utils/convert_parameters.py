"""``parameters_to_vector`` and ``vector_to_parameters``: a model's parameters as one vector."""

from __future__ import annotations

from collections.abc import Iterable

from glasstorch._tensor import Tensor
from glasstorch.nn.modules.module import typename
from glasstorch.ops.shape import cat

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one vector (``CatBackward0``).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.nn.utils import parameters_to_vector
        >>> parameters_to_vector([torch.ones(2, 2), torch.zeros(1)])
        tensor([1., 1., 1., 1., 0.])
    """
    return cat([param.view(-1) for param in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (replacing their ``.data``).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.nn.utils import vector_to_parameters
        >>> w, b = torch.zeros(2, 2), torch.zeros(1)
        >>> vector_to_parameters(torch.arange(5.0), [w, b])
        >>> w, b
        (tensor([[0., 1.],
                [2., 3.]]), tensor([4.]))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    pointer = 0
    for param in parameters:
        num_param = param.numel()
        param.data = vec[pointer:pointer + num_param].view_as(param).data
        pointer += num_param
