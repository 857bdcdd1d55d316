"""The backward pass: order the graph, run each node's rule once, deliver the gradients.

1. ``topological_order`` collects the nodes reachable from the roots (an explicit stack,
   no recursion: a chain of 100,000 ops is fine) and sorts them by creation number, newest
   first. A node is always newer than the nodes of its inputs, so every node comes after
   all of its consumers (torch's engine orders its work the same way).
2. Walking that list, the gradient pending for a node is therefore complete: pop it, call
   ``fn.backward``, reduce each result to its input's shape (``unbroadcast``, the one place
   broadcasting is undone), cast it to the input's dtype, and add it to the input's pending
   gradient.
3. Leaves receive the sum of what reached them in ``.grad`` (added in place to an existing
   ``.grad``, as torch does). Unless ``retain_graph``, saved arrays are released.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import numpy as np

from glasstorch._errors import message
from glasstorch.autograd import grad_mode
from glasstorch.autograd.function import (
    _FREED,
    Node,
    OutputSlot,
    describe_array,
)
from glasstorch.ops._broadcast import unbroadcast

_by_seq = attrgetter("seq")


def topological_order(roots: Sequence[Node]) -> list[Node]:
    """Every node reachable from ``roots``, newest first (each before the nodes it consumes)."""
    seen: set[Node] = set(roots)
    stack: list[Node] = list(seen)
    while stack:
        for edge in stack.pop().next:
            if isinstance(edge, Node):
                if edge not in seen:
                    seen.add(edge)
                    stack.append(edge)
            elif type(edge) is OutputSlot and edge.node not in seen:
                seen.add(edge.node)
                stack.append(edge.node)
    return sorted(seen, key=_by_seq, reverse=True)


def run_backward(
    roots: Sequence[Any],
    root_grads: Sequence[np.ndarray],
    retain_graph: bool = False,
    capture: Sequence[Any] | None = None,
) -> list[np.ndarray | None] | None:
    """Backpropagate from ``roots`` (tensors with a grad_fn, or leaves) seeded with ``root_grads``.

    Without ``capture``, gradients are accumulated into the ``.grad`` of the leaves (and of
    tensors that called ``retain_grad()``). With ``capture`` (``autograd.grad``), nothing is
    accumulated: the gradient reaching each captured tensor is returned instead.
    """
    # pending: node (or (node, k) for output k > 0, or a leaf tensor) -> gradient so far
    pending: dict[Any, Any] = {}
    start: list[Node] = []
    for root, root_grad in zip(roots, root_grads):  # noqa: B905  (callers pass one per root)
        key = _key_of(root)
        old = pending.get(key)
        pending[key] = root_grad if old is None else old + root_grad
        if root.grad_fn is not None:
            start.append(root.grad_fn)
    capture_keys: dict[Any, list[int]] = {}
    for i, t in enumerate(capture or ()):
        capture_keys.setdefault(_key_of(t), []).append(i)
    captured: dict[int, Any] = {}

    enabled = grad_mode._enabled
    was_enabled = enabled[0]
    enabled[0] = False  # rules compute on arrays; nothing they do is recorded
    # (local names: this loop runs once per node of every backward pass)
    pop, get, node_type, slot_type, freed = pending.pop, pending.get, Node, OutputSlot, _FREED
    try:
        for node in topological_order(start):
            if node.n_outputs == 1:
                grad = pop(node, None)
                if grad is None:
                    continue  # nothing flows through this node (e.g. an unused output)
                if node.hooks is not None:
                    grad = _run_hooks(node.hooks.get(0), grad)
                if capture_keys and node in capture_keys:
                    for i in capture_keys[node]:
                        captured[i] = grad
                if node.retained is not None and capture is None:
                    _deliver_retained(node.retained, grad)
            else:
                grad = [pop(node if k == 0 else (node, k), None) for k in range(node.n_outputs)]
                if all(g is None for g in grad):
                    continue
                if node.hooks is not None:
                    grad = [g if g is None else _run_hooks(node.hooks.get(k), g)
                            for k, g in enumerate(grad)]
            # -- run the rule, after checking that what it saved is intact
            saved = node.saved
            if saved:
                if saved is freed:
                    raise RuntimeError(message("backward_twice"))
                if node.versions:
                    _check_versions(node)
            grads = node.fn.backward(node, grad)
            if saved and not retain_graph:
                node.saved = freed
                node.versions = ()  # it holds the saved arrays too (for the error message)
            if type(grads) is not tuple:
                grads = (grads,)
            # -- pass each input's gradient on, reduced and cast to that input
            # zip stops at the inputs: a rule may return a trailing None for an optional
            # argument that apply() was not given (no strict=, this is the per-node loop)
            for edge, g in zip(node.next, grads):  # noqa: B905
                if g is None or edge is None:
                    continue
                kind = type(edge)
                if isinstance(edge, node_type):  # (each op's nodes have a class of its own)
                    shape, dtype, key = edge.out_shape, edge.out_dtype, edge
                elif kind is slot_type:
                    shape, dtype = edge.node.out_meta[edge.nr]
                    # output 0 is collected under the node itself (as for a root, _key_of)
                    key = (edge.node, edge.nr) if edge.nr else edge.node
                else:  # a leaf tensor: collected here, added to .grad at the end
                    data = edge._data
                    shape, dtype, key = data.shape, data.dtype, edge
                if g.shape != shape:
                    g = unbroadcast(g, shape, node.fn.grad_fn_name)
                if g.dtype is not dtype and g.dtype != dtype:
                    g = g.astype(dtype)  # a float64 number must not upcast float32 gradients
                old = get(key)
                pending[key] = g if old is None else old + g
    finally:
        enabled[0] = was_enabled

    if capture is not None:
        for key, idx in capture_keys.items():
            if key in pending:
                grad = pending[key]
                if isinstance(key, Tensor) and key._hooks:
                    grad = _run_hooks(key._hooks, grad)
                for i in idx:
                    captured[i] = grad
        return [captured.get(i) for i in range(len(capture))]
    # Only leaves are left in `pending`: each gets the sum of what reached it, once.
    for leaf, grad in pending.items():
        if leaf._rg:
            if leaf._hooks:
                grad = _run_hooks(leaf._hooks, grad)
            _accumulate_leaf(leaf, grad)
    return None


def _run_hooks(hooks: dict[int, Any] | None, grad: Any) -> Any:
    """Pass ``grad`` through a tensor's ``register_hook`` hooks, in registration order.

    A hook returning a tensor replaces the gradient (it must keep its shape).
    """
    if not hooks:
        return grad
    for hook in list(hooks.values()):
        result = hook(Tensor._wrap(grad))
        if result is None:
            continue
        if not isinstance(result, Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
        if result._data.shape != grad.shape:
            name = getattr(hook, "__name__", type(hook).__name__)
            raise RuntimeError(
                f"hook '{name}' has changed the size of value: the gradient has shape "
                f"{list(grad.shape)}, the hook returned {list(result._data.shape)}"
            )
        grad = result._data.astype(grad.dtype, copy=False)
    return grad


def _key_of(t: Any) -> Any:
    """Where a tensor's incoming gradient is collected: its grad_fn (output) or itself."""
    node = t.grad_fn
    if node is None:
        return t
    nr = t._output_nr
    return node if nr == 0 else (node, nr)


