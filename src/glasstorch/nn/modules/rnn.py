"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their cells.

Built from existing differentiable ops (``F.linear``, ``sigmoid``, ``tanh``, ``stack``...),
so autograd needs nothing new. The input projections of a whole sequence are computed with
one matmul per layer and direction (as PyTorch's CPU kernels do); only the hidden-to-hidden
product and the gate arithmetic run once per time step. Parameter names, shapes, order and
initialisation are PyTorch's, so seeded models and ``state_dict`` checkpoints match.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from glasstorch._tensor import Tensor
from glasstorch.nn import functional as F, init
from glasstorch.nn.modules.module import Module
from glasstorch.nn.parameter import Parameter
from glasstorch.ops.creation import empty, zeros
from glasstorch.ops.shape import cat, stack

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# ------------------------------------------------------------------------------- one time step
# ``gi`` is the input projection ``x @ W_ih.T + b_ih`` (precomputed for all steps); each step
# adds ``h @ W_hh.T + b_hh``. Formulas and operation order follow PyTorch's CPU cells.
def _simple_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None,
                 relu: bool) -> Tensor:
    pre = F.linear(h, w_hh, b_hh) + gi
    return pre.relu() if relu else pre.tanh()


def _lstm_step(gi: Tensor, h: Tensor, c: Tensor, w_hh: Tensor,
               b_hh: Tensor | None) -> tuple[Tensor, Tensor]:
    i, f, g, o = (F.linear(h, w_hh, b_hh) + gi).chunk(4, 1)
    c_next = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c_next.tanh(), c_next


def _gru_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, 1)
    r = (h_r + i_r).sigmoid()
    z = (h_z + i_z).sigmoid()
    n = (i_n + h_n * r).tanh()
    return (h - n) * z + n  # == (1 - z) * n + z * h, written as PyTorch computes it


def _check_cell_hidden(input: Tensor, hx: Tensor, hidden_size: int, label: int) -> None:
    """PyTorch's ``check_rnn_cell_forward_hidden`` messages."""
    if hx.shape[0] != input.shape[0]:
        raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{label} "
                           f"batch size {hx.shape[0]}")
    if hx.shape[1] != hidden_size:
        raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {hx.shape[1]}, "
                           f"expected {hidden_size}")


