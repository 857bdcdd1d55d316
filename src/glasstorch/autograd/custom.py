"""``torch.autograd.Function``: a learner's own op, written with Tensors.

The ops of ``glasstorch.ops`` are written on NumPy arrays (``autograd/function.py``). A
custom Function is written the way PyTorch's documentation teaches, on Tensors::

    class MulConstant(torch.autograd.Function):
        @staticmethod
        def forward(ctx, tensor, constant):
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

``MulConstant.apply(t, 3.0)`` runs ``forward`` under ``no_grad`` and records one graph node
named ``MulConstantBackward`` (torch's name). When ``backward()`` reaches that node, the
engine calls an adapter (``_BackwardRule``) that wraps the incoming gradients in Tensors,
calls the user's ``backward`` and checks what comes back the way torch's engine does (number
of gradients, shapes), before the arrays flow on like any other op's.

The ``ctx`` is a :class:`FunctionCtx`; its attributes can also be read on the node
(``out.grad_fn.constant``), as in torch where the ctx *is* the grad_fn.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import numpy as np

from glasstorch._errors import message
from glasstorch._tensor import Tensor
from glasstorch.autograd import grad_mode
from glasstorch.autograd.function import _FREED, Node, _edge, _next_seq, describe_array

__all__ = ["Function", "FunctionCtx", "once_differentiable"]

_enabled = grad_mode._enabled
_new = object.__new__

_LEGACY_CALL = (
    "Legacy autograd function with non-static forward method is deprecated. Please use "
    "new-style autograd function with static forward method. (Example: "
    "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
)


class FunctionCtx:
    """The ``ctx`` a custom Function's ``forward``/``setup_context`` and ``backward`` share.

    Keep anything on it (``ctx.constant = 3``); keep tensors with ``save_for_backward``
    (then an in-place change before ``backward`` is caught, as torch does).

    Attributes:
        needs_input_grad: one bool per forward input: does it need a gradient?
        materialize_grads: whether missing output gradients reach ``backward`` as zeros
            (``True``) or ``None``; see ``set_materialize_grads``.
    """

    needs_input_grad: tuple[bool, ...] = ()
    materialize_grads = True
    _node: Node | None = None
    _saved: tuple[Tensor | None, ...] | None = None
    _saved_versions: tuple[int, ...] = ()
    _non_differentiable: tuple[Tensor, ...] = ()
    _dirty: tuple[Tensor, ...] = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` (or ``None``) for ``backward``, read back with ``saved_tensors``."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(t).__name__}"
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """What ``save_for_backward`` kept, checked against in-place changes since then."""
        node = self._node
        if node is not None and node.saved is _FREED:
            raise RuntimeError(message("backward_twice"))
        saved = self._saved
        if saved is None:
            return ()
        for t, version in zip(saved, self._saved_versions):  # noqa: B905  (set together)
            if t is not None and t._version != version:
                name = node.fn.grad_fn_name if node is not None else "a custom Function"
                raise RuntimeError(message(
                    "saved_tensor_modified", tensor=describe_array(t._data), node=name,
                    version=t._version, expected=version,
                ))
        return saved

    def mark_non_differentiable(self, *args: Tensor) -> None:
        """Mark outputs that get no gradient (``requires_grad=False``), e.g. indices."""
        self._non_differentiable = self._non_differentiable + args

    def mark_dirty(self, *args: Tensor) -> None:
        """Mark inputs that ``forward`` modified in place (and returns as outputs)."""
        self._dirty = self._dirty + args

    def set_materialize_grads(self, value: bool) -> None:
        """``False``: ``backward`` gets ``None`` (not zeros) for outputs that got no gradient."""
        self.materialize_grads = bool(value)


_F = TypeVar("_F", bound=Callable[..., Any])


def once_differentiable(fn: _F) -> _F:
    """Mark a ``backward`` as not differentiable twice (glasstorch never builds that graph).

    glasstorch runs every backward without recording (``create_graph=True`` is not
    supported), so this decorator returns ``fn`` unchanged; it exists so that code written
    for torch runs.
    """
    return fn


class _BackwardRule:
    """The engine's view of a custom Function: ``backward(node, grad)`` on arrays.

    One subclass per user Function (``MulConstantBackward``) is made when the Function is
    defined; ``node.fn`` points to it, so the engine, ``make_dot`` and ``explain`` treat the
    node like any op's.
    """

    grad_fn_name: ClassVar[str] = "FunctionBackward"
    user: ClassVar[type[Function]]

    @classmethod
    def backward(cls, node: _CustomNode, grad: Any) -> tuple[np.ndarray | None, ...]:
        """Wrap ``grad`` in Tensors, run the user's backward, check and unwrap its result."""
        ctx: FunctionCtx = node._ctx
        metas = node.out_meta if node.n_outputs > 1 else ((node.out_shape, node.out_dtype),)
        grads = grad if node.n_outputs > 1 else [grad]
        grad_tensors: list[Tensor | None] = []
        for g, meta in zip(grads, metas):  # noqa: B905  (one per output)
            if g is None and meta is not None and ctx.materialize_grads:
                g = np.zeros(meta[0], dtype=meta[1])
            grad_tensors.append(None if g is None else Tensor._wrap(g))
        user_fn = _user_backward(cls.user)
        was_enabled = _enabled[0]
        _enabled[0] = False  # a backward rule is not recorded (no create_graph)
        try:
            result = user_fn(ctx, *grad_tensors)
        finally:
            _enabled[0] = was_enabled
        return _check_gradients(cls.grad_fn_name, node, result)


