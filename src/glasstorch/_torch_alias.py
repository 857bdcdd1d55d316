"""Serve ``import torch`` (and ``torch.nn``, ``torch.optim`` ...) from glasstorch.

``glasstorch run script.py`` installs this finder so an unmodified PyTorch script runs on
glasstorch; the script file itself is not changed.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType
from typing import Any

# torch modules whose glasstorch counterpart lives under another name: torch.autograd.function
# holds the public Function (glasstorch.autograd.function is the ops' array-level base).
_RENAMED = {"torch.autograd.function": "glasstorch.autograd.custom"}


class TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Maps ``torch`` to ``glasstorch`` and ``torch.X.Y`` to ``glasstorch.X.Y``."""

    def __init__(self) -> None:
        self._specs: dict[str, Any] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        return importlib.util.spec_from_loader(fullname, self, origin="glasstorch alias")

    def create_module(self, spec: Any) -> ModuleType:
        real = _RENAMED.get(spec.name) or "glasstorch" + spec.name[len("torch"):]
        try:
            module = importlib.import_module(real)
            self._specs[spec.name] = module.__spec__
            return module
        except ModuleNotFoundError as err:
            if err.name != real:
                raise
            raise ModuleNotFoundError(
                f"glasstorch does not implement {spec.name} yet (the script imports it)",
                name=spec.name,
            ) from None

    def exec_module(self, module: ModuleType) -> None:
        # The real module already ran; the import system stamped the alias spec on it, so
        # put glasstorch's own spec back (its submodule imports rely on it).
        real_spec = self._specs.pop(module.__spec__.name, None) if module.__spec__ else None
        if real_spec is not None:
            module.__spec__ = real_spec


def install() -> None:
    """Put the alias first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, TorchAlias) for f in sys.meta_path):
        sys.meta_path.insert(0, TorchAlias())
