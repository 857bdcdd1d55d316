"""`glasstorch fit`: train on a CSV from the command line (issue 5)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import glasstorch
import glasstorch.fit as fit
from glasstorch.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _csv(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def hours(tmp_path: Path) -> Path:
    """Seed 002's data: hours 1, 2, 3 -> 30, 60, 90."""
    return _csv(tmp_path, "hours,score\n1,30\n2,60\n3,90\n")


def _fit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fit", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _numpy_sgd(x: np.ndarray, y: np.ndarray, epochs: int, lr: float) -> tuple[float, float]:
    """Seed 002's loop by hand, in float32: W, b from zero, D_W = 2/m sum((Wx+b-y)x)."""
    x, y = x.astype(np.float32), y.astype(np.float32)
    w, b = np.float32(0), np.float32(0)
    lr32 = np.float32(lr)
    for _ in range(epochs):
        err = w * x + b - y
        w, b = w - lr32 * np.float32(2) * np.mean(err * x), b - lr32 * np.float32(2) * np.mean(err)
    return float(w), float(b)


def test_linear_prints_the_seed002_prediction_and_writes_the_files(
        hours: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "results"
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--model", "linear",
                          "--epochs", "1000", "--lr", "0.01", "--predict", "4",
                          "--out", str(out_dir))
    assert code == 0, err
    w, b = _numpy_sgd(np.array([1.0, 2, 3]), np.array([30.0, 60, 90]), 1000, 0.01)
    match = re.search(r"^4 hours -> (\S+)$", out, re.MULTILINE)
    assert match, out
    # float32 in both; summation order may differ in the last bit, far below 0.01
    assert float(match.group(1)) == pytest.approx(4 * w + b, abs=0.011)
    assert match.group(1) == "119.24"  # the tutorial's published answer
    assert "weight = [[29.5617]]" in out and "bias = [0.9963]" in out
    assert "final loss (MSE):" in out
    assert err == ""  # stderr is not a terminal: no progress bar

    model = json.loads((out_dir / "model.json").read_text())
    assert model["parameters"]["weight"][0][0] == pytest.approx(w, abs=1e-3)
    assert model["predictions"][0]["y"] == pytest.approx(119.24, abs=0.01)
    history = (out_dir / "history.csv").read_text().splitlines()
    assert history[0] == "epoch,loss" and len(history) == 1001
    assert (out_dir / "learning_curve.png").read_bytes().startswith(PNG_MAGIC)
    assert (out_dir / "fit.png").read_bytes().startswith(PNG_MAGIC)
    graph_png = out_dir / "graph.png"
    if graph_png.exists():
        assert graph_png.read_bytes().startswith(PNG_MAGIC)
    else:
        assert "digraph" in (out_dir / "graph.dot").read_text()
    assert not list(out_dir.glob("*.tmp"))