def _user_backward(cls: type[Function]) -> Callable[..., Any]:
    """The user's ``backward`` (or ``vjp``), as torch's BackwardCFunction picks it."""
    backward_fn = cls.backward
    vjp_fn = cls.vjp
    if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
        raise RuntimeError(
            "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You "
            "should only implement one of them."
        )
    return vjp_fn if vjp_fn is not Function.vjp else backward_fn


def _check_gradients(name: str, node: _CustomNode, result: Any) -> tuple[np.ndarray | None, ...]:
    """Torch's checks on what a custom backward returned; the gradients as arrays."""
    if not isinstance(result, tuple):
        result = (result,)
    n_inputs = len(node.next)
    # Too many results are fine as long as the extra ones are None (torch trims them).
    if len(result) > n_inputs and all(r is None for r in result[n_inputs:]):
        result = result[:n_inputs]
    if len(result) != n_inputs:
        raise RuntimeError(
            f"function {name} returned an incorrect number of gradients (expected "
            f"{n_inputs}, got {len(result)})"
        )
    shapes: tuple[tuple[int, ...] | None, ...] = node._input_shapes
    arrays: list[np.ndarray | None] = []
    for i, (g, shape) in enumerate(zip(result, shapes)):  # noqa: B905  (lengths checked)
        if g is None:
            arrays.append(None)
            continue
        if not isinstance(g, Tensor):
            kind = type(g)
            typename = kind.__qualname__ if kind.__module__ == "builtins" else \
                f"{kind.__module__}.{kind.__qualname__}"
            raise RuntimeError(f"expected Variable or None (got {typename})")
        if shape is None:
            raise RuntimeError(
                f"function {name} returned a gradient different than None at position {i + 1}, "
                "but the corresponding forward input was not a Variable"
            )
        if node.next[i] is None:
            arrays.append(None)  # that input needs no gradient: torch drops it unchecked
            continue
        if g._data.shape != shape and not _expandable(shape, g._data.shape):
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index {i} - got "
                f"{list(g._data.shape)} but expected shape compatible with {list(shape)}"
            )
        arrays.append(g._data)  # the engine sums broadcast dims and casts the dtype
    return tuple(arrays)


def _expandable(shape: tuple[int, ...], desired: tuple[int, ...]) -> bool:
    """torch's ``is_expandable_to``: can ``shape`` broadcast to ``desired``?"""
    if len(shape) > len(desired):
        return False
    return all(s in (d, 1) for s, d in zip(reversed(shape), reversed(desired)))  # noqa: B905


