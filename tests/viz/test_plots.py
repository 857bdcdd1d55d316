"""``glasstorch.viz`` plots: what each figure actually draws, and the live curve.

The figures are checked by their data, not their pixels: the learning curve's lines hold
the history's columns, the fitted line holds the model's predictions, the scatter holds
the data points, the decision boundary lies where the model's probability is 0.5. Every
test also checks that nothing was left in pyplot's list of open figures.
"""

from __future__ import annotations

import io
import subprocess
import sys
import types
from collections.abc import Iterator
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

import glasstorch as torch
from glasstorch import nn
from glasstorch.viz import (
    History,
    LivePlot,
    plot_decision_boundary,
    plot_fit,
    plot_history,
    plots as plots_module,
)

matplotlib.use("Agg")  # the plot functions need no backend; pyplot here only counts figures

HEIGHT = np.array([166, 176.0, 171.0, 173.0, 169.0])
WEIGHT = np.array([58.7, 75.7, 62.1, 70.4, 60.1])
INSTALL = "plotting needs matplotlib: pip install 'glasstorch[plot]'"


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a plot function left a figure open in pyplot"


def training_history() -> History:
    history = History()
    for epoch in range(0, 50, 5):
        history.log(epoch, loss=10 / (epoch + 1), accuracy=epoch / 50)
        if epoch % 10 == 0:
            history.log(epoch, val_loss=12 / (epoch + 1), val_accuracy=epoch / 60)
    return history


def line_data(ax: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in ax.get_lines()
    }


def scatters(ax: Any) -> list[Any]:
    return [c for c in ax.collections if not isinstance(c, ContourSet)]


# ---------------------------------------------------------------------- plot_history
def test_single_loss_curve_is_the_seed_figure() -> None:
    history = History()
    for epoch in range(0, 500, 10):
        history.log(epoch, loss=100 / (epoch + 1))
    fig = plot_history(history)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    (x, y), = line_data(ax).values()
    np.testing.assert_array_equal(x, history[:, 0])
    np.testing.assert_array_equal(y, history[:, 1])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "epoch", "loss", "learning curve (loss)")
    assert ax.get_legend() is None  # one line needs no legend
    assert ax.get_yscale() == "linear"


def test_train_and_validation_share_a_panel() -> None:
    history = training_history()
    fig = plot_history(history, title="run 1")
    assert len(fig.axes) == 2
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_ylabel() == "loss" and acc_ax.get_ylabel() == "accuracy"
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["loss", "val_loss"]
    lines = line_data(loss_ax)
    np.testing.assert_array_equal(lines["loss"][0], history["epoch"])
    np.testing.assert_array_equal(lines["loss"][1], history["loss"])
    # val_loss was logged every other row: its line joins the rows that have it
    np.testing.assert_array_equal(lines["val_loss"][0], [0, 10, 20, 30, 40])
    np.testing.assert_array_equal(lines["val_loss"][1], 12 / (np.arange(0, 50, 10) + 1))
    assert list(line_data(acc_ax)) == ["accuracy", "val_accuracy"]
    assert fig.get_suptitle() == "run 1"


def test_metric_selection_log_scale_and_errors() -> None:
    history = training_history()
    fig = plot_history(history, metrics="val_loss", logy=True, title="validation")
    ax, = fig.axes
    assert list(line_data(ax)) == ["val_loss"]
    assert ax.get_yscale() == "log" and ax.get_title() == "validation"
    assert ax.get_ylabel() == "loss"
    fig = plot_history(history, metrics=["accuracy", "loss"])
    assert [a.get_ylabel() for a in fig.axes] == ["accuracy", "loss"]
    with pytest.raises(KeyError, match="'acc'"):
        plot_history(history, metrics=["acc"])
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_history(History())


def test_into_given_axes() -> None:
    fig = Figure()
    ax = fig.add_subplot(1, 2, 2)
    result = plot_history(training_history(), ax=ax)
    assert result is fig and len(fig.axes) == 1
    assert list(line_data(ax)) == ["loss", "val_loss", "accuracy", "val_accuracy"]
    assert ax.get_title() == "learning curves" and ax.get_ylabel() == "value"
    sub = Figure().subfigures(1, 2)[1]
    assert plot_history(training_history(), ax=sub.add_subplot()) is sub.figure


