"""How a tensor prints: the text of ``repr(t)`` and ``str(t)``, exactly as PyTorch writes it.

PyTorch's printing (``torch/_tensor_str.py``) works in four steps, and so does this module:

1. **Summarise.** A tensor with more than ``threshold`` elements is shown with only the first and
   last ``edgeitems`` entries of every dimension, with ``...`` in between.
2. **Choose one number format for the whole tensor** (``_Formatter``), from the values that will
   actually be shown:

   * *int mode* when every finite value is a whole number: ``tensor([1., 2.])``;
   * *scientific mode* when the non-zero finite magnitudes span more than a factor of 1000, or
     exceed ``1e8``, or go below ``1e-4``: ``tensor([1.0000e-05, 1.0000e+00])``;
   * otherwise *fixed mode* with ``precision`` decimals: ``tensor([0.1000, 2.5000])``.

   Every entry is right-aligned to the widest one, so columns of a matrix line up.
3. **Lay the numbers out** as nested brackets: rows of a matrix on their own lines, a blank
   line between the blocks of a 3-D tensor, long vectors wrapped at ``linewidth`` columns.
4. **Add suffixes** such as ``dtype=torch.float64``, ``grad_fn=<MulBackward0>`` or
   ``requires_grad=True``.

Example:
    >>> import glasstorch as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.5]])
    tensor([[1.0000, 2.0000],
            [3.0000, 4.5000]])
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from glasstorch._dtype import get_default_dtype

__all__ = ["get_printoptions", "printoptions", "set_printoptions", "size_repr", "tensor_repr"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

# The profiles torch offers; values not named here are left as they are.
_PROFILES: dict[str, dict[str, float]] = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print (``torch.set_printoptions``).

    Args:
        precision: digits after the decimal point (default 4).
        threshold: tensors with more elements than this are summarised with ``...``
            (default 1000).
        edgeitems: entries kept at each end of a dimension when summarising (default 3).
        linewidth: characters per line before a long vector wraps (default 80).
        profile: ``'default'``, ``'short'`` or ``'full'``; applied first, so the other
            arguments can override it.
        sci_mode: ``True``/``False`` forces scientific notation on/off; ``None`` (default)
            lets each tensor choose. Like torch, every call resets it to this argument.

    Example:
        >>> import glasstorch as torch
        >>> torch.set_printoptions(precision=2)
        >>> torch.tensor([1.12345])
        tensor([1.12])
        >>> torch.set_printoptions(profile='default')
    """
    if profile is not None:
        # torch silently ignores an unknown profile name; so do we.
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for ``set_printoptions``."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options inside a ``with`` block."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


def size_repr(shape: Sequence[int]) -> str:
    """The text of ``torch.Size``: ``size_repr((2, 3))`` is ``'torch.Size([2, 3])'``."""
    return "torch.Size([" + ", ".join(str(int(n)) for n in shape) + "])"


# --------------------------------------------------------------------------------------------
# Step 2: one number format for the whole tensor
# --------------------------------------------------------------------------------------------


