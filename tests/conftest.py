"""Test-suite set-up: real PyTorch is the oracle, so it must be the pinned version.

Without it almost every test would have nothing to compare with; rather than skipping
(which would let an empty run look green), the run stops with the install command.
"""

from __future__ import annotations

import os

import pytest

REQUIRED_TORCH = "2.13.0"


def pytest_configure(config: pytest.Config) -> None:
    # Messages are pinned in English; a learner's GLASSTORCH_LANG=ko must not change them
    # (tests/test_errors.py sets it itself where it checks the Korean hints).
    os.environ.pop("GLASSTORCH_LANG", None)
    try:
        import torch
    except ImportError:
        raise pytest.UsageError(
            f"the tests compare glasstorch with real PyTorch {REQUIRED_TORCH}, which is not "
            "installed. Install the test extra: pip install -e '.[test]'"
        ) from None
    if not torch.__version__.startswith(REQUIRED_TORCH):
        raise pytest.UsageError(
            f"the tests were written against torch {REQUIRED_TORCH} but torch "
            f"{torch.__version__} is installed: pip install 'torch=={REQUIRED_TORCH}'"
        )
