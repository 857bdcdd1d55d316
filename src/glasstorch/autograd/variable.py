"""``torch.autograd.Variable``, the pre-0.4 wrapper that older tutorials still import.

Since PyTorch 0.4 a Variable *is* a Tensor: ``Variable(t, requires_grad=True)`` returns a
new leaf tensor sharing ``t``'s memory, and ``isinstance(t, Variable)`` is true for every
tensor. glasstorch does the same, so ``from torch.autograd import Variable`` code runs.

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.autograd import Variable
    >>> Variable(torch.ones(2), requires_grad=True)
    tensor([1., 1.], requires_grad=True)
"""

from __future__ import annotations

import warnings
from typing import Any

from glasstorch._tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: ``data`` as a new leaf tensor (same memory)."""

    def __new__(cls, data: Any = None, requires_grad: bool = False,  # type: ignore[misc]
                volatile: bool = False) -> Tensor:
        """Return ``data`` detached, as a leaf with ``requires_grad`` (``volatile`` is gone)."""
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with "
                          "torch.no_grad():` instead.", UserWarning, stacklevel=2)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = data.detach()
        return out.requires_grad_(requires_grad) if requires_grad else out
