"""OpInfo entries for glasstorch/ops (activation); ``op_db.py`` appends ``OPS`` to its table."""

from __future__ import annotations

from op_db import OpInfo  # imported at the end of op_db.py, after OpInfo exists

OPS: list[OpInfo] = []
