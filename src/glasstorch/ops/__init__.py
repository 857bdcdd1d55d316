"""Every op, as a Function subclass (forward + backward) and its public function.

``list_ops()`` prints each op's forward formula and gradient, read from the docstrings.
"""

from __future__ import annotations

# the modules under `_` names: some share a name with their op (ops.dropout.dropout)
from glasstorch.ops import (
    activation as _activation,
    conv as _conv,
    creation as _creation,
    dropout as _dropout,
    elementwise as _elementwise,
    embedding as _embedding,
    indexing as _indexing,
    linalg as _linalg,
    normalization as _normalization,
    random as _random,
    reduction as _reduction,
    shape as _shape,
    sorting as _sorting,
)
from glasstorch.ops._util import (  # used by Tensor methods; `x as x` re-exports (PEP 484)
    as_operand_tensor as as_operand_tensor,
    shape_arg as shape_arg,
    wrap_dim as wrap_dim,
)
from glasstorch.ops.activation import *  # noqa: F401,F403
from glasstorch.ops.conv import *  # noqa: F401,F403
from glasstorch.ops.creation import *  # noqa: F401,F403
from glasstorch.ops.dropout import *  # noqa: F401,F403
from glasstorch.ops.elementwise import *  # noqa: F401,F403
from glasstorch.ops.elementwise import (  # used by Tensor methods, not public
    copy_like as copy_like,
    fill_like as fill_like,
    fill_zero as fill_zero,
    rdiv as rdiv,
    rpow as rpow,
    rsub as rsub,
    to_dtype as to_dtype,
)
from glasstorch.ops.embedding import *  # noqa: F401,F403
from glasstorch.ops.indexing import *  # noqa: F401,F403
from glasstorch.ops.linalg import *  # noqa: F401,F403
from glasstorch.ops.normalization import *  # noqa: F401,F403
from glasstorch.ops.random import *  # noqa: F401,F403
from glasstorch.ops.reduction import *  # noqa: F401,F403
from glasstorch.ops.shape import *  # noqa: F401,F403
from glasstorch.ops.sorting import *  # noqa: F401,F403

# What `from glasstorch.ops import *` (and so `import glasstorch`) exposes: the public
# functions of each op module, never the modules themselves (`glasstorch.random` must
# stay torch.random's counterpart, not this package's ops/random.py).
# Tensor methods call a few ops through this package that torch has no function for
# (torch.view does not exist; x.view does); they stay out of the public names.
_METHOD_ONLY = {"expand", "getitem", "linear", "repeat", "setitem", "view"}
# Built with `+=` (not one comprehension) so that type checkers can read the names.
__all__: list[str] = []
__all__ += _creation.__all__
__all__ += _elementwise.__all__
__all__ += _reduction.__all__
__all__ += _shape.__all__
__all__ += _indexing.__all__
__all__ += _linalg.__all__
__all__ += _random.__all__
__all__ += _activation.__all__
__all__ += _dropout.__all__
__all__ += _normalization.__all__
__all__ += _conv.__all__
__all__ += _embedding.__all__
__all__ += _sorting.__all__
__all__ = [name for name in __all__ if name not in _METHOD_ONLY]
from glasstorch.ops import loss as _loss  # noqa: E402,F401  (registers the fused losses)
from glasstorch.ops.indexing import getitem, setitem  # noqa: E402,F401
from glasstorch.ops.linalg import linear  # noqa: E402,F401
from glasstorch.ops.shape import expand, repeat, view  # noqa: E402,F401

del _activation, _conv, _creation, _dropout, _elementwise, _embedding, _indexing, _linalg
del _normalization, _random, _reduction, _shape, _sorting


def list_ops() -> str:
    """One line per op: its class, torch's grad_fn name, and its formula.

    Example:
        >>> from glasstorch.ops import list_ops
        >>> 'MulBackward0' in list_ops()
        True
    """
    from glasstorch.autograd.function import Function

    lines = []
    for name, cls in sorted(Function.registry.items()):
        doc = (cls.__doc__ or "").strip().splitlines()
        lines.append(f"{name:<20} {cls.grad_fn_name:<24} {doc[0] if doc else ''}")
    return "\n".join(lines)
