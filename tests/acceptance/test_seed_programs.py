"""The seed programs of ../shared/acceptance, run unchanged on glasstorch and compared with
the output real PyTorch printed (the runner's token comparison: numbers within rtol 1e-3).

The acceptance folder lives beside the checkout (shared/), as on CI; without it these
tests fail rather than skip, because then nothing would have checked the seeds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ACCEPTANCE = Path(__file__).resolve().parents[3] / "shared" / "acceptance"
SRC = Path(__file__).resolve().parents[2] / "src"


def _programs() -> list[str]:
    folder = ACCEPTANCE / "programs"
    return sorted(p.name for p in folder.glob("*.py")) if folder.is_dir() else ["<missing>"]


@pytest.mark.parametrize("program", _programs())
def test_seed_program_matches_torch(program: str) -> None:
    assert ACCEPTANCE.is_dir(), (
        f"{ACCEPTANCE} not found: the shared acceptance programs are missing"
    )
    only = "^" + re.escape(program) + "$"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.run(
        [sys.executable, str(ACCEPTANCE / "run.py"), "--module", "glasstorch", "--only", only,
         "--pythonpath", str(SRC), "--timeout", "120"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^1 passed, 0 failed$", proc.stdout, re.M), proc.stdout
