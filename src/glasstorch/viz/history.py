"""``History``: the training log that tutorials keep in ``np.vstack``-grown arrays.

PyTorch tutorials record the loss by hand::

    history = np.zeros((0, 2))
    ...
    history = np.vstack((history, np.array([epoch, loss.item()])))
    ...
    plt.plot(history[:, 0], history[:, 1], 'b')

:class:`History` does the same bookkeeping with names, and stays usable exactly like that
array: ``history[:, 1]``, ``history[0, 1]`` and ``history[-1, 1]`` index a table whose
columns are the epoch (or step) first, then every metric in the order it was first logged.
A metric that was not logged in some row reads as NaN there. ``history['loss']`` gives one
column by name, and ``save``/``History.load`` keep it in a ``.csv`` or ``.json`` file.

Values may be Python numbers, NumPy scalars or one-element tensors (a tensor that requires
grad is fine: only its number is kept, never the graph).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import numbers
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from glasstorch._io import atomic_write
from glasstorch._tensor import Tensor

if TYPE_CHECKING:
    from glasstorch.viz.plots import LivePlot

__all__ = ["History"]

_STEP_NAMES = ("epoch", "step")  # the keyword names log() accepts for the first column
_SUFFIXES = (".csv", ".json")
_REPR_ROWS = 5  # repr() shows the last this many rows


def _number(value: Any, name: str) -> float:
    """``value`` as a float: a Python or NumPy number, or a one-element tensor/array."""
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise TypeError(
                f"history.log({name}=...) needs one number, got a tensor of shape "
                f"{tuple(value.shape)}; reduce it first (e.g. {name}.mean()) or take one "
                f"element ({name}[0])"
            )
        value = value.detach().item()
    elif isinstance(value, (np.ndarray, np.generic)):
        if value.size != 1 or value.dtype.kind not in "biuf":
            raise TypeError(
                f"history.log({name}=...) needs one real number, got an array of shape "
                f"{value.shape} and dtype {value.dtype}"
            )
        value = value.reshape(()).item()
    elif not isinstance(value, numbers.Real) and callable(getattr(value, "item", None)):
        # another library's scalar or tensor (e.g. a real torch.Tensor)
        detach = getattr(value, "detach", None)
        value = (detach() if callable(detach) else value).item()
    if not isinstance(value, numbers.Real):
        raise TypeError(
            f"history.log({name}=...) needs a number, got {type(value).__name__}: {value!r}"
        )
    return float(value)


def _format(value: float, whole: bool = False) -> str:
    """A short, readable form of a value: ``13.3520``, ``1.2346e-05``, ``10`` (``whole``)."""
    if math.isnan(value):
        return "nan"
    if whole and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if 1e-3 <= abs(value) < 1e5:
        return f"{value:.4f}"
    return f"{value:.4e}"


class History:
    """A table of training metrics, one row per ``log`` call, indexable like a NumPy array.

    Columns: the epoch (or step) first, then each metric in the order it was first logged;
    a metric missing from a row reads as NaN. ``history[:, 1]``, ``history[-1, 1]`` and
    ``np.asarray(history)`` see that table as a float array (a copy: changing it does not
    change the history); ``history['loss']`` is one column by name.

    Logging the same epoch again with metrics that row does not have yet fills them in
    (``log(epoch, loss=...)`` then ``log(epoch, val_loss=...)`` make one row); anything
    else starts a new row.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.viz import History
        >>> history = History()
        >>> w = torch.tensor(3.0, requires_grad=True)
        >>> for epoch in range(0, 30, 10):
        ...     loss = (w - epoch / 10) ** 2
        ...     history.log(epoch, loss=loss)
        >>> history.columns
        ['epoch', 'loss']
        >>> history[:, 1]
        array([9., 4., 1.])
        >>> print(f"first: {history[0, 1]:.4f}  last: {history[-1, 1]:.4f}")
        first: 9.0000  last: 1.0000
        >>> history['epoch']
        array([ 0., 10., 20.])
        >>> history
        History: 3 rows, columns epoch, loss
        epoch    loss
            0  9.0000
           10  4.0000
           20  1.0000
    """

    def __init__(self) -> None:
        self._columns: list[str] = []  # [epoch-or-step, metric, ...]; empty until a log
        self._buf = np.empty((0, 0))  # rows [0, _n) are the table; the rest is room to grow
        self._n = 0
        self._listeners: list[Callable[[History], None]] = []

    # ------------------------------------------------------------------ recording
    def log(self, epoch: Any = None, /, **metrics: Any) -> None:
        """Record the metrics of one epoch (or step).

        Args:
            epoch: the epoch or step number; may also be given as ``epoch=`` or ``step=``
                (which names the first column ``step``). Left out, it is one more than
                the last row's (0 for the first row).
            **metrics: name=value pairs (``loss=loss``, ``val_loss=...``, ``accuracy=...``);
                each value a Python/NumPy number or a one-element tensor.

        Raises:
            TypeError: a value is not a single real number, or the epoch came twice.
            ValueError: no metric was given, or this history counts ``epoch``s and was
                given ``step=`` (or the other way round).

        Example:
            >>> from glasstorch.viz import History
            >>> h = History()
            >>> h.log(step=0, loss=1.5)
            >>> h.log(step=1, loss=1.25, accuracy=0.5)
            >>> h.columns
            ['step', 'loss', 'accuracy']
            >>> print(h[0, 2])  # accuracy was not logged at step 0
            nan
        """
        keyword = [name for name in _STEP_NAMES if name in metrics]
        if len(keyword) > 1 or (keyword and epoch is not None):
            raise TypeError("history.log() got the epoch/step more than once")
        if keyword:
            epoch = metrics.pop(keyword[0])
        elif self._columns and self._columns[0] in metrics:  # a loaded file's own name
            if epoch is not None:
                raise TypeError("history.log() got the epoch/step more than once")
            epoch = metrics.pop(self._columns[0])
        step_name = keyword[0] if keyword else (self._columns[0] if self._columns else "epoch")
        if self._columns and step_name != self._columns[0]:
            raise ValueError(
                f"this history counts in {self._columns[0]!r}s; log "
                f"{self._columns[0]}=... (or pass it first, without a name), not {step_name}="
            )
        if not metrics:
            raise ValueError("history.log() needs at least one metric, e.g. log(epoch, loss=loss)")
        if epoch is None:
            epoch = self._buf[self._n - 1, 0] + 1 if self._n else 0
        row = {step_name: _number(epoch, step_name)}
        row.update((name, _number(value, name)) for name, value in metrics.items())
        self._store(row)
        for listener in list(self._listeners):
            listener(self)

    def _store(self, row: dict[str, float]) -> None:
        """Add ``row`` (column name -> value, the step first) to the table."""
        if not self._columns:
            self._columns.append(next(iter(row)))
        for name in row:
            if name not in self._columns:
                self._columns.append(name)
        rows, cols = self._buf.shape
        if cols < len(self._columns):
            extra = np.full((rows, len(self._columns) - cols), np.nan)
            self._buf = np.hstack((self._buf, extra))
        index = [self._columns.index(name) for name in row]
        values = np.array(list(row.values()))
        if self._n:
            last = self._buf[self._n - 1]
            if last[0] == values[0] and np.isnan(last[index[1:]]).all():
                last[index] = values  # same epoch, new metrics: fill in the last row
                return
        if self._n == rows:
            grown = np.full((max(8, 2 * rows), len(self._columns)), np.nan)
            grown[:rows] = self._buf
            self._buf = grown
        self._buf[self._n] = np.nan
        self._buf[self._n, index] = values
        self._n += 1

    # ------------------------------------------------------------------ reading
    @property
    def columns(self) -> list[str]:
        """Column names: the epoch (or step) first, then the metrics in first-logged order."""
        return list(self._columns)

    def _table(self) -> np.ndarray:
        return self._buf[: self._n, : len(self._columns)]

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[np.ndarray]:
        """Rows as 1-D float arrays, as iterating the tutorial's 2-D array gives them."""
        for i in range(self._n):
            yield self._buf[i, : len(self._columns)].copy()

    def __getitem__(self, key: Any) -> Any:
        """``history['loss']``: one column; anything else indexes the table as an array."""
        if isinstance(key, str):
            if key not in self._columns:
                raise KeyError(f"no column {key!r}; the columns are {self._columns}")
            return self._table()[:, self._columns.index(key)].copy()
        result = self._table()[key]
        return result.copy() if isinstance(result, np.ndarray) else result

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        table = self._table()
        return table.astype(dtype) if dtype is not None else table.copy()

    def to_dict(self) -> dict[str, list[float | int]]:
        """The columns as ``{name: [values]}`` (whole-number epochs as ints, missing as NaN).

        ``pandas.DataFrame(history.to_dict())`` turns it into a data frame.

        Example:
            >>> from glasstorch.viz import History
            >>> h = History()
            >>> h.log(0, loss=0.5)
            >>> h.to_dict()
            {'epoch': [0], 'loss': [0.5]}
        """
        out: dict[str, list[float | int]] = {}
        for j, name in enumerate(self._columns):
            column = self._table()[:, j]
            whole = j == 0 and bool(np.all(np.isfinite(column) & (column == np.round(column))))
            out[name] = [int(v) for v in column] if whole else [float(v) for v in column]
        return out

    def __repr__(self) -> str:
        if not self._n:
            return "History: empty (nothing logged yet)"
        shown = self._table()[-_REPR_ROWS:]
        cells = [self._columns] + [
            [_format(float(v), whole=j == 0) for j, v in enumerate(row)] for row in shown
        ]
        widths = [max(len(row[j]) for row in cells) for j in range(len(self._columns))]
        rows = f"{self._n} row" + ("s" if self._n != 1 else "")
        head = f"History: {rows}, columns {', '.join(self._columns)}"
        if self._n > len(shown):
            head += f" (last {len(shown)} shown)"
        lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
        lines[0] = "  ".join(c.rjust(w) if j else c.ljust(w)
                             for j, (c, w) in enumerate(zip(cells[0], widths, strict=True)))
        return "\n".join([head, *(line.rstrip() for line in lines)])

    # ------------------------------------------------------------------ building
    @classmethod
    def from_array(cls, array: Any, columns: Sequence[str] | None = None) -> History:
        """A history holding the rows of a 2-D array such as the tutorials' ``np.vstack`` log.

        Args:
            array: shape ``(rows, 1 + metrics)``, the epoch in the first column.
            columns: the names; default ``['epoch', 'loss']`` for two columns, then
                ``metric2``, ``metric3``... for more.

        Example:
            >>> import numpy as np
            >>> from glasstorch.viz import History
            >>> History.from_array(np.array([[0, 13.352], [10, 9.0]]))['loss']
            array([13.352,  9.   ])
        """
        table = np.asarray(array, dtype=np.float64)
        if table.ndim != 2 or table.shape[1] < 2:
            raise ValueError(
                "History.from_array needs a 2-D array with the epoch in the first column and "
                f"at least one metric, got shape {table.shape}"
            )
        names = list(columns) if columns is not None else (
            ["epoch", "loss"] + [f"metric{j}" for j in range(2, table.shape[1])]
        )
        if len(names) != table.shape[1] or len(set(names)) != len(names):
            raise ValueError(f"need {table.shape[1]} different column names, got {names}")
        history = cls()
        history._columns = [str(name) for name in names]
        history._buf = table.copy()
        history._n = table.shape[0]
        return history

    def live(self, **options: Any) -> LivePlot:
        """A :class:`~glasstorch.viz.LivePlot` that redraws as this history is logged to.

        Args:
            **options: passed to :class:`~glasstorch.viz.LivePlot`.
        """
        from glasstorch.viz.plots import LivePlot

        return LivePlot(self, **options)

    def _add_listener(self, listener: Callable[[History], None]) -> None:
        self._listeners.append(listener)

    def _remove_listener(self, listener: Callable[[History], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def __getstate__(self) -> dict[str, Any]:
        # live plots listening to this history are not part of it (nor picklable)
        return {**self.__dict__, "_listeners": []}

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the history to ``path``: a ``.csv`` or ``.json`` file, by its suffix.

        The file is written next to its final place and then renamed over it, so a crash
        or an error halfway never leaves a half-written file (an old one stays as it was).
        CSV: a header line of column names, one line per row, missing values empty. JSON:
        ``{"epoch": [...], "loss": [...]}`` with missing values as ``null``.

        Args:
            path: where to write; the folder must exist.

        Returns:
            The path written, as a :class:`pathlib.Path`.

        Raises:
            ValueError: the suffix is neither ``.csv`` nor ``.json``.
        """
        target = Path(path)
        suffix = _check_suffix(target, "save")
        text = self._csv_text() if suffix == ".csv" else self._json_text()
        if not target.parent.is_dir():
            raise FileNotFoundError(f"History.save: no such folder: {target.parent}")
        atomic_write(target, text)
        return target

    def _csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self._columns)
        for row in zip(*self.to_dict().values(), strict=True):
            writer.writerow("" if v != v else repr(v) for v in row)  # NaN -> empty
        return buffer.getvalue()

    def _json_text(self) -> str:
        data = {
            name: [None if v != v else v for v in values]  # NaN -> null
            for name, values in self.to_dict().items()
        }
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> History:
        """Read a history written by :meth:`save` (``.csv`` or ``.json``, by suffix).

        Raises:
            ValueError: the suffix is unknown or the file is not a history table.

        Example:
            >>> import tempfile, pathlib
            >>> from glasstorch.viz import History
            >>> h = History()
            >>> h.log(0, loss=2.5, val_loss=3.0)
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     path = h.save(pathlib.Path(tmp) / 'history.csv')
            ...     print(path.read_text(), end='')
            ...     History.load(path).to_dict() == h.to_dict()
            epoch,loss,val_loss
            0,2.5,3.0
            True
        """
        source = Path(path)
        suffix = _check_suffix(source, "load")
        text = source.read_text(encoding="utf-8")
        columns, rows = _parse_csv(text, source) if suffix == ".csv" else _parse_json(text, source)
        history = cls()
        if columns:
            history = cls.from_array(np.array(rows, dtype=np.float64).reshape(-1, len(columns)),
                                     columns)
        return history


def _check_suffix(path: Path, verb: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValueError(
            f"History.{verb}: can't tell the format of {str(path)!r}; use a file name ending "
            "in .csv or .json"
        )
    return suffix


def _malformed(path: Path, kind: str, why: str) -> ValueError:
    return ValueError(f"History.load: {str(path)!r} is not a history {kind} file: {why}")


def _check_columns(columns: list[str], path: Path, kind: str) -> None:
    if any(not name for name in columns) or len(set(columns)) != len(columns):
        raise _malformed(path, kind, f"column names must be different and non-empty: {columns}")
    if len(columns) < 2:
        raise _malformed(path, kind, f"need an epoch/step column and metrics, got {columns}")


def _parse_csv(text: str, path: Path) -> tuple[list[str], list[float]]:
    lines = [row for row in csv.reader(io.StringIO(text)) if row]
    if not lines:
        return [], []
    columns = [name.strip() for name in lines[0]]
    _check_columns(columns, path, "CSV")
    values: list[float] = []
    for number, row in enumerate(lines[1:], start=2):
        if len(row) != len(columns):
            raise _malformed(
                path, "CSV", f"line {number} has {len(row)} fields, the header {len(columns)}"
            )
        for field in row:
            try:
                values.append(float(field) if field.strip() else math.nan)
            except ValueError:
                raise _malformed(path, "CSV", f"line {number}: {field!r} is not a number") from None
    return columns, values


def _parse_json(text: str, path: Path) -> tuple[list[str], list[float]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _malformed(path, "JSON", str(e)) from None
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise _malformed(path, "JSON", 'expected {"epoch": [...], "loss": [...], ...}')
    if not data:
        return [], []
    columns = list(data)
    _check_columns(columns, path, "JSON")
    lengths = {name: len(values) for name, values in data.items()}
    if len(set(lengths.values())) != 1:
        raise _malformed(path, "JSON", f"the columns have different lengths: {lengths}")
    values: list[float] = []
    for row in zip(*data.values(), strict=True):
        for v in row:
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise _malformed(path, "JSON", f"{v!r} is not a number")
            values.append(math.nan if v is None else float(v))
    return columns, values