def test_accepts_the_tutorial_array() -> None:
    array = np.array([[0, 13.352], [10, 9.0], [20, 7.5]])
    ax, = plot_history(array).axes
    np.testing.assert_array_equal(line_data(ax)["loss"][1], array[:, 1])


def test_figure_shows_in_jupyter_as_png() -> None:
    fig = plot_history(training_history())
    png = fig._repr_png_()  # type: ignore[attr-defined]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


# ---------------------------------------------------------------------- plot_fit
def seed_001_model() -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.tensor(HEIGHT - HEIGHT.mean()).float()
    Y = torch.tensor(WEIGHT - WEIGHT.mean()).float()
    W = torch.tensor(1.0, requires_grad=True).float()
    B = torch.tensor(1.0, requires_grad=True).float()
    optimizer = torch.optim.SGD([W, B], lr=0.001)
    for _ in range(500):
        loss = ((W * X + B - Y) ** 2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return W, B


def test_fit_of_seed_001_in_original_coordinates() -> None:
    W, B = seed_001_model()

    def pred(t: torch.Tensor) -> torch.Tensor:
        assert not torch.is_grad_enabled()
        return W * (t - HEIGHT.mean()) + B + WEIGHT.mean()

    fig = plot_fit(HEIGHT, WEIGHT, pred, title="height and weight")
    ax, = fig.axes
    dots, = scatters(ax)
    np.testing.assert_array_equal(dots.get_offsets(), np.column_stack([HEIGHT, WEIGHT]))
    np.testing.assert_array_equal(dots.get_facecolor(), [to_rgba("k")])
    (x, y), = line_data(ax).values()
    np.testing.assert_array_equal(x, np.linspace(166, 176, 200))
    expected = (W.item() * (x.astype(np.float32) - HEIGHT.mean()) + B.item() + WEIGHT.mean())
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    line, = ax.get_lines()
    assert to_rgba(line.get_color()) == to_rgba("b") and line.get_linewidth() == 2
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "$x$", "$y$", "height and weight")
    assert W.grad is None or W.grad.item() == 0  # plotting did not backpropagate


@pytest.mark.parametrize("column", [False, True])
def test_fit_with_a_module(column: bool) -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 4), nn.Tanh(), nn.Linear(4, 1))
    x = np.linspace(-2, 2, 7)
    xs = x[:, None] if column else x
    fig = plot_fit(torch.tensor(xs).float(), torch.tensor(x ** 2).float(), model, points=50)
    (gx, gy), = line_data(fig.axes[0]).values()
    with torch.no_grad():
        expected = model(torch.tensor(gx[:, None]).float()).numpy()[:, 0]
    np.testing.assert_allclose(gy, expected, rtol=1e-6)
    assert gx.size == 50
    np.testing.assert_array_equal(scatters(fig.axes[0])[0].get_offsets(),
                                  np.column_stack([x, x ** 2]).astype(np.float32))
    assert model.training  # put back in training mode


@pytest.mark.parametrize("shape", [(3,), (3, 1)])
def test_fit_with_a_function_of_a_vector(shape: tuple[int, ...]) -> None:
    seen: list[tuple[int, ...]] = []

    def pred(t: torch.Tensor) -> torch.Tensor:
        seen.append(tuple(t.shape))
        if t.dim() != 1:
            raise RuntimeError("pred takes a vector")
        return torch.stack([2 * t, t]).sum(dim=0)

    fig = plot_fit(np.arange(3.0).reshape(shape), [0.0, 3.0, 6.0], pred, points=4)
    (_, y), = line_data(fig.axes[0]).values()
    np.testing.assert_allclose(y, [0, 2, 4, 6])
    assert seen == ([(4,)] if shape == (3,) else [(4, 1), (4,)])  # x's layout first


