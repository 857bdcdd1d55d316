"""The command line (`glasstorch tutorial`, `glasstorch run`) and the seed tutorials.

The tutorials must print the figures their documents publish (seed 002: W 29.5617,
b 0.9963, cost 0.143077; seed 001: W 1.820683, B 0.3675114, losses 13.3520 -> 4.6796);
`glasstorch run` must print what real torch prints for the same untouched script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8")


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=ENV,
                          cwd=cwd, timeout=300)


def test_tutorial_seed002_prints_the_published_figures() -> None:
    proc = _run("-m", "glasstorch", "tutorial", "seed002")
    assert proc.returncode == 0, proc.stderr
    assert "[tensor([29.5617], requires_grad=True), tensor([0.9963], requires_grad=True)]" \
        in proc.stdout
    assert "Epoch 1000/1000 W: 29.5617, b: 0.9963, Cost: 0.143077" in proc.stdout


def test_tutorial_seed001_prints_the_published_figures() -> None:
    proc = _run("-m", "glasstorch", "tutorial", "seed001")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "tensor(1.0190, requires_grad=True)" in out  # after the first step, as printed
    assert "tensor(0.9980, requires_grad=True)" in out
    assert "W =  1.820683" in out
    assert "B =  0.3675114" in out
    assert "초기상태 : 손실:13.3520" in out
    assert "최종상태 : 손실:4.6796" in out


@pytest.mark.parametrize("name", ["seed000", "seed003", "seed004"])
def test_other_tutorials_run(name: str) -> None:
    proc = _run("-m", "glasstorch", "tutorial", name)
    assert proc.returncode == 0, proc.stderr
    assert f"=== {name}" in proc.stdout


def test_tutorial_unknown_name_fails_clearly() -> None:
    proc = _run("-m", "glasstorch", "tutorial", "no-such-tutorial")
    assert proc.returncode == 2
    assert "no tutorial matches" in proc.stderr


SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.nn import functional as F
    torch.manual_seed(1)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(8, 2, device=device)
    y = x.sum(1, keepdim=True)
    for i in range(50):
        loss = F.mse_loss(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(model)
    print(device, f"{loss.item():.5f}")
    print(model[0].weight)
""")


def test_run_executes_an_untouched_torch_script_like_torch(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    ours = _run("-m", "glasstorch", "run", str(script), cwd=tmp_path)
    theirs = _run(str(script), cwd=tmp_path)  # real torch
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


def test_run_names_what_glasstorch_lacks(tmp_path: Path) -> None:
    script = tmp_path / "transformer.py"
    script.write_text("import torch\nlayer = torch.nn.TransformerDecoder\n")
    proc = _run("-m", "glasstorch", "run", str(script), cwd=tmp_path)
    assert proc.returncode != 0
    assert "glasstorch does not implement torch.nn.TransformerDecoder yet" in proc.stderr


def test_missing_names_say_so() -> None:
    import glasstorch

    with pytest.raises(AttributeError, match=r"does not implement torch\.fft yet"):
        glasstorch.fft  # noqa: B018
    with pytest.raises(AttributeError, match=r"does not implement torch\.optim\.LBFGS yet"):
        glasstorch.optim.LBFGS  # noqa: B018
    assert glasstorch.cuda.is_available() is False
    assert glasstorch.cuda.device_count() == 0
