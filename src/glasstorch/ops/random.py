"""Random sampling: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``...

Each function asks a :class:`~glasstorch._generator.Generator` (the global one unless
``generator=`` is given) for NumPy values drawn exactly as PyTorch's CPU kernels draw them,
and wraps them in a Tensor. The in-place fillers at the bottom (``uniform_``, ``normal_``,
``random_``, ``bernoulli_``, ``exponential_``) back the Tensor methods of the same names.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from glasstorch import _dtype, _generator as _gen
from glasstorch._generator import Generator, default_generator
from glasstorch._tensor import Tensor

__all__ = [
    "rand",
    "randn",
    "randint",
    "randperm",
    "rand_like",
    "randn_like",
    "randint_like",
    "normal",
    "bernoulli",
    "multinomial",
    "Generator",
    "default_generator",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
]

_PY_INT = (builtins.int, np.integer)


# ------------------------------------------------------------------------------- helpers
def _generator(generator: Any) -> Generator:
    if generator is None:
        return _gen.default_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator must be a torch.Generator, not {type(generator).__name__}; create "
            "one with torch.Generator().manual_seed(0)"
        )
    return generator


def _reject(fn: str, out: Any = None, layout: Any = None, pin_memory: Any = False,
            **extra: Any) -> None:
    """torch options glasstorch does not implement: say so instead of ignoring them."""
    if out is not None:
        raise TypeError(
            f"{fn}(): the out= argument is not supported by glasstorch; assign the result "
            f"instead (x = torch.{fn}(...))"
        )
    if layout is not None and str(layout) not in ("torch.strided", "strided"):
        raise TypeError(f"{fn}(): only layout=torch.strided is supported, got {layout}")
    if pin_memory:
        raise TypeError(f"{fn}(): pin_memory=True is not supported (glasstorch is CPU-only)")
    for name, value in extra.items():
        if value is not None:
            raise TypeError(f"{fn}(): the {name}= argument is not supported by glasstorch")


def _check_device(device: Any) -> None:
    if device is not None:
        from glasstorch._device import check_device

        check_device(device)


def _sizes(fn: str, size: Sequence[Any], size_kw: Any) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``, ``f(())`` or ``f(size=(2, 3))``."""
    if size_kw is not None:
        if size:
            raise TypeError(f"{fn}(): got sizes both positionally and as size=")
        size = (size_kw,)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out: list[int] = []
    for s in size:
        if isinstance(s, Tensor) and s._data.ndim == 0 and s._data.dtype.kind in "iu":
            s = s._data.item()
        if isinstance(s, builtins.bool) or not isinstance(s, _PY_INT):
            raise TypeError(
                f"{fn}(): argument 'size' must be a tuple of ints, but found element of type "
                f"{type(s).__name__} at pos {len(out)}"
            )
        s = builtins.int(s)
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {[*out, s]}"
            )
        out.append(s)
    return tuple(out)


def _resolve_dtype(dtype: Any, default: Any = None) -> Any:
    """A glasstorch dtype from ``dtype=`` (None: ``default`` or the default float dtype)."""
    if dtype is None:
        return default if default is not None else _dtype.get_default_dtype()
    if isinstance(dtype, _dtype.dtype):
        return dtype
    return _dtype.from_numpy_dtype(_dtype.to_numpy_dtype(dtype))


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(data)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t._rg = True
    return t


def _as_int(fn: str, name: str, value: Any) -> int:
    if isinstance(value, Tensor) and value._data.ndim == 0 and value._data.dtype.kind in "iu":
        value = value._data.item()
    if isinstance(value, builtins.bool) or not isinstance(value, _PY_INT):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(value).__name__}")
    return builtins.int(value)


def _check_int_bounds(low: int, high: int, np_dtype: np.dtype) -> None:
    """torch's ``random_(from, to)`` checks: both ends must fit the dtype."""
    if not low < high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    name = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
            "int16": "short", "int32": "int", "int64": "long", "float16": "c10::Half",
            "float32": "float", "float64": "double"}.get(np_dtype.name, np_dtype.name)
    if np_dtype.kind == "b":
        lo, hi = 0, 1
    elif np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        lo, hi = builtins.int(info.min), builtins.int(info.max)
    else:
        digits = {2: 11, 4: 24, 8: 53}[np_dtype.itemsize]  # exactly representable integers
        lo, hi = -(2**digits), 2**digits
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")


