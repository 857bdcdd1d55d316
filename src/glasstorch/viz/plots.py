"""Pictures of training: learning curves, fitted lines, decision boundaries, live curves.

- :func:`plot_history`: the learning curve, one line per metric, ``loss`` and
  ``val_loss`` together in one panel;
- :func:`plot_fit`: the data as black dots and the model's line (or curve) in blue, the
  tutorials' "fitted line over the scatter" picture;
- :func:`plot_decision_boundary`: a 2-D classifier's probabilities as filled contours,
  with the points coloured by their class;
- :class:`LivePlot`: a learning curve that redraws while a notebook cell trains (in a
  terminal it prints one short line per update instead).

Every function returns a matplotlib ``Figure`` made without pyplot, so nothing pops up,
nothing is left open in pyplot's figure list, and it works on machines without a display.
In Jupyter, a figure that is a cell's last value shows as a picture; elsewhere call
``fig.savefig('curve.png')``. Drawing needs matplotlib (``pip install 'glasstorch[plot]'``);
importing this module does not.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, TextIO

import numpy as np

from glasstorch._dtype import get_default_dtype
from glasstorch._tensor import Tensor
from glasstorch.autograd.grad_mode import no_grad
from glasstorch.nn.modules.module import Module
from glasstorch.ops.creation import tensor
from glasstorch.viz.history import History, _format

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["LivePlot", "plot_decision_boundary", "plot_fit", "plot_history"]

INSTALL_HINT = "plotting needs matplotlib: pip install 'glasstorch[plot]'"
PANEL_SIZE = (5.0, 3.6)  # inches per learning-curve panel
DATA_COLOR = "k"  # plot_fit: the data points, black as in the tutorials
FIT_COLOR = "b"  # plot_fit: the model's line, blue as in the tutorials
BINARY_CMAP = "RdBu_r"  # P(class 1): blue (class 0) to red (class 1)
BINARY_COLORS = ("tab:blue", "tab:red")


# ---------------------------------------------------------------------- shared helpers
def _require_matplotlib() -> None:
    """Import matplotlib, or raise an ImportError that says how to install it."""
    try:
        importlib.import_module("matplotlib.figure")
    except ImportError as e:
        raise ImportError(INSTALL_HINT) from e


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure that Jupyter shows as a PNG when it is a cell's value."""
    _require_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    # IPython shows objects with a _repr_png_; without pyplot nothing else registers one.
    setattr(figure, "_repr_png_", functools.partial(_png, figure))  # noqa: B010
    return figure


