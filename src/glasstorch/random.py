"""``torch.random``: seeding and saving/restoring the global CPU generator.

The global generator is :data:`glasstorch._generator.default_generator`; everything here is
a thin wrapper around its methods, as in PyTorch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from glasstorch._generator import Generator, default_generator

__all__ = [
    "set_rng_state",
    "get_rng_state",
    "manual_seed",
    "seed",
    "initial_seed",
    "fork_rng",
    "Generator",
    "default_generator",
]


def manual_seed(seed: int) -> Generator:
    """Seed the global generator and return it.

    ``seed`` must be an integer in ``[-2**63, 2**64)``; negative values wrap modulo 2**64.
    Only its low 32 bits enter the MT19937 state (as in torch).

    Example:
        >>> import glasstorch as torch
        >>> g = torch.manual_seed(42)
        >>> g.initial_seed()
        42
    """
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the global generator with a non-deterministic number and return it."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the global generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    """The global generator's state as a ``torch.uint8`` tensor of 5056 bytes.

    The bytes are laid out exactly as torch's, so a state saved here can be restored in
    PyTorch with ``torch.set_rng_state(torch.tensor(state.numpy()))`` and vice versa.
    """
    from glasstorch._tensor import Tensor

    return Tensor._wrap(default_generator.get_state())


def set_rng_state(new_state: Any) -> None:
    """Restore the global generator's state from :func:`get_rng_state`'s tensor."""
    from glasstorch._tensor import Tensor

    if not isinstance(new_state, Tensor):
        raise TypeError(
            f"expected a torch.ByteTensor, but got {type(new_state).__module__}."
            f"{type(new_state).__name__}"
        )
    default_generator.set_state(new_state._data)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str = "cuda") -> Iterator[None]:
    """Run a block, then put the global generator back where it was.

    glasstorch has only the CPU generator, so ``devices`` must be empty or ``None``.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> with torch.random.fork_rng():
        ...     _ = torch.rand(3)
        >>> torch.rand(1)  # as if the block had not drawn
        tensor([0.4963])
    """
    if devices is not None and len(list(devices)) > 0:
        raise RuntimeError(
            f"{_caller}: glasstorch has no CUDA devices, so there is no device RNG to fork; "
            f"pass {_devices_kw}=[] (the CPU generator is always forked)"
        )
    if not enabled:
        yield
        return
    state = default_generator.get_state()
    try:
        yield
    finally:
        default_generator.set_state(state)