class _CustomNode(Node):
    """The node of a custom Function: it also shows what the user kept on its ctx."""

    _ctx: FunctionCtx
    _input_shapes: tuple[tuple[int, ...] | None, ...]

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name the node lacks: ``out.grad_fn.constant`` reads the ctx, as
        # torch's node does. (Kept off the ops' nodes: a __getattr__ slows every lookup.)
        ctx = self.__dict__.get("_ctx")
        if ctx is not None and not name.startswith("__") and hasattr(ctx, name):
            return getattr(ctx, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


class Function:
    """Base class of a custom op written with Tensors (``torch.autograd.Function``).

    Subclass it with ``@staticmethod forward(ctx, *args)`` and
    ``@staticmethod backward(ctx, *grad_outputs)`` (one gradient, or ``None``, per
    ``forward`` input), or with torch 2's ``forward(*args)`` plus
    ``setup_context(ctx, inputs, output)``; then call ``YourFunction.apply(...)``.

    Example:
        >>> import glasstorch as torch
        >>> class Cube(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (x,) = ctx.saved_tensors
        ...         return grad_output * 3 * x ** 2
        >>> x = torch.tensor(2.0, requires_grad=True)
        >>> y = Cube.apply(x)
        >>> y
        tensor(8., grad_fn=<CubeBackward>)
        >>> y.backward(); x.grad
        tensor(12.)
    """

    _backward_cls: ClassVar[type[_BackwardRule]] = _BackwardRule
    _node_type: ClassVar[type[Node]] = Node

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = f"{cls.__name__}Backward"
        doc = (cls.__doc__ or "").strip() or (
            f"custom autograd.Function {cls.__name__}: backward is {cls.__name__}.backward"
        )
        cls._backward_cls = type(name, (_BackwardRule,), {
            "grad_fn_name": name, "user": cls, "__doc__": doc, "__module__": cls.__module__,
        })
        # the class of its nodes, so `type(y.grad_fn).__name__` is torch's '<Name>Backward'
        cls._node_type = type(name, (_CustomNode,), {
            "__module__": "glasstorch.autograd.function", "fn": cls._backward_cls,
        })

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are "
            "all static, so you should invoke them on the class itself. Instantiating an "
            "autograd function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Old-style ``Function()(x)``: torch's error (call ``YourFunction.apply(x)``)."""
        raise RuntimeError(_LEGACY_CALL)

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        """Compute the output(s) from the inputs (Tensors and other arguments)."""
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> Any:
        """torch 2 style: fill ``ctx`` from the inputs and output of a ctx-less ``forward``."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """One gradient (or ``None``) per forward input, from one gradient per output."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        """Forward-mode AD: not supported by glasstorch."""
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` (without recording) and attach one ``<Name>Backward`` node."""
        use_setup = cls.setup_context is not Function.setup_context
        if use_setup:
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        elif kwargs:
            args = _bind_keywords(cls.forward, args, kwargs)
            kwargs = {}
        ctx = FunctionCtx()
        was_enabled = _enabled[0]
        needs = tuple(was_enabled and isinstance(a, Tensor) and a._rg for a in args)
        ctx.needs_input_grad = needs
        _enabled[0] = False  # forward's own ops are not recorded: backward is the user's
        try:
            if use_setup:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        finally:
            _enabled[0] = was_enabled
        return _wrap_outputs(cls, ctx, args, output, needs, was_enabled)


def _bind_keywords(forward: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Keyword arguments become positional inputs, in ``forward``'s order (as torch's apply).

    Without ``setup_context`` torch does not fill in defaults: a keyword given after a
    skipped parameter is an error.
    """
    params = list(inspect.signature(forward).parameters.values())[1:]  # after ctx
    bound = list(args)
    left = dict(kwargs)
    for pos in range(len(args), len(params)):
        if not left:
            break
        param = params[pos]
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.KEYWORD_ONLY):
            break
        if param.name not in left:
            raise TypeError(f"forward() missing required argument: '{param.name}' (position {pos})")
        bound.append(left.pop(param.name))
    if left:
        raise TypeError(f"forward() got an unexpected keyword argument '{next(iter(left))}'")
    return tuple(bound)


def _wrap_outputs(cls: type[Function], ctx: FunctionCtx, args: tuple[Any, ...], output: Any,
                  needs: tuple[bool, ...], grad_enabled: bool) -> Any:
    """Make forward's tensors the outputs of one new node (when any input needs grad)."""
    is_tuple = isinstance(output, tuple)
    outs = output if is_tuple else (output,)
    dirty = ctx._dirty
    node: Node | None = None
    if any(needs):
        node = _new(cls._node_type)  # its class carries fn = cls._backward_cls
        node.seq = _next_seq()
        node.next = tuple(_edge(a) if need else None for a, need in zip(args, needs))  # noqa: B905
        node.needs_input_grad = needs
        node._input_shapes = tuple(  # type: ignore[attr-defined]
            a._data.shape if isinstance(a, Tensor) else None for a in args
        )
        node._ctx = ctx  # type: ignore[attr-defined]
        ctx._node = node
        node.n_outputs = len(outs)
    results: list[Any] = []
    metas: list[tuple[tuple[int, ...], np.dtype[Any]] | None] = []
    for i, out in enumerate(outs):
        if not isinstance(out, Tensor):
            results.append(out)  # numbers and the like pass through; their gradient is None
            metas.append(None)
            continue
        if any(out is d for d in dirty):
            if grad_enabled and out.grad_fn is None and out._rg:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation. "
                    "Modify a copy (x.clone()) in forward, or don't mark_dirty a leaf."
                )
            t = out  # modified in place: the input itself becomes this output
            t._bump()  # torch counts the mark_dirty as one more in-place change
        elif any(out is a for a in args):
            t = out.detach()  # an input returned unchanged: a new tensor viewing it
        else:
            t = out
        metas.append((t._data.shape, t._data.dtype))
        if node is not None:
            if t._data.dtype.kind == "f" and not any(out is n for n in ctx._non_differentiable):
                t._rg = True
                t.grad_fn = node
                t._output_nr = i
            elif t is out and out.grad_fn is not None:
                t.grad_fn = None  # a dirty input that is non-differentiable now
                t._rg = False
        results.append(t)
    if node is not None:
        if len(outs) == 1:
            meta = metas[0]
            if meta is not None:
                node.out_shape, node.out_dtype = meta
        else:
            node.out_meta = tuple(metas)
        saved = ctx._saved or ()
        node.saved = tuple(None if t is None else t._data for t in saved)
    if ctx._saved:
        ctx._saved_versions = tuple(0 if t is None else t._version for t in ctx._saved)
    return tuple(results) if is_tuple else results[0]
