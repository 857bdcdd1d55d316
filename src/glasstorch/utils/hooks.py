"""``torch.utils.hooks.RemovableHandle``: what ``register_hook`` and module hooks return.

Example:
    >>> import glasstorch as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> handle = x.register_hook(lambda grad: grad * 10)
    >>> (x * 3).sum().backward()
    >>> x.grad
    tensor([30., 30.])
    >>> handle.remove()
"""

from __future__ import annotations

import weakref
from typing import Any

__all__ = ["RemovableHandle"]


class RemovableHandle:
    """Removes one hook from the dict it was registered in (``handle.remove()``).

    Also a context manager: the hook is removed when the ``with`` block ends.
    """

    next_id: int = 0

    def __init__(self, hooks_dict: dict[int, Any]) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1

    def remove(self) -> None:
        """Unregister the hook (doing nothing if it is gone already)."""
        hooks_dict = self.hooks_dict_ref()
        if hooks_dict is not None and self.id in hooks_dict:
            del hooks_dict[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *args: Any) -> None:
        self.remove()