# ------------------------------------------------------------------------------ full layers
class RNNBase(Module):
    """Base class of ``RNN``, ``LSTM`` and ``GRU``: the parameters, checks and layer loop.

    ``mode`` is ``'RNN_TANH'``, ``'RNN_RELU'``, ``'LSTM'`` or ``'GRU'``. Parameters are
    ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}`` (and the
    ``_reverse`` ones when bidirectional), in that order, each from ``U(-1/sqrt(hidden_size),
    1/sqrt(hidden_size))``.
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        # Validate everything before creating anything (PyTorch's checks, order and text).
        if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
                or not 0 <= dropout <= 1):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=3)
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(
                f"batch_first should be of type bool, got: {type(batch_first).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(
                f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(
                f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError(
                "proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        if proj_size > 0:
            raise NotImplementedError(
                f"LSTM with proj_size={proj_size} (projections, weight_hr) is not supported "
                "by glasstorch yet; use proj_size=0, or add an nn.Linear after the LSTM.")

        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size

        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 0 else hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes: list[tuple[str, tuple[int, ...]]] = [
                    ("weight_ih", (gate_size, layer_input_size)),
                    ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                names = []
                for stem, shape in shapes:
                    name = f"{stem}_l{layer}{suffix}"
                    setattr(self, name, Parameter(empty(shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every parameter from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``, in order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """Does nothing: as in PyTorch on CPU (the packed layout is a cuDNN matter)."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters grouped per layer and direction, as PyTorch lists them."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def extra_repr(self) -> str:
        """The sizes and every option that differs from its default, as torch prints them."""
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # ------------------------------------------------------------------ shared forward parts
    def _prepare(self, input: Tensor) -> tuple[Tensor, bool, int]:
        """Check the input's rank; return it batched, whether it was, and its batch dim."""
        if input.dim() not in (2, 3):
            name = "RNN" if self.mode.startswith("RNN") else self.mode
            tail = " tensor instead" if name == "RNN" else " instead"
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{tail}")
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = input.unsqueeze(batch_dim)
        return input, is_batched, batch_dim

    def _check_input(self, input: Tensor) -> None:
        weight = getattr(self, self._flat_weights_names[0])
        if input.dtype != weight.dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype "
                f"({weight.dtype}). Convert input: input.to({weight.dtype}), or convert "
                f"model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError("input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")

    def _expected_hidden(self, input: Tensor) -> tuple[int, int, int]:
        batch = input.shape[0] if self.batch_first else input.shape[1]
        return (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)

    @staticmethod
    def _check_hidden(hx: Tensor, expected: tuple[int, int, int],
                      msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, list(hx.shape)))

    def _run(self, input: Tensor, h0: Tensor,
             c0: Tensor | None) -> tuple[Tensor, Tensor, Tensor | None]:
        """All layers and directions over a batched input; ``c0`` only for the LSTM."""
        x = input.transpose(0, 1) if self.batch_first else input  # time-major inside
        num_directions = 2 if self.bidirectional else 1
        relu = self.mode == "RNN_RELU"
        h_last: list[Tensor] = []
        c_last: list[Tensor] = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(num_directions):
                index = layer * num_directions + direction
                params = [getattr(self, name) for name in self._all_weights[index]]
                w_ih, w_hh = params[0], params[1]
                b_ih, b_hh = (params[2], params[3]) if self.bias else (None, None)
                # One matmul for the whole sequence; then per step only the hidden part.
                steps = F.linear(x, w_ih, b_ih).unbind(0)
                if direction == 1:
                    steps = steps[::-1]
                h = h0[index]
                c = c0[index] if c0 is not None else None
                hs: list[Tensor] = []
                for gi in steps:
                    if c is not None:
                        h, c = _lstm_step(gi, h, c, w_hh, b_hh)
                    elif self.mode == "GRU":
                        h = _gru_step(gi, h, w_hh, b_hh)
                    else:
                        h = _simple_step(gi, h, w_hh, b_hh, relu)
                    hs.append(h)
                if direction == 1:
                    hs.reverse()
                outputs.append(stack(hs, 0))
                h_last.append(h)
                if c is not None:
                    c_last.append(c)
            x = outputs[0] if num_directions == 1 else cat(outputs, 2)
            # Dropout on every layer's output but the last, in training mode only.
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        output = x.transpose(0, 1) if self.batch_first else x
        return output, stack(h_last, 0), (stack(c_last, 0) if c0 is not None else None)


