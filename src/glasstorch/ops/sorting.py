"""Sorting, selection and counting: sort, argsort, topk, kthvalue, median, mode, unique..."""

from __future__ import annotations

__all__: list[str] = []
