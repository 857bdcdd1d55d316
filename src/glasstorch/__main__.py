"""The ``glasstorch`` command (also ``python -m glasstorch``).

glasstorch tutorial [NAME]       run the seed tutorials in examples/ (or one of them)
glasstorch run SCRIPT [ARGS...]  run an unmodified PyTorch script on glasstorch
glasstorch fit DATA.csv --x COL --y COL [--model linear|logistic|poly:K|mlp:H,H] ...
                                 train a small model on a CSV file (see glasstorch.fit)
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path


def _examples_dir() -> Path:
    """The repository's examples/ folder (the tutorials ship with the source checkout)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if (candidate / "seed000_linear_regression.py").exists():
            return candidate
    raise SystemExit(
        "glasstorch tutorial: the examples/ folder was not found. The tutorials ship with the "
        "source checkout: clone the repository and install it with `pip install -e .`."
    )


def tutorial(names: Sequence[str]) -> int:
    """Run the seed tutorials in order, each under a heading, and return an exit status."""
    folder = _examples_dir()
    scripts = sorted(folder.glob("seed*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.name for n in names)]
        if not scripts:
            print(f"glasstorch tutorial: no tutorial matches {' '.join(names)}", file=sys.stderr)
            return 2
    for script in scripts:
        print(f"=== {script.stem} " + "=" * max(0, 70 - len(script.stem)), flush=True)
        runpy.run_path(str(script), run_name="__main__")
        print(flush=True)
    return 0


def run_script(script: str, args: Sequence[str]) -> int:
    """Execute ``script`` with every ``import torch...`` served by glasstorch."""
    from glasstorch._torch_alias import install

    path = os.path.abspath(script)
    if not os.path.exists(path):
        print(f"glasstorch run: no such file: {script}", file=sys.stderr)
        return 2
    install()
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(path))
    runpy.run_path(path, run_name="__main__")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The ``glasstorch`` command: ``glasstorch tutorial [names]`` or ``glasstorch run script``."""
    parser = argparse.ArgumentParser(
        prog="glasstorch", description="glasstorch: PyTorch you can see through."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_tut = sub.add_parser("tutorial", help="run the seed tutorials (examples/seed*.py)")
    p_tut.add_argument("names", nargs="*", help="run only tutorials whose file name contains this")
    p_run = sub.add_parser("run", help="run an unmodified PyTorch script on glasstorch")
    p_run.add_argument("script")
    p_run.add_argument("args", nargs=argparse.REMAINDER)
    from glasstorch import fit

    p_fit = sub.add_parser("fit", help="train a small model on a CSV file")
    fit.add_arguments(p_fit)
    ns = parser.parse_args(argv)
    if ns.command == "tutorial":
        return tutorial(ns.names)
    if ns.command == "fit":
        return fit.run(ns)
    return run_script(ns.script, ns.args)


if __name__ == "__main__":
    sys.exit(main())