def test_fit_evaluates_in_eval_mode() -> None:
    class Noisy(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x * 100 if self.training else x * 2

    model = Noisy()
    (_, y), = line_data(plot_fit([0.0, 1.0], [0.0, 2.0], model).axes[0]).values()
    np.testing.assert_allclose(y, np.linspace(0, 1, 200) * 2, rtol=1e-6)
    assert model.training


def test_fit_with_a_weight_bias_pair_and_range() -> None:
    linear = nn.Linear(1, 1)
    with torch.no_grad():
        linear.weight.fill_(3.0)
        linear.bias.fill_(-1.0)
    for pair in [(linear.weight, linear.bias), (torch.tensor(3.0), -1.0), [3, -1]]:
        fig = plot_fit([0.0, 1.0, 2.0], [0.0, 2.0, 5.0], pair, x_range=(-1, 3), points=5)
        (x, y), = line_data(fig.axes[0]).values()
        np.testing.assert_allclose(x, [-1, 0, 1, 2, 3])
        np.testing.assert_allclose(y, [-4, -1, 2, 5, 8])


def test_fit_errors() -> None:
    with pytest.raises(ValueError, match=r"shape \(N,\) or \(N, 1\)"):
        plot_fit(np.zeros((3, 2)), np.zeros(3), lambda t: t)
    with pytest.raises(ValueError, match="same length"):
        plot_fit(np.zeros(3), np.zeros(4), lambda t: t)
    with pytest.raises(ValueError, match="one output per input"):
        plot_fit(np.arange(3.0), np.zeros(3), lambda t: t.sum())
    with pytest.raises(ValueError, match="one input to one output"):
        plot_fit(np.arange(3.0), np.zeros(3), (np.ones((2, 1)), 0.0))
    with pytest.raises(TypeError, match="a model, a function"):
        plot_fit(np.arange(3.0), np.zeros(3), "model")
    with pytest.raises(ValueError, match="points"):
        plot_fit(np.arange(3.0), np.zeros(3), lambda t: t, points=1)
    with pytest.raises(RuntimeError, match="boom"):  # the model's own error comes through

        def broken(t: torch.Tensor) -> torch.Tensor:
            raise RuntimeError("boom")

        plot_fit(np.arange(3.0), np.zeros(3), broken)


# ---------------------------------------------------------------------- decision boundary
def blobs(n_classes: int, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.arange(n) % n_classes
    centers = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])[:n_classes]
    return centers[y] + rng.normal(scale=0.5, size=(n, 2)), y


def test_binary_boundary_lies_where_the_probability_is_one_half() -> None:
    X, y = blobs(2)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())  # P(class 1) = sigmoid(2 (x1 - 1.5))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[2.0, 0.0]]))
        model[0].bias.fill_(-3.0)
    fig = plot_decision_boundary(model, torch.tensor(X).float(),
                                 torch.tensor(y[:, None]).float(), resolution=60)
    ax, colorbar = fig.axes
    assert colorbar.get_ylabel() == "P(class 1)"
    filled, boundary = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert filled.filled and not boundary.filled
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    assert list(boundary.levels) == [0.5]
    vertices = np.concatenate([p.vertices for p in boundary.get_paths()])
    np.testing.assert_allclose(vertices[:, 0], 1.5, atol=1e-3)  # the line x1 = 1.5
    class0, class1 = scatters(ax)
    assert (class0.get_label(), class1.get_label()) == ("class 0", "class 1")
    np.testing.assert_array_equal(class0.get_offsets(), X[y == 0].astype(np.float32))
    np.testing.assert_array_equal(class1.get_offsets(), X[y == 1].astype(np.float32))
    np.testing.assert_array_equal(class0.get_facecolor(), [to_rgba("tab:blue")])
    np.testing.assert_array_equal(class1.get_facecolor(), [to_rgba("tab:red")])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "$x_1$", "$x_2$", "decision boundary")


@pytest.mark.parametrize("output", ["auto", "logits"])
def test_binary_logits_give_the_same_boundary(output: str) -> None:
    X, y = blobs(2)
    fig = plot_decision_boundary(lambda p: 2 * p[:, 0] - 3, X, y, resolution=60, output=output)
    boundary = [c for c in fig.axes[0].collections if isinstance(c, ContourSet)][1]
    vertices = np.concatenate([p.vertices for p in boundary.get_paths()])
    np.testing.assert_allclose(vertices[:, 0], 1.5, atol=1e-3)