def test_graph_falls_back_to_dot_source_without_graphviz(
        hours: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` program to be found
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--epochs", "5",
                          "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert "digraph" in (tmp_path / "r" / "graph.dot").read_text()
    assert not (tmp_path / "r" / "graph.png").exists()
    assert "dot -Tpng graph.dot" in out


def test_subprocess_python_m_glasstorch_fit(hours: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "glasstorch", "fit", str(hours), "--x", "hours", "--y", "score",
         "--epochs", "1000", "--lr", "0.01", "--predict", "4", "--predict", "5",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "4 hours -> 119.24" in proc.stdout
    assert "5 hours -> " in proc.stdout
    assert (tmp_path / "out" / "model.json").exists()


def test_logistic_on_a_0_1_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _csv(tmp_path, "hours,passed\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n")
    code, out, err = _fit(capsys, str(data), "--x", "hours", "--y", "passed", "--model",
                          "logistic", "--epochs", "2000", "--lr", "0.5", "--predict", "1",
                          "--predict", "6", "--out", str(tmp_path / "r"))
    assert code == 0, err
    low = re.search(r"^1 hours -> P\(passed=1\) = ([\d.]+), class (\d)$", out, re.MULTILINE)
    high = re.search(r"^6 hours -> P\(passed=1\) = ([\d.]+), class (\d)$", out, re.MULTILINE)
    assert low and high, out
    assert float(low.group(1)) < 0.2 and low.group(2) == "0"
    assert float(high.group(1)) > 0.8 and high.group(2) == "1"
    history = np.loadtxt(tmp_path / "r" / "history.csv", delimiter=",", skiprows=1)
    assert history[-1, 1] < history[0, 1]
    assert history[0, 1] == pytest.approx(np.log(2), rel=1e-5)  # zero start: p = 0.5


@pytest.mark.parametrize("model, extra", [("poly:3", ["--standardize", "--lr", "0.05"]),
                                          ("mlp:4", ["--standardize", "--lr", "0.05"]),
                                          ("mlp:8,8", ["--lr", "0.01"])])
def test_poly_and_mlp_reduce_the_loss(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      model: str, extra: list[str]) -> None:
    x = np.linspace(-2, 2, 12)
    rows = "\n".join(f"{a:.3f},{a ** 3 - a:.3f}" for a in x)
    data = _csv(tmp_path, "x,y\n" + rows + "\n")
    code, out, err = _fit(capsys, str(data), "--x", "x", "--y", "y", "--model", model,
                          "--epochs", "300", "--predict", "1.5", "--out", str(tmp_path / "r"),
                          *extra)
    assert code == 0, err
    history = np.loadtxt(tmp_path / "r" / "history.csv", delimiter=",", skiprows=1)
    assert history[-1, 1] < 0.5 * history[0, 1]
    assert re.search(r"^1\.5 x -> -?\d+\.\d\d$", out, re.MULTILINE), out


def test_several_x_columns_and_standardize_reports_original_units(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 100, 20), rng.uniform(0, 100, 20)
    rows = "\n".join(f"{p:.4f},{q:.4f},{2 * p + 3 * q + 10:.4f}" for p, q in zip(a, b, strict=True))
    data = _csv(tmp_path, "a,b,y\n" + rows + "\n")
    code, out, err = _fit(capsys, str(data), "--x", "a,b", "--y", "y", "--standardize",
                          "--epochs", "500", "--lr", "0.1", "--predict", "50,20",
                          "--out", str(tmp_path / "r"))
    assert code == 0, err
    match = re.search(r"^50 a, 20 b -> (\S+)$", out, re.MULTILINE)
    assert match and float(match.group(1)) == pytest.approx(170, abs=0.5), out
    assert "(for standardized x and y)" in out
    assert not (tmp_path / "r" / "fit.png").exists()  # two x columns: no 2-D fit picture


def test_headerless_csv_names_columns_col0_col1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _csv(tmp_path, "# comment line\n1,30\n2,60\n3,90\n")
    code, out, err = _fit(capsys, str(data), "--x", "col0", "--y", "col1", "--epochs", "1000",
                          "--predict", "4", "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert "4 col0 -> 119.24" in out


BAD_CASES = [
    # (csv text or None for a missing file, extra args, message pattern)
    (None, [], r"no such file: .*missing\.csv"),
    ("hours,score\n1,30\n2,60\n", ["--x", "minutes"], r"no column 'minutes'.*hours, score"),
    ("hours,score\n1,30\n2,sixty\n3,90\n", [], r"row 2 \(line 3\), column 'score'.*'sixty'"),
    ("hours,score\n1,30\n2,\n3,90\n", [], r"row 2 \(line 3\), column 'score'.*empty"),
    ("hours,score\n1,30\nnan,60\n", [], r"row 2 \(line 3\), column 'hours'.*finite"),
    ("hours,score\n1,30\n2,inf\n", [], r"row 2 \(line 3\), column 'score'.*finite"),
    ("hours,score\n1,30\n", [], r"1 data row\(s\); linear needs at least 2"),
    ("hours,score\n1,30\n2,60\n3,90\n", ["--model", "poly:3"], r"poly:3 needs at least 4"),
    ("hours,score\n1,0\n2,2\n", ["--model", "logistic"], r"0/1 target.*'score' holds 2"),
    ("hours,score\n1,30\n2,60\n", ["--model", "cubic"], r"bad --model 'cubic'"),
    ("hours,score\n1,30\n2,60\n", ["--model", "poly:x"], r"bad --model 'poly:x'"),
    ("hours,score\n1,30\n2,60\n", ["--model", "mlp:0"], r"bad --model 'mlp:0'"),
    ("hours,score\n1,30\n2,60\n", ["--epochs", "0"], r"--epochs must be positive"),
    ("hours,score\n1,30\n2,60\n", ["--lr", "-0.1"], r"--lr must be a positive number"),
    ("hours,score\n1,30\n2,60\n", ["--predict", "four"], r"bad --predict 'four'"),
    ("", [], r"is empty"),
]


@pytest.mark.parametrize("text, extra, message", BAD_CASES)
def test_bad_input_exits_2_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          text: str | None, extra: list[str],
                                          message: str) -> None:
    data = tmp_path / "missing.csv" if text is None else _csv(tmp_path, text)
    args = ["--x", "hours", "--y", "score", "--epochs", "10", "--out", str(tmp_path / "r")]
    code, out, err = _fit(capsys, str(data), *args, *extra)
    assert code == 2
    assert re.search(message, err), err
    assert err.startswith("glasstorch fit: ")
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()  # nothing written for bad input


def test_bad_input_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    data = _csv(tmp_path, "hours,score\n1,30\n2,abc\n")
    proc = subprocess.run(
        [sys.executable, "-m", "glasstorch", "fit", str(data), "--x", "hours", "--y", "score",
         "--out", str(tmp_path / "r")], capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode == 2
    assert "row 2 (line 3), column 'score': 'abc' is not a number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_non_integer_epochs_is_argparse_exit_2(hours: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["fit", str(hours), "--x", "hours", "--y", "score", "--epochs", "many"])
    assert info.value.code == 2
    assert "--epochs" in capsys.readouterr().err


def test_divergence_is_reported_not_a_traceback(hours: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--lr", "10",
                          "--epochs", "1000", "--out", str(tmp_path / "r"))
    assert code == 1
    assert "training diverged" in err and "smaller --lr" in err


def _torch_adam_linear(x: np.ndarray, y: np.ndarray, epochs: int, lr: float) -> list[float]:
    """The same training in real torch: Linear(1, 1) from zeros, MSE, Adam."""
    import torch

    model = torch.nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    xt = torch.tensor(x, dtype=torch.float32).reshape(-1, 1)
    yt = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    for _ in range(epochs):
        loss = torch.nn.functional.mse_loss(model(xt), yt)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [model.weight.item(), model.bias.item()]


def test_adam_trains_like_torch(hours: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "r"
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--optimizer",
                          "adam", "--lr", "0.5", "--epochs", "300", "--predict", "4",
                          "--out", str(out_dir))
    assert code == 0, err
    assert "300 epochs of adam (lr 0.5)" in out
    model = json.loads((out_dir / "model.json").read_text())
    assert model["optimizer"] == "adam"
    w, b = _torch_adam_linear(np.array([1.0, 2, 3]), np.array([30.0, 60, 90]), 300, 0.5)
    assert model["parameters"]["weight"][0][0] == pytest.approx(w, rel=1e-4)
    assert model["parameters"]["bias"][0] == pytest.approx(b, rel=1e-3, abs=1e-3)
    match = re.search(r"^4 hours -> (\S+)$", out, re.MULTILINE)
    assert match, out
    assert float(match.group(1)) == pytest.approx(4 * w + b, abs=0.011)


def test_adam_is_used_for_optimizer_adam(hours: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[float] = []
    real_adam = glasstorch.optim.Adam

    class SpyAdam(real_adam):  # type: ignore[misc, valid-type]
        def __init__(self, params: object, lr: float) -> None:
            made.append(lr)
            super().__init__(params, lr=lr)

    monkeypatch.setattr(glasstorch.optim, "Adam", SpyAdam)
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--optimizer",
                          "adam", "--lr", "0.02", "--epochs", "5", "--out", str(tmp_path / "r"))
    assert code == 0, err
    assert made == [0.02]


def test_failed_write_leaves_the_old_file_intact(
        hours: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "r"
    out_dir.mkdir()
    (out_dir / "model.json").write_text("OLD MODEL")

    real_fdopen = os.fdopen

    class HalfWriter:
        """A file that writes half the data, then fails: a crash mid-write."""

        def __init__(self, f: object) -> None:
            self.f = f

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            if not data.startswith(b"{"):  # only model.json (JSON) fails; history.csv is fine
                return self.f.write(data)  # type: ignore[attr-defined,no-any-return]
            self.f.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError("disk full")

        def flush(self) -> None:
            self.f.flush()  # type: ignore[attr-defined]

        def fileno(self) -> int:
            return self.f.fileno()  # type: ignore[attr-defined,no-any-return]

    def failing_fdopen(fd: int, mode: str = "r", *args: object, **kwargs: object) -> object:
        f = real_fdopen(fd, mode, *args, **kwargs)  # type: ignore[call-overload]
        return HalfWriter(f) if mode == "wb" else f

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score", "--epochs", "5",
                          "--out", str(out_dir))
    assert code == 2
    assert "cannot write the results" in err and "disk full" in err
    assert (out_dir / "model.json").read_text() == "OLD MODEL"
    assert not list(out_dir.glob(".*.tmp"))  # the half-written temp file was removed
    assert (out_dir / "history.csv").exists()  # written before model.json failed


def test_out_that_is_a_file_is_rejected(hours: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "results"
    target.write_text("not a folder")
    code, out, err = _fit(capsys, str(hours), "--x", "hours", "--y", "score",
                          "--out", str(target))
    assert code == 2 and "is a file, not a folder" in err
    assert target.read_text() == "not a folder"


def test_builtin_progress_line_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name: str, *args: object, **kwargs: object) -> object:
        if name == "tqdm":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    progress = fit._Progress(200, enabled=True)
    for epoch in range(1, 201):
        progress.update(epoch, 1.0 / epoch)
    progress.close()
    err = capsys.readouterr().err
    assert "epoch 200/200  loss 0.005" in err and "[" + "#" * 30 + "]" in err


def test_tqdm_progress_bar_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    calls: list[tuple[str, object]] = []

    class FakeTqdm:
        def __init__(self, total: int, **kwargs: object) -> None:
            self.n = 0
            calls.append(("total", total))

        def update(self, k: int) -> None:
            self.n += k

        def set_postfix(self, **kwargs: object) -> None:
            calls.append(("postfix", kwargs["loss"]))

        def close(self) -> None:
            calls.append(("close", self.n))

    monkeypatch.setitem(sys.modules, "tqdm", types.SimpleNamespace(tqdm=FakeTqdm))
    progress = fit._Progress(50, enabled=True)
    for epoch in range(1, 51):
        progress.update(epoch, 0.5)
    progress.close()
    assert calls[0] == ("total", 50) and calls[-1] == ("close", 50)
    assert ("postfix", "0.5") in calls
