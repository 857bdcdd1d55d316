"""Normalization layers: ``BatchNorm1d``, ``BatchNorm2d``, ``LayerNorm``.

Written as torch's ``_NormBase`` / ``_BatchNorm`` classes are, so parameters, buffers,
``state_dict`` keys and their order, reprs and train/eval behaviour are the same.
"""

from __future__ import annotations

import numbers
from typing import Any

from glasstorch._dtype import int64
from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty, ones, tensor, zeros

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm"]


class _NormBase(Module):
    """Parameters (``weight``, ``bias``) and running-statistics buffers of a norm layer."""

    _version = 2  # torch's: state_dicts carry num_batches_tracked

    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if self.affine:
            self.weight = Parameter(empty(num_features, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(num_features, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if self.track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked",
                                 tensor(0, dtype=int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen (in place)."""
        if self.track_running_stats:
            assert self.running_mean is not None and self.running_var is not None
            assert self.num_batches_tracked is not None
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Reset the running statistics; weight to ones and bias to zeros."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def _upgrade_state_dict(self, state_dict: dict[str, Any], prefix: str,
                            version: int | None) -> None:
        # Checkpoints from before num_batches_tracked existed (version < 2, or a plain dict
        # without metadata) load with the current count, as torch's BatchNorm does.
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats \
                and key not in state_dict and self.num_batches_tracked is not None:
            state_dict[key] = self.num_batches_tracked

    def extra_repr(self) -> str:
        """The arguments, as torch prints them."""
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class _BatchNorm(_NormBase):
    """The batch-norm forward shared by ``BatchNorm1d`` and ``BatchNorm2d``."""

    def forward(self, input: Tensor) -> Tensor:
        """Normalise with batch statistics (training) or running statistics (eval)."""
        self._check_input_dim(input)
        # momentum=None: a cumulative moving average, weight 1 / (batches seen so far)
        exponential_average_factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                exponential_average_factor = 1.0 / float(self.num_batches_tracked)
        if self.training:
            bn_training = True
        else:
            bn_training = self.running_mean is None and self.running_var is None
        use_buffers = not self.training or self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if use_buffers else None,
            self.running_var if use_buffers else None,
            self.weight,
            self.bias,
            bn_training,
            exponential_average_factor,
            self.eps,
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of ``(N, C)`` or ``(N, C, L)`` input, per channel ``C``.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``: in training, with the batch's
    mean and biased variance, and the running statistics updated as
    ``running = (1 - momentum) * running + momentum * batch_stat`` (unbiased variance;
    ``momentum=None``: cumulative average); in eval mode, with the running statistics.

    Args:
        num_features: the number of channels ``C``.
        eps: added to the variance for stability. Default: ``1e-5``.
        momentum: weight of the newest batch in the running statistics. Default: ``0.1``.
        affine: learnable ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        bias: (keyword only) with ``affine``, whether to have the bias. Default: ``True``.
        track_running_stats: keep running statistics (else batch statistics are used in
            eval mode too). Default: ``True``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' and buffers' dtype.

    Example:
        >>> import glasstorch as torch
        >>> bn = torch.nn.BatchNorm1d(2)
        >>> bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
        >>> bn.running_mean
        tensor([0.2000, 0.4000])
        >>> bn
        BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of ``(N, C, H, W)`` images, per channel ``C``.

    The statistics are over ``N``, ``H`` and ``W``; arguments as ``BatchNorm1d``.

    Example:
        >>> import glasstorch as torch
        >>> bn = torch.nn.BatchNorm2d(3, affine=False)
        >>> bn(torch.randn(4, 3, 5, 5)).shape
        torch.Size([4, 3, 5, 5])
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class LayerNorm(Module):
    """Normalise each sample over its last dims (``normalized_shape``), then scale and shift.

    Args:
        normalized_shape: the trailing shape to normalise over (an int for the last dim).
        eps: added to the variance for stability. Default: ``1e-5``.
        elementwise_affine: learnable ``weight`` (ones) and ``bias`` (zeros) of that shape.
        bias: with ``elementwise_affine``, whether to have the bias. Default: ``True``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype.

    Example:
        >>> import glasstorch as torch
        >>> ln = torch.nn.LayerNorm(2)
        >>> ln(torch.tensor([[1.0, 3.0]]))
        tensor([[-1.0000,  1.0000]], grad_fn=<NativeLayerNormBackward0>)
        >>> ln
        LayerNorm((2,), eps=1e-05, elementwise_affine=True, bias=True)
    """

    def __init__(self, normalized_shape: Any, eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if self.elementwise_affine:
            self.weight = Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(self.normalized_shape, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight to ones, bias to zeros."""
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        """``F.layer_norm`` with this layer's shape, parameters and eps."""
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """The arguments, as torch prints them."""
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
