"""``Function`` (one class per op: forward + backward) and ``Node`` (the recorded graph node).

Every op in ``glasstorch.ops`` is a ``Function`` subclass whose ``forward(ctx, *arrays)``
computes on NumPy arrays and whose ``backward(ctx, grad)`` returns the gradient for each
forward input, written as if no broadcasting happened (the engine reduces it, in one
place). ``Function.apply`` runs the forward and, when grad mode is on and an input requires
grad, records a ``Node``: it is at once the ``ctx`` the rule saw and the tensor's
``grad_fn`` (``MulBackward0`` ...), as in PyTorch.

Differences from ``torch.autograd.Function``: forward/backward see arrays, not tensors, and
no graph is built inside backward (so ``create_graph=True`` is not supported).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from glasstorch._errors import message
from glasstorch.autograd import grad_mode

_enabled = grad_mode._enabled
_ndarray = np.ndarray
_FREED = ("freed",)  # stands in for saved arrays once backward() has released them


class Node:
    """A recorded op: the ``grad_fn`` of its output, and the ``ctx`` its rules see.

    Attributes:
        fn: the Function subclass that made it.
        next: one entry per forward input: ``None`` (no grad needed), a leaf ``Tensor``
            (gradient is accumulated into its ``.grad``), a ``Node`` (the input's grad_fn),
            or an ``OutputSlot`` for output k > 0 of a multi-output node.
        out_shape / out_dtype: the output's shape and dtype (``out_meta``: one pair per
            output of a multi-output node); a consumer's gradient is reduced and cast to them.
        saved: what ``save_for_backward`` kept, and ``versions`` the version counters of
            the tensors behind it, checked before backward uses them.
        needs_input_grad: one bool per forward input.
    """

    # Class-level defaults (no __slots__): recording a node sets only what differs, which
    # keeps the per-op cost of building the graph small.
    saved: tuple[Any, ...] = ()
    versions: Sequence[tuple[list[int], int, Any]] = ()
    n_outputs = 1
    retained: list[Any] | None = None
    hooks: dict[int, dict[int, Any]] | None = None  # output nr -> register_hook's hooks
    next: tuple[Any, ...] = ()
    out_shape: tuple[int, ...] = ()
    out_dtype: Any = None
    out_meta: tuple[Any, ...] = ()
    needs_input_grad: tuple[bool, ...] = ()

    fn: type[Function]  # set right after creation (nodes are made with object.__new__)
    seq: int  # creation order, see _next_seq

    # --- the ctx API the rules use -------------------------------------------------
    def save_for_backward(self, *arrays: Any) -> None:
        """Keep what backward needs (inputs, the output, or anything computed)."""
        self.saved = arrays

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What ``save_for_backward`` kept; an error once backward has freed it."""
        if self.saved is _FREED:
            raise RuntimeError(message("backward_twice"))
        return self.saved

    # --- the grad_fn API users see ---------------------------------------------------
    def name(self) -> str:
        """PyTorch's name for this node, e.g. ``'MulBackward0'``."""
        return self.fn.grad_fn_name

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """``((node_or_AccumulateGrad_or_None, output_nr), ...)`` as in torch."""
        out: list[tuple[Any, int]] = []
        for edge in self.next:
            if edge is None:
                out.append((None, 0))
            elif isinstance(edge, Node):
                out.append((edge, 0))
            elif type(edge) is OutputSlot:
                out.append((edge.node, edge.nr))
            else:
                out.append((AccumulateGrad(edge), 0))
        return tuple(out)

    @property
    def metadata(self) -> dict[str, Any]:
        """The node's attributes, as a dict (torch's ``grad_fn.metadata``)."""
        return self.__dict__

    def register_hook(self, hook: Any) -> None:
        """Not implemented yet: raises ``NotImplementedError``."""
        raise NotImplementedError("glasstorch does not implement grad_fn.register_hook yet")

    def __repr__(self) -> str:
        return f"<{self.fn.grad_fn_name} object at {hex(id(self))}>"


class OutputSlot:
    """Edge to output ``nr`` (> 0) of a multi-output node, e.g. the 2nd piece of a split."""

    __slots__ = ("node", "nr")

    def __init__(self, node: Node, nr: int) -> None:
        self.node = node
        self.nr = nr


class AccumulateGrad:
    """What torch shows for a leaf in ``next_functions``; ``variable`` is the leaf."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        self.variable = variable

    def name(self) -> str:
        """torch's name for this node."""
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple[()]:
        """Always empty: a leaf is where the graph ends."""
        return ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccumulateGrad) and other.variable is self.variable

    def __hash__(self) -> int:
        return id(self.variable)

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


class _NoGradCtx:
    """The ctx used when nothing is recorded: saving is a no-op, nothing needs grad."""

    needs_input_grad = (False,) * 8

    def save_for_backward(self, *arrays: Any) -> None:
        pass


