"""OpInfo entries for glasstorch/ops (sorting); ``op_db.py`` appends ``OPS``."""

from __future__ import annotations

from op_db import OpInfo  # imported at the end of op_db.py, after OpInfo exists

OPS: list[OpInfo] = []
