"""Normalization layers: ``BatchNorm1d/2d``, ``InstanceNorm1d/2d``, ``LayerNorm``, ``GroupNorm``.

Written as torch's ``_NormBase`` / ``_BatchNorm`` classes are, so parameters, buffers,
``state_dict`` keys and their order, reprs and train/eval behaviour are the same.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

from glasstorch._dtype import int64
from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty, ones, tensor, zeros

__all__ = ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d",
           "LayerNorm", "LocalResponseNorm"]


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


class _InstanceNorm(_NormBase):
    """The instance-norm forward shared by ``InstanceNorm1d`` and ``InstanceNorm2d``."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype)

    def _get_no_batch_dim(self) -> int:
        raise NotImplementedError

    def _apply_instance_norm(self, input: Tensor) -> Tensor:
        return F.instance_norm(
            input, self.running_mean, self.running_var, self.weight, self.bias,
            self.training or not self.track_running_stats,
            self.momentum if self.momentum is not None else 0.0, self.eps,
        )

    def forward(self, input: Tensor) -> Tensor:
        """Normalise each (sample, channel); an unbatched input is a batch of one."""
        self._check_input_dim(input)
        feature_dim = input.dim() - self._get_no_batch_dim()
        if input.size(feature_dim) != self.num_features:
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim={feature_dim} to match num_features"
                    f" ({self.num_features}), but got: {input.size(feature_dim)}."
                )
            warnings.warn(
                f"input's size at dim={feature_dim} does not match num_features. "
                "You can silence this warning by not passing in num_features, "
                "which is not used because affine=False",
                stacklevel=2,
            )
        if input.dim() == self._get_no_batch_dim():
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    """Normalise each channel of each sample of ``(N, C, L)`` (or ``(C, L)``) over ``L``.

    Args:
        num_features: the number of channels ``C``.
        eps: added to the variance for stability. Default: ``1e-5``.
        momentum: weight of the newest batch in the running statistics. Default: ``0.1``.
        affine: learnable per-channel ``weight`` and ``bias``. Default: ``False``.
        track_running_stats: keep running statistics, used in eval mode. Default: ``False``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' and buffers' dtype.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.InstanceNorm1d(2)
        >>> m.affine, m.track_running_stats
        (False, False)
        >>> m(torch.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
        tensor([[[-1.0000,  1.0000],
                 [-1.0000,  1.0000]]])
    """

    def _get_no_batch_dim(self) -> int:
        return 2

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class InstanceNorm2d(_InstanceNorm):
    """Normalise each channel of each image of ``(N, C, H, W)`` (or ``(C, H, W)``) over H, W.

    Arguments as ``InstanceNorm1d``.

    Example:
        >>> import glasstorch as torch
        >>> m = torch.nn.InstanceNorm2d(3, affine=True)
        >>> m(torch.randn(2, 3, 4, 4)).shape
        torch.Size([2, 3, 4, 4])
        >>> list(m.state_dict())
        ['weight', 'bias']
    """

    def _get_no_batch_dim(self) -> int:
        return 3

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (3, 4):
            raise ValueError(f"expected 3D or 4D input (got {input.dim()}D input)")


class GroupNorm(Module):
    """Normalise each sample over groups of channels, then scale and shift per channel.

    Args:
        num_groups: how many groups the ``num_channels`` channels are split into.
        num_channels: the number of channels ``C`` of the ``(N, C, *)`` input.
        eps: added to the variance for stability. Default: ``1e-5``.
        affine: learnable per-channel ``weight`` (ones) and ``bias`` (zeros). Default: ``True``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype.
        bias: (keyword only) with ``affine``, whether to have the bias. Default: ``True``.

    Example:
        >>> import glasstorch as torch
        >>> gn = torch.nn.GroupNorm(2, 4)
        >>> gn
        GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
        >>> gn(torch.tensor([[1.0, 3.0, 0.0, 4.0]]))
        tensor([[-1.0000,  1.0000, -1.0000,  1.0000]],
               grad_fn=<NativeGroupNormBackward0>)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(
                f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})"
            )
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        if self.affine:
            self.weight = Parameter(empty(num_channels, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(num_channels, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Weight to ones, bias to zeros."""
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        """``F.group_norm`` with this layer's groups, parameters and eps."""
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        """The arguments, as torch prints them."""
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )


class LocalResponseNorm(Module):
    """Divide each channel by ``(k + alpha * mean of squares over size channels) ** beta``.

    Args:
        size: how many neighbouring channels the mean is taken over.
        alpha: the multiplier of the mean. Default: ``1e-4``.
        beta: the exponent. Default: ``0.75``.
        k: the additive constant. Default: ``1.0``.

    Example:
        >>> import glasstorch as torch
        >>> lrn = torch.nn.LocalResponseNorm(2)
        >>> lrn
        LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)
        >>> lrn(torch.ones(1, 3, 2, 2)).shape
        torch.Size([1, 3, 2, 2])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75,
                 k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        """``F.local_response_norm`` with this layer's constants."""
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        """The arguments, as torch prints them."""
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
