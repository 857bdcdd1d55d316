"""The tutorial notebooks in examples/notebooks run top to bottom in a real Jupyter kernel.

Each notebook is executed with nbclient in a fresh ``python3`` kernel that runs *this*
interpreter (a kernelspec written to a temporary folder, found first through
``JUPYTER_PATH``), with ``src`` first on ``PYTHONPATH`` so the kernel imports this checkout's
glasstorch. Any cell that raises fails the test (CellExecutionError). The notebooks must
run with and without Graphviz's ``dot`` program and the ``graphviz`` package.
"""

from __future__ import annotations

import os
from pathlib import Path

# the test extra installs these; a missing one should fail loudly, not skip
import ipykernel.kernelspec as kernelspec  # noqa: E402
import nbclient  # noqa: E402
import nbformat  # noqa: E402
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "examples" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

# what a notebook's outputs must contain (its printed results)
EXPECTED = {
    "seed000_linear_regression": ["4 hours -> "],
    "seed001_height_weight_by_hand": ["1.820683", "0.367511", "AddBackward0"],
    "seed002_hunting_money": ["29.5617", "0.9963", "119.24", "All 2 gradients match"],
    "seed003_logistic_regression": ["Prediction after 7 hour(s)"],
    "seed004_sin_cubic_by_hand": ["Result: y = "],
}


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for the kernels: a python3 kernelspec for sys.executable, and src."""
    prefix = tmp_path_factory.mktemp("jupyter")
    # writes <prefix>/share/jupyter/kernels/python3/kernel.json with argv[0] = sys.executable
    kernelspec.install(kernel_name="python3", prefix=str(prefix))
    env = dict(os.environ)
    jupyter_path = [str(prefix / "share" / "jupyter")]
    if env.get("JUPYTER_PATH"):
        jupyter_path.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(jupyter_path)
    python_path = [str(ROOT / "src")]
    if env.get("PYTHONPATH"):
        python_path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(python_path)
    env["MPLBACKEND"] = "Agg"  # the plots are Figures shown as values; no GUI anywhere
    env.pop("GLASSTORCH_LANG", None)  # the expected outputs are the English ones
    return env


def _output_text(nb: object) -> str:
    """Every text a notebook's code cells produced: streams and text/plain values."""
    parts: list[str] = []
    for cell in nb.cells:  # type: ignore[attr-defined]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif "data" in out:
                parts.append(out["data"].get("text/plain", ""))
                parts.append(out["data"].get("image/svg+xml", ""))
            elif out.get("output_type") == "error":
                parts.append("\n".join(out.get("traceback", [])))
    return "\n".join(parts)


def test_there_is_a_notebook_per_seed() -> None:
    assert [p.stem for p in NOTEBOOKS] == sorted(EXPECTED)


def test_notebooks_are_committed_without_outputs() -> None:
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, (
                    f"{path.name}: clear the outputs before committing"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(
    path: Path, kernel_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the kernelspec lookup happens in this process: it must see the temporary JUPYTER_PATH
    monkeypatch.setenv("JUPYTER_PATH", kernel_env["JUPYTER_PATH"])
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working directory
    )
    client.execute(env=kernel_env)  # raises CellExecutionError at the first failing cell
    text = _output_text(nb)
    for expected in EXPECTED[path.stem]:
        assert expected in text, f"{path.name}: {expected!r} not in the outputs"
