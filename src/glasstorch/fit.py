r"""``glasstorch fit``: train a small model on a CSV file, as a worked example.

The command answers the seed tutorials' question ("4 hours of study -> what score?")
without writing a script::

    glasstorch fit scores.csv --x hours --y score --model linear \
        --epochs 1000 --lr 0.01 --predict 4 --out results/

Read this module from top to bottom as a tutorial: :func:`load_columns` turns the CSV
into NumPy arrays (and says clearly what is wrong with a bad file), :func:`build_model`
makes the model from ``--model``, :func:`train` is the classic training loop
(forward, loss, ``zero_grad``, ``backward``, ``step``), and :func:`run` ties it all
together and writes the pictures and files into ``--out``.

Models (``--model``):

- ``linear``: ``y = x @ W.T + b`` (one or more x columns), mean squared error;
- ``logistic``: ``P(y=1) = sigmoid(x @ W.T + b)`` for a 0/1 target, binary cross entropy;
- ``poly:K``: ``y = w1*x + w2*x**2 + ... + wK*x**K + b`` (one x column), mean squared error;
- ``mlp:16,16``: Linear -> ReLU -> Linear -> ReLU -> Linear with 16 and 16 hidden units,
  mean squared error.

Linear, logistic and polynomial models start from all-zero parameters, as the tutorials
do (``W = torch.zeros(1, requires_grad=True)``); an MLP needs random starting weights
(all-zero hidden units would stay identical forever), drawn with ``--seed``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import glasstorch
from glasstorch import nn
from glasstorch._io import atomic_write
from glasstorch._tensor import Tensor
from glasstorch.autograd.grad_mode import no_grad
from glasstorch.viz.history import History

__all__ = ["FitError", "ModelSpec", "build_model", "load_columns", "parse_model_spec", "run",
           "train"]

BAD_INPUT = 2  # exit status for a bad file or bad options (argparse uses 2 as well)
TRAINING_FAILED = 1  # exit status when training itself goes wrong (the loss blew up)


class FitError(Exception):
    """Bad input for ``glasstorch fit``: the message is printed as is, the exit status is 2."""


# ---------------------------------------------------------------------- the model spec
@dataclass(frozen=True)
class ModelSpec:
    """What ``--model`` asked for: ``kind`` plus a degree (poly) or hidden sizes (mlp)."""

    kind: str  # 'linear', 'logistic', 'poly' or 'mlp'
    degree: int = 1
    hidden: tuple[int, ...] = field(default=())

    @property
    def is_classifier(self) -> bool:
        """Whether the model predicts a probability (logistic) rather than a number."""
        return self.kind == "logistic"

    def min_rows(self) -> int:
        """The fewest data rows that can determine the model (a degree-K curve needs K+1)."""
        return self.degree + 1 if self.kind == "poly" else 2


def parse_model_spec(text: str) -> ModelSpec:
    """Read ``--model``: ``linear``, ``logistic``, ``poly:K`` or ``mlp:H1,H2,...``.

    Example:
        >>> parse_model_spec('poly:3')
        ModelSpec(kind='poly', degree=3, hidden=())
        >>> parse_model_spec('mlp:16,16').hidden
        (16, 16)
        >>> parse_model_spec('cubic')
        Traceback (most recent call last):
        ...
        glasstorch.fit.FitError: bad --model 'cubic': use linear, logistic, poly:K (e.g. poly:3) or mlp:H,H (e.g. mlp:16,16)
    """  # noqa: E501
    usage = (f"bad --model {text!r}: use linear, logistic, poly:K (e.g. poly:3) "
             "or mlp:H,H (e.g. mlp:16,16)")
    kind, _, arg = text.strip().lower().partition(":")
    if kind in ("linear", "logistic") and not arg:
        return ModelSpec(kind)
    try:
        numbers = [int(part) for part in arg.split(",")] if arg else []
    except ValueError:
        raise FitError(usage) from None
    if kind == "poly" and len(numbers) == 1 and 1 <= numbers[0] <= 20:
        return ModelSpec("poly", degree=numbers[0])
    if kind == "mlp" and numbers and all(n >= 1 for n in numbers):
        return ModelSpec("mlp", hidden=tuple(numbers))
    raise FitError(usage)


class Powers(nn.Module):
    """One input column ``x`` becomes ``degree`` columns: ``x, x**2, ..., x**degree``."""

    def __init__(self, degree: int) -> None:
        super().__init__()
        self.degree = degree

    def forward(self, x: Tensor) -> Tensor:
        """``(N, 1) -> (N, degree)``, by broadcasting ``x`` against the exponents."""
        exponents = glasstorch.arange(1, self.degree + 1, dtype=x.dtype)
        return x**exponents


def build_model(spec: ModelSpec, n_inputs: int) -> nn.Module:
    """The ``nn.Module`` for ``spec``, taking ``(N, n_inputs)`` and giving ``(N, 1)``.

    Call ``glasstorch.manual_seed(seed)`` first: an MLP draws random starting weights.
    """
    if spec.kind == "mlp":
        layers: list[nn.Module] = []
        width = n_inputs
        for hidden in spec.hidden:
            layers += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        layers.append(nn.Linear(width, 1))
        return nn.Sequential(*layers)
    if spec.kind == "poly":
        linear = nn.Linear(spec.degree, 1)
        model: nn.Module = nn.Sequential(Powers(spec.degree), linear)
    else:
        linear = nn.Linear(n_inputs, 1)
        model = nn.Sequential(linear, nn.Sigmoid()) if spec.is_classifier else linear
    with no_grad():  # start from zeros, like the tutorials
        linear.weight.zero_()
        linear.bias.zero_()
    return model


# ---------------------------------------------------------------------- reading the CSV
def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def load_columns(path: str | os.PathLike[str], names: Sequence[str]) -> dict[str, np.ndarray]:
    """The columns ``names`` of the CSV file ``path``, as float64 arrays.

    The first line holds the column names. A file without one (its first line is all
    numbers, like ``test_score.csv``) has columns ``col0``, ``col1``, ... instead. Blank
    lines and lines starting with ``#`` are skipped. Other columns may hold anything.

    Raises:
        FitError: the file is missing, a column is missing (the message lists the ones
            there are), or a cell is not a finite number (the message names its row and
            column).
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FitError(f"no such file: {source}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise FitError(f"cannot read {source}: {err}") from None
    lines = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
             if row and any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#")]
    if not lines:
        raise FitError(f"{source} is empty: it needs a header line and rows of numbers")
    header = [cell.strip() for cell in lines[0][1]]
    if all(_is_number(cell) for cell in header):
        header = [f"col{i}" for i in range(len(header))]  # no header line: number the columns
    else:
        lines = lines[1:]
    missing = [name for name in names if name not in header]
    if missing:
        raise FitError(f"{source} has no column {', '.join(map(repr, missing))}; "
                       f"its columns are: {', '.join(header)}")
    columns: dict[str, np.ndarray] = {}
    for name in names:
        index = header.index(name)
        values = []
        for row_number, (line_number, row) in enumerate(lines, start=1):
            where = f"{source}, row {row_number} (line {line_number}), column {name!r}"
            cell = row[index].strip() if index < len(row) else ""
            if not cell:
                raise FitError(f"{where}: the cell is empty")
            try:
                value = float(cell)
            except ValueError:
                raise FitError(f"{where}: {cell!r} is not a number") from None
            if not math.isfinite(value):
                raise FitError(f"{where}: {cell} is not a finite number (NaN or infinity)")
            values.append(value)
        columns[name] = np.array(values, dtype=np.float64)
    return columns


# ---------------------------------------------------------------------- the training loop
class _Progress:
    r"""A progress bar on stderr: tqdm's if installed, else one line redrawn with ``\r``.

    Off when stderr is not a terminal (a pipe, a log file, a test), so logs stay clean.
    """

    def __init__(self, epochs: int, enabled: bool) -> None:
        self.epochs = epochs
        self.every = max(1, epochs // 100)  # redraw about 100 times in all
        self.bar: Any = None
        self.enabled = enabled
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=epochs, unit="epoch", file=sys.stderr, leave=False)

    def update(self, epoch: int, loss: float) -> None:
        if not self.enabled or (epoch % self.every and epoch != self.epochs):
            return
        if self.bar is not None:
            self.bar.update(epoch - self.bar.n)
            self.bar.set_postfix(loss=f"{loss:.6g}", refresh=False)
        else:
            done = epoch * 30 // self.epochs
            bar = "#" * done + "." * (30 - done)
            print(f"\r[{bar}] epoch {epoch}/{self.epochs}  loss {loss:.6g}",
                  end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled:
            print(file=sys.stderr, flush=True)


def train(model: nn.Module, x: Tensor, y: Tensor, loss_fn: nn.Module,
          optimizer: glasstorch.optim.Optimizer, epochs: int,
          on_epoch: Callable[[int, float], None] | None = None) -> History:
    """The training loop; returns the loss of every epoch (measured before its step).

    Raises:
        FloatingPointError: the loss became NaN or infinite (the step was too big).
    """
    history = History()
    for epoch in range(1, epochs + 1):
        prediction = model(x)  # forward: the model's guess for every row
        loss = loss_fn(prediction, y)  # one number: how wrong the guesses are
        optimizer.zero_grad()  # forget the previous epoch's gradients
        loss.backward()  # d loss / d parameter, into each parameter's .grad
        optimizer.step()  # parameter -= lr * gradient (SGD; Adam scales it per entry)
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(f"the loss became {value} at epoch {epoch}")
        history.log(epoch, loss=value)
        if on_epoch is not None:
            on_epoch(epoch, value)
    return history


# ---------------------------------------------------------------------- writing results
def _figure_png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------- the command
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``glasstorch fit`` (used by ``glasstorch.__main__``)."""
    parser.add_argument("csv", help="the data: a CSV file with a header line")
    parser.add_argument("--x", required=True,
                        help="input column(s), comma-separated (e.g. hours or a,b,c)")
    parser.add_argument("--y", required=True, help="the target column")
    parser.add_argument("--model", default="linear",
                        help="linear | logistic | poly:K | mlp:H,H (default linear)")
    parser.add_argument("--epochs", type=int, default=1000, help="default 1000")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate (default 0.01)")
    parser.add_argument("--optimizer", default="sgd", choices=["sgd", "adam"])
    parser.add_argument("--predict", action="append", default=[], metavar="X",
                        help="predict for this input (comma-separated with several x "
                        "columns); may be repeated")
    parser.add_argument("--out", default="results", help="folder for the results "
                        "(default results/)")
    parser.add_argument("--standardize", action="store_true",
                        help="rescale x (and y for regression) to mean 0, std 1 for training")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def _parse_predict(texts: Sequence[str], n_inputs: int) -> np.ndarray:
    rows = []
    for text in texts:
        try:
            row = [float(part) for part in text.split(",")]
        except ValueError:
            raise FitError(f"bad --predict {text!r}: give numbers, comma-separated") from None
        if len(row) != n_inputs or not all(math.isfinite(v) for v in row):
            raise FitError(f"bad --predict {text!r}: give {n_inputs} finite number(s), "
                           "one per --x column")
        rows.append(row)
    return np.array(rows, dtype=np.float64).reshape(-1, n_inputs)


def _make_optimizer(name: str, params: Any, lr: float) -> glasstorch.optim.Optimizer:
    if name == "adam":
        return glasstorch.optim.Adam(params, lr=lr)
    return glasstorch.optim.SGD(params, lr=lr)


def run(ns: argparse.Namespace) -> int:
    """Run ``glasstorch fit`` with parsed options; return the exit status."""
    try:
        return _run(ns)
    except FitError as err:
        print(f"glasstorch fit: {err}", file=sys.stderr)
        return BAD_INPUT


def _run(ns: argparse.Namespace) -> int:
    # 1. check the options before doing any work
    spec = parse_model_spec(ns.model)
    x_names = [name.strip() for name in ns.x.split(",") if name.strip()]
    if not x_names:
        raise FitError("--x needs at least one column name")
    if len(x_names) > 1 and spec.kind == "poly":
        raise FitError("poly:K takes exactly one --x column")
    if ns.epochs <= 0:
        raise FitError(f"--epochs must be positive, got {ns.epochs}")
    if not (math.isfinite(ns.lr) and ns.lr > 0):
        raise FitError(f"--lr must be a positive number, got {ns.lr}")
    queries = _parse_predict(ns.predict, len(x_names))
    out = Path(ns.out)
    if out.exists() and not out.is_dir():
        raise FitError(f"--out {out} is a file, not a folder")

    # 2. the data, as NumPy arrays: x of shape (N, inputs), y of shape (N, 1)
    columns = load_columns(ns.csv, [*x_names, ns.y])
    x_raw = np.stack([columns[name] for name in x_names], axis=1)
    y_raw = columns[ns.y].reshape(-1, 1)
    if len(x_raw) < spec.min_rows():
        raise FitError(f"{ns.csv} has {len(x_raw)} data row(s); {ns.model} needs at least "
                       f"{spec.min_rows()}")
    if spec.is_classifier and not np.isin(y_raw, (0.0, 1.0)).all():
        bad = y_raw[~np.isin(y_raw, (0.0, 1.0))][0]
        raise FitError(f"logistic needs a 0/1 target, but column {ns.y!r} holds {bad:g}")

    # 3. optional standardizing: train on (x - mean) / std, report in the original units
    x_mean, x_std = np.zeros(len(x_names)), np.ones(len(x_names))
    y_mean, y_std = 0.0, 1.0
    if ns.standardize:
        x_mean, x_std = x_raw.mean(axis=0), x_raw.std(axis=0)
        if (x_std == 0).any():
            constant = x_names[int(np.argmax(x_std == 0))]
            raise FitError(f"--standardize: column {constant!r} is constant")
        if not spec.is_classifier:
            y_mean, y_std = float(y_raw.mean()), float(y_raw.std()) or 1.0
    dtype = glasstorch.get_default_dtype()
    x = glasstorch.tensor((x_raw - x_mean) / x_std, dtype=dtype)
    y = glasstorch.tensor((y_raw - y_mean) / y_std, dtype=dtype)

    # 4. the model, the loss and the optimizer
    glasstorch.manual_seed(ns.seed)
    model = build_model(spec, len(x_names))
    loss_fn: nn.Module = nn.BCELoss() if spec.is_classifier else nn.MSELoss()
    optimizer = _make_optimizer(ns.optimizer, model.parameters(), ns.lr)

    def predict(inputs: np.ndarray) -> np.ndarray:
        """The model's output for raw inputs ``(M, n_x)``, in the original units."""
        with no_grad():
            out = model(glasstorch.tensor((inputs - x_mean) / x_std, dtype=dtype))
        return out.numpy().astype(np.float64) * y_std + y_mean

    # 5. train
    loss_name = "BCE" if spec.is_classifier else "MSE"
    print(f"training {ns.model} on {len(x_raw)} rows: {', '.join(x_names)} -> {ns.y}, "
          f"{ns.epochs} epochs of {ns.optimizer} (lr {ns.lr:g}), loss {loss_name}", flush=True)
    progress = _Progress(ns.epochs, enabled=sys.stderr.isatty())
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
            history = train(model, x, y, loss_fn, optimizer, ns.epochs, progress.update)
    except FloatingPointError as err:
        progress.close()
        print(f"glasstorch fit: training diverged: {err}. Try a smaller --lr"
              f"{'' if ns.standardize else ' or --standardize'}.", file=sys.stderr)
        return TRAINING_FAILED
    progress.close()
    final_loss = loss_fn(model(x), y)  # after the last step; also the graph drawn below

    # 6. report
    print("parameters" + (" (for standardized x and y)" if ns.standardize else "") + ":")
    parameters = {name: p.detach().numpy().tolist() for name, p in model.named_parameters()}
    for name, p in model.named_parameters():
        values = np.array2string(p.detach().numpy(), precision=4, suppress_small=True)
        print(f"  {name} = {values}")
    scaled = ", standardized" if ns.standardize and not spec.is_classifier else ""
    print(f"final loss ({loss_name}{scaled}): {final_loss.item():.6g}")
    predictions = predict(queries) if len(queries) else np.zeros((0, 1))
    for query, value in zip(queries, predictions[:, 0], strict=True):
        inputs = ", ".join(f"{v:g} {name}" for v, name in zip(query, x_names, strict=True))
        if spec.is_classifier:
            print(f"{inputs} -> P({ns.y}=1) = {value:.4f}, class {int(value >= 0.5)}")
        else:
            print(f"{inputs} -> {value:.2f}")

    # 7. write the results, each file atomically
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = _write_results(out, ns, model, history, final_loss, parameters, x_raw,
                                 y_raw, predict, queries, predictions, x_names,
                                 dict(x_mean=x_mean.tolist(), x_std=x_std.tolist(),
                                      y_mean=y_mean, y_std=y_std))
    except OSError as err:
        raise FitError(f"cannot write the results into {out}: {err}") from None
    print(f"wrote {', '.join(written)} into {out}")
    return 0


def _write_results(out: Path, ns: argparse.Namespace, model: nn.Module, history: History,
                   final_loss: Tensor, parameters: dict[str, Any], x_raw: np.ndarray,
                   y_raw: np.ndarray, predict: Callable[[np.ndarray], np.ndarray],
                   queries: np.ndarray, predictions: np.ndarray, x_names: list[str],
                   scaling: dict[str, Any]) -> list[str]:
    """Write history.csv, model.json, the pictures and the graph; return the file names."""
    from glasstorch.viz import ExecutableNotFound, make_dot, plot_fit, plot_history

    written = []
    history.save(out / "history.csv")  # History.save writes atomically too
    written.append("history.csv")
    summary = {
        "model": ns.model, "x": x_names, "y": ns.y, "epochs": ns.epochs, "lr": ns.lr,
        "optimizer": ns.optimizer, "seed": ns.seed, "standardize": ns.standardize,
        "scaling": scaling, "final_loss": final_loss.item(), "parameters": parameters,
        "predictions": [{"x": q.tolist(), "y": float(v)}
                        for q, v in zip(queries, predictions[:, 0], strict=True)],
    }
    atomic_write(out / "model.json", (json.dumps(summary, indent=1) + "\n").encode())
    written.append("model.json")

    if _have_matplotlib():
        figure = plot_history(history, title=f"learning curve ({ns.model})")
        atomic_write(out / "learning_curve.png", _figure_png(figure))
        written.append("learning_curve.png")
        if len(x_names) == 1:
            def line(t: Tensor) -> Tensor:
                return glasstorch.tensor(predict(t.numpy().reshape(-1, 1)))
            figure = plot_fit(x_raw[:, 0], y_raw[:, 0], line, title=f"{ns.model} fit")
            figure.axes[0].set_xlabel(x_names[0])
            figure.axes[0].set_ylabel(ns.y)
            atomic_write(out / "fit.png", _figure_png(figure))
            written.append("fit.png")
    else:
        print("note: matplotlib is not installed, so no pictures were drawn "
              "(pip install 'glasstorch[fit]')")

    graph = make_dot(final_loss, params=dict(model.named_parameters()))
    try:
        atomic_write(out / "graph.png", graph.pipe("png"))
        written.append("graph.png")
    except ExecutableNotFound:
        atomic_write(out / "graph.dot", graph.source.encode("utf-8"))
        written.append("graph.dot")
        print("note: Graphviz's `dot` program is not installed, so the graph was saved as "
              "graph.dot; draw it with `dot -Tpng graph.dot -o graph.png` once Graphviz is "
              "installed (apt-get install graphviz / brew install graphviz)")
    return written
