"""The layer classes of ``torch.nn``, one family per file; each file lists its classes."""

from __future__ import annotations

from glasstorch.nn.modules import (
    activation as _activation,
    container as _container,
    conv as _conv,
    distance as _distance,
    dropout as _dropout,
    flatten as _flatten,
    linear as _linear,
    loss as _loss,
    module as _module,
    normalization as _normalization,
    padding as _padding,
    pixelshuffle as _pixelshuffle,
    pooling as _pooling,
    rnn as _rnn,
    sparse as _sparse,
    transformer as _transformer,
    upsampling as _upsampling,
)
from glasstorch.nn.modules.activation import *  # noqa: F401,F403
from glasstorch.nn.modules.container import *  # noqa: F401,F403
from glasstorch.nn.modules.conv import *  # noqa: F401,F403
from glasstorch.nn.modules.distance import *  # noqa: F401,F403
from glasstorch.nn.modules.dropout import *  # noqa: F401,F403
from glasstorch.nn.modules.flatten import *  # noqa: F401,F403
from glasstorch.nn.modules.linear import *  # noqa: F401,F403
from glasstorch.nn.modules.loss import *  # noqa: F401,F403
from glasstorch.nn.modules.module import *  # noqa: F401,F403
from glasstorch.nn.modules.normalization import *  # noqa: F401,F403
from glasstorch.nn.modules.padding import *  # noqa: F401,F403
from glasstorch.nn.modules.pixelshuffle import *  # noqa: F401,F403
from glasstorch.nn.modules.pooling import *  # noqa: F401,F403
from glasstorch.nn.modules.rnn import *  # noqa: F401,F403
from glasstorch.nn.modules.sparse import *  # noqa: F401,F403
from glasstorch.nn.modules.transformer import *  # noqa: F401,F403
from glasstorch.nn.modules.upsampling import *  # noqa: F401,F403

__all__: list[str] = []
__all__ += _activation.__all__
__all__ += _container.__all__
__all__ += _conv.__all__
__all__ += _distance.__all__
__all__ += _dropout.__all__
__all__ += _flatten.__all__
__all__ += _linear.__all__
__all__ += _loss.__all__
__all__ += _module.__all__
__all__ += _normalization.__all__
__all__ += _padding.__all__
__all__ += _pixelshuffle.__all__
__all__ += _pooling.__all__
__all__ += _rnn.__all__
__all__ += _sparse.__all__
__all__ += _transformer.__all__
__all__ += _upsampling.__all__