class RNN(RNNBase):
    """A multi-layer Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``.

    Args:
        input_size: features of each input step.
        hidden_size: features of the hidden state.
        num_layers: stacked recurrent layers. Default: 1.
        nonlinearity: ``'tanh'`` or ``'relu'``. Default: ``'tanh'``.
        bias: if ``False``, no ``b_ih`` / ``b_hh``. Default: ``True``.
        batch_first: input and output are ``(batch, seq, feature)``. Default: ``False``.
        dropout: dropout on each layer's output except the last (training mode only).
        bidirectional: also run each layer backwards and concatenate. Default: ``False``.
        device: only ``None`` or ``'cpu'``.
        dtype: the parameters' dtype (default: the default dtype).

    Shape:
        - input: ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, or ``(L, H_in)``.
        - hx: ``(D * num_layers, N, H_out)`` (or ``(D * num_layers, H_out)`` unbatched).
        - returns ``(output, h_n)``: output ``(L, N, D * H_out)``, ``h_n`` like ``hx``.

    Example:
        >>> import glasstorch as torch
        >>> rnn = torch.nn.RNN(10, 20, num_layers=2, batch_first=True)
        >>> output, h_n = rnn(torch.randn(3, 5, 10))
        >>> output.shape, h_n.shape
        (torch.Size([3, 5, 20]), torch.Size([2, 3, 20]))
        >>> rnn
        RNN(10, 20, num_layers=2, batch_first=True)
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        _reject_proj_size(type(self).__name__, kwargs)
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """``(output, h_n)``; ``hx`` defaults to zeros."""
        return _forward_single(self, input, hx)


class GRU(RNNBase):
    """A multi-layer gated recurrent unit (GRU), gates ordered ``r, z, n`` as in PyTorch.

    ``r = σ(W_ir x + b_ir + W_hr h + b_hr)``, ``z = σ(W_iz x + b_iz + W_hz h + b_hz)``,
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h' = (1 - z) * n + z * h``.
    Arguments and shapes as in :class:`RNN` (without ``nonlinearity``).

    Example:
        >>> import glasstorch as torch
        >>> gru = torch.nn.GRU(10, 20, bidirectional=True)
        >>> output, h_n = gru(torch.randn(5, 3, 10))
        >>> output.shape, h_n.shape
        (torch.Size([5, 3, 40]), torch.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device: Any = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        _reject_proj_size(type(self).__name__, kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """``(output, h_n)``; ``hx`` defaults to zeros."""
        return _forward_single(self, input, hx)


def _reject_proj_size(cls: str, kwargs: dict[str, Any]) -> None:
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(
            f"{cls}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _forward_single(self: RNNBase, input: Tensor,
                    hx: Tensor | None) -> tuple[Tensor, Tensor]:
    """``RNN`` / ``GRU`` forward: checks as PyTorch, then the layer loop."""
    input, is_batched, batch_dim = self._prepare(input)
    if hx is not None:
        if not is_batched:
            if hx.dim() != 2:
                raise RuntimeError("For unbatched 2-D input, hx should also be 2-D but got "
                                   f"{hx.dim()}-D tensor")
            hx = hx.unsqueeze(1)
        elif hx.dim() != 3:
            raise RuntimeError("For batched 3-D input, hx should also be 3-D but got "
                               f"{hx.dim()}-D tensor")
    self._check_input(input)
    expected = self._expected_hidden(input)
    if hx is None:
        hx = zeros(expected, dtype=input.dtype)
    self._check_hidden(hx, expected)
    output, h_n, _ = self._run(input, hx, None)
    if not is_batched:
        output, h_n = output.squeeze(batch_dim), h_n.squeeze(1)
    return output, h_n


class LSTM(RNNBase):
    """A multi-layer long short-term memory (LSTM) RNN, gates ordered ``i, f, g, o``.

    ``i, f, o = σ(...)``, ``g = tanh(...)`` (each ``W_i* x + b_i* + W_h* h + b_h*``),
    ``c' = f * c + i * g``, ``h' = o * tanh(c')``. Arguments and shapes as in :class:`RNN`
    (without ``nonlinearity``); ``hx`` and the returned state are pairs ``(h, c)``.
    ``proj_size > 0`` is not supported (raises ``NotImplementedError``).

    Example:
        >>> import glasstorch as torch
        >>> lstm = torch.nn.LSTM(10, 20, num_layers=2, batch_first=True)
        >>> output, (h_n, c_n) = lstm(torch.randn(3, 5, 10))
        >>> output.shape, h_n.shape, c_n.shape
        (torch.Size([3, 5, 20]), torch.Size([2, 3, 20]), torch.Size([2, 3, 20]))
        >>> lstm
        LSTM(10, 20, num_layers=2, batch_first=True)
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        """``(output, (h_n, c_n))``; ``hx = (h_0, c_0)`` defaults to zeros."""
        input, is_batched, batch_dim = self._prepare(input)
        if hx is None:
            self._check_input(input)
            expected = self._expected_hidden(input)
            h0 = zeros(expected, dtype=input.dtype)
            c0 = zeros(expected, dtype=input.dtype)
        else:
            h0, c0 = hx
            if is_batched:
                if h0.dim() != 3 or c0.dim() != 3:
                    raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D "
                                       f"but got ({h0.dim()}-D, {c0.dim()}-D) tensors")
            else:
                if h0.dim() != 2 or c0.dim() != 2:
                    raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D "
                                       f"but got ({h0.dim()}-D, {c0.dim()}-D) tensors")
                h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)
            self._check_input(input)
            expected = self._expected_hidden(input)
            self._check_hidden(h0, expected, "Expected hidden[0] size {}, got {}")
            self._check_hidden(c0, expected, "Expected hidden[1] size {}, got {}")
        output, h_n, c_n = self._run(input, h0, c0)
        assert c_n is not None
        if not is_batched:
            output, h_n, c_n = output.squeeze(batch_dim), h_n.squeeze(1), c_n.squeeze(1)
        return output, (h_n, c_n)


# ------------------------------------------------------------------------------------ cells
class RNNCellBase(Module):
    """Base class of the cells: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(empty((gates, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(empty((gates, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(gates, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(gates, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        """The sizes, and ``bias`` / ``nonlinearity`` when not the default."""
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = self.__dict__.get("nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        """Every parameter from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``, in order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _batched(self, input: Tensor, hx: Tensor | None, label: str) -> tuple[Tensor, bool]:
        """Check ranks as PyTorch; return ``input`` as ``(N, input_size)`` and is_batched."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got {hx.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.input_size}")
        return input, is_batched

    def _hidden(self, input: Tensor, hx: Tensor | None, is_batched: bool, label: int) -> Tensor:
        if hx is None:
            return zeros(input.shape[0], self.hidden_size, dtype=input.dtype)
        hx = hx if is_batched else hx.unsqueeze(0)
        _check_cell_hidden(input, hx, self.hidden_size, label)
        return hx


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    Example:
        >>> import glasstorch as torch
        >>> cell = torch.nn.RNNCell(10, 20, nonlinearity='relu')
        >>> cell(torch.randn(3, 10)).shape
        torch.Size([3, 20])
        >>> cell
        RNNCell(10, 20, nonlinearity=relu)
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """The next hidden state; ``hx`` defaults to zeros."""
        input, is_batched = self._batched(input, hx, "hidden")
        h = self._hidden(input, hx, is_batched, 0)
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        out = _simple_step(gi, h, self.weight_hh, self.bias_hh, self.nonlinearity == "relu")
        return out if is_batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns ``(h', c')`` (gates ``i, f, g, o`` as in :class:`LSTM`).

    Example:
        >>> import glasstorch as torch
        >>> cell = torch.nn.LSTMCell(10, 20)
        >>> h, c = cell(torch.randn(3, 10))
        >>> h.shape, c.shape
        (torch.Size([3, 20]), torch.Size([3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, Tensor]:
        """``(h', c')``; ``hx = (h, c)`` defaults to zeros."""
        if hx is not None:
            for index, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{index}] to be 1D or 2D, got "
                                     f"{value.dim()}D instead")
        input, is_batched = self._batched(input, None, "hidden")
        h = self._hidden(input, None if hx is None else hx[0], is_batched, 0)
        c = self._hidden(input, None if hx is None else hx[1], is_batched, 1)
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        h, c = _lstm_step(gi, h, c, self.weight_hh, self.bias_hh)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step (gates ``r, z, n`` as in :class:`GRU`).

    Example:
        >>> import glasstorch as torch
        >>> cell = torch.nn.GRUCell(10, 20)
        >>> cell(torch.randn(10), torch.zeros(20)).shape
        torch.Size([20])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """The next hidden state; ``hx`` defaults to zeros."""
        input, is_batched = self._batched(input, hx, "hidden")
        h = self._hidden(input, hx, is_batched, 0)
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        out = _gru_step(gi, h, self.weight_hh, self.bias_hh)
        return out if is_batched else out.squeeze(0)
