"""OpInfo entries for glasstorch/ops (activation); ``op_db.py`` appends ``OPS`` to its table."""

from __future__ import annotations

from typing import Any

from op_db import (  # imported at the end of op_db.py, after OpInfo exists
    DISTINCT,
    NOT_EMPTY_DIM,
    UNARY,
    OpInfo,
    distinct,
    unary,
    uniform,
)

# kinks of leaky_relu/elu/hardtanh at 0, ±1, 3 and the softplus threshold: DISTINCT keeps
# every value 0.03 away from multiples of 0.1
WIDE = uniform(-4.0, 4.0)
SPREAD = distinct(0.03, 0.7)  # values up to about ±8, none near the kinks


def _F(t: Any) -> Any:
    return t.nn.functional


def _leaky_inplace(t: Any, x: Any) -> Any:
    return _F(t).leaky_relu(x * 1, 0.2, inplace=True)


def _elu_inplace(t: Any, x: Any) -> Any:
    return _F(t).elu(x * 1, 0.7, inplace=True)


def _silu_inplace(t: Any, x: Any) -> Any:
    return _F(t).silu(x * 1, inplace=True)


def _hardtanh_inplace(t: Any, x: Any) -> Any:
    return _F(t).hardtanh(x * 1, -0.5, 0.5, inplace=True)


def _leaky_relu_(t: Any, x: Any) -> Any:
    return _F(t).leaky_relu_(x * 1)


def _elu_(t: Any, x: Any) -> Any:
    return _F(t).elu_(x * 1)


def _hardtanh_(t: Any, x: Any) -> Any:
    return _F(t).hardtanh_(x * 1)


SOFTMAX_SAMPLES = UNARY + NOT_EMPTY_DIM

OPS: list[OpInfo] = [
    unary("softmax", lambda t, x: x.softmax(-1), ("Softmax",), WIDE, SOFTMAX_SAMPLES),
    unary("softmax_dim0", lambda t, x: x.softmax(0), ("Softmax",), WIDE),
    unary("torch.softmax", lambda t, x: t.softmax(x, dim=-1), ("Softmax",), WIDE),
    unary("torch.softmax_dtype", lambda t, x: t.softmax(x, 0, dtype=t.float64), ("Softmax",),
          WIDE, gradcheck=False),
    unary("F.softmax", lambda t, x: _F(t).softmax(x, dim=-1), ("Softmax",), WIDE),
    unary("log_softmax", lambda t, x: x.log_softmax(-1), ("LogSoftmax",), WIDE,
          SOFTMAX_SAMPLES),
    unary("torch.log_softmax_dim0", lambda t, x: t.log_softmax(x, 0), ("LogSoftmax",), WIDE),
    unary("F.log_softmax", lambda t, x: _F(t).log_softmax(x, dim=-1), ("LogSoftmax",), WIDE),
    unary("F.leaky_relu", lambda t, x: _F(t).leaky_relu(x), ("LeakyRelu",), DISTINCT),
    unary("F.leaky_relu_slope", lambda t, x: _F(t).leaky_relu(x, 0.3), ("LeakyRelu",),
          DISTINCT),
    unary("F.leaky_relu_inplace", _leaky_inplace, ("LeakyReluInplace",), DISTINCT),
    unary("F.leaky_relu_", _leaky_relu_, ("LeakyReluInplace",), DISTINCT),
    unary("F.elu", lambda t, x: _F(t).elu(x), ("Elu",), DISTINCT),
    unary("F.elu_alpha", lambda t, x: _F(t).elu(x, 0.5), ("Elu",), SPREAD),
    unary("F.elu_inplace", _elu_inplace, ("EluInplace",), DISTINCT),
    unary("F.elu_", _elu_, ("EluInplace",), DISTINCT),
    unary("F.gelu", lambda t, x: _F(t).gelu(x), ("Gelu",), WIDE),
    unary("F.gelu_wide", lambda t, x: _F(t).gelu(x), ("Gelu",), SPREAD),
    unary("F.gelu_tanh", lambda t, x: _F(t).gelu(x, approximate="tanh"), ("Gelu",), WIDE),
    unary("F.silu", lambda t, x: _F(t).silu(x), ("Silu",), SPREAD),
    unary("F.silu_inplace", _silu_inplace, ("Silu",), WIDE),
    unary("F.softplus", lambda t, x: _F(t).softplus(x), ("Softplus",), WIDE),
    unary("F.softplus_beta_threshold", lambda t, x: _F(t).softplus(x, 2.0, 3.0),
          ("Softplus",), SPREAD),
    unary("F.hardtanh", lambda t, x: _F(t).hardtanh(x), ("Hardtanh",), DISTINCT,
          dtypes=("float32", "float64", "int64")),
    unary("F.hardtanh_limits", lambda t, x: _F(t).hardtanh(x, -0.5, 1.5), ("Hardtanh",),
          DISTINCT),
    unary("F.hardtanh_inplace", _hardtanh_inplace, ("Hardtanh",), DISTINCT),
    unary("F.hardtanh_", _hardtanh_, ("Hardtanh",), DISTINCT),
    unary("F.relu6", lambda t, x: _F(t).relu6(x), ("Hardtanh",), SPREAD),
]
