"""``Parameter``: a Tensor that a Module registers as one of its learnable weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from glasstorch._tensor import Tensor


class Parameter(Tensor):
    """A Tensor that is registered as a parameter when assigned to a Module attribute.

    It shares memory (and the in-place version counter) with ``data``, and requires a
    gradient by default, even inside ``torch.no_grad()``. It prints with the header
    ``Parameter containing:``; results of ops on it are ordinary Tensors.

    Args:
        data: the initial values (a Tensor). ``None`` gives an empty float32 tensor.
        requires_grad: whether the parameter requires a gradient. Default: ``True``.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.nn.Parameter(torch.zeros(2))
        >>> w
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
        >>> isinstance(w, torch.Tensor), w.is_leaf
        (True, True)
    """

    _is_parameter = True  # the printer adds "Parameter containing:" for this class

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        """A leaf parameter sharing ``data``'s memory and version counter (no copy)."""
        if data is None:
            data = Tensor._wrap(np.empty((0,), np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter expects a Tensor as data, but got {type(data).__name__}. Wrap the "
                "values first, e.g. nn.Parameter(torch.tensor(values))."
            )
        param = object.__new__(cls)
        param._data = data._data
        param._vc = data._vc_get()  # like torch's detach(): same memory, same version counter
        param.requires_grad_(requires_grad)
        return param

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(Tensor._wrap(self._data.copy()), self._rg)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto: Any) -> Any:
        return (_rebuild_parameter, (self._data, self._rg))


def _rebuild_parameter(data: np.ndarray, requires_grad: bool) -> Parameter:
    """Unpickling helper (``pickle`` / ``copy`` of a Parameter)."""
    return Parameter(Tensor._wrap(data), requires_grad)