def test_output_kind_matters() -> None:
    # outputs in [0, 1] are read as probabilities unless output='logits' says otherwise
    X, y = blobs(2)
    model = lambda p: torch.clamp(p[:, 0] / 3, 0, 1)  # noqa: E731
    as_probs = plot_decision_boundary(model, X, y, resolution=60)
    as_logits = plot_decision_boundary(model, X, y, resolution=60, output="logits")
    x_probs = [c for c in as_probs.axes[0].collections if isinstance(c, ContourSet)][1]
    np.testing.assert_allclose(x_probs.get_paths()[0].vertices[:, 0], 1.5, atol=1e-6)
    # sigmoid(z) > 0.5 everywhere: no boundary line at all
    assert len([c for c in as_logits.axes[0].collections if isinstance(c, ContourSet)]) == 1
    with pytest.raises(ValueError, match="output must be"):
        plot_decision_boundary(model, X, y, output="scores")  # type: ignore[arg-type]


def test_multiclass_regions_and_colours() -> None:
    X, y = blobs(3, n=90)
    centers = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]], dtype=np.float32)

    def nearest_center_logits(points: torch.Tensor) -> torch.Tensor:
        diff = points.unsqueeze(1) - torch.tensor(centers)
        return -(diff ** 2).sum(dim=2)

    fig = plot_decision_boundary(nearest_center_logits, X, y, resolution=50)
    assert len(fig.axes) == 1  # no colour bar for classes
    ax, = fig.axes
    regions, borders = [c for c in ax.collections if isinstance(c, ContourSet)]
    np.testing.assert_array_equal(regions.levels, [-0.5, 0.5, 1.5, 2.5])
    np.testing.assert_array_equal(borders.levels, [0.5, 1.5])
    np.testing.assert_allclose(
        [tuple(c[:3]) for c in regions.get_facecolor()],
        [to_rgba(c)[:3] for c in ("C0", "C1", "C2")])
    dots = scatters(ax)
    assert [d.get_label() for d in dots] == ["class 0", "class 1", "class 2"]
    for k, d in enumerate(dots):
        np.testing.assert_array_equal(d.get_offsets(), X[y == k])
        np.testing.assert_array_equal(d.get_facecolor(), [to_rgba(f"C{k}")])


def test_decision_boundary_with_a_module_in_eval_mode_and_errors() -> None:
    X, y = blobs(3)
    model = nn.Linear(2, 3)
    fig = plot_decision_boundary(model, X, y, resolution=10)
    assert isinstance(fig, Figure) and model.training
    assert model.weight.grad is None
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plot_decision_boundary(model, X[:, :1], y)
    with pytest.raises(ValueError, match="labels"):
        plot_decision_boundary(model, X, y[:-1])
    with pytest.raises(ValueError, match="class numbers"):
        plot_decision_boundary(model, X, y + 0.5)


# ---------------------------------------------------------------------- missing matplotlib
@pytest.fixture()
def no_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.setitem(sys.modules, name, None)  # makes `import` raise ImportError


@pytest.mark.usefixtures("no_matplotlib")
def test_missing_matplotlib_error() -> None:
    calls = [
        lambda: plot_history(training_history()),
        lambda: plot_fit([0.0, 1.0], [0.0, 1.0], lambda t: t),
        lambda: plot_decision_boundary(lambda p: p[:, 0], np.zeros((2, 2)), [0, 1]),
        lambda: LivePlot(mode="plot", display=lambda *a, **k: None),
    ]
    for call in calls:
        with pytest.raises(ImportError) as info:
            call()
        assert str(info.value) == INSTALL
    # a live plot without matplotlib, even with somewhere to show it, falls back to text
    assert LivePlot(display=None).mode == "text"


def test_viz_imports_without_matplotlib() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import glasstorch.viz as viz\n"
        "h = viz.History(); h.log(0, loss=1.0)\n"
        "try:\n"
        "    viz.plot_history(h)\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == INSTALL


