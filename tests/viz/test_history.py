"""``glasstorch.viz.History``: the seed-001 ``np.vstack`` log, by name, saved and loaded.

The central test runs seed 001's training loop (``Yp = W * X + B``, MSE, SGD) and records
the loss both ways, the tutorial's ``np.vstack`` array and a ``History``, and checks that
every indexing the tutorial does gives the same numbers.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

import numpy as np
import pytest

import glasstorch as torch
from glasstorch.viz import History, LivePlot, history as history_module

HEIGHT = np.array([166, 176.0, 171.0, 173.0, 169.0])
WEIGHT = np.array([58.7, 75.7, 62.1, 70.4, 60.1])


def seed_001_training() -> tuple[np.ndarray, History]:
    """Seed 001's loop, logging into the tutorial's array and into a History."""
    X = torch.tensor(HEIGHT - HEIGHT.mean()).float()
    Y = torch.tensor(WEIGHT - WEIGHT.mean()).float()
    W = torch.tensor(1.0, requires_grad=True).float()
    B = torch.tensor(1.0, requires_grad=True).float()
    optimizer = torch.optim.SGD([W, B], lr=0.001)
    array = np.zeros((0, 2))
    history = History()
    for epoch in range(500):
        loss = ((W * X + B - Y) ** 2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if epoch % 10 == 0:
            array = np.vstack((array, np.array([epoch, loss.item()])))
            history.log(epoch, loss=loss)  # the tensor itself, still requiring grad
    return array, history


def test_seed_001_indexing_matches_the_vstack_array() -> None:
    array, history = seed_001_training()
    assert len(history) == len(array) == 50
    assert history.columns == ["epoch", "loss"]
    np.testing.assert_array_equal(history[:, 0], array[:, 0])
    np.testing.assert_array_equal(history[:, 1], array[:, 1])
    assert history[0, 1] == array[0, 1]
    assert history[-1, 1] == array[-1, 1]
    assert f"{history[0, 1]:.4f}" == f"{array[0, 1]:.4f}" == "13.3520"
    assert f"{history[-1, 1]:.4f}" == f"{array[-1, 1]:.4f}" == "4.6796"
    np.testing.assert_array_equal(np.asarray(history), array)
    np.testing.assert_array_equal(history["loss"], array[:, 1])
    np.testing.assert_array_equal(history["epoch"], np.arange(0, 500, 10))
    for row, expected in zip(history, array, strict=True):
        np.testing.assert_array_equal(row, expected)


def test_reads_are_copies() -> None:
    history = History()
    history.log(0, loss=1.0)
    history["loss"][0] = 99.0
    history[:, 1][0] = 99.0
    np.asarray(history)[0, 1] = 99.0
    for row in history:
        row[1] = 99.0
    assert history[0, 1] == 1.0


def test_columns_in_first_logged_order_missing_values_nan() -> None:
    history = History()
    history.log(0, loss=2.0)
    history.log(1, loss=1.5, accuracy=0.5)
    history.log(2, val_loss=1.8, loss=1.0)
    assert history.columns == ["epoch", "loss", "accuracy", "val_loss"]
    expected = np.array([
        [0, 2.0, np.nan, np.nan],
        [1, 1.5, 0.5, np.nan],
        [2, 1.0, np.nan, 1.8],
    ])
    np.testing.assert_array_equal(np.asarray(history), expected)
    assert np.asarray(history, dtype=np.float32).dtype == np.float32


def test_same_epoch_fills_in_the_row_until_a_metric_repeats() -> None:
    history = History()
    history.log(0, loss=1.0)
    history.log(0, val_loss=2.0)  # same epoch, new metric: the same row
    history.log(0, loss=0.5)  # loss already there: a new row
    np.testing.assert_array_equal(np.asarray(history), [[0, 1.0, 2.0], [0, 0.5, np.nan]])


def test_step_keyword_names_the_first_column_and_cannot_be_mixed() -> None:
    history = History()
    history.log(step=0, loss=1.0)
    history.log(1, loss=0.5)
    assert history.columns == ["step", "loss"]
    with pytest.raises(ValueError, match="counts in 'step's"):
        history.log(epoch=2, loss=0.1)
    by_epoch = History()
    by_epoch.log(epoch=3, loss=1.0)
    assert by_epoch.columns == ["epoch", "loss"]
    assert by_epoch[0, 0] == 3


def test_log_argument_errors() -> None:
    history = History()
    with pytest.raises(ValueError, match="at least one metric"):
        history.log(0)
    with pytest.raises(TypeError, match="more than once"):
        history.log(0, epoch=1, loss=1.0)
    with pytest.raises(TypeError, match="more than once"):
        history.log(epoch=0, step=1, loss=1.0)
    assert len(history) == 0


def test_missing_epoch_counts_on_from_the_last() -> None:
    history = History()
    history.log(loss=3.0)
    history.log(loss=2.0)
    history.log(10, loss=1.0)
    history.log(loss=0.5)
    np.testing.assert_array_equal(history["epoch"], [0, 1, 10, 11])


def test_value_kinds() -> None:
    history = History()
    w = torch.tensor(2.0, requires_grad=True)
    loss = w * 3
    history.log(
        0,
        python_int=3,
        python_float=0.25,
        numpy_scalar=np.float32(0.5),
        numpy_0d=np.array(1.5),
        tensor_0d=loss,
        tensor_1elem=torch.tensor([7.0]),
        flag=True,
    )
    assert history.to_dict() == {
        "epoch": [0], "python_int": [3.0], "python_float": [0.25], "numpy_scalar": [0.5],
        "numpy_0d": [1.5], "tensor_0d": [6.0], "tensor_1elem": [7.0], "flag": [1.0],
    }
    loss.backward()  # logging took the number only: the graph still works
    assert w.grad is not None and w.grad.item() == 3.0
    assert loss.requires_grad


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (torch.tensor([1.0, 2.0, 3.0]), r"shape \(3,\).*loss.mean\(\)"),
        (np.array([1.0, 2.0]), r"shape \(2,\)"),
        ("0.5", "needs a number, got str"),
        (1 + 2j, "needs a number, got complex"),
        (np.array(1 + 2j), "dtype complex128"),
    ],
)
def test_values_that_are_not_one_number_are_refused(value: object, message: str) -> None:
    history = History()
    with pytest.raises(TypeError, match=message):
        history.log(0, loss=value)
    assert len(history) == 0 and history.columns == []


def test_real_torch_tensor_requiring_grad() -> None:
    import torch as real_torch

    w = real_torch.tensor(2.0, requires_grad=True)
    history = History()
    history.log(0, loss=w * 2)
    assert history[0, 1] == 4.0


def test_unknown_column() -> None:
    history = History()
    history.log(0, loss=1.0)
    with pytest.raises(KeyError, match=r"'acc'.*\['epoch', 'loss'\]"):
        history["acc"]


def test_grows_past_its_buffer() -> None:
    history = History()
    for epoch in range(1000):
        history.log(epoch, loss=epoch * 0.5)
        if epoch == 500:
            history.log(epoch, val_loss=-1.0)
    assert len(history) == 1000
    np.testing.assert_array_equal(history["loss"], np.arange(1000) * 0.5)
    assert np.flatnonzero(~np.isnan(history["val_loss"])).tolist() == [500]


def test_to_dict() -> None:
    history = History()
    history.log(0, loss=1.5)
    history.log(1, val_loss=2.5)
    result = history.to_dict()
    assert list(result) == ["epoch", "loss", "val_loss"]
    assert result["epoch"] == [0, 1] and all(type(v) is int for v in result["epoch"])
    assert result["loss"][0] == 1.5 and np.isnan(result["loss"][1])
    fractional = History()
    fractional.log(0.5, loss=1.0)
    assert fractional.to_dict()["epoch"] == [0.5]


def test_repr_shows_the_last_rows() -> None:
    assert repr(History()) == "History: empty (nothing logged yet)"
    history = History()
    for epoch in range(8):
        history.log(epoch * 10, loss=1 / (epoch + 1), val_loss=1e-5 if epoch == 7 else 2.0)
    text = repr(history).splitlines()
    assert text[0] == "History: 8 rows, columns epoch, loss, val_loss (last 5 shown)"
    assert text[1].split() == ["epoch", "loss", "val_loss"]
    assert len(text) == 2 + 5
    assert text[2].split() == ["30", "0.2500", "2.0000"]
    assert text[-1].split() == ["70", "0.1250", "1.0000e-05"]


def test_from_array() -> None:
    array, _ = seed_001_training()
    history = History.from_array(array)
    assert history.columns == ["epoch", "loss"]
    np.testing.assert_array_equal(np.asarray(history), array)
    history.log(500, loss=1.0)  # and it goes on logging
    assert len(history) == 51 and history[-1, 1] == 1.0
    assert History.from_array(np.zeros((2, 4))).columns == ["epoch", "loss", "metric2",
                                                             "metric3"]
    with pytest.raises(ValueError, match="shape"):
        History.from_array(np.zeros(3))
    with pytest.raises(ValueError, match="column names"):
        History.from_array(np.zeros((2, 2)), columns=["epoch", "epoch"])


# ---------------------------------------------------------------------- files
def sample_history() -> History:
    history = History()
    history.log(0, loss=13.352003, accuracy=0.1)
    history.log(10, loss=1 / 3, val_loss=0.7)
    history.log(20, loss=float("inf"), val_loss=1e-12)
    return history


@pytest.mark.parametrize("name", ["h.csv", "h.json", "h.CSV", "H.Json"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    history = sample_history()
    path = history.save(tmp_path / name)
    assert path == tmp_path / name and path.exists()
    loaded = History.load(str(path))
    assert loaded.columns == history.columns
    np.testing.assert_array_equal(np.asarray(loaded), np.asarray(history))  # bit for bit
    assert loaded.to_dict()["epoch"] == [0, 10, 20]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_round_trip_step_column_and_empty(tmp_path: Path) -> None:
    history = History()
    history.log(step=5, loss=0.5)
    loaded = History.load(history.save(tmp_path / "s.json"))
    assert loaded.columns == ["step", "loss"]
    loaded.log(6, loss=0.25)  # the loaded name counts on
    with pytest.raises(ValueError, match="step"):
        loaded.log(epoch=7, loss=0.1)
    for name in ("e.csv", "e.json"):
        empty = History.load(History().save(tmp_path / name))
        assert len(empty) == 0 and empty.columns == []


def test_file_formats(tmp_path: Path) -> None:
    history = sample_history()
    csv_text = history.save(tmp_path / "h.csv").read_text()
    assert csv_text.splitlines() == [
        "epoch,loss,accuracy,val_loss",
        "0,13.352003,0.1,",
        "10,0.3333333333333333,,0.7",
        "20,inf,,1e-12",
    ]
    data = json.loads(history.save(tmp_path / "h.json").read_text())
    assert data == {
        "epoch": [0, 10, 20],
        "loss": [13.352003, 1 / 3, float("inf")],
        "accuracy": [0.1, None, None],
        "val_loss": [None, 0.7, 1e-12],
    }


@pytest.mark.parametrize("name", ["h.txt", "h", "h.csv.bak"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        sample_history().save(tmp_path / name)
    (tmp_path / name).write_text("epoch,loss\n0,1\n")
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        History.load(tmp_path / name)


def test_save_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        sample_history().save(tmp_path / "nope" / "h.csv")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.csv", "epoch,loss\n0,1\n1\n", "line 3 has 1 fields, the header 2"),
        ("b.csv", "epoch,loss\n0,abc\n", "line 2: 'abc' is not a number"),
        ("c.csv", "epoch,epoch\n0,1\n", "column names"),
        ("d.csv", "epoch\n0\n", "need an epoch/step column and metrics"),
        ("e.json", "{not json", "JSON"),
        ("f.json", "[1, 2]", "expected"),
        ("g.json", '{"epoch": [0, 1], "loss": [1.0]}', "different lengths"),
        ("h.json", '{"epoch": [0], "loss": ["1.0"]}', "'1.0' is not a number"),
        ("i.json", '{"epoch": [0], "loss": [true]}', "True is not a number"),
        ("j.json", '{"epoch": 0, "loss": 1}', "expected"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValueError, match="is not a history") as info:
        History.load(path)
    assert message in str(info.value)


def test_failed_rename_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.csv"
    path.write_text("old contents\n")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(history_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        sample_history().save(path)
    assert path.read_text() == "old contents\n"
    assert list(tmp_path.iterdir()) == [path]


def test_failed_write_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.json"
    path.write_text('{"epoch": [0], "loss": [1.0]}')

    def broken_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(history_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="I/O error"):
        sample_history().save(path)
    assert History.load(path).to_dict() == {"epoch": [0], "loss": [1.0]}
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_saved_file_mode(tmp_path: Path) -> None:
    new = sample_history().save(tmp_path / "new.csv")
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's private 0600
    old = tmp_path / "old.csv"
    old.write_text("x")
    old.chmod(0o640)
    sample_history().save(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640


def test_pickle_leaves_live_plots_behind() -> None:
    history = sample_history()
    live = LivePlot(history, mode="text")
    copy = pickle.loads(pickle.dumps(history))
    np.testing.assert_array_equal(np.asarray(copy), np.asarray(history))
    assert copy._listeners == [] and history._listeners == [live._on_log]
