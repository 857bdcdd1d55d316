"""``check_grad``: your hand-derived gradients against autograd's.

Tutorials derive gradients by hand (``D_W = 2/m Σ (Wx + b - y) x``) before handing the job
to ``backward()``. ``check_grad`` closes the loop: it runs your loss, asks autograd for the
gradients (with ``glasstorch.autograd.grad``, so no ``.grad`` is touched), and compares them
with yours, input by input. A mismatch says where the two differ most, shows both values
there, and recognises the usual slips: a constant factor (the forgotten 2 of a square, the
1/m of a mean), a flipped sign, a missing sum over the examples (your gradient has the
examples' shape instead of the parameter's).

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.autograd import check_grad
    >>> x = torch.tensor([1.0, 2.0, 3.0])
    >>> w = torch.tensor(0.5, requires_grad=True)
    >>> report = check_grad(lambda w: ((w * x) ** 2).mean(), [w], [2 / 3 * (w * x * x).sum()])
    >>> report.ok
    True
    >>> check_grad(lambda w: ((w * x) ** 2).mean(), [w], [1 / 3 * (w * x * x).sum()]).ok
    False
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["GradCheckReport", "InputCheck", "check_grad"]


@dataclass
class InputCheck:
    """The comparison for one input.

    Attributes:
        name: the input's name (the key of a dict of inputs, else ``"input k"``).
        ok: your gradient matches autograd's within the tolerances.
        mine: your gradient as a float64 array (reshaped to the input's shape when only
            the shape differed, e.g. a number for a ``(1,)`` parameter).
        autograd: autograd's gradient as a float64 array, shaped like the input.
        max_abs_error: the largest ``|mine - autograd|`` (inf when the shapes differ).
        max_rel_error: the largest ``|mine - autograd| / |autograd|``.
        where: the index of the largest absolute error (None when the shapes differ).
        mine_there: your value at ``where``.
        autograd_there: autograd's value at ``where``.
        notes: explanations: shape adjustments, a constant factor, a missing sum.
    """

    name: str
    ok: bool
    mine: np.ndarray
    autograd: np.ndarray
    max_abs_error: float
    max_rel_error: float
    where: tuple[int, ...] | None
    mine_there: float | None
    autograd_there: float | None
    notes: list[str]


class GradCheckReport:
    """All inputs' comparisons; ``ok`` (and ``bool(report)``) is True when all match.

    Attributes:
        checks: one :class:`InputCheck` per input.
        loss: the value of ``fn(*inputs)``.
        atol: the absolute tolerance used.
        rtol: the relative tolerance used.
    """

    def __init__(self, checks: list[InputCheck], loss: float, atol: float, rtol: float) -> None:
        self.checks = checks
        self.loss = loss
        self.atol = atol
        self.rtol = rtol

    @property
    def ok(self) -> bool:
        """True when every input's gradient matches."""
        return all(c.ok for c in self.checks)

    def __bool__(self) -> bool:
        # so that `assert check_grad(...)` checks the result, not that a report exists
        return self.ok

    def __getitem__(self, key: int | str) -> InputCheck:
        """The check of input ``key`` (its position or name)."""
        if isinstance(key, str):
            for c in self.checks:
                if c.name == key:
                    return c
            raise KeyError(key)
        return self.checks[key]

    def _summary(self) -> str:
        bad = sum(not c.ok for c in self.checks)
        n = len(self.checks)
        if not bad:
            return f"All {n} gradient{'s' if n != 1 else ''} match autograd's."
        return f"{bad} of {n} gradient{'s' if n != 1 else ''} differ from autograd's."

    def _row(self, c: InputCheck) -> tuple[str, list[str]]:
        status = "match" if c.ok else "MISMATCH"
        text = f"{c.name}  shape {tuple(c.autograd.shape)}  {status}"
        if c.where is not None:
            text += (f"  max abs error {_num(c.max_abs_error)}, max rel error "
                     f"{_num(c.max_rel_error)}")
            if not c.ok:
                text += (f"; largest at {list(c.where)}: yours {_num(c.mine_there)}, "
                         f"autograd's {_num(c.autograd_there)}")
        return text, c.notes

    def __str__(self) -> str:
        lines = [f"check_grad: loss = {_num(self.loss)}; your gradients against autograd's "
                 f"(match: |yours - autograd's| <= {self.atol:g} + {self.rtol:g}·|autograd's|)"]
        for c in self.checks:
            text, notes = self._row(c)
            lines.append("  " + text)
            lines += ["      " + note for note in notes]
        lines.append(self._summary())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from html import escape as esc  # (imported here: glasstorch.autograd loads this module)

        rows = []
        for c in self.checks:
            color = "green" if c.ok else "red"
            where = "" if c.where is None else str(list(c.where))
            rows.append(
                f"<tr><td>{esc(c.name)}</td><td>{tuple(c.autograd.shape)}</td>"
                f"<td style='color:{color}'><b>{'match' if c.ok else 'MISMATCH'}</b></td>"
                f"<td>{_num(c.max_abs_error)}</td><td>{_num(c.max_rel_error)}</td>"
                f"<td>{esc(where)}</td><td>{_num(c.mine_there)}</td>"
                f"<td>{_num(c.autograd_there)}</td><td>{esc(' '.join(c.notes))}</td></tr>")
        return (f"<div class='glasstorch-check-grad'><p>check_grad: loss = {_num(self.loss)}"
                "</p><table><thead><tr><th>input</th><th>shape</th><th>result</th>"
                "<th>max abs error</th><th>max rel error</th><th>at</th><th>yours</th>"
                "<th>autograd's</th><th>notes</th></tr></thead><tbody>" + "".join(rows)
                + f"</tbody></table><p>{esc(self._summary())}</p></div>")