def _figure_and_axes(ax: Axes | None, width: float, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        _require_matplotlib()
        from matplotlib.figure import Figure

        root = getattr(ax.figure, "figure", ax.figure)  # a SubFigure's root Figure
        if not isinstance(root, Figure):
            raise TypeError(f"ax must be a matplotlib Axes in a Figure, got {ax!r}")
        return root, ax
    figure = _new_figure(width, height)
    return figure, figure.add_subplot()


def _numpy(value: Any) -> np.ndarray:
    """``value`` (tensor, array, list, number) as a float64 NumPy array, off the graph."""
    if isinstance(value, Tensor):
        value = value.detach().numpy()
    elif not isinstance(value, np.ndarray) and callable(getattr(value, "detach", None)):
        value = value.detach().cpu().numpy()  # e.g. a real torch.Tensor
    return np.asarray(value, dtype=np.float64)


@contextlib.contextmanager
def _evaluating(model: Any) -> Iterator[None]:
    """``no_grad`` and, for a Module, eval mode (dropout off), restored afterwards."""
    modes = [(m, m.training) for m in model.modules()] if isinstance(model, Module) else []
    for module, _ in modes:
        module.training = False
    try:
        with no_grad():
            yield
    finally:
        for module, mode in modes:
            module.training = mode


def _predict(model: Callable[[Tensor], Any], inputs: np.ndarray) -> np.ndarray:
    """``model(inputs)`` as NumPy, in the dtype of the model's parameters, without a graph."""
    dtype = get_default_dtype()
    if isinstance(model, Module):
        dtype = next((p.dtype for p in model.parameters()), dtype)
    with _evaluating(model):
        return _numpy(model(tensor(inputs, dtype=dtype)))


# ---------------------------------------------------------------------- learning curves
def _metric_groups(
    history: History, metrics: str | Sequence[str] | None, strict: bool = True
) -> list[tuple[str, list[str]]]:
    """``[(base, [names])]``: ``loss`` and ``val_loss`` share the base ``loss``."""
    available = history.columns[1:]
    if metrics is None:
        names = available
    else:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        missing = [name for name in names if name not in available]
        if missing and strict:
            raise KeyError(f"no metric {missing[0]!r} in the history; it has {available}")
        names = [name for name in names if name in available]
    groups: dict[str, list[str]] = {}
    for name in names:
        base = name[4:] if name.startswith("val_") and len(name) > 4 else name
        groups.setdefault(base, []).append(name)
    # the training metric first, then its validation twin
    return [(base, sorted(group, key=lambda n: n.startswith("val_"))) for base, group in
            groups.items()]


def _draw_history(
    figure: Figure,
    history: History,
    groups: list[tuple[str, list[str]]],
    ax: Axes | None,
    title: str | None,
    logy: bool,
) -> None:
    """Draw the learning curves of ``groups``: in ``ax``, or one panel per group."""
    steps = history[history.columns[0]]
    if ax is None:
        panels = list(figure.subplots(1, len(groups), squeeze=False)[0])
    else:
        panels = [ax] * len(groups)
    for panel, (_, names) in zip(panels, groups, strict=True):
        for name in names:
            values = history[name]
            seen = ~np.isnan(values)  # a metric logged only sometimes: join its points
            panel.plot(steps[seen], values[seen], label=name)
    drawn = list(dict.fromkeys(panels))  # each Axes once, in order
    for panel in drawn:
        lines = [line.get_label() for line in panel.get_lines()]
        bases = [base for p, (base, _) in zip(panels, groups, strict=True) if p is panel]
        label = bases[0] if len(bases) == 1 else "value"
        panel.set_xlabel(history.columns[0])
        panel.set_ylabel(label)
        panel.set_title(f"learning curve ({label})" if len(bases) == 1 else "learning curves")
        if logy:
            panel.set_yscale("log")
        if len(lines) > 1:
            panel.legend()
        panel.grid(True, alpha=0.3)
    if title is not None:
        if len(drawn) == 1:
            drawn[0].set_title(title)
        else:
            figure.suptitle(title)


def _as_history(history: History | Any) -> History:
    return history if isinstance(history, History) else History.from_array(history)


def plot_history(
    history: History | Any,
    metrics: str | Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    logy: bool = False,
) -> Figure:
    """The learning curves: each metric against the epoch (or step).

    A metric and its ``val_`` twin (``loss`` and ``val_loss``, ``accuracy`` and
    ``val_accuracy``) share one panel; other metrics get panels of their own, side by side.
    Rows where a metric was not logged are skipped, so a validation loss measured every
    few epochs is still one line.

    Args:
        history: a :class:`History`, or the tutorials' 2-D array (epoch first, then the
            loss; see :meth:`History.from_array`).
        metrics: the metric name(s) to draw; default all.
        ax: draw every line into this matplotlib Axes instead of a new figure.
        title: the title (the figure's, when there are several panels); default
            ``learning curve (loss)``-style panel titles.
        logy: a logarithmic y axis, to see a loss that keeps falling by factors of 10.

    Returns:
        The matplotlib ``Figure`` (``ax``'s, when ``ax`` is given).

    Raises:
        ValueError: the history is empty.
        KeyError: a name in ``metrics`` is not in the history.

    Example:
        >>> from glasstorch.viz import History, plot_history
        >>> history = History()
        >>> for epoch in range(5):
        ...     history.log(epoch, loss=1 / (epoch + 1), val_loss=1.2 / (epoch + 1))
        >>> fig = plot_history(history)
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['loss', 'val_loss']
        >>> fig.axes[0].get_title(), fig.axes[0].get_xlabel()
        ('learning curve (loss)', 'epoch')
    """
    _require_matplotlib()
    history = _as_history(history)
    groups = _metric_groups(history, metrics)
    if not len(history) or not groups:
        raise ValueError("nothing to plot: log some metrics first (history.log(epoch, loss=...))")
    if ax is None:
        figure = _new_figure(PANEL_SIZE[0] * len(groups), PANEL_SIZE[1])
    else:
        figure = _figure_and_axes(ax, *PANEL_SIZE)[0]
    _draw_history(figure, history, groups, ax, title, logy)
    return figure


# ---------------------------------------------------------------------- fitted line
def _column(value: Any, name: str) -> tuple[np.ndarray, bool]:
    """``value`` as a 1-D array, and whether it came as one column of shape (N, 1)."""
    array = _numpy(value)
    if array.ndim == 2 and array.shape[1] == 1:
        return array[:, 0], True
    if array.ndim != 1:
        raise ValueError(
            f"plot_fit draws one input against one output: {name} must have shape (N,) or "
            f"(N, 1), got {array.shape}"
        )
    return array, False


def _fit_line(model_or_fn: Any, grid: np.ndarray, as_column: bool) -> np.ndarray:
    """The model's outputs at ``grid`` (1-D)."""
    if isinstance(model_or_fn, (tuple, list)):
        if len(model_or_fn) != 2:
            raise TypeError("plot_fit takes a model, a function, or a (W, b) pair")
        w, b = (_numpy(p) for p in model_or_fn)
        if w.size != 1 or b.size != 1:
            raise ValueError(
                "a (W, b) pair for plot_fit must map one input to one output; got W of shape "
                f"{w.shape} and b of shape {b.shape}"
            )
        return float(w.reshape(())) * grid + float(b.reshape(()))
    if not callable(model_or_fn):
        raise TypeError(
            f"plot_fit takes a model, a function, or a (W, b) pair, not "
            f"{type(model_or_fn).__name__}"
        )
    # the data's layout first: (N, 1) for nn layers, (N,) for `W * x + b` functions
    layouts = [grid[:, None], grid] if as_column else [grid, grid[:, None]]
    first_error: Exception | None = None
    for inputs in layouts:
        try:
            outputs = _predict(model_or_fn, inputs)
        except Exception as e:  # noqa: BLE001  (retried with the other layout)
            first_error = first_error or e
            continue
        if outputs.size != grid.size:
            raise ValueError(
                f"plot_fit needs one output per input: {grid.size} inputs gave outputs of "
                f"shape {outputs.shape}"
            )
        return outputs.reshape(grid.shape)
    assert first_error is not None
    raise first_error


def plot_fit(
    x: Any,
    y: Any,
    model_or_fn: Any,
    ax: Axes | None = None,
    x_range: tuple[float, float] | None = None,
    points: int = 200,
    title: str | None = None,
) -> Figure:
    """The data as black dots and the model's predictions as a blue line over them.

    Args:
        x: the inputs, shape ``(N,)`` or ``(N, 1)`` (a tensor, array or list).
        y: the targets, the same number of values.
        model_or_fn: an ``nn.Module``, a function of a tensor (``pred`` in the tutorials),
            or a ``(W, b)`` pair for ``W * x + b``. It is called once, on ``points`` inputs
            laid out like ``x`` (falling back to the other layout if that fails), under
            ``no_grad`` and, for a Module, in eval mode.
        ax: draw into this matplotlib Axes instead of a new figure.
        x_range: the ``(low, high)`` inputs the line spans; default the data's range.
        points: how many inputs to evaluate the model at (a curve needs many).
        title: the axes title.

    Returns:
        The matplotlib ``Figure``.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.viz import plot_fit
        >>> x = torch.tensor([1.0, 2.0, 3.0])
        >>> y = torch.tensor([2.1, 3.9, 6.2])
        >>> W = torch.tensor(2.0, requires_grad=True)
        >>> B = torch.tensor(0.0, requires_grad=True)
        >>> fig = plot_fit(x, y, lambda t: W * t + B, points=3)
        >>> fig.axes[0].get_lines()[0].get_ydata()
        array([2., 4., 6.])
    """
    xs, as_column = _column(x, "x")
    ys, _ = _column(y, "y")
    if xs.size != ys.size:
        raise ValueError(f"x and y must have the same length, got {xs.size} and {ys.size}")
    if not isinstance(points, int) or points < 2:
        raise ValueError(f"points must be an integer of at least 2, got {points!r}")
    _require_matplotlib()
    low, high = x_range if x_range is not None else (float(xs.min()), float(xs.max()))
    grid = np.linspace(float(low), float(high), points)
    line = _fit_line(model_or_fn, grid, as_column)
    figure, axes = _figure_and_axes(ax, 6.4, 4.8)
    axes.scatter(xs, ys, c=DATA_COLOR, s=50, label="data")
    axes.plot(grid, line, lw=2, c=FIT_COLOR, label="model")
    axes.set_xlabel("$x$")
    axes.set_ylabel("$y$")
    if title is not None:
        axes.set_title(title)
    return figure


# ---------------------------------------------------------------------- decision boundary
def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _probabilities(outputs: np.ndarray, n_inputs: int, output: str) -> np.ndarray:
    """Class probabilities, shape ``(n_inputs, classes)``, from a classifier's outputs."""
    if output not in ("auto", "logits", "probs"):
        raise ValueError(f"output must be 'auto', 'logits' or 'probs', got {output!r}")
    if outputs.ndim == 1 or (outputs.ndim == 2 and outputs.shape[1] == 1):
        p = outputs.reshape(n_inputs)  # one output: P(class 1), or its logit
        is_probs = output == "probs" or (output == "auto" and p.min() >= 0 and p.max() <= 1)
        p = p if is_probs else 1 / (1 + np.exp(-p))
        return np.stack([1 - p, p], axis=1)
    if outputs.ndim != 2 or outputs.shape[0] != n_inputs:
        raise ValueError(
            f"a classifier should give one row per input: {n_inputs} inputs gave outputs of "
            f"shape {outputs.shape}"
        )
    sums_to_one = outputs.min() >= 0 and np.allclose(outputs.sum(axis=1), 1, atol=1e-4)
    is_probs = output == "probs" or (output == "auto" and sums_to_one)
    return outputs if is_probs else _softmax(outputs)


def _class_colors(n_classes: int) -> list[str]:
    return list(BINARY_COLORS) if n_classes <= 2 else [f"C{k % 10}" for k in range(n_classes)]


def plot_decision_boundary(
    model: Callable[[Tensor], Any],
    X: Any,
    y: Any,
    ax: Axes | None = None,
    resolution: int = 200,
    output: Literal["auto", "logits", "probs"] = "auto",
    title: str | None = None,
) -> Figure:
    """Where a classifier of 2-D points answers which class, over its data.

    Two classes: filled contours of P(class 1), from blue (class 0) to red (class 1),
    with the boundary P = 0.5 as a black line and a colour bar. More classes: each
    predicted class's region in that class's colour, the boundaries as black lines.
    The points are drawn on top, coloured by their true class.

    Args:
        model: an ``nn.Module`` or function taking a ``(M, 2)`` tensor and returning one
            output per point (the logit or probability of class 1) or one per class
            (logits or probabilities). Called under ``no_grad``, in eval mode.
        X: the points, shape ``(N, 2)``.
        y: their classes ``0, 1, ...``, shape ``(N,)`` or ``(N, 1)`` (floats 0./1. too).
        ax: draw into this matplotlib Axes instead of a new figure.
        resolution: grid points along each axis.
        output: ``'logits'`` or ``'probs'`` to say what the model returns; ``'auto'``
            takes values that look like probabilities (in [0, 1], rows summing to 1) as
            probabilities and anything else as logits.
        title: the axes title; default ``decision boundary``.

    Returns:
        The matplotlib ``Figure``.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.viz import plot_decision_boundary
        >>> X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        >>> y = torch.tensor([0, 0, 1, 1])
        >>> model = lambda pts: 4 * (pts[:, 0] - 0.5)  # the logit of class 1
        >>> fig = plot_decision_boundary(model, X, y, resolution=20)
        >>> [c.get_label() for c in fig.axes[0].collections if c.get_label().startswith('c')]
        ['class 0', 'class 1']
    """
    points = _numpy(X)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"X must hold 2-D points, shape (N, 2), got {points.shape}")
    labels_f = _numpy(y).reshape(-1)
    if labels_f.size != points.shape[0]:
        raise ValueError(f"X has {points.shape[0]} points but y has {labels_f.size} labels")
    labels = np.rint(labels_f).astype(np.int64)
    if labels.size and (np.any(labels != labels_f) or labels.min() < 0):
        raise ValueError("y must hold class numbers 0, 1, 2, ...")
    if not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an integer of at least 2, got {resolution!r}")
    _require_matplotlib()

    low, high = points.min(axis=0), points.max(axis=0)
    pad = np.where(high > low, 0.1 * (high - low), 0.5)
    xx, yy = np.meshgrid(np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
                         np.linspace(low[1] - pad[1], high[1] + pad[1], resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    probs = _probabilities(_predict(model, grid), grid.shape[0], output)
    n_classes = max(probs.shape[1], int(labels.max()) + 1 if labels.size else 0)
    colors = _class_colors(n_classes)

    figure, axes = _figure_and_axes(ax, 6.4, 4.8)
    if n_classes <= 2:
        p1 = probs[:, 1].reshape(xx.shape)
        filled = axes.contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap=BINARY_CMAP,
                               alpha=0.6)
        if p1.min() < 0.5 < p1.max():
            axes.contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.5)
        figure.colorbar(filled, ax=axes, label="P(class 1)")
    else:
        predicted = probs.argmax(axis=1).reshape(xx.shape)
        axes.contourf(xx, yy, predicted, levels=np.arange(n_classes + 1) - 0.5, colors=colors,
                      alpha=0.35)
        if predicted.min() != predicted.max():
            borders = np.arange(1, n_classes) - 0.5
            axes.contour(xx, yy, predicted, levels=borders, colors="k", linewidths=1)
    for k in range(n_classes):
        chosen = labels == k
        if chosen.any():
            axes.scatter(points[chosen, 0], points[chosen, 1], color=colors[k],
                         edgecolors="k", s=30, label=f"class {k}")
    axes.set_xlabel("$x_1$")
    axes.set_ylabel("$x_2$")
    axes.set_title("decision boundary" if title is None else title)
    axes.legend(loc="best")
    return figure