_NO_GRAD_CTX = _NoGradCtx()

class Function:
    """Base class of every op: ``forward`` and ``backward`` side by side.

    Subclasses define ``forward(ctx, *inputs, **params) -> ndarray`` (or a tuple of arrays
    for several outputs) and ``backward(ctx, grad) -> ndarray | tuple``, one gradient (or
    ``None``) per positional forward input. Set ``grad_fn_name`` when torch's node name is
    not ``<ClassName>Backward0``; list ``non_differentiable`` output positions (e.g. the
    indices of ``max(dim)``).

    Example:
        >>> import numpy as np
        >>> class Cube(Function):
        ...     '''out = x**3;  dx = 3 x**2 grad'''
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return 3 * x ** 2 * grad
        >>> import glasstorch as torch
        >>> t = torch.tensor(2.0, requires_grad=True)
        >>> Cube.apply(t).backward(); t.grad
        tensor(12.)
    """

    grad_fn_name: ClassVar[str] = "FunctionBackward"
    non_differentiable: ClassVar[tuple[int, ...]] = ()
    registry: ClassVar[dict[str, type[Function]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "grad_fn_name" not in cls.__dict__:
            cls.grad_fn_name = cls.__name__ + "Backward0"
        # Every op's nodes are plain Nodes (named by `fn.grad_fn_name`): a class per op, to
        # make type(y.grad_fn).__name__ read 'MulBackward0', cost ~10% of a tiny op's time.
        if not cls.__name__.startswith("_"):  # private bases (no node of their own) stay out
            Function.registry[cls.__name__] = cls

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """Compute the output array(s) from the input arrays; save what backward needs."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        """One gradient (or ``None``) per positional forward input, given ``grad``."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on the inputs' arrays and record the node when needed.

        Tensors are unwrapped to their arrays; any other argument (a Python number, a
        shape) is passed through unchanged, so NumPy treats numbers as "weak" scalars the
        way torch does (``float32_tensor * 2.5`` stays float32).
        """
        # One- and two-operand ops are most of every training loop: they take a short path
        # with the same logic unrolled (no argument lists to build).
        if len(args) == 2:
            return _apply2(cls, args[0], args[1], kwargs)
        if len(args) == 1:
            return _apply2(cls, args[0], _NO_ARG, kwargs)
        if _enabled[0]:
            for a in args:
                if isinstance(a, Tensor) and a._rg:
                    return _record(cls, args, kwargs)
        arrays = []
        for a in args:
            arrays.append(a._data if isinstance(a, Tensor) else a)
        return _wrap_outputs(cls.forward(_NO_GRAD_CTX, *arrays, **kwargs), None)


_NO_ARG = object()  # marks "no second operand" in _apply2
# Every node gets the next number: a node's inputs always have smaller numbers than the
# node itself, so "largest number first" is a valid order for the backward pass (torch's
# engine uses the same sequence numbers).
_next_seq = itertools.count().__next__


def _edge(t: Any) -> Any:
    """Where the gradient for input ``t`` goes: its grad_fn, itself (a leaf) or a slot."""
    fn = t.grad_fn
    if fn is None:
        return t
    if fn.n_outputs == 1:
        return fn
    return OutputSlot(fn, t._output_nr)


def _apply2(cls: type[Function], x: Any, y: Any, kwargs: dict[str, Any]) -> Any:
    """``apply`` for one or two positional arguments (``y`` is ``_NO_ARG`` for one)."""
    x_is_t = isinstance(x, Tensor)
    y_is_t = isinstance(y, Tensor)
    xd = x._data if x_is_t else x
    yd = y._data if y_is_t else y
    x_rg = x_is_t and x._rg
    y_rg = y_is_t and y._rg
    if not ((x_rg or y_rg) and _enabled[0]):
        if kwargs:
            out = cls.forward(_NO_GRAD_CTX, xd, **kwargs) if y is _NO_ARG else \
                cls.forward(_NO_GRAD_CTX, xd, yd, **kwargs)
        else:  # (spelled out: passing an empty **kwargs costs measurably on this path)
            out = cls.forward(_NO_GRAD_CTX, xd) if y is _NO_ARG else \
                cls.forward(_NO_GRAD_CTX, xd, yd)
        if type(out) is tuple:
            return _wrap_outputs(out, None)
        if type(out) is not _ndarray:
            out = np.asarray(out)  # NumPy returns scalars for 0-d results; keep arrays
        t = _new(Tensor)
        t._data = out
        return t
    node = _new(Node)
    node.fn = cls
    node.seq = _next_seq()
    if y is _NO_ARG:
        node.next = (_edge(x),)
        node.needs_input_grad = (True,)
        out = cls.forward(node, xd, **kwargs)
    else:
        node.next = (_edge(x) if x_rg else None, _edge(y) if y_rg else None)
        node.needs_input_grad = (x_rg, y_rg)
        out = cls.forward(node, xd, yd, **kwargs)
    if type(out) is tuple:
        result = _wrap_outputs(out, node)
    else:
        if type(out) is not _ndarray:
            out = np.asarray(out)
        result = _new(Tensor)
        result._data = out
        result._rg = True
        result.grad_fn = node
        node.out_shape = out.shape  # what a gradient flowing into this node must look like
        node.out_dtype = out.dtype
    saved = node.saved
    if saved:
        # Remember the versions of the operands whose arrays were saved (see
        # _snapshot_versions); unrolled here because nearly every node saves something.
        versions = []
        for arr in saved:
            if arr is xd and x_is_t:
                owner = x
            elif arr is yd and y_is_t:
                owner = y
            elif arr is out:
                owner = result  # e.g. exp and sigmoid save their output
            elif arr is None or type(arr) is not _ndarray:
                continue
            else:
                _snapshot_versions(node, (x, y), result)
                return result
            vc = owner._vc
            if vc is None:
                vc = owner._vc = [0]
            versions.append((vc, vc[0], arr))
        if versions:
            node.versions = versions
    return result


def _record(cls: type[Function], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``apply`` with any number of arguments when the graph is recorded."""
    node = _new(Node)
    node.fn = cls
    node.seq = _next_seq()
    arrays = []
    nexts = []
    needs = []
    for a in args:
        if isinstance(a, Tensor):
            arrays.append(a._data)
            if a._rg:
                nexts.append(_edge(a))
                needs.append(True)
                continue
        else:
            arrays.append(a)
        nexts.append(None)
        needs.append(False)
    node.next = tuple(nexts)
    node.needs_input_grad = tuple(needs)
    out = cls.forward(node, *arrays, **kwargs)
    if type(out) is tuple:
        result = _wrap_outputs(out, node)
    else:
        if type(out) is not _ndarray:
            out = np.asarray(out)
        result = _new(Tensor)
        result._data = out
        result._rg = True
        result.grad_fn = node
        node.out_shape = out.shape
        node.out_dtype = out.dtype
    if node.saved:
        _snapshot_versions(node, args, result)
    return result


def _wrap_outputs(out: Any, node: Node | None) -> Any:
    """Turn forward's array(s) into Tensor(s), attaching ``node`` as their grad_fn."""
    if type(out) is tuple:
        outs = []
        if node is not None:
            node.n_outputs = len(out)
            skip = node.fn.non_differentiable
        for i, arr in enumerate(out):
            if type(arr) is not _ndarray:
                arr = np.asarray(arr)
            t = _new(Tensor)
            t._data = arr
            if node is not None and i not in skip:
                t._rg = True
                t.grad_fn = node
                t._output_nr = i
            outs.append(t)
        if node is not None:
            node.out_meta = tuple((t._data.shape, t._data.dtype) for t in outs)
            if len(outs) == 1:  # a 1-tuple (split into one piece): edges use out_shape
                node.out_shape, node.out_dtype = node.out_meta[0]
        return tuple(outs)
    if type(out) is not _ndarray:
        out = np.asarray(out)  # NumPy returns scalars for 0-d results; keep arrays
    t = _new(Tensor)
    t._data = out
    if node is not None:
        t._rg = True
        t.grad_fn = node
    return t


def _snapshot_versions(node: Node, args: tuple[Any, ...], result: Any) -> None:
    """Remember the version of every tensor whose array was saved for backward.

    An in-place change of such a tensor before backward would silently give a wrong
    gradient; the engine compares these versions first and raises torch's error instead.
    """
    versions = []
    outputs = result if type(result) is tuple else (result,)
    for arr in node.saved:
        if type(arr) is not _ndarray:
            continue
        for t in args:
            if isinstance(t, Tensor) and t._data is arr:
                break
        else:
            for t in outputs:
                if t._data is arr:
                    break
            else:
                continue
        vc = t._vc
        if vc is None:
            vc = t._vc = [0]
        versions.append((vc, vc[0], arr))
    if versions:
        node.versions = tuple(versions)


def describe_array(arr: Any) -> str:
    """torch's ``[torch.FloatTensor [3, 1]]`` description, for error messages."""
    kind = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int"}
    name = kind.get(str(arr.dtype), str(arr.dtype))
    return f"[torch.{name}Tensor [{', '.join(str(s) for s in arr.shape)}]]"


# The Tensor class imports this module, so it is bound here after both exist.
from glasstorch._tensor import Tensor  # noqa: E402

_new = object.__new__  # a bare instance, attributes set by hand (cheaper than __init__)
