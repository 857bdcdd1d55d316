"""Helpers of the DataLoader: collation (``collate``), fetching (``fetch``), workers."""

from __future__ import annotations

from glasstorch.utils.data._utils import collate as collate, fetch as fetch, worker as worker

__all__ = ["collate", "fetch", "worker"]
