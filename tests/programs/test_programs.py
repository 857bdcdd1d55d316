"""Tutorial-style PyTorch programs run unchanged with ``glasstorch run``, compared with what
real PyTorch printed for them (``expected/``, written by ``record_expected.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from programs import EXPECTED, HERE, argv, compare, programs

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize("name", programs())
def test_program_prints_what_torch_prints(name: str, tmp_path: Path) -> None:
    expected = (EXPECTED / f"{name}.txt").read_text()
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.run(
        [sys.executable, "-m", "glasstorch", "run", str(HERE / f"{name}.py"), *argv(name)],
        capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    problem = compare(expected, proc.stdout)
    assert problem is None, problem


def test_compare_rejects_a_different_number() -> None:
    assert compare("loss 0.1234\n", "loss 0.1234\n") is None
    assert compare("loss 0.1234\n", "loss 0.1240\n") is not None
    assert compare("tensor([1, 2])\n", "tensor([1, 3])\n") is not None
    assert compare("a b\n", "a b c\n") is not None


def test_there_are_at_least_twenty_programs() -> None:
    assert len(programs()) >= 20