# ---------------------------------------------------------------------- live plots
def _notebook_display() -> Callable[..., Any] | None:
    """IPython's ``display`` when running in a Jupyter-style kernel, else None."""
    try:
        ipython = importlib.import_module("IPython")
        display: Callable[..., Any] = importlib.import_module("IPython.display").display
    except ImportError:
        return None
    shell = ipython.get_ipython()
    if shell is None or "IPKernelApp" not in getattr(shell, "config", {}):
        return None
    return display


class LivePlot:
    """A learning curve that redraws while training runs in a notebook.

    It listens to a :class:`History`: every ``history.log(...)`` may redraw it, at most
    once per ``min_interval`` seconds and only on every ``every``-th log, so drawing
    does not slow the training loop down. In Jupyter the picture updates in place
    (IPython's ``display(..., display_id=True)``); in a terminal, or without matplotlib,
    each update prints one line such as ``epoch 10  loss 4.6796``. ``close()``, or the end
    of a ``with`` block, draws the final state and stops listening.

    Args:
        history: the history to follow; default a new one (``live.history``).
        metrics: the metric name(s) to draw; default all (as :func:`plot_history`).
        every: consider redrawing only on every ``every``-th log.
        min_interval: the least number of seconds between two redraws.
        logy: a logarithmic y axis.
        title: as :func:`plot_history`'s.
        mode: ``'plot'``, ``'text'``, or ``'auto'``: a plot where a notebook (or a
            ``display`` function) is there to show it, text otherwise.
        display: the function that shows a figure (IPython's ``display`` by default);
            it is called as ``display(figure, display_id=True)`` and must return a handle
            with ``update(figure)``.
        stream: where text mode prints; default ``sys.stdout`` (at print time).
        clock: the seconds counter used for ``min_interval``.

    Example:
        >>> from glasstorch.viz import History, LivePlot
        >>> history = History()
        >>> with LivePlot(history, mode='text', min_interval=0) as live:
        ...     for epoch in range(0, 30, 10):
        ...         history.log(epoch, loss=1 / (epoch + 1))
        epoch 0  loss 1.0000
        epoch 10  loss 0.0909
        epoch 20  loss 0.0476
    """

    def __init__(
        self,
        history: History | None = None,
        metrics: str | Sequence[str] | None = None,
        *,
        every: int = 1,
        min_interval: float = 0.5,
        logy: bool = False,
        title: str | None = None,
        mode: Literal["auto", "plot", "text"] = "auto",
        display: Callable[..., Any] | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive integer, got {every!r}")
        if mode not in ("auto", "plot", "text"):
            raise ValueError(f"mode must be 'auto', 'plot' or 'text', got {mode!r}")
        self.history = History() if history is None else history
        self.metrics = metrics
        self.every = every
        self.min_interval = float(min_interval)
        self.logy = logy
        self.title = title
        self.stream = stream
        self.clock = clock
        self.figure: Figure | None = None  # plot mode: the figure shown, once drawn
        self._handle: Any = None
        self._logs = 0  # logs seen
        self._last_draw = -math.inf
        self._dirty = False  # logs not drawn yet
        if mode == "auto" and display is None:
            display = _notebook_display()
            if display is not None:
                try:
                    _require_matplotlib()
                except ImportError:
                    display = None
        if mode == "plot" or (mode == "auto" and display is not None):
            _require_matplotlib()
            self._display = display or _ipython_display()
            self.mode = "plot"
        else:
            self.mode = "text"
        self.history._add_listener(self._on_log)

    def log(self, epoch: Any = None, /, **metrics: Any) -> None:
        """Log to the history (``history.log``), which redraws when it is time to."""
        self.history.log(epoch, **metrics)

    def _on_log(self, history: History) -> None:
        self._logs += 1
        self._dirty = True
        if self._logs % self.every == 0 or self._logs == 1:
            if self.clock() - self._last_draw >= self.min_interval:
                self.draw()

    def draw(self) -> None:
        """Redraw now (or, in text mode, print the latest row)."""
        self._last_draw = self.clock()
        self._dirty = False
        if not len(self.history):
            return
        if self.mode == "text":
            print(self._text_line(), file=self.stream or sys.stdout, flush=True)
            return
        groups = _metric_groups(self.history, self.metrics, strict=False)
        if not groups:
            return
        if self.figure is None:
            self.figure = _new_figure(PANEL_SIZE[0] * len(groups), PANEL_SIZE[1])
        self.figure.clear()
        _draw_history(self.figure, self.history, groups, None, self.title, self.logy)
        if self._handle is None:
            self._handle = self._display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)

    def _text_line(self) -> str:
        names = self.history.columns
        shown = {name for _, group in
                 _metric_groups(self.history, self.metrics, strict=False) for name in group}
        row = self.history[-1]
        parts = [f"{names[0]} {_format(float(row[0]), whole=True)}"]
        parts += [f"{name} {_format(float(v))}" for name, v in zip(names[1:], row[1:], strict=True)
                  if name in shown and not math.isnan(v)]
        return "  ".join(parts)

    def close(self) -> None:
        """Draw what has not been drawn yet, and stop following the history."""
        if self._dirty:
            self.draw()
        self.history._remove_listener(self._on_log)

    def __enter__(self) -> LivePlot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LivePlot(mode={self.mode!r}, {len(self.history)} rows logged)"


def _ipython_display() -> Callable[..., Any]:
    try:
        display: Callable[..., Any] = importlib.import_module("IPython.display").display
    except ImportError as e:
        raise ImportError(
            "LivePlot(mode='plot') needs IPython's display (run it in Jupyter), or pass "
            "display=..."
        ) from e
    return display
