"""``glasstorch.save`` / ``glasstorch.load`` in PyTorch's zip format, both ways with real torch.

Files written by glasstorch are read by ``torch.load(weights_only=True)``, files written by
``torch.save`` are read by glasstorch, and crafted pickles that would run code are refused
without running it.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

import glasstorch

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def values(dtype: str, shape: tuple[int, ...] = (3, 4)) -> np.ndarray:
    rng = np.random.default_rng(0)
    return (rng.standard_normal(shape) * 10).astype(dtype)


def same_tensor(ours: Any, theirs: Any) -> None:
    assert isinstance(ours, glasstorch.Tensor) and isinstance(theirs, torch.Tensor)
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def same(ours: Any, theirs: Any) -> None:
    """Equal structure (container types included) with equal tensors at the leaves."""
    if isinstance(theirs, torch.Tensor):
        same_tensor(ours, theirs)
        assert isinstance(ours, glasstorch.nn.Parameter) == isinstance(theirs,
                                                                        torch.nn.Parameter)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs)
        assert list(ours) == list(theirs)
        for k in theirs:
            same(ours[k], theirs[k])
        assert getattr(ours, "_metadata", None) == getattr(theirs, "_metadata", None)
    elif isinstance(theirs, (list, tuple)) and type(theirs) in (list, tuple):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            same(o, t)
    elif isinstance(theirs, torch.Size):
        assert isinstance(ours, glasstorch.Size) and tuple(ours) == tuple(theirs)
    elif isinstance(theirs, (torch.device, torch.dtype)):
        assert repr(ours) == repr(theirs)
    else:
        assert type(ours) is type(theirs) and ours == theirs


# ----------------------------------------------------------------------- glasstorch -> torch
@pytest.mark.parametrize("dtype", DTYPES)
def test_each_dtype_loads_in_torch(tmp_path: Path, dtype: str) -> None:
    arr = values(dtype)
    path = tmp_path / "t.pt"
    glasstorch.save(glasstorch.tensor(arr), path)
    loaded = torch.load(path, weights_only=True)
    same_tensor(glasstorch.tensor(arr), loaded)


def test_views_share_one_storage_in_torch(tmp_path: Path) -> None:
    x = glasstorch.arange(24.0).reshape(4, 6)
    obj = {"x": x, "row": x[2], "col": x[:, 1], "t": x.t(), "zero_d": x[1, 1],
           "slice": x[1:3, 2:5]}
    glasstorch.save(obj, tmp_path / "v.pt")
    loaded = torch.load(tmp_path / "v.pt", weights_only=True)
    glasstorch.save(glasstorch.zeros(0, 3), tmp_path / "e.pt")
    assert torch.load(tmp_path / "e.pt", weights_only=True).stride() == (3, 1)
    ref = torch.arange(24.0).reshape(4, 6)
    expected = {"x": ref, "row": ref[2], "col": ref[:, 1], "t": ref.t(), "zero_d": ref[1, 1],
                "slice": ref[1:3, 2:5]}
    for key, want in expected.items():
        same_tensor(obj[key], loaded[key])
        assert loaded[key].stride() == want.stride()
        assert loaded[key].storage_offset() == want.storage_offset()
    assert len({t.untyped_storage().data_ptr() for t in loaded.values()}) == 1
    with zipfile.ZipFile(tmp_path / "v.pt") as z:
        assert sum(n.startswith("v/data/") for n in z.namelist()) == 1


def test_archive_layout_like_torch(tmp_path: Path) -> None:
    glasstorch.save({"a": glasstorch.ones(3), "b": glasstorch.tensor(2)}, tmp_path / "ours.pt")
    torch.save({"a": torch.ones(3), "b": torch.tensor(2)}, tmp_path / "theirs.pt")
    raw = (tmp_path / "ours.pt").read_bytes()
    with zipfile.ZipFile(tmp_path / "ours.pt") as ours, \
            zipfile.ZipFile(tmp_path / "theirs.pt") as theirs:
        assert [n.replace("ours/", "") for n in ours.namelist()] == \
            [n.replace("theirs/", "") for n in theirs.namelist()]
        for info in ours.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:
                                                           info.header_offset + 30])
            assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0
            name = info.filename.split("/", 1)[1]
            if name not in ("data.pkl", ".data/serialization_id"):
                assert ours.read(info.filename) == theirs.read("theirs/" + name)
        assert ours.read("ours/data.pkl") == theirs.read("theirs/data.pkl")


def test_state_dict_and_optimizer_state_load_in_torch(tmp_path: Path) -> None:
    glasstorch.manual_seed(0)
    model = glasstorch.nn.Sequential(glasstorch.nn.Linear(3, 4), glasstorch.nn.ReLU(),
                                     glasstorch.nn.Linear(4, 2))
    opt = glasstorch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(glasstorch.ones(5, 3)).sum().backward()
    opt.step()
    glasstorch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 3},
                    tmp_path / "ckpt.pt")
    loaded = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    theirs.load_state_dict(loaded["model"])
    t_opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    t_opt.load_state_dict(loaded["opt"])
    assert loaded["epoch"] == 3
    assert loaded["model"]._metadata == model.state_dict()._metadata
    for k, v in model.state_dict().items():
        same_tensor(v, loaded["model"][k])
    for i, state in opt.state_dict()["state"].items():
        same_tensor(state["momentum_buffer"], loaded["opt"]["state"][i]["momentum_buffer"])


def test_parameter_and_plain_values_load_in_torch() -> None:
    obj = [glasstorch.nn.Parameter(glasstorch.ones(2)), glasstorch.Size([2, 3]),
           glasstorch.device("cpu"), glasstorch.float64, {1, 2}, b"xy", 1 + 2j, None, True,
           (1, 2.5, "s"), collections.OrderedDict(a=1)]
    buffer = io.BytesIO()
    glasstorch.save(obj, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=True)
    assert isinstance(loaded[0], torch.nn.Parameter) and loaded[0].requires_grad
    assert loaded[1] == torch.Size([2, 3]) and loaded[2] == torch.device("cpu")
    assert loaded[3] is torch.float64
    assert loaded[4:] == obj[4:]


# ----------------------------------------------------------------------- torch -> glasstorch
@pytest.mark.parametrize("dtype", DTYPES)
def test_each_dtype_from_torch(tmp_path: Path, dtype: str) -> None:
    theirs = torch.tensor(values(dtype))
    torch.save(theirs, tmp_path / "t.pt")
    same_tensor(glasstorch.load(tmp_path / "t.pt"), theirs)


def test_torch_views_and_0d_from_torch(tmp_path: Path) -> None:
    x = torch.arange(24.0).reshape(4, 6)
    obj = {"x": x, "row": x[2], "col": x[:, 1], "t": x.t(), "zero_d": x[1, 1],
           "grad": torch.ones(2, requires_grad=True), "empty": torch.zeros(0, 3)}
    torch.save(obj, tmp_path / "v.pt")
    loaded = glasstorch.load(tmp_path / "v.pt")
    for key in obj:
        same_tensor(loaded[key], obj[key])
        if obj[key].numel():  # (glasstorch reports NumPy's 0 strides for empty tensors)
            assert loaded[key].stride() == obj[key].stride()
    loaded["x"][2, 0] = 100.0  # views loaded from one storage share memory, as in torch
    assert loaded["row"][0].item() == 100.0


def test_real_model_state_dict_and_sgd_state_from_torch(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        model(torch.ones(5, 3)).sum().backward()
        opt.step()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "c.pth")
    loaded = glasstorch.load(tmp_path / "c.pth", map_location="cpu")
    same(loaded["model"], model.state_dict())
    same(loaded["opt"], opt.state_dict())
    ours = glasstorch.nn.Sequential(glasstorch.nn.Linear(3, 4), glasstorch.nn.ReLU(),
                                    glasstorch.nn.Linear(4, 2))
    ours.load_state_dict(loaded["model"])
    out = ours(glasstorch.ones(1, 3)).detach().numpy()
    np.testing.assert_allclose(out, model(torch.ones(1, 3)).detach().numpy(), rtol=1e-6)
    ours_opt = glasstorch.optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    ours_opt.load_state_dict(loaded["opt"])


def test_torch_parameter_size_device_and_containers(tmp_path: Path) -> None:
    obj = {"p": torch.nn.Parameter(torch.ones(2)), "s": torch.Size([1, 2]),
           "d": torch.device("cpu"), "dt": torch.int32, "set": {3, 4}, "b": b"\x00\xff",
           "c": 2 - 1j, "nested": [(1, None), {"k": [torch.tensor([1, 2])]}],
           "od": collections.OrderedDict(z=1, a=2), "counter": collections.Counter("aab")}
    torch.save(obj, tmp_path / "o.pt")
    same(glasstorch.load(tmp_path / "o.pt"), obj)


def test_glasstorch_round_trip_file_object_and_path_like(tmp_path: Path) -> None:
    obj = {"w": glasstorch.randn(3, 2), "n": 5}
    buffer = io.BytesIO()
    glasstorch.save(obj, buffer)
    buffer.seek(0)
    again = glasstorch.load(buffer)
    np.testing.assert_array_equal(again["w"].numpy(), obj["w"].numpy())
    glasstorch.save(obj, str(tmp_path / "a.pt"))
    assert glasstorch.load(str(tmp_path / "a.pt"))["n"] == 5


@pytest.mark.parametrize("where", ["cpu", "dev", "dict", "callable"])
def test_map_location_cpu_forms(tmp_path: Path, where: str) -> None:
    torch.save({"w": torch.ones(2)}, tmp_path / "m.pt")
    location = {"cpu": "cpu", "dev": glasstorch.device("cpu"), "dict": {"cuda:0": "cpu"},
                "callable": lambda storage, loc: storage}[where]
    loaded = glasstorch.load(tmp_path / "m.pt", map_location=location)
    np.testing.assert_array_equal(loaded["w"].numpy(), np.ones(2, np.float32))


def test_cuda_storage_needs_map_location(tmp_path: Path) -> None:
    path = tmp_path / "cuda.pt"
    glasstorch.save({"w": glasstorch.ones(2)}, path)
    with zipfile.ZipFile(path) as z:  # the same file as if saved from a GPU
        records = {n: z.read(n) for n in z.namelist()}
    records["cuda/data.pkl"] = records.pop("cuda/data.pkl").replace(b"X\x03\x00\x00\x00cpu",
                                                                      b"X\x06\x00\x00\x00cuda:0")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in records.items():
            z.writestr(n, data)
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        glasstorch.load(path)
    loaded = glasstorch.load(path, map_location={"cuda:0": "cpu"})
    assert loaded["w"].tolist() == [1.0, 1.0]
    loaded = glasstorch.load(path, map_location=torch.device("cpu"))
    assert loaded["w"].tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="CUDA"):
        glasstorch.load(path, map_location="cuda")


# ----------------------------------------------------------------------- refusals
def test_save_refuses_objects_no_safe_loader_reads(tmp_path: Path) -> None:
    with pytest.raises(pickle.PicklingError, match="cannot save an object of type"):
        glasstorch.save({"m": glasstorch.nn.Linear(2, 2)}, tmp_path / "m.pt")
    assert not (tmp_path / "m.pt").exists()
    glasstorch.save({"a": 1}, tmp_path / "keep.pt")
    with pytest.raises(pickle.PicklingError):
        glasstorch.save({"arr": np.ones(2)}, tmp_path / "keep.pt")
    assert glasstorch.load(tmp_path / "keep.pt") == {"a": 1}  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["keep.pt"]  # no temporary file left


def test_unsupported_arguments() -> None:
    buffer = io.BytesIO()
    with pytest.raises(NotImplementedError, match="zip format"):
        glasstorch.save(1, buffer, _use_new_zipfile_serialization=False)
    glasstorch.save(1, buffer)
    for kwargs, error in [({"pickle_module": pickle}, RuntimeError),
                          ({"mmap": True}, NotImplementedError)]:
        buffer.seek(0)
        with pytest.raises(error):
            glasstorch.load(buffer, **kwargs)
    buffer.seek(0)
    assert glasstorch.load(buffer, weights_only=True, mmap=False) == 1
    buffer.seek(0)
    assert glasstorch.load(buffer, weights_only=False) == 1  # still the safe loader


def test_weights_only_false_still_refuses_code(tmp_path: Path) -> None:
    class Evil:
        def __reduce__(self) -> tuple[Any, tuple[str]]:
            return (print, ("pwned",))

    torch.save({"x": Evil()}, tmp_path / "evil.pt")
    with pytest.raises(pickle.UnpicklingError, match="never runs code"):
        glasstorch.load(tmp_path / "evil.pt", weights_only=False)


def test_legacy_and_invalid_files(tmp_path: Path) -> None:
    torch.save({"w": torch.ones(2)}, tmp_path / "old.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="legacy"):
        glasstorch.load(tmp_path / "old.pt")
    (tmp_path / "junk.pt").write_bytes(b"hello")
    with pytest.raises(RuntimeError, match="Invalid file"):
        glasstorch.load(tmp_path / "junk.pt")
    with pytest.raises(FileNotFoundError):
        glasstorch.load(tmp_path / "missing.pt")


def _archive_with_pickle(path: Path, payload: bytes) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("evil/data.pkl", payload)
        z.writestr("evil/version", "3\n")


class _System:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return os.system, (f"touch {self.marker}",)


class _Eval:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return eval, (f"open({str(self.marker)!r}, 'w').close()",)


def _subprocess_pickle(marker: Path) -> bytes:
    # nested deep inside an innocent-looking state_dict, with protocol 2's GLOBAL opcode
    import subprocess

    class Run:
        def __reduce__(self) -> Any:
            return subprocess.call, (["touch", str(marker)],)

    return pickle.dumps({"model": collections.OrderedDict(w=[1, {"x": Run()}])}, protocol=2)


def _stack_global_pickle(marker: Path) -> bytes:
    # protocol 4's STACK_GLOBAL, naming builtins.exec
    class Exec:
        def __reduce__(self) -> Any:
            return exec, (f"open({str(marker)!r}, 'w').close()",)

    return pickle.dumps([Exec()], protocol=4)


@pytest.mark.parametrize("make, refused", [
    (lambda m: pickle.dumps(_System(m), protocol=2), "system whose module posix is blocked"),
    (lambda m: pickle.dumps(_Eval(m), protocol=2), "GLOBAL eval was not an allowed global"),
    (_subprocess_pickle, "GLOBAL subprocess.call was not an allowed global"),
    (_stack_global_pickle, "GLOBAL exec was not an allowed global"),
])
def test_malicious_pickles_are_refused_without_running(tmp_path: Path, make: Any,
                                                       refused: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    _archive_with_pickle(path, make(marker))
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed") as info:
        glasstorch.load(path)
    assert refused in str(info.value)
    assert not marker.exists()
    # torch refuses the same files with weights_only=True
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path, weights_only=True)
    assert not marker.exists()


def test_attribute_setting_on_classes_is_refused(tmp_path: Path) -> None:
    # BUILD with a slot state on a global (the Tensor class) would monkeypatch it
    payload = (b"\x80\x02ctorch\nTensor\nN}X\x07\x00\x00\x00__add__ctorch\nSize\ns\x86b.")
    path = tmp_path / "patch.pt"
    _archive_with_pickle(path, payload)
    before = glasstorch.Tensor.__add__
    with pytest.raises(pickle.UnpicklingError, match="Can only build"):
        glasstorch.load(path)
    assert glasstorch.Tensor.__add__ is before


def test_storage_out_of_bounds_is_refused(tmp_path: Path) -> None:
    glasstorch.save(glasstorch.ones(2), tmp_path / "t.pt")
    with zipfile.ZipFile(tmp_path / "t.pt") as z:
        records = {n: z.read(n) for n in z.namelist()}
    # size (2,) -> (200,): the tensor would read past its 2-element storage
    pkl = records["t/data.pkl"]
    records["t/data.pkl"] = pkl.replace(b"K\x02\x85", b"K\xc8\x85", 1)
    assert records["t/data.pkl"] != pkl
    with zipfile.ZipFile(tmp_path / "t.pt", "w") as z:
        for n, data in records.items():
            z.writestr(n, data)
    with pytest.raises(pickle.UnpicklingError, match="reaches past its storage"):
        glasstorch.load(tmp_path / "t.pt")


def test_unsupported_dtype_from_torch(tmp_path: Path) -> None:
    torch.save(torch.ones(2, dtype=torch.bfloat16), tmp_path / "bf.pt")
    with pytest.raises(pickle.UnpicklingError, match="BFloat16Storage"):
        glasstorch.load(tmp_path / "bf.pt")