# ---------------------------------------------------------------------- LivePlot
class FakeDisplay:
    """Stands in for IPython's display(obj, display_id=True) and its handle."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, Any]] = []

    def __call__(self, obj: Any, display_id: bool = False) -> FakeDisplay:
        assert display_id is True
        self.shown.append(("display", obj))
        return self

    def update(self, obj: Any) -> None:
        self.shown.append(("update", obj))


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_live_plot_updates_in_place_throttled_by_time() -> None:
    display, clock = FakeDisplay(), FakeClock()
    history = History()
    live = LivePlot(history, display=display, clock=clock, min_interval=0.5)
    assert live.mode == "plot" and live.figure is None
    history.log(0, loss=4.0)
    assert [kind for kind, _ in display.shown] == ["display"]
    figure = live.figure
    assert display.shown[0][1] is figure
    history.log(1, loss=3.0)  # 0 s later: not redrawn
    clock.now += 0.2
    history.log(2, loss=2.0)  # 0.2 s: not yet
    assert len(display.shown) == 1
    clock.now += 0.3
    history.log(3, loss=1.0, val_loss=1.5)  # 0.5 s: redrawn, in the same output
    assert [kind for kind, _ in display.shown] == ["display", "update"]
    assert display.shown[1][1] is figure
    lines = line_data(figure.axes[0])
    np.testing.assert_array_equal(lines["loss"][1], [4, 3, 2, 1])
    np.testing.assert_array_equal(lines["val_loss"][0], [3])
    history.log(4, loss=0.5)  # too soon...
    live.close()  # ...but close() draws the last state
    assert len(display.shown) == 3
    np.testing.assert_array_equal(line_data(figure.axes[0])["loss"][1], [4, 3, 2, 1, 0.5])
    assert len(figure.axes) == 1  # redrawing replaced the panel, did not add one
    history.log(5, loss=0.1)  # closed: no longer listening
    live.close()
    assert len(display.shown) == 3
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_live_plot_every_n_logs() -> None:
    display = FakeDisplay()
    with History().live(display=display, every=3, min_interval=0) as live:
        for epoch in range(7):
            live.log(epoch, loss=1.0 / (epoch + 1))
        # drawn on logs 1, 3, 6
        assert [kind for kind, _ in display.shown] == ["display", "update", "update"]
    assert len(display.shown) == 4  # the 7th log, when the block ended
    assert len(live.history) == 7


def test_live_plot_text_mode(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    history = History()
    stream = io.StringIO()
    with LivePlot(history, clock=clock, stream=stream, metrics=["loss", "val_loss"]) as live:
        assert live.mode == "text"  # not in a notebook
        history.log(0, loss=13.352, accuracy=0.5)
        history.log(1, loss=12.0)  # too soon: not printed
        clock.now += 1
        history.log(2, loss=11.0, val_loss=1e-5)
        history.log(3, loss=10.0)
    assert stream.getvalue().splitlines() == [
        "epoch 0  loss 13.3520",
        "epoch 2  loss 11.0000  val_loss 1.0000e-05",
        "epoch 3  loss 10.0000",
    ]
    assert capsys.readouterr().out == ""
    LivePlot(history, mode="text").draw()
    assert capsys.readouterr().out == "epoch 3  loss 10.0000\n"  # accuracy: NaN, left out


def test_live_plot_finds_the_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    display = FakeDisplay()
    shell = types.SimpleNamespace(config={"IPKernelApp": {}})
    ipython = types.SimpleNamespace(get_ipython=lambda: shell)
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", types.SimpleNamespace(display=display))
    live = LivePlot()
    assert live.mode == "plot"
    live.log(0, loss=1.0)
    assert [kind for kind, _ in display.shown] == ["display"]
    shell.config = {}  # a terminal IPython: text
    assert LivePlot().mode == "text"
    assert plots_module._notebook_display() is None


def test_live_plot_arguments() -> None:
    with pytest.raises(ValueError, match="every"):
        LivePlot(every=0)
    with pytest.raises(ValueError, match="mode"):
        LivePlot(mode="gui")  # type: ignore[arg-type]
    assert repr(LivePlot(mode="text")) == "LivePlot(mode='text', 0 rows logged)"
