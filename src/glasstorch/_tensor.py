"""The ``Tensor`` class: a NumPy array plus what autograd needs.

A tensor holds ``_data`` (the ndarray), whether it requires grad, its ``grad_fn`` (the node
that made it, ``None`` for leaves) and its ``.grad``. Every math method is a one-line call
into ``glasstorch.ops``, where the op's forward and backward live together, so this file
reads as the table of contents of the Tensor API.
"""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from glasstorch import _dtype
from glasstorch._dtype import dtype as DType
from glasstorch._errors import message as _message
from glasstorch.autograd import grad_mode

_enabled = grad_mode._enabled
_ndarray = np.ndarray
_PY_NUMBERS = (builtins.int, builtins.float, builtins.bool)


class Tensor:
    """A multi-dimensional array with PyTorch's API and reverse-mode autograd.

    Make tensors with ``glasstorch.tensor(...)``, ``zeros``, ``randn``...; the legacy
    constructor ``Tensor(data)`` / ``Tensor(2, 3)`` gives float32 like torch's.

    Example:
        >>> import glasstorch as torch
        >>> w = torch.tensor(2.0, requires_grad=True)
        >>> y = w * 3
        >>> y
        tensor(6., grad_fn=<MulBackward0>)
        >>> y.backward(); w.grad
        tensor(3.)
    """

    # Class-level defaults keep creating a tensor cheap: only _data (and, for op results,
    # _rg and grad_fn) are set per instance.
    _data: np.ndarray
    _rg = False  # requires_grad, read on every op
    grad_fn: Any = None
    _grad: Tensor | None = None
    _vc: list[int] | None = None  # version counter, shared with views; made on first use
    _base: Tensor | None = None
    _retains_grad = False
    _hooks: dict[int, Any] | None = None  # a leaf's gradient hooks (register_hook)
    _output_nr = 0
    _is_parameter = False
    __array_priority__ = 1000  # NumPy defers to us in `ndarray * tensor`

    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        return _legacy_new(cls, _dtype.float32, args, kwargs)

    @classmethod
    def _wrap(cls, data: np.ndarray, requires_grad: bool = False) -> Tensor:
        """Internal: a tensor around ``data`` (no copy)."""
        t = object.__new__(cls)
        t._data = data
        if requires_grad:
            t._rg = True
        return t

    # ------------------------------------------------------------------ attributes
    @property
    def data(self) -> Tensor:
        """The same values detached from the graph (shares memory, ``requires_grad=False``)."""
        t = Tensor._wrap(self._data)
        t._vc = self._vc_get()
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> DType:
        return _dtype._FROM_NUMPY[self._data.dtype]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self) -> Any:
        from glasstorch._device import CPU

        return CPU

    is_cuda = False
    is_sparse = False
    is_quantized = False
    is_meta = False

    @property
    def layout(self) -> str:
        return "torch.strided"

    @property
    def requires_grad(self) -> bool:
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        _set_requires_grad(self, value, "only Tensors of floating point and complex dtype")

    @property
    def is_leaf(self) -> bool:
        """True for tensors not made by a recorded op (user-created, or not requiring grad)."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()``; ``None`` until then."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                _message("grad_of_non_leaf", grad_fn=f"<{self.grad_fn.name()}>"),
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a "
                    f"tensor of size '{list(self._data.shape)}'. Please ensure that the "
                    "gradient and the tensor are the same size"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_C_NAMES[value.dtype.name]}' "
                    f"to a tensor with grad_dtype '{_LEGACY_NAMES[self.dtype.name][:-6]}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype): convert it first, e.g. grad.to(tensor.dtype)."
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def _version(self) -> int:
        return 0 if self._vc is None else self._vc[0]

    def _vc_get(self) -> list[int]:
        """This tensor's version counter, created on first use (views share it)."""
        vc = self._vc
        if vc is None:
            vc = self._vc = [0]
        return vc

    def _bump(self) -> None:
        vc = self._vc
        if vc is None:
            self._vc = [1]
        else:
            vc[0] += 1

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    @property
    def T(self) -> Tensor:  # noqa: N802
        if self._data.ndim not in (0, 2):
            warnings.warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape "
                "is deprecated and it will throw an error in a future release. Consider `x.mT` "
                "to transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, "
                "-1))` to reverse the dimensions of a tensor.",
                UserWarning,
                stacklevel=2,
            )
        return _ops.permute(self, tuple(range(self._data.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:  # noqa: N802
        if self._data.ndim < 2:
            if self._data.ndim == 0:  # torch: the tensor itself, with a deprecation warning
                warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the "
                              "identity in these cases.", UserWarning, stacklevel=2)
                return self
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got {self._data.ndim}-D tensor.")
        return _ops.transpose(self, -2, -1)

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def size(self, dim: int | None = None) -> Any:
        """The shape as a ``torch.Size``, or the size of one dimension."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_ops.wrap_dim(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim: int | None = None) -> Any:
        data = self._data
        if data.size == 0 and not any(data.strides):
            # NumPy may give an empty array all-zero strides; torch reports contiguous ones
            # (each stride the product of the later sizes, an empty size counting as 1)
            contiguous: list[int] = []
            step = 1
            for size in reversed(data.shape):
                contiguous.insert(0, step)
                step *= max(size, 1)
            strides_t = tuple(contiguous)
            return strides_t if dim is None else strides_t[_ops.wrap_dim(dim, data.ndim)]
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_ops.wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format: Any = None) -> bool:
        return builtins.bool(self._data.flags.c_contiguous)

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return False

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0]

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    # Tensors hash by identity, as torch's do (so they can key dicts and sets even though
    # == is elementwise); the C-level object hash keeps the engine's dict lookups cheap.
    __hash__ = object.__hash__

    # ------------------------------------------------------------------ conversion
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The values as a NumPy array sharing memory (``force=True`` detaches and copies)."""
        if force:
            return self._data.copy()
        if self._rg:
            raise RuntimeError(_message("numpy_requires_grad"))
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = self.numpy()
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def item(self) -> Any:
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(_message("item_not_one_element", numel=self._data.size))
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(_message("bool_ambiguous", numel=self._data.size))
        return builtins.bool(self._data.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)  # str(self); a format spec raises TypeError

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        from glasstorch._tensor_str import tensor_repr

        return tensor_repr(self)

    __str__ = __repr__

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Convert dtype (``to(torch.float64)``) or device (``to('cpu')``).

        Returns the same tensor if nothing changes.
        """
        from glasstorch._device import parse_to_args

        dtype, copy = parse_to_args(args, kwargs, self)
        if dtype is None or dtype.np == self._data.dtype:
            return _ops.clone(self) if copy else self
        return _ops.to_dtype(self, dtype)

    def cpu(self, memory_format: Any = None) -> Tensor:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False, **kwargs: Any) -> Tensor:
        from glasstorch._device import cuda_unavailable

        raise cuda_unavailable()

    def float(self) -> Tensor:
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        return self.to(_dtype.float64)

    def half(self) -> Tensor:
        return self.to(_dtype.float16)

    def long(self) -> Tensor:
        return self.to(_dtype.int64)

    def int(self) -> Tensor:
        return self.to(_dtype.int32)

    def short(self) -> Tensor:
        return self.to(_dtype.int16)

    def char(self) -> Tensor:
        return self.to(_dtype.int8)

    def byte(self) -> Tensor:
        return self.to(_dtype.uint8)

    def bool(self) -> Tensor:
        return self.to(_dtype.bool)

    def type(self, dtype: Any = None, non_blocking: builtins.bool = False) -> Any:
        """``'torch.FloatTensor'`` with no argument; otherwise convert to that type."""
        if dtype is None:
            return "torch." + _LEGACY_NAMES[self.dtype.name]
        if isinstance(dtype, str):
            for name, legacy in _LEGACY_NAMES.items():
                if dtype in ("torch." + legacy, legacy):
                    return self.to(getattr(_dtype, name))
            raise ValueError(f"invalid type: '{dtype}'")
        if isinstance(dtype, type) and hasattr(dtype, "_legacy_dtype"):
            return self.to(dtype._legacy_dtype)
        return self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def clone(self, *, memory_format: Any = None) -> Tensor:
        return _ops.clone(self)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        if self._data.flags.c_contiguous:
            return self
        return _ops.clone(self)

    def detach(self) -> Tensor:
        """A tensor sharing this one's memory, cut from the graph."""
        t = Tensor._wrap(self._data)
        t._vc = self._vc_get()
        t._base = self._base if self._base is not None else self
        return t

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._rg = False
        return self

    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf tensor."""
        return _set_requires_grad(self, requires_grad, "only Tensors of floating point dtype")

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after ``backward()``."""
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        import weakref

        node = self.grad_fn
        if node.retained is None:
            node.retained = []
        node.retained.append(weakref.ref(self))
        self._retains_grad = True

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
        inputs: Any = None,
    ) -> None:
        """Compute the gradient of this tensor w.r.t. the graph leaves (into their ``.grad``).

        ``gradient`` is needed unless this tensor holds a single value. The graph's saved
        values are freed afterwards unless ``retain_graph=True``. ``create_graph=True``
        (higher-order gradients) is not supported: backward rules compute on arrays.
        """
        if gradient is None and inputs is None and not create_graph and self._rg \
                and self._data.size == 1:
            # the common `loss.backward()`: skip the general argument handling
            _run_backward((self,), (_ones_like(self._data),), builtins.bool(retain_graph))
            return
        from glasstorch.autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook: Any) -> Any:
        """Call ``hook(grad)`` when this tensor's gradient is computed in ``backward()``.

        The hook may return a tensor to use instead of ``grad``. For a leaf it runs before
        the gradient is added to ``.grad``. Returns a handle whose ``remove()`` undoes it.

        Example:
            >>> import glasstorch as torch
            >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x * 2
            >>> _ = y.register_hook(print)
            >>> y.sum().backward()
            tensor([1., 1.])
        """
        from collections import OrderedDict

        from glasstorch.utils.hooks import RemovableHandle

        if not self._rg:
            raise RuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient"
            )
        node = self.grad_fn
        # OrderedDicts: the handle refers to them weakly (as torch's does)
        if node is None:  # a leaf: hooks live on the tensor
            if self._hooks is None:
                self._hooks = OrderedDict()
            hooks = self._hooks
        else:  # an op's output: hooks live on its node, per output
            if node.hooks is None:
                node.hooks = {}
            hooks = node.hooks.setdefault(self._output_nr, OrderedDict())
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def explain(self, params: Any = None, **kwargs: Any) -> Any:
        """The backward pass from this tensor, step by step (``glasstorch.explain``)."""
        from glasstorch.autograd.explain import explain

        return explain(self, params, **kwargs)

    # ------------------------------------------------------------------ arithmetic
    # The five most used operators call their Function directly when the other operand is
    # a tensor or a Python number: this is the hot path of every training loop.
    def __add__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Add, self, other, _NO_KWARGS)
        return _ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Add, self, other, _NO_KWARGS)
        if type(other) is _ndarray:
            # torch: `ndarray + tensor` is a TypeError (tensor + ndarray works)
            return NotImplemented
        return _ops.add(self, other)

    def __sub__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Sub, self, other, _NO_KWARGS)
        return _ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        if type(other) is _ndarray:
            return NotImplemented
        return _ops.rsub(self, other)

    def __mul__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Mul, self, other, _NO_KWARGS)
        return _ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Mul, self, other, _NO_KWARGS)
        if type(other) is _ndarray:
            return NotImplemented
        return _ops.mul(self, other)

    def __truediv__(self, other: Any) -> Tensor:
        if type(other) in _FAST_OPERANDS:
            return _apply2(_Div, self, other, _NO_KWARGS)
        return _ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops.rdiv(self, other)

    def __floordiv__(self, other: Any) -> Tensor:
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _ops.floor_divide(_ops.as_operand_tensor(other, self), self)

    def __mod__(self, other: Any) -> Tensor:
        return _ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return _ops.remainder(other, self)

    def __pow__(self, exponent: Any) -> Tensor:
        if type(exponent) is builtins.int or type(exponent) is builtins.float:
            return _apply2(_Pow, self, exponent, _NO_KWARGS)
        return _ops.pow(self, exponent)

    def __rpow__(self, other: Any) -> Tensor:
        if type(other) is _ndarray:
            return NotImplemented
        return _ops.rpow(self, other)

    def __matmul__(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        if type(other) is _ndarray:
            return NotImplemented
        return _ops.matmul(_ops.as_operand_tensor(other, self), self)

    def __neg__(self) -> Tensor:
        return _ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ops.abs(self)

    def __invert__(self) -> Tensor:
        return _ops.bitwise_not(self)

    def __and__(self, other: Any) -> Tensor:
        return _ops.bitwise_and(self, other)

    __rand__ = __and__

    def __or__(self, other: Any) -> Tensor:
        return _ops.bitwise_or(self, other)

    __ror__ = __or__

    def __xor__(self, other: Any) -> Tensor:
        return _ops.bitwise_xor(self, other)

    __rxor__ = __xor__

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.ne(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _ops.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        return _ops.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _ops.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _ops.ge(self, other)

    # in-place operators: x += y is x.add_(y)
    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return _inplace(self, _ops.floor_divide, other)

    def __imod__(self, other: Any) -> Tensor:
        return _inplace(self, _ops.remainder, other)

    def __ipow__(self, other: Any) -> Tensor:
        return self.pow_(other)

    def __iand__(self, other: Any) -> Tensor:
        return _inplace(self, _ops.bitwise_and, other)

    def __ior__(self, other: Any) -> Tensor:
        return _inplace(self, _ops.bitwise_or, other)

    def __ixor__(self, other: Any) -> Tensor:
        return _inplace(self, _ops.bitwise_xor, other)

    # named forms
    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return _ops.add(self, other, alpha=alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return _ops.sub(self, other, alpha=alpha)

    subtract = sub

    def mul(self, other: Any) -> Tensor:
        return _ops.mul(self, other)

    multiply = mul

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return _ops.div(self, other, rounding_mode=rounding_mode)

    divide = true_divide = div

    def floor_divide(self, other: Any) -> Tensor:
        return _ops.floor_divide(self, other)

    def remainder(self, other: Any) -> Tensor:
        return _ops.remainder(self, other)

    def fmod(self, other: Any) -> Tensor:
        return _ops.fmod(self, other)

    def pow(self, exponent: Any) -> Tensor:
        return _ops.pow(self, exponent)

    def neg(self) -> Tensor:
        return _ops.neg(self)

    negative = neg

    def abs(self) -> Tensor:
        return _ops.abs(self)

    absolute = abs

    def exp(self) -> Tensor:
        return _ops.exp(self)

    def log(self) -> Tensor:
        return _ops.log(self)

    def log1p(self) -> Tensor:
        return _ops.log1p(self)

    def log2(self) -> Tensor:
        return _ops.log2(self)

    def log10(self) -> Tensor:
        return _ops.log10(self)

    def sqrt(self) -> Tensor:
        return _ops.sqrt(self)

    def rsqrt(self) -> Tensor:
        return _ops.rsqrt(self)

    def square(self) -> Tensor:
        return _ops.square(self)

    def reciprocal(self) -> Tensor:
        return _ops.reciprocal(self)

    def sin(self) -> Tensor:
        return _ops.sin(self)

    def cos(self) -> Tensor:
        return _ops.cos(self)

    def tan(self) -> Tensor:
        return _ops.tan(self)

    def tanh(self) -> Tensor:
        return _ops.tanh(self)

    def sigmoid(self) -> Tensor:
        return _ops.sigmoid(self)

    def relu(self) -> Tensor:
        return _ops.relu(self)

    def sign(self) -> Tensor:
        return _ops.sign(self)

    def floor(self) -> Tensor:
        return _ops.floor(self)

    def ceil(self) -> Tensor:
        return _ops.ceil(self)

    def round(self, *, decimals: builtins.int | None = None) -> Tensor:
        return _ops.round(self, decimals=decimals)

    def trunc(self) -> Tensor:
        return _ops.trunc(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return _ops.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        return _ops.clamp_min(self, min)

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        return _ops.clamp_max(self, max)

    def maximum(self, other: Tensor) -> Tensor:
        return _ops.maximum(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        return _ops.minimum(self, other)

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        return _ops.lerp(self, end, weight)

    # comparisons and logic
    def eq(self, other: Any) -> Tensor:
        return _ops.eq(self, other)

    def ne(self, other: Any) -> Tensor:
        return _ops.ne(self, other)

    def lt(self, other: Any) -> Tensor:
        return _ops.lt(self, other)

    def le(self, other: Any) -> Tensor:
        return _ops.le(self, other)

    def gt(self, other: Any) -> Tensor:
        return _ops.gt(self, other)

    def ge(self, other: Any) -> Tensor:
        return _ops.ge(self, other)

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    def equal(self, other: Tensor) -> builtins.bool:
        return _ops.equal(self, other)

    def allclose(self, other: Tensor, rtol: builtins.float = 1e-05, atol: builtins.float = 1e-08,
                 equal_nan: builtins.bool = False) -> builtins.bool:
        return _ops.allclose(self, other, rtol, atol, equal_nan)

    def isclose(self, other: Tensor, rtol: builtins.float = 1e-05, atol: builtins.float = 1e-08,
                equal_nan: builtins.bool = False) -> Tensor:
        return _ops.isclose(self, other, rtol, atol, equal_nan)

    def logical_and(self, other: Tensor) -> Tensor:
        return _ops.logical_and(self, other)

    def logical_or(self, other: Tensor) -> Tensor:
        return _ops.logical_or(self, other)

    def logical_xor(self, other: Tensor) -> Tensor:
        return _ops.logical_xor(self, other)

    def logical_not(self) -> Tensor:
        return _ops.logical_not(self)

    def isnan(self) -> Tensor:
        return _ops.isnan(self)

    def isinf(self) -> Tensor:
        return _ops.isinf(self)

    def isfinite(self) -> Tensor:
        return _ops.isfinite(self)

    def where(self, condition: Tensor, other: Any) -> Tensor:
        return _ops.where(condition, self, other)

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        return _ops.masked_fill(self, mask, value)

    # reductions
    def sum(self, dim: Any = None, keepdim: builtins.bool = False, *, dtype: Any = None) -> Tensor:
        return _ops.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: builtins.bool = False, *, dtype: Any = None) -> Tensor:
        return _ops.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim: Any = None, keepdim: builtins.bool = False, *, dtype: Any = None) -> Tensor:
        return _ops.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        return _ops.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        return _ops.min(self, dim, keepdim)

    def amax(self, dim: Any = (), keepdim: builtins.bool = False) -> Tensor:
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = (), keepdim: builtins.bool = False) -> Tensor:
        return _ops.amin(self, dim, keepdim)

    def argmax(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops.argmin(self, dim, keepdim)

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: builtins.bool = False, *,
            correction: Any = None) -> Tensor:
        return _ops.std(self, dim, unbiased, keepdim, correction=correction)

    def var(self, dim: Any = None, unbiased: Any = None, keepdim: builtins.bool = False, *,
            correction: Any = None) -> Tensor:
        return _ops.var(self, dim, unbiased, keepdim, correction=correction)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: builtins.bool = False,
             dtype: Any = None) -> Tensor:
        return _ops.norm(self, p, dim, keepdim, dtype=dtype)

    def all(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops.all(self, dim, keepdim)

    def any(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        return _ops.any(self, dim, keepdim)

    def cumsum(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        return _ops.cumsum(self, dim, dtype=dtype)

    def logsumexp(self, dim: Any, keepdim: builtins.bool = False) -> Tensor:
        return _ops.logsumexp(self, dim, keepdim)

    # linear algebra
    def matmul(self, other: Tensor) -> Tensor:
        return _ops.matmul(self, other)

    def mm(self, mat2: Tensor) -> Tensor:
        return _ops.mm(self, mat2)

    def bmm(self, mat2: Tensor) -> Tensor:
        return _ops.bmm(self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        return _ops.mv(self, vec)

    def dot(self, other: Tensor) -> Tensor:
        return _ops.dot(self, other)

    # shape and views
    def reshape(self, *shape: Any) -> Tensor:
        return _ops.reshape(self, _ops.shape_arg(shape))

    def view(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (DType, type)):
            raise NotImplementedError("glasstorch does not implement Tensor.view(dtype) yet")
        return _ops.view(self, _ops.shape_arg(shape))

    def view_as(self, other: Tensor) -> Tensor:
        return _ops.view(self, other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return _ops.reshape(self, other.shape)

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        return _ops.flatten(self, start_dim, end_dim)

    def unflatten(self, dim: builtins.int, sizes: Sequence[builtins.int]) -> Tensor:
        return _ops.unflatten(self, dim, sizes)

    def squeeze(self, dim: Any = None) -> Tensor:
        return _ops.squeeze(self, dim)

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        return _ops.unsqueeze(self, dim)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        return _ops.transpose(self, dim0, dim1)

    swapaxes = swapdims = transpose

    def permute(self, *dims: Any) -> Tensor:
        return _ops.permute(self, _ops.shape_arg(dims))

    def t(self) -> Tensor:
        return _ops.t(self)

    def expand(self, *sizes: Any) -> Tensor:
        return _ops.expand(self, _ops.shape_arg(sizes))

    def expand_as(self, other: Tensor) -> Tensor:
        return _ops.expand(self, other.shape)

    def repeat(self, *sizes: Any) -> Tensor:
        return _ops.repeat(self, _ops.shape_arg(sizes))

    def split(self, split_size: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        return _ops.split(self, split_size, dim)

    def chunk(self, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        return _ops.chunk(self, chunks, dim)

    def unbind(self, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        return _ops.unbind(self, dim)

    def gather(self, dim: builtins.int, index: Tensor) -> Tensor:
        return _ops.gather(self, dim, index)

    def scatter(self, dim: builtins.int, index: Tensor, src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> Tensor:
        return _ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def index_select(self, dim: builtins.int, index: Tensor) -> Tensor:
        return _ops.index_select(self, dim, index)

    def scatter_add(self, dim: builtins.int, index: Tensor, src: Tensor) -> Tensor:
        return _ops.scatter_add(self, dim, index, src)

    def masked_select(self, mask: Tensor) -> Tensor:
        return _ops.masked_select(self, mask)

    def take(self, index: Tensor) -> Tensor:
        return _ops.take(self, index)

    def nonzero(self, *, as_tuple: builtins.bool = False) -> Any:
        return _ops.nonzero(self, as_tuple=as_tuple)

    def argwhere(self) -> Tensor:
        return _ops.argwhere(self)

    def select(self, dim: builtins.int, index: builtins.int) -> Tensor:
        return _ops.select(self, dim, index)

    def narrow(self, dim: builtins.int, start: builtins.int, length: builtins.int) -> Tensor:
        return _ops.narrow(self, dim, start, length)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        return _ops.movedim(self, source, destination)

    moveaxis = movedim

    def flip(self, *dims: Any) -> Tensor:
        return _ops.flip(self, dims[0] if len(dims) == 1 else dims)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        return _ops.roll(self, shifts, dims)

    def tile(self, *dims: Any) -> Tensor:
        return _ops.tile(self, _ops.shape_arg(dims))

    def ravel(self) -> Tensor:
        return _ops.ravel(self)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        _ops.setitem(self, index, value)

    # ------------------------------------------------------------------ in place
    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        if alpha != 1:
            return _inplace(self, _ops.add, other, alpha=alpha)
        return _inplace_ufunc(self, np.add, _ops.add, other)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        if alpha != 1:
            return _inplace(self, _ops.sub, other, alpha=alpha)
        return _inplace_ufunc(self, np.subtract, _ops.sub, other)

    def mul_(self, other: Any) -> Tensor:
        return _inplace_ufunc(self, np.multiply, _ops.mul, other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is not None or self._data.dtype.kind != "f":
            return _inplace(self, _ops.div, other, rounding_mode=rounding_mode)
        return _inplace_ufunc(self, np.true_divide, _ops.div, other)

    def pow_(self, exponent: Any) -> Tensor:
        return _inplace(self, _ops.pow, exponent)

    def neg_(self) -> Tensor:
        return _inplace(self, _ops.neg)

    def abs_(self) -> Tensor:
        return _inplace(self, _ops.abs)

    def exp_(self) -> Tensor:
        return _inplace(self, _ops.exp)

    def log_(self) -> Tensor:
        return _inplace(self, _ops.log)

    def sqrt_(self) -> Tensor:
        return _inplace(self, _ops.sqrt)

    def sigmoid_(self) -> Tensor:
        return _inplace(self, _ops.sigmoid)

    def tanh_(self) -> Tensor:
        return _inplace(self, _ops.tanh)

    def relu_(self) -> Tensor:
        return _inplace(self, _ops.relu)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return _inplace(self, _ops.clamp, min, max)

    clip_ = clamp_

    def clamp_min_(self, min: Any) -> Tensor:  # noqa: A002
        return _inplace(self, _ops.clamp_min, min)

    def clamp_max_(self, max: Any) -> Tensor:  # noqa: A002
        return _inplace(self, _ops.clamp_max, max)

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        return _inplace(self, _ops.masked_fill, mask, value)

    def scatter_(self, dim: builtins.int, index: Tensor, src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> Tensor:
        return _inplace(self, _ops.scatter, dim, index, src, value=value, reduce=reduce)

    def scatter_add_(self, dim: builtins.int, index: Tensor, src: Tensor) -> Tensor:
        return _inplace(self, _ops.scatter_add, dim, index, src)

    def lerp_(self, end: Tensor, weight: Any) -> Tensor:
        return _inplace(self, _ops.lerp, end, weight)

    # random fills (the sampling kernels live in ops/random.py and _generator.py)
    def uniform_(self, from_: builtins.float = 0, to: builtins.float = 1, *,
                 generator: Any = None) -> Tensor:
        """Fill with uniform samples from ``[from_, to)`` in place."""
        return _random_fill(self, "uniform_", from_, to, generator=generator)

    def normal_(self, mean: builtins.float = 0, std: builtins.float = 1, *,
                generator: Any = None) -> Tensor:
        """Fill with normal samples in place."""
        return _random_fill(self, "normal_", mean, std, generator=generator)

    def random_(self, *args: Any, generator: Any = None) -> Tensor:
        """Fill with integers: ``random_()``, ``random_(to)`` or ``random_(from_, to)``."""
        return _random_fill(self, "random_", *args, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        return _random_fill(self, "bernoulli_", p, generator=generator)

    def exponential_(self, lambd: builtins.float = 1.0, *, generator: Any = None) -> Tensor:
        return _random_fill(self, "exponential_", lambd, generator=generator)

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        from glasstorch.ops.random import bernoulli

        return bernoulli(self, generator=generator) if p is None else \
            bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples: builtins.int, replacement: builtins.bool = False, *,
                    generator: Any = None) -> Tensor:
        from glasstorch.ops.random import multinomial

        return multinomial(self, num_samples, replacement, generator=generator)

    # ------------------------------------------------------------------ new_* (same dtype)
    def new_tensor(self, data: Any, *, dtype: Any = None, device: Any = None,
                   requires_grad: builtins.bool = False, **kwargs: Any) -> Tensor:
        """``torch.tensor(data)`` with this tensor's dtype unless ``dtype`` is given."""
        return _ops.tensor(data, dtype=dtype or self.dtype, device=device,
                           requires_grad=requires_grad, **kwargs)

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: builtins.bool = False, **kwargs: Any) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype unless ``dtype`` is given."""
        return _ops.zeros(*size, dtype=dtype or self.dtype, device=device,
                          requires_grad=requires_grad, **kwargs)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: builtins.bool = False, **kwargs: Any) -> Tensor:
        """Ones of ``size`` with this tensor's dtype unless ``dtype`` is given."""
        return _ops.ones(*size, dtype=dtype or self.dtype, device=device,
                         requires_grad=requires_grad, **kwargs)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: builtins.bool = False, **kwargs: Any) -> Tensor:
        """An uninitialised tensor of ``size`` with this tensor's dtype (zeros here)."""
        return _ops.empty(*size, dtype=dtype or self.dtype, device=device,
                          requires_grad=requires_grad, **kwargs)

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: builtins.bool = False, **kwargs: Any) -> Tensor:
        """``fill_value`` everywhere in ``size``, with this tensor's dtype unless given."""
        return _ops.full(size, fill_value, dtype=dtype or self.dtype, device=device,
                         requires_grad=requires_grad, **kwargs)

    def zero_(self) -> Tensor:
        """Fill with zeros in place (e.g. ``w.grad.zero_()``)."""
        _check_inplace_leaf(self)
        if self._rg and self.grad_fn is not None and _enabled[0]:
            return _inplace(self, _ops.fill_zero)  # the graph must see the zeros
        self._data[...] = 0
        self._bump()
        return self

    def fill_(self, value: Any) -> Tensor:
        """Fill with ``value`` in place."""
        if isinstance(value, Tensor):
            if value._data.ndim != 0:
                raise RuntimeError(
                    f"fill_ only supports 0-dimension value tensor but got tensor with "
                    f"{value._data.ndim} dimensions."
                )
            if value._rg and _enabled[0]:
                return _inplace(self, _ops.fill_like, value)
            value = value._data.item()
        _check_inplace_leaf(self)
        if self._rg and self.grad_fn is not None and _enabled[0]:
            return _inplace(self, _ops.fill_like, value)
        self._data[...] = value
        self._bump()
        return self

    def copy_(self, src: Any, non_blocking: builtins.bool = False) -> Tensor:
        """Copy ``src``'s values (broadcast to this shape) into this tensor."""
        if not isinstance(src, Tensor):
            src = _ops.as_operand_tensor(src, self)
        if _enabled[0] and (src._rg or (self._rg and self.grad_fn is not None)):
            _check_inplace_leaf(self)
            return _inplace(self, _ops.copy_like, src)
        _check_inplace_leaf(self)
        try:
            np.copyto(self._data, np.broadcast_to(src._data, self._data.shape), casting="unsafe")
        except ValueError:
            raise _copy_shape_error(self._data.shape, src._data.shape) from None
        self._bump()
        return self

    def set_(self, source: Tensor) -> Tensor:
        self._data = source._data
        self._vc = source._vc_get()
        return self

    # ------------------------------------------------------------------ nn ops: activations
    def softmax(self, dim: builtins.int, dtype: Any = None) -> Tensor:
        return _ops.softmax(self, dim, dtype)

    def log_softmax(self, dim: builtins.int, dtype: Any = None) -> Tensor:
        return _ops.log_softmax(self, dim, dtype)

    # ------------------------------------------------------------------ nn ops: normalization
    # ------------------------------------------------------------------ nn ops: convolution
    # ------------------------------------------------------------------ nn ops: losses

    # ------------------------------------------------------------------ sorting and selection
    def sort(self, dim: builtins.int = -1, descending: builtins.bool = False, *,
             stable: builtins.bool | None = None) -> Any:
        return _ops.sort(self, dim, descending, stable=stable)

    def argsort(self, dim: builtins.int = -1, descending: builtins.bool = False, *,
                stable: builtins.bool = False) -> Tensor:
        return _ops.argsort(self, dim, descending, stable=stable)

    def msort(self) -> Tensor:
        return _ops.msort(self)

    def topk(self, k: builtins.int, dim: builtins.int = -1, largest: builtins.bool = True,
             sorted: builtins.bool = True) -> Any:
        return _ops.topk(self, k, dim, largest, sorted)

    def kthvalue(self, k: builtins.int, dim: builtins.int = -1,
                 keepdim: builtins.bool = False) -> Any:
        return _ops.kthvalue(self, k, dim, keepdim)

    def median(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        return _ops.median(self, dim, keepdim)

    def mode(self, dim: builtins.int = -1, keepdim: builtins.bool = False) -> Any:
        return _ops.mode(self, dim, keepdim)

    def unique(self, sorted: builtins.bool = True, return_inverse: builtins.bool = False,
               return_counts: builtins.bool = False, dim: builtins.int | None = None) -> Any:
        return _ops.unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse: builtins.bool = False,
                           return_counts: builtins.bool = False,
                           dim: builtins.int | None = None) -> Any:
        return _ops.unique_consecutive(self, return_inverse, return_counts, dim)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        return _ops.count_nonzero(self, dim)

    def bincount(self, weights: Tensor | None = None, minlength: builtins.int = 0) -> Tensor:
        return _ops.bincount(self, weights, minlength)

    def histc(self, bins: builtins.int = 100, min: builtins.float = 0,  # noqa: A002
              max: builtins.float = 0) -> Tensor:  # noqa: A002
        return _ops.histc(self, bins, min, max)

    # ------------------------------------------------------------------ linear algebra extras
    def tril(self, diagonal: builtins.int = 0) -> Tensor:
        return _ops.tril(self, diagonal)

    def triu(self, diagonal: builtins.int = 0) -> Tensor:
        return _ops.triu(self, diagonal)

    def tril_(self, diagonal: builtins.int = 0) -> Tensor:
        return _inplace(self, _ops.tril, diagonal)

    def triu_(self, diagonal: builtins.int = 0) -> Tensor:
        return _inplace(self, _ops.triu, diagonal)

    def diag(self, diagonal: builtins.int = 0) -> Tensor:
        return _ops.diag(self, diagonal)

    def diagonal(self, offset: builtins.int = 0, dim1: builtins.int = 0,
                 dim2: builtins.int = 1) -> Tensor:
        return _ops.diagonal(self, offset, dim1, dim2)

    def diag_embed(self, offset: builtins.int = 0, dim1: builtins.int = -2,
                   dim2: builtins.int = -1) -> Tensor:
        return _ops.diag_embed(self, offset, dim1, dim2)

    def trace(self) -> Tensor:
        return _ops.trace(self)

    def cross(self, other: Tensor, dim: builtins.int | None = None) -> Tensor:
        return _ops.cross(self, other, dim)

    def det(self) -> Tensor:
        return _ops.det(self)

    def inverse(self) -> Tensor:
        return _ops.inverse(self)

    def kron(self, other: Tensor) -> Tensor:
        return _ops.kron(self, other)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        return _ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        return _ops.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
                alpha: Any = 1) -> Tensor:
        return _ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1,
               alpha: Any = 1) -> Tensor:
        return _ops.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    # ------------------------------------------------------------------ math extras
    def tensor_split(self, indices_or_sections: Any,
                     dim: builtins.int = 0) -> tuple[Tensor, ...]:
        return _ops.tensor_split(self, indices_or_sections, dim)

    def hsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return _ops.hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return _ops.vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections: Any) -> tuple[Tensor, ...]:
        return _ops.dsplit(self, indices_or_sections)

    def sgn(self) -> Tensor:
        return _ops.sgn(self)

    def sgn_(self) -> Tensor:
        return _inplace(self, _ops.sgn)

    def signbit(self) -> Tensor:
        return _ops.signbit(self)

    def copysign(self, other: Any) -> Tensor:
        return _ops.copysign(self, other)

    def copysign_(self, other: Any) -> Tensor:
        return _inplace(self, _ops.copysign, other)

    def nextafter(self, other: Tensor) -> Tensor:
        return _ops.nextafter(self, other)

    def ldexp(self, other: Tensor) -> Tensor:
        return _ops.ldexp(self, other)

    def frexp(self) -> Any:
        return _ops.frexp(self)

    def isreal(self) -> Tensor:
        return _ops.isreal(self)

    def erf(self) -> Tensor:
        return _ops.erf(self)

    def erf_(self) -> Tensor:
        return _inplace(self, _ops.erf)

    def erfc(self) -> Tensor:
        return _ops.erfc(self)

    def erfc_(self) -> Tensor:
        return _inplace(self, _ops.erfc)

    def erfinv(self) -> Tensor:
        return _ops.erfinv(self)

    def erfinv_(self) -> Tensor:
        return _inplace(self, _ops.erfinv)

    def lgamma(self) -> Tensor:
        return _ops.lgamma(self)

    def lgamma_(self) -> Tensor:
        return _inplace(self, _ops.lgamma)

    def digamma(self) -> Tensor:
        return _ops.digamma(self)

    def digamma_(self) -> Tensor:
        return _inplace(self, _ops.digamma)

    def atan2(self, other: Tensor) -> Tensor:
        return _ops.atan2(self, other)

    def atan2_(self, other: Tensor) -> Tensor:
        return _inplace(self, _ops.atan2, other)

    arctan2, arctan2_ = atan2, atan2_

    def hypot(self, other: Tensor) -> Tensor:
        return _ops.hypot(self, other)

    def hypot_(self, other: Tensor) -> Tensor:
        return _inplace(self, _ops.hypot, other)

    def logit(self, eps: Any = None) -> Tensor:
        return _ops.logit(self, eps)

    def logit_(self, eps: Any = None) -> Tensor:
        return _inplace(self, _ops.logit, eps)

    def sinc(self) -> Tensor:
        return _ops.sinc(self)

    def sinc_(self) -> Tensor:
        return _inplace(self, _ops.sinc)

    def deg2rad(self) -> Tensor:
        return _ops.deg2rad(self)

    def deg2rad_(self) -> Tensor:
        return _inplace(self, _ops.deg2rad)

    def rad2deg(self) -> Tensor:
        return _ops.rad2deg(self)

    def rad2deg_(self) -> Tensor:
        return _inplace(self, _ops.rad2deg)

    def float_power(self, exponent: Any) -> Tensor:
        return _ops.float_power(self, exponent)

    def nan_to_num(self, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Tensor:
        return _ops.nan_to_num(self, nan, posinf, neginf)

    def nan_to_num_(self, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Tensor:
        return _inplace(self, _ops.nan_to_num, nan, posinf, neginf)

    def heaviside(self, values: Tensor) -> Tensor:
        return _ops.heaviside(self, values)

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _ops.addcmul(self, tensor1, tensor2, value=value)

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _inplace(self, _ops.addcmul, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _ops.addcdiv(self, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        return _inplace(self, _ops.addcdiv, tensor1, tensor2, value=value)

    def xlogy(self, other: Any) -> Tensor:
        return _ops.xlogy(self, other)

    def xlogy_(self, other: Any) -> Tensor:
        return _inplace(self, _ops.xlogy, other)

    def logaddexp(self, other: Tensor) -> Tensor:
        return _ops.logaddexp(self, other)

    def frac(self) -> Tensor:
        return _ops.frac(self)

    def frac_(self) -> Tensor:
        return _inplace(self, _ops.frac)

    def exp2(self) -> Tensor:
        return _ops.exp2(self)

    def exp2_(self) -> Tensor:
        return _inplace(self, _ops.exp2)

    def square_(self) -> Tensor:
        return _inplace(self, _ops.square)

    def cumprod(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        return _ops.cumprod(self, dim, dtype=dtype)

    def cumprod_(self, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        return _inplace(self, _ops.cumprod, dim, dtype=dtype)

    def nansum(self, dim: Any = None, keepdim: builtins.bool = False, *,
               dtype: Any = None) -> Tensor:
        return _ops.nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim: Any = None, keepdim: builtins.bool = False, *,
                dtype: Any = None) -> Tensor:
        return _ops.nanmean(self, dim, keepdim, dtype=dtype)

    def aminmax(self, *, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        return _ops.aminmax(self, dim=dim, keepdim=keepdim)

    def diff(self, n: builtins.int = 1, dim: builtins.int = -1, prepend: Any = None,
             append: Any = None) -> Tensor:
        return _ops.diff(self, n, dim, prepend, append)

    def repeat_interleave(self, repeats: Any = None, dim: Any = None, *,
                          output_size: Any = None) -> Tensor:
        return _ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def rot90(self, k: builtins.int = 1, dims: Any = (0, 1)) -> Tensor:
        return _ops.rot90(self, k, dims)



def _set_requires_grad(t: Tensor, requires_grad: Any, who: str) -> Tensor:
    """Set ``requires_grad`` on a leaf.

    ``who`` starts torch's message for an integer tensor (torch words it differently for
    ``requires_grad_()``, the setter and the factories).
    """
    if t.grad_fn is not None and not requires_grad:
        raise RuntimeError(
            "you can only change requires_grad flags of leaf variables. If you want to use "
            "a computed variable in a subgraph that doesn't require differentiation use "
            "var_no_grad = var.detach()."
        )
    if requires_grad and t._data.dtype.kind not in "fc":
        raise RuntimeError(_message("requires_grad_integer", who=who, dtype=t.dtype))
    t._rg = builtins.bool(requires_grad)
    return t


def _copy_shape_error(dest: tuple[int, ...], src: tuple[int, ...]) -> RuntimeError:
    """torch's error for ``dest.copy_(src)`` when ``src`` does not broadcast to ``dest``."""
    n = max(len(dest), len(src))
    a = (1,) * (n - len(dest)) + dest
    b = (1,) * (n - len(src)) + src
    for i in range(n - 1, -1, -1):  # torch reports the last clashing dim
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return RuntimeError(_message("copy_shape", a=a[i], b=b[i], dim=i,
                                         dest_shape=tuple(dest), src_shape=tuple(src)))
    return RuntimeError(_message("inplace_shape", shape=list(dest),
                                 broadcast=list(np.broadcast_shapes(dest, src))))


# ---------------------------------------------------------------------- gradients
def clear_grads(params: Iterable[Tensor], set_to_none: bool = True) -> None:
    """Reset each tensor's ``.grad``: to ``None``, or to zeros in place (torch's zero_grad).

    Shared by ``Module.zero_grad`` and ``Optimizer.zero_grad``, which do the same thing.
    """
    for param in params:
        grad = param._grad
        if grad is None:
            continue
        if set_to_none:
            param._grad = None
        else:
            if grad.grad_fn is not None:
                grad.detach_()
            else:
                grad.requires_grad_(False)
            grad.zero_()


# ---------------------------------------------------------------------- in-place helpers
def _check_inplace_leaf(t: Tensor) -> None:
    if t._rg and t.grad_fn is None and _enabled[0]:
        raise RuntimeError(_message("inplace_leaf"))


def _random_fill(self: Tensor, name: str, *args: Any, **kwargs: Any) -> Tensor:
    """Run one of ops/random.py's in-place samplers, with the in-place rules for leaves."""
    _check_inplace_leaf(self)
    getattr(_random_ops, name)(self, *args, **kwargs)
    self._bump()
    return self


def _inplace_ufunc(self: Tensor, ufunc: Any, op: Any, other: Any) -> Tensor:
    """``self <op>= other`` with a NumPy ufunc writing straight into ``self``'s memory.

    Used when no graph is needed (the common ``w -= lr * w.grad`` under ``no_grad``);
    otherwise falls back to the recorded path in ``_inplace``.
    """
    if _enabled[0] and (self._rg or (isinstance(other, Tensor) and other._rg)):
        return _inplace(self, op, other)
    data = self._data
    if isinstance(other, Tensor):
        value = other._data
    elif type(other) in _PY_NUMBERS:
        value = other
    else:
        return _inplace(self, op, other)
    if data.dtype.kind == "f" and (type(value) is builtins.float or (
            type(value) is _ndarray and value.dtype.kind == "f")):
        # the common case (a parameter update): float into float, nothing to check
        try:
            ufunc(data, value, out=data)
        except ValueError:
            pass  # shape error: reported below with torch's message
        else:
            vc = self._vc
            if vc is None:
                self._vc = [1]
            else:
                vc[0] += 1
            return self
    kind = data.dtype.kind
    if kind == "b" or type(value) is builtins.bool or (
        type(value) is _ndarray and value.dtype.kind == "b"
    ):
        return _inplace(self, op, other)  # torch's rules (and errors) for bool operands
    if kind != "f" and (
        (type(value) is _ndarray and value.dtype.kind == "f") or type(value) is builtins.float
    ):
        return _inplace(self, op, other)  # reports torch's cast error
    try:
        ufunc(data, value, out=data, casting="unsafe")
    except ValueError:
        raise RuntimeError(_message(
            "inplace_shape", shape=list(data.shape),
            broadcast=list(np.broadcast_shapes(data.shape, np.shape(value))),
        )) from None
    self._bump()
    return self


def _inplace(self: Tensor, op: Any, *args: Any, **kwargs: Any) -> Tensor:
    """Run ``op(self, *args)`` out of place, then write the result into ``self``.

    Writing into the existing array keeps views that share its memory in step. When the
    graph is recorded, the op sees a copy of the old values (they may be saved for
    backward) and ``self`` takes over the new grad_fn, as in torch.
    """
    _check_inplace_leaf(self)
    record = _enabled[0] and (
        self._rg or builtins.any(isinstance(a, Tensor) and a._rg for a in args)
    )
    if record:
        old = object.__new__(Tensor)
        old._data = self._data.copy()
        old._rg = self._rg
        old.grad_fn = self.grad_fn
        old._output_nr = self._output_nr
        result = op(old, *args, **kwargs)
    else:
        result = op(self, *args, **kwargs)
    out = result._data
    if out.dtype != self._data.dtype and not np.can_cast(out.dtype, self._data.dtype, "same_kind"):
        raise RuntimeError(_message(
            "inplace_dtype", result=_LEGACY_NAMES[result.dtype.name][:-6],
            out=_LEGACY_NAMES[self.dtype.name][:-6],
        ))
    if out.shape != self._data.shape:
        raise RuntimeError(_message(
            "inplace_shape", shape=list(self._data.shape), broadcast=list(out.shape)
        ))
    np.copyto(self._data, out, casting="unsafe")
    self._bump()
    if record:
        self.grad_fn = result.grad_fn
        self._rg = True
        if self._retains_grad:
            self._retains_grad = False
            self.retain_grad()
    return self


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}
_LEGACY_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


class Size(tuple[int, ...]):
    """A tensor's shape: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return "torch.Size([" + ", ".join(str(s) for s in self) + "])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, index: Any) -> Any:
        out = tuple.__getitem__(self, index)
        return Size(out) if isinstance(index, slice) else out

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))


def _legacy_new(cls: type[Tensor], dtype: DType, args: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Tensor:
    """``torch.Tensor(...)`` / ``torch.FloatTensor(...)``: data, or sizes (uninitialised)."""
    if kwargs.pop("device", None) not in (None, "cpu"):
        from glasstorch._device import cuda_unavailable

        raise cuda_unavailable()
    if kwargs:
        raise TypeError(f"Tensor() got unexpected keyword arguments {sorted(kwargs)}")
    if not args:
        data = np.empty((0,), dtype.np)
    elif builtins.all(type(a) is builtins.int for a in args):
        data = np.zeros(args, dtype.np)  # torch leaves it uninitialised; zeros are safer
    elif len(args) == 1 and isinstance(args[0], Size):
        data = np.zeros(tuple(args[0]), dtype.np)
    elif len(args) == 1:
        from glasstorch.ops.creation import array_from_data

        data = array_from_data(args[0], dtype)
    else:
        raise TypeError(f"Tensor(): invalid arguments {args!r}")
    t = object.__new__(cls)
    t._data = data
    return t


# Bound last: the ops package and the engine import Tensor from this module.
from glasstorch import ops as _ops  # noqa: E402
from glasstorch.autograd.engine import run_backward as _run_backward  # noqa: E402
from glasstorch.autograd.function import _apply2  # noqa: E402
from glasstorch.ops import random as _random_ops  # noqa: E402
from glasstorch.ops.elementwise import (  # noqa: E402
    Add as _Add,
    Div as _Div,
    Mul as _Mul,
    Pow as _Pow,
    Sub as _Sub,
)

_FAST_OPERANDS = frozenset({Tensor, builtins.int, builtins.float})
_NO_KWARGS: dict[str, Any] = {}  # never mutated: the hot dunders pass it to _apply2
_ONES: dict[Any, np.ndarray] = {}


def _ones_like(arr: np.ndarray) -> np.ndarray:
    """A cached array of ones (the seed gradient of ``loss.backward()``; never written to)."""
    key = (arr.shape, arr.dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = _ONES[key] = np.ones(arr.shape, arr.dtype)
        ones.flags.writeable = False
    return ones
