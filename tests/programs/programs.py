"""The tutorial-style programs in this folder, their data files, and how outputs are compared.

Each ``p*.py`` is a plain PyTorch script (``import torch``), as a learner would write it.
``record_expected.py`` runs each one with real PyTorch and stores what it prints in
``expected/``; ``test_programs.py`` runs each one unchanged with ``glasstorch run`` and
compares the output with torch's.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
# the course's CSV files live in the shared folder beside the checkout (as on CI)
DATA = HERE.parents[2] / "shared" / "data"

# command-line arguments of the programs that read a CSV
ARGS: dict[str, list[str]] = {
    "p01_softmax_zoo_csv": ["zoo.csv"],
    "p11_diabetes_logistic": ["diabetes.csv"],
    "p12_custom_dataset_csv": ["test_score.csv"],
}

# numbers agree within these tolerances (as the acceptance runner); integers must be equal
RTOL = 1e-3
ATOL = 1e-4
_NUM = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"(?P<num>{_NUM})|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym>\S)")


def programs() -> list[str]:
    """The program names (file stems), in order."""
    return sorted(p.stem for p in HERE.glob("p[0-9]*.py"))


def argv(name: str) -> list[str]:
    """The full paths of the data files program ``name`` reads."""
    return [str(DATA / f) for f in ARGS.get(name, [])]


def _tokens(text: str) -> list[tuple[int, str, str]]:
    out = []
    for ln, line in enumerate(text.splitlines()):
        for m in _TOKEN.finditer(line):
            out.append((ln, m.lastgroup or "", m.group()))
    return out


def _same(kind_e: str, e: str, kind_g: str, g: str) -> bool:
    if kind_e == kind_g == "num":
        if re.fullmatch(r"[-+]?\d+", e) and re.fullmatch(r"[-+]?\d+", g):
            return int(e) == int(g)
        return abs(float(g) - float(e)) <= ATOL + RTOL * abs(float(e))
    return kind_e == kind_g and e == g


def compare(expected: str, got: str) -> str | None:
    """None when the outputs agree; otherwise where they first differ."""
    exp, out = _tokens(expected), _tokens(got)
    exp_lines, out_lines = expected.splitlines(), got.splitlines()
    for (le, ke, e), (lg, kg, g) in zip(exp, out):  # noqa: B905 (lengths checked below)
        if not _same(ke, e, kg, g):
            return (f"first difference: torch printed {e!r} on line {le + 1}: "
                    f"{exp_lines[le]!r}\nglasstorch printed {g!r} on line {lg + 1}: "
                    f"{out_lines[lg]!r}")
    if len(exp) != len(out):
        return f"torch printed {len(exp)} tokens, glasstorch {len(out)}"
    return None