def _memory_order(arr: np.ndarray) -> np.ndarray:
    """A view of ``arr`` whose C order is its memory order.

    ATen's TensorIterator walks an output by increasing stride, so a transposed tensor is
    filled column by column.
    """
    if arr.ndim <= 1 or arr.flags.c_contiguous:
        return arr
    axes = sorted(range(arr.ndim), key=lambda a: -builtins.abs(arr.strides[a]))
    return arr.transpose(axes)


def _check_inplace(t: Tensor) -> None:
    from glasstorch.autograd.grad_mode import is_grad_enabled

    if t._rg and t.grad_fn is None and is_grad_enabled():
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation. "
            "Initialise parameters inside `with torch.no_grad():` (or on p.data)."
        )


def _fill(t: Tensor, make: Any) -> Tensor:
    """Write ``make(shape, np_dtype)`` into ``t`` in memory order, in place."""
    _check_inplace(t)
    view = _memory_order(t._data)
    view[...] = make(view.shape, view.dtype)
    t._bump()
    return t


# ------------------------------------------------------------------------------ factories
def rand(*size: Any, generator: Generator | None = None, out: Any = None, dtype: Any = None,
         layout: Any = None, device: Any = None, requires_grad: bool = False,
         pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Uniform samples in [0, 1) of the given size, e.g. ``torch.rand(2, 3)``.

    Each float32 value is the low 24 bits of one MT19937 word times 2**-24, as in torch.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.rand(3)
        tensor([0.4963, 0.7682, 0.0885])
    """
    shape = _sizes("rand", size, kwargs.pop("size", None))
    _reject("rand", out, layout, pin_memory, **kwargs)
    _check_device(device)
    dt = _resolve_dtype(dtype)
    data = _generator(generator).uniform(shape, dt.np)
    return _finish(data, requires_grad)


def randn(*size: Any, generator: Generator | None = None, out: Any = None, dtype: Any = None,
          layout: Any = None, device: Any = None, requires_grad: bool = False,
          pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Standard normal samples of the given size, e.g. ``torch.randn(2, 3)``.

    Like torch, fewer than 16 values use a serial Box-Muller (which caches every second
    value in the generator) and 16 or more use blocks of 16, so ``randn(17)[:16]`` is not
    ``randn(16)`` for the same seed.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.randn(3)
        tensor([ 1.5410, -0.2934, -2.1788])
    """
    shape = _sizes("randn", size, kwargs.pop("size", None))
    _reject("randn", out, layout, pin_memory, **kwargs)
    _check_device(device)
    dt = _resolve_dtype(dtype)
    data = _generator(generator).normal(shape, dt.np)
    return _finish(data, requires_grad)


def randint(*args: Any, generator: Generator | None = None, out: Any = None, dtype: Any = None,
            layout: Any = None, device: Any = None, requires_grad: bool = False,
            pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Integers drawn uniformly from [low, high); int64 unless ``dtype=`` says otherwise.

    Called as ``randint(high, size)`` or ``randint(low, high, size)``.

    Each value is ``word % (high - low) + low`` (two words when the range is >= 2**28).

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.randint(0, 10, (5,))
        tensor([4, 9, 3, 0, 3])
    """
    low_kw = kwargs.pop("low", None)
    high_kw = kwargs.pop("high", None)
    size_kw = kwargs.pop("size", None)
    _reject("randint", out, layout, pin_memory, **kwargs)
    pos = list(args)
    if size_kw is None and pos and isinstance(pos[-1], (tuple, list)):
        size_kw = pos.pop()
    if high_kw is None and pos:
        high_kw = pos.pop()
    if low_kw is None and pos:
        low_kw = pos.pop()
    if pos or high_kw is None or size_kw is None:
        raise TypeError(
            "randint() received an invalid combination of arguments: use "
            "randint(high, size) or randint(low, high, size), e.g. randint(0, 10, (3,))"
        )
    low = 0 if low_kw is None else _as_int("randint", "low", low_kw)
    high = _as_int("randint", "high", high_kw)
    shape = _sizes("randint", (), size_kw)
    _check_device(device)
    dt = _resolve_dtype(dtype, _dtype.int64)
    _check_int_bounds(low, high, dt.np)
    data = _generator(generator).random_from_to(shape, dt.np, low, high)
    return _finish(data, requires_grad)


def randperm(n: Any, *, generator: Generator | None = None, out: Any = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of ``0..n-1`` (int64 unless ``dtype=``).

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.randperm(5)
        tensor([4, 0, 1, 3, 2])
    """
    _reject("randperm", out, layout, pin_memory)
    _check_device(device)
    n = _as_int("randperm", "n", n)
    dt = _resolve_dtype(dtype, _dtype.int64)
    data = _generator(generator).randperm(n, dt.np)
    return _finish(data, requires_grad)


def _like(fn: str, input: Tensor, dtype: Any, layout: Any, device: Any,
          memory_format: Any) -> Any:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' must be Tensor, not {type(input).__name__}")
    _reject(fn, None, layout)
    _check_device(device)
    return _resolve_dtype(dtype, input.dtype)


def rand_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None,
              generator: Generator | None = None) -> Tensor:
    """``rand`` with the shape (and, unless given, the dtype) of ``input``."""
    dt = _like("rand_like", input, dtype, layout, device, memory_format)
    return _finish(_generator(generator).uniform(input.shape, dt.np), requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None,
               generator: Generator | None = None) -> Tensor:
    """``randn`` with the shape (and, unless given, the dtype) of ``input``."""
    dt = _like("randn_like", input, dtype, layout, device, memory_format)
    return _finish(_generator(generator).normal(input.shape, dt.np), requires_grad)


def randint_like(input: Tensor, *args: Any, dtype: Any = None, layout: Any = None,
                 device: Any = None, requires_grad: bool = False, memory_format: Any = None,
                 generator: Generator | None = None, **kwargs: Any) -> Tensor:
    """``randint_like(input, high)`` or ``randint_like(input, low, high)``."""
    dt = _like("randint_like", input, dtype, layout, device, memory_format)
    low = kwargs.pop("low", None)
    high = kwargs.pop("high", None)
    if kwargs:
        raise TypeError(f"randint_like() got unexpected keyword arguments {sorted(kwargs)}")
    pos = list(args)
    if high is None and pos:
        high = pos.pop()
    if low is None and pos:
        low = pos.pop()
    if pos or high is None:
        raise TypeError("randint_like() takes (input, high) or (input, low, high)")
    lo = 0 if low is None else _as_int("randint_like", "low", low)
    hi = _as_int("randint_like", "high", high)
    _check_int_bounds(lo, hi, dt.np)
    data = _generator(generator).random_from_to(input.shape, dt.np, lo, hi)
    return _finish(data, requires_grad)


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
           pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """Normal samples, in torch's four forms.

    * ``normal(mean_tensor, std_tensor)`` / ``normal(mean_tensor, std=1.0)`` /
      ``normal(mean=0.0, std_tensor)``: one sample per (broadcast) element. As in ATen,
      standard normals are drawn first, then multiplied by std and shifted by mean as two
      separate tensor ops (a float std is passed to the kernel instead).
    * ``normal(mean, std, size)``: floats and a size, like ``randn(size) * std + mean``
      (but with the fused kernel arithmetic).

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.normal(2.0, 3.0, (2,))
        tensor([6.6230, 1.1197])
    """
    _reject("normal", out, layout, pin_memory)
    _check_device(device)
    gen = _generator(generator)
    mean_t = isinstance(mean, Tensor)
    std_t = isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError(
                "normal() received an invalid combination of arguments: with float mean and "
                "std, give a size, e.g. torch.normal(0.0, 1.0, size=(3,))"
            )
        shape = _sizes("normal", (), size)
        dt = _resolve_dtype(dtype)
        return _finish(gen.normal(shape, dt.np, builtins.float(mean), builtins.float(std)),
                       requires_grad)
    if size is not None or dtype is not None:
        raise TypeError("normal(): size= and dtype= are only accepted with float mean and std")
    if std_t:
        std_arr = std._data
        if std_arr.size and not (std_arr >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not builtins.float(std) >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {builtins.float(std):g}")
    if mean_t and std_t:
        shape = np.broadcast_shapes(mean.shape, std.shape)
        dt = mean._data.dtype
    elif mean_t:
        shape, dt = mean._data.shape, mean._data.dtype
    else:
        shape, dt = std._data.shape, std._data.dtype
    if dt.kind != "f":
        raise NotImplementedError(
            f'"normal_kernel_cpu" not implemented for \'{_gen._torch_type_name(dt)}\''
        )
    if mean_t and not std_t:
        # normal_(0, std) then add mean (in the output's dtype)
        data = gen.normal(shape, dt, 0.0, builtins.float(std))
        np.add(data, mean._data, out=data, casting="unsafe")
    else:
        data = gen.normal(shape, dt, 0.0, 1.0)
        np.multiply(data, std._data, out=data, casting="unsafe")  # output.mul_(std)
        if mean_t:
            np.add(data, mean._data, out=data, casting="unsafe")  # .add_(mean)
        else:
            np.add(data, np.asarray(mean, dtype=dt), out=data, casting="unsafe")
    return _finish(data, requires_grad)


def bernoulli(input: Tensor, p: Any = None, *, generator: Generator | None = None,
              out: Any = None) -> Tensor:
    """0/1 samples: element i is 1 with probability ``input[i]`` (or with ``p`` if given).

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.bernoulli(torch.tensor([0.1, 0.5, 0.9]))
        tensor([0., 0., 1.])
    """
    _reject("bernoulli", out)
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' must be Tensor, not {type(input).__name__}")
    # ATen: a contiguous empty_like(input), filled by bernoulli_(input) (or bernoulli_(p))
    result = Tensor._wrap(np.empty(input._data.shape, input._data.dtype))
    return bernoulli_(result, input if p is None else p, generator=generator)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None, out: Any = None) -> Tensor:
    """Indices drawn from the categorical distribution(s) in the rows of ``input``.

    Example:
        >>> import glasstorch as torch
        >>> _ = torch.manual_seed(0)
        >>> torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 4, replacement=True)
        tensor([2, 2, 2, 2])
    """
    _reject("multinomial", out)
    if not isinstance(input, Tensor):
        raise TypeError(
            f"multinomial(): argument 'input' must be Tensor, not {type(input).__name__}"
        )
    k = _as_int("multinomial", "num_samples", num_samples)
    data = _generator(generator).multinomial(input._data, k, builtins.bool(replacement))
    return Tensor._wrap(data)


# ------------------------------------------------------------------ seeding (torch.*)
# The same functions as glasstorch.random (torch.random); repeated here so `torch.manual_seed`
# works from the package namespace without importing that module.
def manual_seed(seed: int) -> Generator:
    """Seed the global generator; returns it (``torch.manual_seed``)."""
    return _gen.default_generator.manual_seed(builtins.int(seed))


def seed() -> int:
    """Seed the global generator from the OS; returns the seed (``torch.seed``)."""
    return _gen.default_generator.seed()


def initial_seed() -> int:
    """The global generator's seed (``torch.initial_seed``)."""
    return _gen.default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The global generator's state as a uint8 tensor of 5056 bytes."""
    return Tensor._wrap(_gen.default_generator.get_state())


def set_rng_state(new_state: Tensor) -> None:
    """Restore the global generator's state (from ``get_rng_state``, here or in torch)."""
    if not isinstance(new_state, Tensor):
        raise TypeError(
            f"expected a torch.ByteTensor, but got {type(new_state).__module__}."
            f"{type(new_state).__name__}"
        )
    _gen.default_generator.set_state(new_state._data)


# ------------------------------------------------------- in-place fillers (Tensor methods)
def uniform_(t: Tensor, from_: float = 0, to: float = 1,
             generator: Generator | None = None) -> Tensor:
    """``t.uniform_(from, to)``: fill with uniforms in [from, to), in memory order."""
    gen = _generator(generator)
    lo, hi = builtins.float(from_), builtins.float(to)
    return _fill(t, lambda shape, dt: gen.uniform(shape, dt, lo, hi))


def normal_(t: Tensor, mean: float = 0, std: float = 1,
            generator: Generator | None = None) -> Tensor:
    """``t.normal_(mean, std)``. A non-contiguous ``t`` takes ATen's serial path."""
    gen = _generator(generator)
    contiguous = builtins.bool(t._data.flags.c_contiguous)
    m, s = builtins.float(mean), builtins.float(std)
    return _fill(t, lambda shape, dt: gen.normal(shape, dt, m, s, contiguous=contiguous))


_UNSET: Any = object()


def random_(t: Tensor, from_: Any = _UNSET, to: Any = _UNSET,
            generator: Generator | None = None) -> Tensor:
    """Fill ``t`` with random integers, in place.

    ``t.random_()``, ``t.random_(to)`` or ``t.random_(from, to)`` (``to=None``: up to the
    dtype's maximum).

    Without bounds: integers in [0, 2**mantissa] for floats, [0, max] for integer dtypes.
    """
    gen = _generator(generator)
    dt = t._data.dtype
    if from_ is _UNSET and to is _UNSET:
        return _fill(t, lambda shape, d: gen.random(shape, d))
    if to is _UNSET:  # one argument: random_(to)
        from_, to = 0, from_
    elif from_ is _UNSET:
        from_ = 0
    if to is None:
        # random_(from, None): up to the dtype's largest (exactly representable) value
        lo = _as_int("random_", "from", from_)
        if dt.kind == "f":
            hi_inc = 2 ** {2: 11, 4: 24, 8: 53}[dt.itemsize]
        elif dt.kind == "b":
            hi_inc = 1
        else:
            hi_inc = builtins.int(np.iinfo(dt).max)
        if lo == -(2**63) and hi_inc == 2**63 - 1:
            return _fill(t, lambda shape, d: gen.random_full_range(shape, d))
        if not lo < hi_inc:
            raise RuntimeError(
                "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                f"casted to dtype, but got from={lo} > to_inc={hi_inc}"
            )
        lo_, hi_ = lo, hi_inc + 1
    else:
        lo_, hi_ = _as_int("random_", "from", from_), _as_int("random_", "to", to)
        _check_int_bounds(lo_, hi_, dt)
    return _fill(t, lambda shape, d: gen.random_from_to(shape, d, lo_, hi_))


def bernoulli_(t: Tensor, p: Any = 0.5, generator: Generator | None = None) -> Tensor:
    """``t.bernoulli_(p)``: 1 with probability ``p`` (a float or a broadcastable tensor)."""
    gen = _generator(generator)
    prob = p._data if isinstance(p, Tensor) else p
    if not isinstance(prob, np.ndarray):
        return _fill(t, lambda shape, dt: gen.bernoulli(prob, shape, dt))
    if prob.dtype.kind != "f":
        raise NotImplementedError(
            f'"bernoulli_tensor_cpu_p_" not implemented for '
            f"'{_gen._torch_type_name(prob.dtype)}'"
        )
    _check_inplace(t)
    # p is broadcast to t and walked in t's memory order, element by element with t
    view = _memory_order(t._data)
    axes = _axes_of(t._data, view)
    p_view = np.broadcast_to(prob, t._data.shape).transpose(axes)
    # (ascontiguousarray makes a 0-d array 1-d: reshape back for torch.bernoulli(tensor(p)))
    p_flat = np.ascontiguousarray(p_view).reshape(view.shape)
    view[...] = gen.bernoulli(p_flat, view.shape, view.dtype)
    t._bump()
    return t


def exponential_(t: Tensor, lambd: float = 1, generator: Generator | None = None) -> Tensor:
    """``t.exponential_(lambd)``: ``-log1p(-u) / lambd`` per element."""
    gen = _generator(generator)
    lam = builtins.float(lambd)
    return _fill(t, lambda shape, dt: gen.exponential(shape, dt, lam))


def _axes_of(arr: np.ndarray, view: np.ndarray) -> list[int]:
    """The transpose that turns ``arr`` into its memory-order ``view`` (see _memory_order)."""
    if view is arr:
        return list(range(arr.ndim))
    return sorted(range(arr.ndim), key=lambda a: -builtins.abs(arr.strides[a]))
