"""The grad-mode switch: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

While grad mode is off, ops record no graph (their results have ``grad_fn=None``). Each
manager works as a ``with`` block and as a function decorator, like torch's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# A one-element list so that hot code can read ``_enabled[0]`` without a function call.
_enabled = [True]


def is_grad_enabled() -> bool:
    """True when operations record the graph for ``backward()``."""
    return _enabled[0]


class _GradMode:
    """Base of the managers: remember the previous mode and restore it on exit."""

    _mode: bool = True

    def __init__(self) -> None:
        self._prev: list[bool] = []

    def __enter__(self) -> None:
        self._prev.append(_enabled[0])
        _enabled[0] = self._mode

    def __exit__(self, *exc: object) -> None:
        _enabled[0] = self._prev.pop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]  # (wraps keeps func's signature)

    def clone(self) -> _GradMode:
        return self.__class__()


class no_grad(_GradMode):  # noqa: N801
    """Turn graph recording off, e.g. for a manual parameter update.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.ones(2, requires_grad=True)
        >>> with torch.no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    _mode = False


class enable_grad(_GradMode):  # noqa: N801
    """Turn graph recording back on inside a ``no_grad`` block."""

    _mode = True


class set_grad_enabled(_GradMode):  # noqa: N801
    """Set grad mode to ``mode``; takes effect at once, and also works with ``with``.

    Example:
        >>> import glasstorch as torch
        >>> with torch.set_grad_enabled(False):
        ...     torch.is_grad_enabled()
        False
    """

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._mode = bool(mode)
        # torch switches immediately, so `torch.set_grad_enabled(False)` alone works too.
        self._prev.append(_enabled[0])
        _enabled[0] = self._mode

    def __enter__(self) -> None:
        pass  # already switched in __init__

    def __exit__(self, *exc: object) -> None:
        _enabled[0] = self._prev.pop()

    def __call__(self, func: F) -> F:
        """Use as a decorator: undo the immediate switch, apply the mode per call instead."""
        _enabled[0] = self._prev.pop()
        mode = self._mode

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]  # (wraps keeps func's signature)

    def clone(self) -> set_grad_enabled:
        """A new ``set_grad_enabled`` with the same mode (switches at once, like any)."""
        return set_grad_enabled(self._mode)


class inference_mode(no_grad):  # noqa: N801
    """Like ``no_grad`` (glasstorch has no separate inference tensors)."""

    def __init__(self, mode: bool = True) -> None:
        super().__init__()
        self._mode = not mode
