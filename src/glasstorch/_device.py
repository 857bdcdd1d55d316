"""``torch.device`` and the CPU-only device rules: 'cpu' works, 'cuda' says clearly why not."""

from __future__ import annotations

from typing import Any


class device:  # noqa: N801  (torch spells it lowercase)
    """A device name; glasstorch computes on the CPU only.

    Example:
        >>> import glasstorch as torch
        >>> torch.device('cpu')
        device(type='cpu')
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        name = str(type)
        if ":" in name:
            name, _, idx = name.partition(":")
            index = int(idx)
        if name not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(
                "Expected one of cpu, cuda, mps, meta device type at start of device string: "
                f"{type}"
            )
        self.type = name
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        # as torch's: a device never equals a string (compare device.type == 'cpu')
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


class CudaUnavailableError(AssertionError, RuntimeError):
    """torch's ``AssertionError`` for a CUDA request without CUDA.

    It is also a ``RuntimeError`` (what glasstorch raised before), so both kinds of
    ``except`` catch it.
    """


def cuda_unavailable() -> CudaUnavailableError:
    """The error for any request of a GPU (``.cuda()``, ``device='cuda'``...)."""
    return CudaUnavailableError(
        "Torch not compiled with CUDA enabled: glasstorch runs on the CPU only. Use "
        "device = 'cuda' if torch.cuda.is_available() else 'cpu' and .to(device)."
    )


def check_device(dev: Any) -> None:
    """Accept 'cpu' (in any spelling); raise torch's error for a GPU device."""
    if dev is None:
        return
    if not isinstance(dev, device):
        if isinstance(dev, int):
            raise cuda_unavailable()
        dev = device(dev)
    if dev.type != "cpu":
        raise cuda_unavailable()


def parse_to_args(args: tuple[Any, ...], kwargs: dict[str, Any], t: Any) -> tuple[Any, bool]:
    """Read ``Tensor.to(...)``'s overloads: (dtype), (device, dtype), (tensor), keywords."""
    from glasstorch._dtype import dtype as DType
    from glasstorch._tensor import Tensor

    dtype = kwargs.pop("dtype", None)
    check_device(kwargs.pop("device", None))
    copy = bool(kwargs.pop("copy", False))
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, DType):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (str, device, int)):
            check_device(a)
        elif isinstance(a, bool):
            pass  # non_blocking / copy given positionally
        elif a is None:
            pass
        else:
            from glasstorch._dtype import from_numpy_dtype, to_numpy_dtype

            dtype = from_numpy_dtype(to_numpy_dtype(a))
    return dtype, copy