def check_grad(
    fn: Callable[..., Any],
    inputs: Any,
    my_grads: Any,
    *,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> GradCheckReport:
    """Compare hand-derived gradients of ``fn(*inputs)`` with autograd's.

    Args:
        fn: returns a single-value tensor (the loss) from the inputs.
        inputs: the tensors to differentiate with respect to: a tensor, a sequence, or a
            dict ``{name: tensor}`` (then the names appear in the report and ``my_grads``
            may be a dict too). An input that does not require grad is differentiated
            through a copy that does; no input's ``.grad`` is touched.
        my_grads: your gradients, one per input: tensors, arrays, lists or numbers.
        atol: absolute tolerance: an element matches when
            ``|yours - autograd's| <= atol + rtol * |autograd's|``.
        rtol: relative tolerance (see ``atol``).

    Returns:
        A :class:`GradCheckReport`: print it; ``report.ok`` says whether all match.

    Raises:
        ValueError: ``my_grads`` has a different number of entries than ``inputs``, or
            ``fn`` does not return a single-value tensor.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.autograd import check_grad
        >>> x = torch.tensor([[1.0], [2.0], [3.0]])
        >>> y = torch.tensor([[30.0], [60.0], [90.0]])
        >>> W = torch.zeros(1, requires_grad=True)
        >>> b = torch.zeros(1, requires_grad=True)
        >>> r = (x * W + b - y).detach()  # the residuals
        >>> report = check_grad(lambda W, b: torch.mean((x * W + b - y) ** 2), {"W": W, "b": b},
        ...                     {"W": 2 / 3 * (r * x).sum(), "b": 1 / 3 * r.sum()})
        >>> report.ok, report["W"].ok, report["b"].ok
        (False, True, False)
        >>> report["b"].notes[0][:44]
        "autograd's gradient is 2 × yours everywhere:"
    """
    import glasstorch
    from glasstorch._tensor import Tensor
    from glasstorch.ops.creation import tensor

    names, tensors = _inputs(inputs)
    mine = _grads(my_grads, names, isinstance(inputs, Mapping))
    work = []
    for t in tensors:
        if not isinstance(t, Tensor):
            t = tensor(t)
        if not t.requires_grad:  # differentiate through a copy: the caller's stays as it is
            t = t.detach().clone()
            if not t.is_floating_point():
                t = t.to(glasstorch.get_default_dtype())
            t.requires_grad_(True)
        work.append(t)
    loss = fn(*work)
    if not isinstance(loss, Tensor) or loss.numel() != 1:
        shape = tuple(loss.shape) if isinstance(loss, Tensor) else type(loss).__name__
        raise ValueError(
            f"check_grad needs fn to return a single-value tensor (a loss), got {shape}: "
            "reduce it, e.g. with .mean() or .sum()."
        )
    autos = glasstorch.autograd.grad(loss, work, allow_unused=True)
    checks = []
    for name, t, g_auto, g_mine in zip(names, work, autos, mine, strict=True):
        unused = g_auto is None
        auto = np.zeros(t.shape) if unused else np.asarray(g_auto._data, dtype=np.float64)
        check = _compare(name, _as_array(g_mine), auto, atol, rtol)
        if unused:
            check.notes.insert(0, "fn does not use this input: autograd's gradient is 0")
        checks.append(check)
    return GradCheckReport(checks, float(loss.item()), atol, rtol)


def _inputs(inputs: Any) -> tuple[list[str], list[Any]]:
    """Names and values of ``inputs`` (a tensor, a sequence or a dict)."""
    from glasstorch._tensor import Tensor

    if isinstance(inputs, Mapping):
        return [str(k) for k in inputs], list(inputs.values())
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    inputs = list(inputs)
    return [f"input {i}" for i in range(len(inputs))], inputs


def _grads(my_grads: Any, names: list[str], by_name: bool) -> list[Any]:
    """``my_grads`` as a list in the order of ``names``."""
    from glasstorch._tensor import Tensor

    if isinstance(my_grads, Mapping):
        if not by_name:
            raise ValueError("my_grads is a dict: pass the inputs as a dict with the same keys")
        missing = [n for n in names if n not in my_grads]
        if missing:
            raise ValueError(f"my_grads has no gradient for {', '.join(missing)}")
        return [my_grads[n] for n in names]
    if isinstance(my_grads, Tensor) or np.isscalar(my_grads) or \
            (isinstance(my_grads, np.ndarray) and len(names) == 1):
        my_grads = [my_grads]
    grads = list(my_grads)
    if len(grads) != len(names):
        raise ValueError(
            f"check_grad got {len(grads)} hand-derived gradient(s) for {len(names)} input(s): "
            "give one per input, in the same order."
        )
    return grads


def _as_array(g: Any) -> np.ndarray:
    """A gradient given as a tensor (ours or torch's), array, list or number, in float64."""
    data = getattr(g, "_data", None)
    if data is not None:  # a glasstorch tensor
        return np.asarray(data, dtype=np.float64)
    detach = getattr(g, "detach", None)
    if detach is not None and hasattr(g, "numpy"):  # another library's tensor (torch's)
        return np.asarray(detach().cpu().numpy(), dtype=np.float64)
    return np.asarray(g, dtype=np.float64)


def _compare(name: str, mine: np.ndarray, auto: np.ndarray, atol: float,
             rtol: float) -> InputCheck:
    notes: list[str] = []
    if mine.shape != auto.shape:
        if mine.size == auto.size:
            if mine.size > 1:  # (a number for a (1,) parameter needs no comment)
                notes.append(f"your gradient has shape {mine.shape}, compared as {auto.shape}")
            mine = mine.reshape(auto.shape)
        elif mine.size == 1:
            notes.append("your gradient is a single number, compared with every element")
            mine = np.broadcast_to(mine.reshape(()), auto.shape)
        else:
            notes.append(_shape_note(mine, auto, atol, rtol))
            return InputCheck(name, False, mine, auto, float("inf"), float("inf"), None, None,
                              None, notes)
    with np.errstate(all="ignore"):
        err = np.abs(mine - auto)
        both_nan = np.isnan(mine) & np.isnan(auto)
        err = np.where(both_nan, 0.0, err)
        err = np.where(np.isnan(err), np.inf, err)  # nan on one side only: a mismatch
        rel = err / np.maximum(np.abs(auto), 1e-12)
    good = err <= atol + rtol * np.abs(auto)
    ok = bool(np.all(good))
    if err.size:
        flat = int(np.argmax(err))
        where = tuple(int(i) for i in np.unravel_index(flat, err.shape))
        check = InputCheck(name, ok, mine, auto, float(err.max()), float(rel.max()), where,
                           float(mine[where]), float(auto[where]), notes)
    else:
        check = InputCheck(name, ok, mine, auto, 0.0, 0.0, (), None, None, notes)
    if not ok:
        note = _factor_note(mine, auto, atol)
        if note:
            notes.append(note)
    return check


def _factor_note(mine: np.ndarray, auto: np.ndarray, atol: float) -> str | None:
    """Recognise ``autograd = c × yours`` for one constant c (a factor or the sign)."""
    if not (np.all(np.isfinite(mine)) and np.all(np.isfinite(auto))):
        return None
    if np.all(np.abs(mine) <= atol) and np.any(np.abs(auto) > atol):
        return "your gradient is 0 everywhere, autograd's is not"
    nonzero = (np.abs(mine) > atol) & (np.abs(auto) > atol)
    if not nonzero.any() or np.any((np.abs(mine) > atol) != (np.abs(auto) > atol)):
        return None
    from fractions import Fraction  # (imported here, as html above: keeps imports fast)

    ratio = auto[nonzero] / mine[nonzero]
    c = float(np.median(ratio))
    if not np.allclose(ratio, c, rtol=1e-3):
        return None
    frac = Fraction(c).limit_denominator(1000)
    shown = str(frac) if abs(float(frac) - c) <= 1e-3 * abs(c) else f"{c:.4g}"
    if frac == -1:
        return "autograd's gradient is -1 × yours everywhere: your sign is flipped"
    hint = ""
    if frac == 2:
        hint = " (a forgotten 2, as in d(u^2)/du = 2u?)"
    elif frac == Fraction(1, 2):
        hint = " (an extra factor 2?)"
    elif frac.numerator == 1 or frac.denominator == 1:
        n = frac.denominator if frac.numerator == 1 else frac.numerator
        hint = f" (if {n} is the number of elements, check the 1/m of a mean)"
    return f"autograd's gradient is {shown} × yours everywhere: a constant factor is off{hint}"


def _shape_note(mine: np.ndarray, auto: np.ndarray, atol: float, rtol: float) -> str:
    note = f"shape mismatch: yours is {mine.shape}, autograd's is {auto.shape} (the input's)"
    if mine.size > auto.size:
        try:
            stretched = np.broadcast_shapes(mine.shape, auto.shape) == mine.shape
        except ValueError:
            stretched = False
        if stretched:
            from glasstorch.ops._broadcast import unbroadcast

            summed = unbroadcast(mine, auto.shape)
            if np.allclose(summed, auto, atol=atol, rtol=rtol):
                return (note + ": summed over the broadcast dimensions, yours matches. Add "
                        "the Σ over the examples (e.g. .sum()): the parameter is shared by "
                        "all of them, so its gradient is the sum of theirs")
            return note + ": did you forget to sum over the examples (Σ)?"
    return note


def _num(v: Any) -> str:
    if v is None:
        return "-"
    return f"{float(v):.6g}"