class _Formatter:
    """Picks int/scientific/fixed mode and the column width from the values to be shown."""

    def __init__(self, data: np.ndarray, is_floating: bool) -> None:
        self.is_floating = is_floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = data.reshape(-1)
        if flat.size == 0:
            return

        if not is_floating:
            if flat.dtype == np.bool_:
                widest: list[int] = [True, False] if not flat.all() else [True]
            else:
                widest = [int(flat.min()), int(flat.max())]
            self.max_width = max(len(str(v)) for v in widest)
            return

        # Zeros, nan and inf take no part in choosing the format: they print the same way in
        # every mode ("0.", "0.0000", "nan", "-inf"). They don't count towards the width either,
        # which is why torch prints tensor([   nan, 1.5000]) but tensor([nan, 1.]).
        values = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if values.size == 0:
            return  # note: sci_mode stays False here even if the user forced it on

        magnitudes = np.abs(values)
        smallest, largest = float(magnitudes.min()), float(magnitudes.max())
        self.int_mode = bool(np.all(values == np.ceil(values)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)

        # The longest string always comes from an extreme value: rounding is monotonic, so the
        # biggest magnitude has the most integer digits and the biggest/smallest magnitudes have
        # the longest exponents. Formatting just these few keeps huge tensors fast.
        positives, negatives = values[values > 0], values[values < 0]
        candidates = [side.min() for side in (positives, negatives) if side.size]
        candidates += [side.max() for side in (positives, negatives) if side.size]
        if self.sci_mode:
            spec, extra = f".{PRINT_OPTS.precision}e", 0
        elif self.int_mode:
            spec, extra = ".0f", 1  # +1 for the "." that marks a float: "3."
        else:
            spec, extra = f".{PRINT_OPTS.precision}f", 0
        self.max_width = max(len(format(float(v), spec)) + extra for v in candidates)

    def format(self, value: Any) -> str:
        """One entry as text, right-aligned to the common width."""
        if not self.is_floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."  # "3." rather than "3", so floats never look like ints
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return text.rjust(self.max_width)


# --------------------------------------------------------------------------------------------
# Steps 1 and 3: summarise, then lay the entries out in brackets
# --------------------------------------------------------------------------------------------


def _summarized_data(data: np.ndarray) -> np.ndarray:
    """Only the entries a summarised tensor shows: the edges of every long dimension."""
    edge = PRINT_OPTS.edgeitems
    for axis, size in enumerate(data.shape):
        if size > 2 * edge:
            keep = np.r_[0:edge, size - edge : size]
            data = np.take(data, keep, axis=axis)
    return data


def _vector_str(data: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """A 1-D tensor: ``[1., 2., 3.]``, wrapped so each line fits in ``linewidth``."""
    edge = PRINT_OPTS.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and len(data) > 2 * edge:
        items = [fmt.format(v) for v in data[:edge].tolist()]
        items.append(" ...")  # counts as an entry when lines are filled, as in torch
        items += [fmt.format(v) for v in data[-edge:].tolist()]
    else:
        items = [fmt.format(v) for v in data.tolist()]

    # Each entry takes its width plus ", ". The continuation lines start under the "[".
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.max_width + 2)))
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(data: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """Brackets within brackets; ``indent`` is the column of this level's ``[``."""
    if data.ndim == 0:
        return fmt.format(data.item())
    if data.ndim == 1:
        return _vector_str(data, indent, summarize, fmt)

    edge = PRINT_OPTS.edgeitems
    size = data.shape[0]
    if summarize and size > 2 * edge:
        rows = [_nested_str(data[i], indent + 1, summarize, fmt) for i in range(edge)]
        rows.append("...")
        rows += [_nested_str(data[i], indent + 1, summarize, fmt) for i in range(size - edge, size)]
    else:
        rows = [_nested_str(row, indent + 1, summarize, fmt) for row in data]

    # Rows of a matrix go on new lines; blocks of a 3-D tensor get one blank line between
    # them, of a 4-D tensor two, and so on.
    separator = "," + "\n" * (data.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _tensor_str(data: np.ndarray, is_floating: bool, indent: int) -> str:
    """The bracketed numbers of a non-empty tensor."""
    summarize = data.size > PRINT_OPTS.threshold
    shown = _summarized_data(data) if summarize else data
    return _nested_str(data, indent, summarize, _Formatter(shown, is_floating))


# --------------------------------------------------------------------------------------------
# Step 4: the suffixes, and the whole repr
# --------------------------------------------------------------------------------------------


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items, moving one to a new line when it would pass ``linewidth``."""
    parts = [text]
    # torch's arithmetic, kept as is (it overcounts by 2 when ``text`` is a single line).
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _grad_fn_name(grad_fn: Any) -> str:
    name = getattr(grad_fn, "name", None)
    return name() if callable(name) else type(grad_fn).__name__


def tensor_repr(t: Any) -> str:
    """The text torch prints for tensor ``t``, e.g. ``tensor([1., 2.], requires_grad=True)``.

    Used for both ``repr(t)`` and ``str(t)``. A ``Parameter`` gets torch's
    ``Parameter containing:`` header line.
    """
    prefix = "tensor("
    indent = len(prefix)
    data = np.asarray(t._data)
    dtype_name = t.dtype.name
    default_name = get_default_dtype().name
    suffixes = []

    if data.size == 0:
        # An empty tensor has no values to show, so its shape (unless it is simply (0,)) and
        # its dtype (even int64 and bool) are spelled out.
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype_name != default_name:
            suffixes.append(f"dtype={t.dtype!r}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")  # "[...]" alone hides the shape
        # The dtype is left out when the printed values already imply it: a float of the
        # default dtype, an int64 (what Python ints become), or a bool.
        if dtype_name not in (default_name, "int64", "bool"):
            suffixes.append(f"dtype={t.dtype!r}")
        body = _tensor_str(data, t.dtype.is_floating_point, indent)

    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(t.grad_fn)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")  # only a leaf can require grad without grad_fn

    text = _add_suffixes(prefix + body, suffixes, indent)
    if getattr(type(t), "_is_parameter", False):
        text = "Parameter containing:\n" + text
    return text
