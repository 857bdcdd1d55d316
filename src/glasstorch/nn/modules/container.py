"""``Sequential``: modules applied one after another."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterator
from itertools import islice
from typing import Any

from glasstorch.nn.modules.module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """Chains modules: the output of each is the input of the next.

    Modules are named ``"0"``, ``"1"``... in order, or by the keys of an ``OrderedDict``;
    those names are the prefixes of the ``state_dict`` keys (``0.weight``).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch import nn
        >>> model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
        >>> model
        Sequential(
          (0): Linear(in_features=2, out_features=4, bias=True)
          (1): ReLU()
          (2): Linear(in_features=4, out_features=1, bias=True)
        )
        >>> model(torch.ones(3, 2)).shape
        torch.Size([3, 1])
        >>> len(model), model[-1]
        (3, Linear(in_features=4, out_features=1, bias=True))
    """

    # narrower than Module's dict[str, Module | None]: a Sequential never holds None
    _modules: dict[str, Module]  # type: ignore[assignment]

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for key, module in args[0].items():
                self.add_module(key, module)
        else:
            for idx, module in enumerate(args):
                self.add_module(str(idx), module)

    def _key_at(self, idx: int) -> str:
        size = len(self._modules)
        idx = operator.index(idx)
        if not -size <= idx < size:
            raise IndexError(f"index {idx} is out of range")
        return next(islice(self._modules, idx % size, None))

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        return self._modules[self._key_at(idx)]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, self._key_at(idx), module)

    def __delitem__(self, idx: int | slice) -> None:
        if isinstance(idx, slice):
            for key in list(self._modules)[idx]:
                delattr(self, key)
        else:
            delattr(self, self._key_at(idx))
        # renumber so the names stay 0, 1, 2, ... (as torch does)
        self._modules = OrderedDict(
            (str(i), module) for i, module in enumerate(self._modules.values())
        )

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, sequential: Any) -> Sequential:
        """Append every module of an iterable."""
        for layer in sequential:
            self.append(layer)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert ``module`` before position ``index``."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        for i in range(n, index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module
        return self

    def forward(self, input: Any) -> Any:
        """Each module in turn, the output of one the input of the next."""
        for module in self._modules.values():
            input = module(input)
        return input