def _check_versions(node: Node) -> None:
    """Raise torch's error if a tensor saved for this node was modified in place since."""
    for counter, version, arr in node.versions:
        if counter[0] != version:
            raise RuntimeError(message(
                "saved_tensor_modified", tensor=describe_array(arr), node=node.fn.grad_fn_name,
                version=counter[0], expected=version,
            ))


def _accumulate_leaf(leaf: Any, grad: Any) -> None:
    """``leaf.grad += grad`` in place, or a fresh copy when there was no grad yet."""
    old = leaf._grad
    if old is None:
        # copy: the rule may have returned an array that is shared (e.g. add passes the
        # same upstream gradient to both inputs) or a view of something else.
        new = _new(Tensor)
        new._data = np.array(grad, dtype=leaf._data.dtype, copy=True)
        leaf._grad = new
    else:
        np.add(old._data, grad, out=old._data, casting="unsafe")
        if old._vc is not None:
            old._vc[0] += 1


def _deliver_retained(retained: list[Any], grad: Any) -> None:
    """Give a non-leaf tensor that called ``retain_grad()`` its gradient."""
    for ref in retained:
        t = ref()
        if t is not None:
            _accumulate_leaf(t, grad)


from glasstorch._tensor import Tensor  # noqa: E402

_new = object.__new__
