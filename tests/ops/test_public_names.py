"""Each op module's ``__all__`` is a literal list (type checkers read it): this keeps it whole.

Every public function defined in an op module is either listed in its ``__all__`` (and so
becomes ``torch.<name>``) or named here as a helper that only Tensor methods call.
"""

from __future__ import annotations

import importlib

import pytest

import glasstorch
import glasstorch.ops

# Public-looking functions that are not torch functions (Tensor methods call them).
NOT_TORCH_FUNCTIONS = {
    "activation": {"elu", "elu_", "gelu", "hardtanh", "hardtanh_", "leaky_relu", "leaky_relu_",
                   "relu6", "silu", "softplus", "glu", "hardsigmoid", "hardswish", "logsigmoid",
                   "mish", "softsign", "tanhshrink"},
    "conv": {"adaptive_avg_pool2d", "avg_pool2d", "max_pool2d_with_indices", "pad",
             "adaptive_max_pool2d", "adaptive_max_pool2d_with_indices", "interpolate",
             "max_pool1d_with_indices"},
    "creation": {"array_from_data"},
    "dropout": set(),
    "elementwise": {"rsub", "rdiv", "rpow", "to_dtype", "fill_like", "fill_zero", "copy_like"},
    "embedding": {"one_hot"},
    "indexing": set(),
    "linalg": set(),
    "normalization": set(),
    "random": {"uniform_", "normal_", "random_", "bernoulli_", "exponential_"},
    "reduction": {"dims_arg", "expand_reduced"},
    "shape": set(),
    "sorting": set(),
}


@pytest.mark.parametrize("name", sorted(NOT_TORCH_FUNCTIONS))
def test_every_public_function_is_listed(name: str) -> None:
    module = importlib.import_module(f"glasstorch.ops.{name}")
    defined = {
        attr
        for attr, obj in vars(module).items()
        if not attr.startswith("_")
        and callable(obj)
        and not isinstance(obj, type)
        and getattr(obj, "__module__", None) == module.__name__
    }
    unlisted = defined - set(module.__all__) - NOT_TORCH_FUNCTIONS[name]
    assert not unlisted, f"add {sorted(unlisted)} to glasstorch/ops/{name}.py's __all__"
    missing = [attr for attr in module.__all__ if not hasattr(module, attr)]
    assert not missing, f"{name}.__all__ names {missing}, which the module does not define"


def test_package_exports_each_listed_function() -> None:
    for name in glasstorch.ops.__all__:
        public = getattr(glasstorch, name)
        # functions with torch's out= are the op wrapped once (glasstorch/ops/_out.py)
        assert getattr(public, "__wrapped__", public) is getattr(glasstorch.ops, name)
    assert not set(glasstorch.ops.__all__) & glasstorch.ops._METHOD_ONLY
