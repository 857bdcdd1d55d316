"""The device idioms of tutorials, on a CPU-only library, against real (CPU-only) torch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import torch

import glasstorch

both = pytest.mark.parametrize("lib", [pytest.param(torch, id="torch"),
                                       pytest.param(glasstorch, id="glasstorch")])


@pytest.fixture(autouse=True)
def _restore_defaults() -> Iterator[None]:
    yield
    for lib in (torch, glasstorch):
        lib.set_default_dtype(lib.float32)
        lib.set_printoptions(profile="default")


def test_device_objects_match_torch() -> None:
    for spec in ("cpu", "cuda", "cuda:1", "mps", "meta"):
        ours, theirs = glasstorch.device(spec), torch.device(spec)
        assert (repr(ours), str(ours), ours.type, ours.index) == \
            (repr(theirs), str(theirs), theirs.type, theirs.index)
    assert repr(glasstorch.device("cuda", 0)) == repr(torch.device("cuda", 0))
    assert glasstorch.device("cpu") == glasstorch.device("cpu")
    assert (glasstorch.device("cpu") == "cpu") is (torch.device("cpu") == "cpu")
    assert hash(glasstorch.device("cpu")) == hash(glasstorch.device("cpu"))
    with pytest.raises(RuntimeError, match="^Expected one of cpu, cuda"):
        glasstorch.device("gpu")
    with pytest.raises(RuntimeError, match="^Expected one of cpu, cuda"):
        torch.device("gpu")


@both
def test_tutorial_device_line_runs_on_cpu(lib: Any) -> None:
    device = "cuda" if lib.cuda.is_available() else "cpu"
    x = lib.ones(2, 3, device=device)
    assert x.to(device) is x
    assert x.to(lib.device(device)) is x
    assert x.cpu() is x
    assert str(x.device) == "cpu" and x.device.type == "cpu" and not x.is_cuda
    y = x.to(device, lib.float64)
    assert repr(y.dtype) == "torch.float64"
    assert lib.cuda.is_available() is False and lib.cuda.device_count() == 0
    lib.cuda.manual_seed(0)
    lib.cuda.manual_seed_all(0)
    lib.cuda.empty_cache()
    assert lib.cuda.memory_allocated() == 0


def _cuda_calls(lib: Any) -> list[Any]:
    x = lib.ones(2)
    return [lambda: x.cuda(), lambda: x.to("cuda"), lambda: x.to("cuda:0"),
            lambda: lib.zeros(2, device="cuda"), lambda: lib.nn.Linear(2, 2).cuda(),
            lambda: lib.cuda.current_device(), lambda: lib.cuda.get_device_name(0),
            lambda: lib.cuda.synchronize()]


def test_cuda_requests_raise_torchs_error_type() -> None:
    for ours, theirs in zip(_cuda_calls(glasstorch), _cuda_calls(torch), strict=True):
        with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled"):
            theirs()
        with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled") as e:
            ours()
        assert "glasstorch runs on the CPU only" in str(e.value)


@both
def test_default_dtype(lib: Any) -> None:
    assert lib.get_default_dtype() is lib.float32
    lib.set_default_dtype(lib.float64)
    assert lib.get_default_dtype() is lib.float64
    assert lib.tensor([1.5]).dtype is lib.float64
    assert lib.zeros(2).dtype is lib.float64
    assert lib.tensor([1]).dtype is lib.int64
    lib.set_default_dtype(lib.float32)
    assert lib.ones(1).dtype is lib.float32


def test_set_default_dtype_refuses_integers() -> None:
    errors = []
    for lib in (torch, glasstorch):
        with pytest.raises(TypeError) as info:
            lib.set_default_dtype(lib.int64)
        errors.append(str(info.value))
    assert errors[1].startswith(errors[0])


def test_printoptions_match_torch() -> None:
    outputs = []
    for lib in (torch, glasstorch):
        lines = []
        x = lib.tensor([1.123456789, 2.5, 1000.0])
        lib.set_printoptions(precision=2)
        lines.append(repr(x))
        lib.set_printoptions(sci_mode=True)
        lines.append(repr(x))
        lib.set_printoptions(profile="default")
        lib.set_printoptions(threshold=5, edgeitems=2)
        lines.append(repr(lib.arange(10.0)))
        lib.set_printoptions(profile="default")
        lines.append(repr(x))
        outputs.append(lines)
    assert outputs[0] == outputs[1]


@both
def test_is_tensor_and_numel(lib: Any) -> None:
    x = lib.zeros(2, 3, 4)
    assert lib.is_tensor(x) and lib.is_tensor(lib.nn.Parameter(x))
    assert not lib.is_tensor([1, 2]) and not lib.is_tensor(3.0)
    assert lib.numel(x) == 24 == x.numel() == x.nelement()
    assert lib.numel(lib.tensor(5.0)) == 1


def test_backends_and_accelerator_answer_as_torch_without_a_gpu() -> None:
    """The quickstart's device lines: torch.backends.mps and torch.accelerator."""
    for name in ("is_available", "is_built"):
        assert getattr(glasstorch.backends.mps, name)() == getattr(torch.backends.mps, name)()
    cudnn, ref = glasstorch.backends.cudnn, torch.backends.cudnn
    assert cudnn.is_available() == ref.is_available()
    assert (cudnn.enabled, cudnn.benchmark, cudnn.deterministic) == \
        (ref.enabled, ref.benchmark, ref.deterministic)
    cudnn.deterministic = True  # scripts set it for reproducibility: a plain flag
    assert cudnn.deterministic is True
    cudnn.deterministic = False
    for name in ("is_available", "current_accelerator", "device_count"):
        assert getattr(glasstorch.accelerator, name)() == getattr(torch.accelerator, name)()
    with pytest.raises(RuntimeError, match="none is available") as ours:
        glasstorch.accelerator.current_device_index()
    with pytest.raises(RuntimeError) as theirs:
        torch.accelerator.current_device_index()
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(AttributeError, match="does not implement torch.backends.xnnpack"):
        glasstorch.backends.xnnpack  # noqa: B018
