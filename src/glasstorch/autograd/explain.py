"""``explain``: the backward pass replayed one node at a time, in words, symbols and numbers.

``loss.backward()`` applies the chain rule in one go. ``explain(loss)`` runs the very same
steps (the engine's order, each node's own backward rule, the same summing of broadcast
dimensions) but records what happened at every node instead of writing ``.grad``:

* the node (``MeanBackward0``), its rule (the first line of its Function's docstring) and
  a plain sentence ("mean over 3 elements: each input gets grad / 3");
* the gradient coming in and the gradient sent to each input, with shapes and values;
* for small element-wise graphs, the gradient as a formula, built factor by factor, so that
  the chain Mean -> Pow -> Sub -> Add -> Mul of a linear regression reads as the derivation
  ``dcost/dW = 2/3 Σ (x·W + b - y)·x``;
* each parameter's final gradient: what ``backward()`` would add to its ``.grad``.

Nothing is changed: no ``.grad`` is written and the graph is not freed, so ``backward()``
still works afterwards. The replay is a loop (no recursion), so any depth works; long
graphs are shown as their first and last steps.

Printing. ``explain`` returns an :class:`Explanation` and prints nothing itself, so one
call suits every place it is used: the Python prompt echoes it as text, Jupyter shows it as
an HTML table (``_repr_html_``), a script writes ``print(torch.explain(loss))`` (or passes
``file=sys.stdout``), and code reads ``.steps`` and ``.leaves``. ``loss.explain()`` is the
same call.

Naming. Pass ``params`` (a dict, like ``make_dot``'s, e.g. ``dict(model.named_parameters())``)
to name the parameters; constant tensors (data) can be named in the same dict. A constant
that the graph keeps (the ``x`` of ``x * W``) is recognised by identity or value; one it does
not keep (the ``y`` of ``h - y``) is recognised only when a single named constant fits the
single unknown slot (by shape). Unnamed constants are written ``k1``, ``k2``, ...
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TextIO

import numpy as np

from glasstorch.autograd import grad_mode
from glasstorch.autograd.engine import _check_versions, topological_order
from glasstorch.autograd.function import _FREED, Node, OutputSlot
from glasstorch.ops._broadcast import unbroadcast

__all__ = ["Explanation", "Flow", "LeafGradient", "Step", "explain"]

# Graphs with more nodes than this are explained with numbers only: their formulas would
# be too long to read, and building them would cost time on a 100,000-op chain.
SYMBOLIC_NODE_LIMIT = 200
# A gradient formula with more terms than this (many paths through a diamond) is dropped.
MAX_TERMS = 6
# Forward expressions longer than this are replaced by a name ("out3": step 3's output).
MAX_EXPR_CHARS = 60

_FREED_MESSAGE = (
    "explain() replays the backward pass, which needs the values the graph saved, but a "
    "backward() call has already freed them. Call explain() before loss.backward(), or call "
    "loss.backward(retain_graph=True)."
)


# ======================================================================= the records
@dataclass(slots=True)
class Flow:
    """The gradient one node sends to one of its forward inputs.

    Attributes:
        input: position of the input among the node's forward inputs.
        target: who receives it: ``"[3] SubBackward0"``, a parameter's name, or the
            constant's symbol for inputs that need no gradient.
        kind: ``"node"``, ``"leaf"`` or ``"constant"`` (then ``grad`` is None).
        grad: the gradient delivered, after summing broadcast dimensions and casting.
        rule_shape: the shape the node's rule produced (before that summing).
        summed_dims: the dimensions of ``rule_shape`` summed away (empty: none).
        unsummed: the rule's gradient before that summing (None when nothing was summed).
        accumulated: the target already had a gradient from an earlier step (the input
            was used more than once); this one is added to it.
        total: the target's gradient so far, after adding this one.
        rule: the local rule in symbols, e.g. ``"grad · 2·(x·W + b - y)"`` (None: unknown).
        wrt: the target as a formula (``"x·W + b - y"``, ``"W"``), for ``dloss/d(...)``.
        symbol: d(root)/d(target) so far, as a formula (None: not written out).
    """

    input: int
    target: str
    kind: str
    grad: np.ndarray | None = None
    rule_shape: tuple[int, ...] = ()
    summed_dims: tuple[int, ...] = ()
    unsummed: np.ndarray | None = None
    accumulated: bool = False
    total: np.ndarray | None = None
    rule: str | None = None
    wrt: str | None = None
    symbol: str | None = None


@dataclass(slots=True)
class Step:
    """One node of the backward pass, in the order the engine runs them.

    Attributes:
        index: 1-based position in the backward pass (``[1]`` made the root).
        name: torch's node name, e.g. ``"MulBackward0"``.
        formula: the forward formula and local derivative (the Function's docstring).
        meaning: the rule as a plain sentence with this node's numbers.
        output: the node's output as a formula, or ``"outK"`` (step K's output) when that
            is long; None for graphs too big to write out.
        definition: the full formula when ``output`` is such a short name.
        grad_in: the gradient of the root w.r.t. this node's output (a list, one per
            output, for multi-output nodes; None when nothing flowed back through it).
        symbol: ``grad_in`` as a formula (None: not written out).
        operands: values the rule multiplies by, as ``(symbol, array)`` pairs (e.g. the
            ``x`` of ``x * W``), shown next to the sentence.
        flows: what was sent to each input.
        node: the graph node itself (the tensor's ``grad_fn``).
    """

    index: int
    name: str
    formula: str
    meaning: str
    output: str | None = None
    definition: str | None = None
    grad_in: Any = None
    symbol: str | None = None
    operands: list[tuple[str, Any]] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    node: Node | None = field(default=None, repr=False)


@dataclass(slots=True)
class LeafGradient:
    """A parameter's (leaf's) gradient: what ``backward()`` would add to its ``.grad``.

    Attributes:
        name: its name from ``params``, else ``"leaf #k (shape)"``.
        tensor: the leaf tensor.
        grad: the gradient (summed over all the places the leaf was used).
        steps: the steps whose contributions were added up (one per use).
        derivation: how the gradient was obtained, one equality per line, e.g.
            ``["Σ over the 3 elements of grad · x  (...)", "2/3 Σ (x·W + b - y)·x"]``.
    """

    name: str
    tensor: Any = field(repr=False)
    grad: np.ndarray
    steps: list[int] = field(default_factory=list)
    derivation: list[str] = field(default_factory=list)


# ======================================================================= the result
class Explanation:
    """The recorded backward pass: ``str()`` is the text, ``_repr_html_`` a table.

    Attributes:
        root: the name of the tensor explained (``"loss"`` unless named).
        root_value: its value (an array).
        root_formula: its formula, when the graph is small enough to write out.
        steps: one :class:`Step` per node, in the engine's order.
        leaves: one :class:`LeafGradient` per parameter that received a gradient.
        constants: legend of the constant symbols (``k1``, ...) used in the formulas.
        max_elements: arrays up to this many values are printed in full.
        max_steps: at most this many steps are printed (the first and the last ones).
    """

    def __init__(self, root: str, root_value: np.ndarray, root_formula: str | None,
                 steps: list[Step], leaves: list[LeafGradient], constants: list[str],
                 max_elements: int, max_steps: int) -> None:
        self.root = root
        self.root_value = root_value
        self.root_formula = root_formula
        self.steps = steps
        self.leaves = leaves
        self.constants = constants
        self.max_elements = max_elements
        self.max_steps = max_steps

    def grad(self, leaf: Any) -> np.ndarray | None:
        """The gradient found for ``leaf`` (the tensor or its name); None if it got none."""
        for item in self.leaves:
            if item.name == leaf if isinstance(leaf, str) else item.tensor is leaf:
                return item.grad
        return None

    # ---------------------------------------------------------------- text
    def __str__(self) -> str:
        n = len(self.steps)
        lines = [
            f"Backward pass of {self._title()} = {self._fmt(self.root_value)}",
            f"{n} node{'' if n == 1 else 's'}, newest first (the order backward() runs them); "
            f"it starts with d{self.root}/d{self.root} = 1.",
        ]
        if self.constants:
            lines.append("Constants: " + "; ".join(self.constants))
        shown, gap_at, hidden = _elide(n, self.max_steps)
        for i in shown:
            if i == gap_at:
                lines += ["", f"... {hidden:,} more steps not shown (.steps has all of them; "
                          "explain(..., max_steps=N) prints more) ..."]
            lines.append("")
            lines += self._step_lines(self.steps[i])
        lines += ["", "Parameter gradients (what backward() would add to .grad):"]
        if not self.leaves:
            lines.append("  none: no leaf that requires grad was reached")
        shown, gap_at, hidden = _elide(len(self.leaves), self.max_steps)
        for i in shown:
            if i == gap_at:
                lines.append(f"  ... {hidden:,} more leaves not shown ...")
            lines += self._leaf_lines(self.leaves[i])
        return "\n".join(lines)

    __repr__ = __str__  # so the Python prompt echoes the explanation itself

    def _title(self) -> str:
        if self.root_formula is None:
            return self.root
        return f"{self.root} = {self.root_formula}"

    def _fmt(self, value: Any) -> str:
        return _fmt_value(value, self.max_elements)

    def _meaning(self, step: Step) -> str:
        if not step.operands:
            return step.meaning
        values = ", ".join(f"{sym} = {self._fmt(v)}" for sym, v in step.operands)
        return f"{step.meaning} ({values})"

    def _grad_in(self, step: Step) -> str:
        if step.grad_in is None:
            return "none: no gradient flows back through this node"
        if isinstance(step.grad_in, list):
            return "; ".join(f"output {k}: {self._fmt(g)}" for k, g in enumerate(step.grad_in))
        value = self._fmt(step.grad_in)
        wrt = ""
        if step.output is not None and step.symbol is not None:
            wrt = f"d{self.root}/d{_paren(step.output)} = "
            if step.symbol != value:
                wrt += f"{step.symbol} = "
        return f"{wrt}{value}  shape {_shape(step.grad_in)}"

    def _flow_lines(self, flow: Flow) -> list[str]:
        fmt = self._fmt
        rule = f"{flow.rule} = " if flow.rule else ""
        if flow.summed_dims:
            lines = [f"-> {flow.target}: {rule}{fmt(flow.unsummed)}  shape {flow.rule_shape},",
                     f"   summed over the broadcast dimension(s) "
                     f"{', '.join(map(str, flow.summed_dims))} to shape {_shape(flow.grad)}: "
                     f"{fmt(flow.grad)}"]
        else:
            lines = [f"-> {flow.target}: {rule}{fmt(flow.grad)}  shape {_shape(flow.grad)}"]
        if flow.accumulated:
            lines.append(f"   {flow.target} is used more than once: this is added to the "
                         f"gradient it already has, total {fmt(flow.total)}")
        if flow.symbol is not None and flow.wrt is not None:
            lines.append(f"   so d{self.root}/d{_paren(flow.wrt)} = {flow.symbol}")
        return lines

    def _step_lines(self, step: Step) -> list[str]:
        lines = [f"[{step.index}] {step.name}   {step.formula}", f"    {self._meaning(step)}"]
        if step.definition is not None:
            lines.append(f"    its output {step.output} = {step.definition}")
        lines.append(f"    grad in: {self._grad_in(step)}")
        constants = []
        for flow in step.flows:
            if flow.kind == "constant":
                constants.append(flow.target)
            elif flow.grad is not None:
                lines += ["    " + line for line in self._flow_lines(flow)]
        if constants:
            lines.append(f"    no gradient for the constant input(s): {', '.join(constants)}")
        return lines

    def _leaf_lines(self, leaf: LeafGradient) -> list[str]:
        if len(leaf.steps) == 1:
            step = self.steps[leaf.steps[0] - 1]
            where = f"used by step [{step.index}] {step.name}"
            if step.symbol is not None:
                where += f", where grad = {step.symbol}"
        elif leaf.steps:
            where = (f"used {len(leaf.steps)} times, by steps "
                     f"{', '.join(f'[{s}]' for s in leaf.steps)}: their parts are added")
        else:
            where = "the tensor explained itself"
        head = f"    d{self.root}/d{_paren(leaf.name)} = "
        pad = " " * (len(head) - 2) + "= "
        parts = leaf.derivation + [f"{self._fmt(leaf.grad)}  shape {_shape(leaf.grad)}"]
        return [f"  {leaf.name} ({where}):", head + parts[0]] + [pad + p for p in parts[1:]]

    # ---------------------------------------------------------------- HTML (Jupyter)
    def _repr_html_(self) -> str:
        esc = html.escape
        out = [
            "<div class='glasstorch-explain'>",
            f"<p><b>Backward pass of <code>{esc(self._title())}</code></b> = "
            f"<code>{esc(self._fmt(self.root_value))}</code>: {len(self.steps)} node(s), "
            f"newest first; it starts with d{esc(self.root)}/d{esc(self.root)} = 1.</p>",
        ]
        if self.constants:
            out.append("<p>Constants: " + esc("; ".join(self.constants)) + "</p>")
        out.append("<table><thead><tr><th>#</th><th>node and rule</th><th>gradient in</th>"
                   "<th>gradient out, per input</th></tr></thead><tbody>")
        shown, gap_at, hidden = _elide(len(self.steps), self.max_steps)
        for i in shown:
            if i == gap_at:
                out.append(f"<tr><td colspan='4'>... {hidden:,} more steps (see "
                           "<code>.steps</code>) ...</td></tr>")
            step = self.steps[i]
            about = [f"<b>{esc(step.name)}</b>", f"<code>{esc(step.formula)}</code>",
                     esc(self._meaning(step))]
            if step.definition is not None:
                about.append(esc(f"its output {step.output} = {step.definition}"))
            flows = [esc(" ".join(line.strip() for line in self._flow_lines(f)))
                     for f in step.flows if f.kind != "constant" and f.grad is not None]
            out.append(f"<tr><td>{step.index}</td><td>{'<br>'.join(about)}</td>"
                       f"<td><code>{esc(self._grad_in(step))}</code></td>"
                       f"<td>{'<br>'.join(flows)}</td></tr>")
        out.append("</tbody></table><p><b>Parameter gradients</b> (what backward() would add "
                   "to <code>.grad</code>):</p><ul>")
        shown, gap_at, hidden = _elide(len(self.leaves), self.max_steps)
        for i in shown:
            if i == gap_at:
                out.append(f"<li>... {hidden:,} more leaves ...</li>")
            lines = [line.strip() for line in self._leaf_lines(self.leaves[i])]
            out.append("<li><code>" + "<br>".join(esc(line) for line in lines) + "</code></li>")
        out.append("</ul></div>")
        return "\n".join(out)


# ======================================================================= explain()
def explain(
    tensor: Any,
    params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    *,
    max_elements: int = 6,
    max_steps: int = 30,
    name: str | None = None,
    file: TextIO | None = None,
) -> Explanation:
    """Replay the backward pass from ``tensor`` step by step, without changing anything.

    Args:
        tensor: a single-value tensor with a ``grad_fn`` (a loss).
        params: names for parameters (and optionally constants), e.g. ``{"W": W, "b": b}``
            or ``dict(model.named_parameters())``; others are called ``leaf #k``.
        max_elements: arrays with at most this many values are shown in full.
        max_steps: at most this many steps are printed: the first and last ones, with a
            line saying how many were left out (``.steps`` always has all of them).
        name: the name of ``tensor`` in the text (default: its name in ``params``, else
            ``"loss"``).
        file: also write the text there (e.g. ``sys.stdout``). By default nothing is
            printed: the returned object shows itself (see the module docstring).

    Returns:
        An :class:`Explanation`: ``print()`` it, or read ``.steps`` and ``.leaves``.

    Raises:
        RuntimeError: ``tensor`` does not require grad or has more than one element, or
            ``backward()`` already freed the graph.

    Example:
        >>> import glasstorch as torch
        >>> x = torch.tensor([1.0, 2.0, 3.0])
        >>> w = torch.tensor(0.5, requires_grad=True)
        >>> ex = torch.explain(torch.mean(w * x), {"w": w, "x": x}, name="cost")
        >>> ex.leaves[0].derivation[-1]
        '1/3 Σ x'
        >>> float(ex.grad(w)), w.grad is None
        (2.0, True)
    """
    from glasstorch._tensor import Tensor

    if not isinstance(tensor, Tensor):
        raise TypeError(f"explain() needs a glasstorch Tensor, not {type(tensor).__name__}")
    if not tensor._rg:
        raise RuntimeError(
            "explain() follows the graph that produced this tensor, but it does not require "
            "grad: create the parameters with requires_grad=True and don't compute it inside "
            "torch.no_grad()."
        )
    if tensor._data.size != 1:
        raise RuntimeError(
            f"explain() starts from a single number (like a loss), but this tensor has shape "
            f"{tuple(tensor.shape)}: reduce it first, e.g. explain(out.sum()) or "
            "explain(out.mean())."
        )
    named = _named(params)
    root_name = name or next((k for k, t in named if t is tensor), None) or "loss"
    result = _Replay(tensor, root_name, named).run(max_elements, max_steps)
    if file is not None:
        print(result, file=file)
    return result


def _named(params: Any) -> list[tuple[str, Any]]:
    """``params`` as (name, tensor) pairs, tensors only."""
    from glasstorch._tensor import Tensor

    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    return [(str(k), v) for k, v in items if isinstance(v, Tensor)]


# ======================================================================= the replay
class _Replay:
    """The engine's loop (``engine.run_backward``), recording each step, changing nothing.

    The gradients are computed exactly as the engine computes them (same order, same
    rules, same summing and casting), so they equal what ``backward()`` produces.
    """

    def __init__(self, root: Any, root_name: str, named: list[tuple[str, Any]]) -> None:
        self.root = root
        self.root_name = root_name
        self.order: list[Node] = [] if root.grad_fn is None else \
            topological_order([root.grad_fn])
        self.step_of = {node: i for i, node in enumerate(self.order, start=1)}
        self.param_order = [key for key, t in named if t._rg]
        self.leaf_names: dict[int, str] = {}
        for key, t in named:
            self.leaf_names.setdefault(id(t), key)
        self.unnamed: dict[int, str] = {}  # id -> "leaf1", ... for leaves not in params
        self.symbols: _Symbols | None = None
        if len(self.order) <= SYMBOLIC_NODE_LIMIT:
            self.symbols = _Symbols(self.order, self.step_of, named, self.leaf_symbol)
        # per target (node, slot or leaf): gradient so far, its formula, the flows into it
        self.pending: dict[Any, Any] = {}
        self.formulas: dict[Any, Any] = {}
        self.arrivals: dict[Any, list[tuple[int, Flow]]] = {}

    def leaf_name(self, leaf: Any) -> str:
        """The leaf's name in ``params``, else ``leaf #k (shape)`` in order of appearance."""
        name = self.leaf_names.get(id(leaf))
        if name is None:
            k = len(self.unnamed) + 1
            name = self.leaf_names[id(leaf)] = f"leaf #{k} {_shape(leaf._data)}"
            self.unnamed[id(leaf)] = f"leaf{k}"
        return name

    def leaf_symbol(self, leaf: Any) -> str:
        """The leaf in formulas: its name, or ``leaf1`` for ``leaf #1 (3,)``."""
        name = self.leaf_name(leaf)
        return self.unnamed.get(id(leaf), name)

    def run(self, max_elements: int, max_steps: int) -> Explanation:
        root = self.root
        root_key = _key_of(root)
        self.pending[root_key] = np.ones_like(root._data)
        self.formulas[root_key] = [_Term(Fraction(1), ())]
        steps: list[Step] = []
        enabled = grad_mode._enabled
        was_enabled = enabled[0]
        enabled[0] = False  # as in the engine: rules compute on arrays, nothing is recorded
        try:
            for index, node in enumerate(self.order, start=1):
                steps.append(self._step(index, node))
        finally:
            enabled[0] = was_enabled
        # What is left in `pending` are the leaves, each with the sum of what reached it.
        leaves = []
        for key, grad in self.pending.items():
            if getattr(key, "_rg", False) and key.grad_fn is None:
                arrivals = self.arrivals.get(key, [])
                leaf = LeafGradient(self.leaf_name(key), key, grad, [i for i, _ in arrivals])
                if self.symbols is not None:
                    leaf.derivation = self._derivation(key)
                leaves.append(leaf)
        # parameters in the order of `params`, then the others as they were reached
        rank = {name: i for i, name in enumerate(self.param_order)}
        leaves.sort(key=lambda leaf: rank.get(leaf.name, len(rank)))
        root_formula = None
        constants: list[str] = []
        if self.symbols is not None:
            if root.grad_fn is not None:
                root_formula = self.symbols.full[root.grad_fn]
            constants = self.symbols.legend(max_elements)
        return Explanation(self.root_name, root._data, root_formula, steps, leaves, constants,
                           max_elements, max_steps)

    def _step(self, index: int, node: Node) -> Step:
        fn = node.fn
        syms = self.symbols
        pending, formulas = self.pending, self.formulas
        step = Step(index, fn.grad_fn_name, _formula(fn), _meaning(node), node=node)
        if syms is not None:
            step.output = syms.exprs[node].text
            if step.output != syms.full[node]:
                step.definition = syms.full[node]
            if node is self.root.grad_fn:
                step.output, step.definition = self.root_name, None
            step.operands = syms.operands(node)
        if node.n_outputs == 1:
            grad = pending.pop(node, None)
            terms = formulas.pop(node, None)
            if grad is None:
                return step
        else:
            keys = [node if k == 0 else (node, k) for k in range(node.n_outputs)]
            grad = [pending.pop(k, None) for k in keys]
            terms = None  # (formulas are not written for multi-output nodes)
            if all(g is None for g in grad):
                return step
        step.grad_in = grad
        step.symbol = _render(terms)

        saved = node.saved
        if saved:
            if saved is _FREED:
                raise RuntimeError(_FREED_MESSAGE)
            if node.versions:
                _check_versions(node)
        grads = fn.backward(node, grad)  # the node is the ctx its rule saw in forward
        if type(grads) is not tuple:
            grads = (grads,)
        local = syms.local_factors(node) if syms is not None else None
        # (no strict=: as in the engine, a rule may return a trailing None for an optional
        # argument that apply() was not given)
        for i, (edge, g) in enumerate(zip(node.next, grads)):  # noqa: B905
            if edge is None:
                symbol = syms.inputs[node][i].text if syms is not None else f"input {i}"
                step.flows.append(Flow(i, symbol, "constant"))
                continue
            if g is None:
                continue
            flow = self._deliver(index, node, i, edge, g)
            step.flows.append(flow)
            if syms is None:
                continue
            factor = local[i] if local is not None and i < len(local) else None
            if factor is not None:
                flow.rule = _rule_text(factor)
            summed = bool(flow.summed_dims) or (factor is not None and factor.sums)
            new = None
            if isinstance(terms, list):
                # how many elements were added into each element of the target
                before = np.size(g if flow.summed_dims else grad)
                count = max(before // max(np.size(_delivered(flow)), 1), 1)
                new = _times(terms, factor, summed, int(count))
            key = _key_of_edge(edge)
            merged = _add([] if not flow.accumulated else formulas.get(key), new)
            formulas[key] = merged
            flow.symbol = _render(merged)
            flow.wrt = syms.edge_text(edge)
        return step

    def _deliver(self, index: int, node: Node, i: int, edge: Any, g: np.ndarray) -> Flow:
        """Reduce and cast ``g`` to the input at ``edge`` and add it to its gradient."""
        if isinstance(edge, Node):
            shape, dtype = edge.out_shape, edge.out_dtype
            target, kind = f"[{self.step_of[edge]}] {edge.fn.grad_fn_name}", "node"
        elif type(edge) is OutputSlot:
            shape, dtype = edge.node.out_meta[edge.nr]
            target = (f"[{self.step_of[edge.node]}] {edge.node.fn.grad_fn_name} "
                      f"(output {edge.nr})")
            kind = "node"
        else:
            shape, dtype = edge._data.shape, edge._data.dtype
            target, kind = self.leaf_name(edge), "leaf"
        rule_shape = tuple(g.shape)
        summed: tuple[int, ...] = ()
        unsummed = None
        if g.shape != shape:  # the engine's one place that undoes broadcasting
            summed = _broadcast_dims(g.shape, shape)
            unsummed = g
            g = unbroadcast(g, shape, node.fn.grad_fn_name)
        if g.dtype is not dtype and g.dtype != dtype:
            g = g.astype(dtype)  # as the engine: float64 numbers must not upcast float32
        key = _key_of_edge(edge)
        old = self.pending.get(key)
        total = g if old is None else old + g
        self.pending[key] = total
        flow = Flow(i, target, kind, g, rule_shape, summed, unsummed, old is not None, total)
        self.arrivals.setdefault(key, []).append((index, flow))
        return flow

    def _derivation(self, leaf: Any) -> list[str]:
        """The leaf's gradient as equalities: the last rule applied, then the formula."""
        out = []
        arrivals = self.arrivals.get(leaf, [])
        if len(arrivals) == 1:
            index, flow = arrivals[0]
            if flow.rule is not None:
                rule = flow.rule
                if flow.summed_dims:
                    count = int(np.prod(flow.rule_shape)) // max(np.size(_delivered(flow)), 1)
                    rule = f"Σ over the {count} elements of {rule}"
                out.append(rule)
        text = _render(self.formulas.get(leaf))
        if text is not None:
            out.append(text)
        return out


def _delivered(flow: Flow) -> np.ndarray:
    """The gradient a flow delivered (an empty array for constant inputs)."""
    return np.empty(0) if flow.grad is None else flow.grad


def _key_of(t: Any) -> Any:
    """Where a tensor's gradient is collected: its grad_fn (or (node, k)), or itself."""
    node = t.grad_fn
    if node is None:
        return t
    return node if t._output_nr == 0 else (node, t._output_nr)


def _key_of_edge(edge: Any) -> Any:
    if type(edge) is OutputSlot:
        return (edge.node, edge.nr) if edge.nr else edge.node
    return edge


def _broadcast_dims(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The dims of ``grad_shape`` that ``unbroadcast`` sums to reach ``shape``."""
    extra = len(grad_shape) - len(shape)
    dims = list(range(max(extra, 0)))
    for i, size in enumerate(shape):
        if size == 1 and extra + i >= 0 and grad_shape[extra + i] != 1:
            dims.append(extra + i)
    return tuple(dims)


def _elide(n: int, limit: int) -> tuple[list[int], int, int]:
    """Which of ``n`` items to show (the first and last ones), where the gap is, its size."""
    if n <= limit or limit <= 0:
        return list(range(n)), -1, 0
    head = (limit + 1) // 2
    tail = limit - head
    return list(range(head)) + list(range(n - tail, n)), n - tail, n - limit


# ======================================================================= words
_FORMULAS: dict[type, str] = {}


def _formula(fn: type) -> str:
    """The first paragraph of the Function's docstring, on one line (cached per class)."""
    text = _FORMULAS.get(fn)
    if text is None:
        first = (fn.__doc__ or "").strip().split("\n\n")[0]
        text = _FORMULAS[fn] = " ".join(line.strip() for line in first.splitlines())
    return text


def _meaning(node: Node) -> str:
    """The rule of ``node`` as a plain sentence with its own numbers."""
    describe = _SENTENCES.get(node.fn.__name__)
    if describe is not None:
        try:
            return describe(node)
        except (AttributeError, TypeError, ValueError, IndexError):
            pass  # a ctx attribute this sentence needs is missing: use the docstring
    formula = _formula(node.fn)
    rule = formula.split(";", 1)[1].strip() if ";" in formula else formula
    return f"local rule: {rule}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _n_mean(node: Any) -> str:
    n = node.n
    return f"mean over {_plural(n, 'element')}: each input element gets grad / {n}"


def _n_sum(node: Any) -> str:
    shape = node.args[0]
    n = int(np.prod(shape)) // max(int(np.prod(node.out_shape)), 1)
    return (f"sum over {_plural(n, 'element')}: each input element gets grad unchanged "
            f"(copied back to shape {tuple(shape)})")


def _n_pow(node: Any) -> str:
    c = node.exponent
    if c == 2:
        return "square: the input gets grad · 2·input"
    return f"power ** {_num(c)}: the input gets grad · {_num(c)}·input^{_num(c - 1)}"


def _n_add(node: Any) -> str:
    alpha = getattr(node, "alpha", 1)
    if alpha == 1:
        return "addition: both inputs get grad unchanged"
    return f"addition a + {_num(alpha)}·b: a gets grad, b gets {_num(alpha)}·grad"


def _n_sub(node: Any) -> str:
    alpha = getattr(node, "alpha", 1)
    if alpha == 1:
        return "subtraction a - b: a gets grad unchanged, b gets -grad"
    return f"subtraction a - {_num(alpha)}·b: a gets grad, b gets -{_num(alpha)}·grad"


def _n_mse(node: Any) -> str:
    n = node.saved[0].size
    if node.reduction == "mean":
        return (f"mean squared error over {_plural(n, 'element')}: the input gets "
                f"grad · 2/{n}·(input - target)")
    return "squared error: the input gets grad · 2·(input - target)"


def _reshape_sentence(node: Any) -> str:
    return "reshape: the gradient is reshaped back to the input's shape"


_SENTENCES: dict[str, Callable[[Any], str]] = {
    "Mean": _n_mean,
    "MeanDim": _n_mean,
    "Sum": _n_sum,
    "SumDim": _n_sum,
    "Pow": _n_pow,
    "Add": _n_add,
    "Sub": _n_sub,
    "MseLoss": _n_mse,
    "Rsub": lambda n: "number minus tensor: the tensor gets -grad",
    "Mul": lambda n: "product: each input gets grad times the other input",
    "Div": lambda n: ("division: the numerator gets grad / denominator, the denominator "
                      "gets -grad · numerator / denominator^2"),
    "Neg": lambda n: "negation: the input gets -grad",
    "Exp": lambda n: "exponential: the input gets grad · exp(input), the output itself",
    "Log": lambda n: "logarithm: the input gets grad / input",
    "Sqrt": lambda n: "square root: the input gets grad / (2·sqrt(input))",
    "Sin": lambda n: "sine: the input gets grad · cos(input)",
    "Cos": lambda n: "cosine: the input gets -grad · sin(input)",
    "Tanh": lambda n: "tanh: the input gets grad · (1 - output^2)",
    "Sigmoid": lambda n: "sigmoid: the input gets grad · output·(1 - output)",
    "Relu": lambda n: "relu: grad passes where the input was > 0, and is 0 elsewhere",
    "Abs": lambda n: "absolute value: the input gets grad · sign(input)",
    "Clone": lambda n: "copy: the gradient passes unchanged",
    "Alias": lambda n: "view: the gradient passes unchanged",
    "ToCopy": lambda n: "dtype conversion: the gradient passes, cast back",
    "Expand": lambda n: (f"broadcast from shape {tuple(n.in_shape)}: the gradient is summed "
                         "back over the repeated dims"),
}
for _name in ("View", "ReshapeAlias", "UnsafeView", "Squeeze", "SqueezeDim", "SqueezeDims",
              "Unsqueeze"):
    _SENTENCES[_name] = _reshape_sentence


# ======================================================================= numbers
def _num(v: Any) -> str:
    """A number, short: 5 significant digits, no trailing ``.0``."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    text = f"{float(v):.5g}"
    return "0" if text == "-0" else text


def _nested(values: Any) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return _num(values)


def _fmt_value(value: Any, max_elements: int) -> str:
    """An array in full when small, else its first values and a summary."""
    if value is None:
        return "none"
    a = np.asarray(value)
    if a.ndim == 0:
        return _num(a.item())
    if a.size <= max_elements:
        return _nested(a.tolist())
    flat = a.reshape(-1)
    head = ", ".join(_num(v) for v in flat[:3].tolist())
    if a.dtype.kind in "fiu":
        with np.errstate(all="ignore"):
            stats = (f"min {_num(flat.min())}, mean {_num(flat.mean())}, "
                     f"max {_num(flat.max())}")
        return f"[{head}, ...] ({a.size:,} values: {stats})"
    return f"[{head}, ...] ({a.size:,} values)"


def _shape(a: Any) -> str:
    return str(tuple(np.shape(a)))


def _paren(text: str) -> str:
    """A name stays as is (``dW``); anything else gets parentheses: ``d(x·W + b)``."""
    return text if re.fullmatch(r"[^\W\d]\w*", text) else f"({text})"


# ======================================================================= formulas
# Precedence of a formula's outermost operation: an operand whose precedence is lower than
# its context needs parentheses.
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 9


@dataclass(frozen=True, slots=True)
class _Expr:
    """A forward formula: its text, the precedence of its outer op, its number if any."""

    text: str
    prec: int = _ATOM
    number: float | None = None


def _wrap(e: _Expr, prec: int) -> str:
    return f"({e.text})" if e.prec < prec else e.text


def _coef(v: Any) -> Fraction | float:
    """Exact fractions for whole numbers (so 1/3 · 2 shows as 2/3), floats otherwise."""
    v = float(v)
    return Fraction(int(v)) if v.is_integer() else v


@dataclass(frozen=True, slots=True)
class _Factor:
    """A local derivative: ``coef`` times the product of ``factors``.

    ``sums``: the rule itself adds elements up (``expand``), like the summing of broadcast
    dimensions does.
    """

    coef: Fraction | float
    factors: tuple[str, ...] = ()
    sums: bool = False


@dataclass(frozen=True, slots=True)
class _Term:
    """One product in a gradient formula (which is a sum of such terms)."""

    coef: Fraction | float
    factors: tuple[str, ...]


def _coef_text(c: Fraction | float) -> str:
    return str(c) if isinstance(c, Fraction) else _num(c)  # Fraction: "2/3", "-1", "2"


def _product(factors: tuple[str, ...]) -> str:
    if len(factors) == 1:
        return factors[0]
    return "·".join(f"({f})" if f.startswith("Σ") else f for f in factors)


def _render_term(t: _Term) -> str:
    if not t.factors:
        return _coef_text(t.coef)
    body = _product(t.factors)
    if t.coef == 1:
        return body
    if t.coef == -1:
        return "-" + body
    sep = " " if body.startswith("Σ") else "·"
    return _coef_text(t.coef) + sep + body


def _render(terms: Any) -> str | None:
    """A gradient formula as text; None when it is not known."""
    if not isinstance(terms, list):
        return None
    if not terms:
        return "0"
    return " + ".join(_render_term(t) for t in terms).replace("+ -", "- ")


def _rule_text(f: _Factor) -> str:
    """The local rule applied to the incoming gradient: ``grad / 3``, ``grad · x``."""
    if not f.factors:
        if f.coef == 1:
            return "grad"
        if f.coef == -1:
            return "-grad"
        if isinstance(f.coef, Fraction) and f.coef.numerator == 1:
            return f"grad / {f.coef.denominator}"
        return f"{_coef_text(f.coef)}·grad"
    body = _product(f.factors)
    if f.coef == 1:
        return f"grad · {body}"
    if f.coef == -1:
        return f"-grad · {body}"
    return f"grad · {_coef_text(f.coef)}·{body}"


def _times(terms: list[_Term], factor: _Factor | None, summed: bool, count: int) -> Any:
    """Each term times the local factor, then summed over ``count`` elements if ``summed``.

    Returns None (formula unknown) when the factor is.
    """
    if factor is None:
        return None
    out = []
    for t in terms:
        coef = t.coef * factor.coef
        factors = t.factors + factor.factors
        if summed:
            if factors:
                # Σ (c·a·b) = c·Σ (a·b): the constant stays outside the sum
                factors = ("Σ " + _product(factors),)
            else:
                coef = coef * count  # a constant added up `count` times
        out.append(_Term(coef, factors))
    return out


def _add(old: Any, new: Any) -> Any:
    """Add two gradient formulas, merging terms with the same factors (2·x + 3·x = 5·x)."""
    if not isinstance(old, list) or not isinstance(new, list):
        return None
    merged: dict[tuple[str, ...], Any] = {}
    for t in old + new:
        merged[t.factors] = merged.get(t.factors, 0) + t.coef
    terms = [_Term(c, f) for f, c in merged.items() if c != 0]
    if len(terms) > MAX_TERMS or sum(len(_render_term(t)) for t in terms) > 300:
        return None  # too long to read: the numbers still say it all
    return terms


class _Symbols:
    """Forward formulas of a small graph's nodes, and the local derivative of each edge."""

    def __init__(self, order: list[Node], step_of: dict[Node, int],
                 named: list[tuple[str, Any]], leaf_symbol: Callable[[Any], str]) -> None:
        self.step_of = step_of
        self.leaf_symbol = leaf_symbol
        self.exprs: dict[Node, _Expr] = {}  # as used inside other formulas (maybe "out3")
        self.full: dict[Node, str] = {}  # the whole formula
        self.inputs: dict[Node, list[_Expr]] = {}
        self.legend_items: list[tuple[str, Any]] = []
        self.constants = self._name_constants(order, named)
        for node in reversed(order):  # oldest first: inputs before the nodes using them
            ops = [self._operand(node, i, edge) for i, edge in enumerate(node.next)]
            self.inputs[node] = ops
            expr = _forward(node, ops)
            self.full[node] = expr.text
            if len(expr.text) > MAX_EXPR_CHARS:
                expr = _Expr(f"out{step_of[node]}")
            self.exprs[node] = expr

    # ---------------------------------------------------------------- constants
    def _name_constants(self, order: list[Node],
                        named: list[tuple[str, Any]]) -> dict[tuple[Node, int], _Expr]:
        """A symbol for every input slot that needs no gradient (data and numbers)."""
        out: dict[tuple[Node, int], _Expr] = {}
        consts = [(k, t) for k, t in named if not t._rg]
        matched: set[int] = set()
        unknown: list[tuple[Node, int]] = []
        taken = {k for k, _ in named}
        count = 0

        def fresh(value: Any) -> _Expr:
            nonlocal count
            count += 1
            while f"k{count}" in taken:
                count += 1
            self.legend_items.append((f"k{count}", value))
            return _Expr(f"k{count}")

        for node in reversed(order):
            for i, edge in enumerate(node.next):
                if edge is not None:
                    continue
                value = _constant_value(node, i)
                if value is _UNKNOWN:
                    unknown.append((node, i))
                    continue
                if value is _SHOWN:
                    continue
                if not isinstance(value, np.ndarray) or value.ndim == 0:
                    v = float(value)  # a number (or 0-dim tensor): written as itself
                    out[(node, i)] = _Expr(_num(v), _ATOM if v >= 0 else _NEG, v)
                    continue
                hit = next((t for _, t in consts if t._data is value), None)
                if hit is None:  # a copy with the same values (x ** 2 computed again)
                    hit = next((t for _, t in consts if t._data.shape == value.shape
                                and np.array_equal(t._data, value)), None)
                if hit is None:
                    out[(node, i)] = fresh(value)
                else:
                    matched.add(id(hit))
                    out[(node, i)] = _Expr(next(k for k, t in consts if t is hit))
        # A constant that the graph does not keep (the y of h - y) can only be named when a
        # single named constant is left over and it fits the single such slot by shape.
        left = [(k, t) for k, t in consts if id(t) not in matched]
        for slot in unknown:
            if len(unknown) == 1 and len(left) == 1 and _fits(slot, left[0][1]._data.shape):
                out[slot] = _Expr(left[0][0])
            else:
                out[slot] = fresh(None)
        return out

    def legend(self, max_elements: int) -> list[str]:
        """What each ``k1``, ``k2`` ... stands for."""
        items = [f"{sym} = {_fmt_value(value, max_elements)}"
                 for sym, value in self.legend_items if value is not None]
        unkept = [sym for sym, value in self.legend_items if value is None]
        if unkept:
            items.append(f"{', '.join(unkept)}: constant(s) (tensors or numbers) whose values "
                         "the graph does not keep; pass tensors in params to name them")
        return items

    # ---------------------------------------------------------------- formulas
    def _operand(self, node: Node, i: int, edge: Any) -> _Expr:
        if edge is None:
            return self.constants.get((node, i), _Expr("?"))
        if isinstance(edge, Node):
            return self.exprs[edge]
        if type(edge) is OutputSlot:
            return _Expr(f"out{self.step_of[edge.node]}[{edge.nr}]")
        return _Expr(self.leaf_symbol(edge))

    def edge_text(self, edge: Any) -> str:
        """The formula of what ``edge`` leads to."""
        if isinstance(edge, Node):
            return self.exprs[edge].text
        if type(edge) is OutputSlot:
            return f"out{self.step_of[edge.node]}[{edge.nr}]"
        return self.leaf_symbol(edge)

    def operands(self, node: Node) -> list[tuple[str, Any]]:
        """The saved values the rule multiplies by, with their symbols."""
        name = node.fn.__name__
        ops = self.inputs.get(node, [])
        saved = node.saved if node.saved is not _FREED else ()
        out: list[tuple[str, Any]] = []
        if name == "Mul" and len(saved) == 2:
            for s, arr in ((1, saved[0]), (0, saved[1])):  # Mul saves (y, x)
                if isinstance(arr, np.ndarray) and ops[s].number is None \
                        and all(sym != ops[s].text for sym, _ in out):
                    out.append((ops[s].text, arr))
        elif name == "Div" and len(saved) == 2:
            for label, op, arr in zip(("numerator", "denominator"), ops, saved, strict=True):
                if isinstance(arr, np.ndarray):
                    out.append((f"{label} {op.text}", arr))
        elif name in ("Pow", "Log", "Sin", "Cos", "Abs") and saved and ops:
            if isinstance(saved[0], np.ndarray):
                out.append((f"input {ops[0].text}", saved[0]))
        return out

    def local_factors(self, node: Node) -> list[_Factor | None] | None:
        """The local derivative for each input of ``node`` (None: not written out)."""
        rule = _FACTORS.get(node.fn.__name__)
        if rule is None:
            return None
        try:
            return rule(node, self.inputs[node])
        except (AttributeError, TypeError, ValueError, IndexError, ZeroDivisionError):
            return None  # a ctx attribute is missing (an unusual call): no formula


def _fits(slot: tuple[Node, int], shape: tuple[int, ...]) -> bool:
    """Could a constant of ``shape`` be input ``i`` of ``node`` (by broadcasting)?"""
    node, i = slot
    others = []
    for j, edge in enumerate(node.next):
        if j == i or edge is None:
            continue
        if isinstance(edge, Node):
            others.append(edge.out_shape)
        elif type(edge) is OutputSlot:
            others.append(edge.node.out_meta[edge.nr][0])
        else:
            others.append(edge._data.shape)
    try:
        return tuple(np.broadcast_shapes(shape, *others)) == tuple(node.out_shape)
    except ValueError:
        return False


_UNKNOWN = object()  # the node does not keep this constant's value
_SHOWN = object()  # a number the op's formula shows anyway (the 2 of x ** 2)


def _constant_value(node: Node, i: int) -> Any:
    """The value of input ``i`` (which needs no gradient) when the node kept it."""
    name = node.fn.__name__
    saved = node.saved if node.saved is not _FREED else ()
    if name == "Pow" and i == 1:
        return _SHOWN
    if name == "Mul" and len(saved) == 2:
        value = saved[1 - i]  # Mul saves (y, x): each input's gradient needs the other
        return _UNKNOWN if value is None else value
    if name == "Div" and len(saved) == 2:
        return saved[i]
    return _UNKNOWN


def _forward(node: Node, ops: list[_Expr]) -> _Expr:
    """The output of ``node`` as a formula of its inputs' formulas."""
    name = node.fn.__name__
    a = ops[0] if ops else _Expr("?")
    b = ops[1] if len(ops) > 1 else _Expr("?")
    alpha = getattr(node, "alpha", 1)
    if name in ("Add", "Sub", "Rsub"):
        if name == "Rsub":
            a, b = b, a  # Rsub(x, c) is c - x
        if alpha != 1:
            b = _Expr(f"{_num(alpha)}·{_wrap(b, _MUL)}", _MUL)
        if name == "Add":
            return _Expr(f"{a.text} + {_wrap(b, _ADD)}", _ADD)
        return _Expr(f"{a.text} - {_wrap(b, _MUL)}", _ADD)
    if name == "Mul":
        return _Expr(f"{_wrap(a, _MUL)}·{_wrap(b, _MUL)}", _MUL)
    if name == "Div":
        return _Expr(f"{_wrap(a, _MUL)}/{_wrap(b, _NEG)}", _MUL)
    if name == "Pow":
        return _Expr(f"{_wrap(a, _ATOM)}^{_num(getattr(node, 'exponent', '?'))}", _POW)
    if name == "Neg":
        return _Expr(f"-{_wrap(a, _POW)}", _NEG)
    if name == "Abs":
        return _Expr(f"|{a.text}|")
    if name in _SHAPE_ONLY:
        return a
    fname = _FUNCTION_NAMES.get(name, name.lower())
    return _Expr(f"{fname}({', '.join(o.text for o in ops)})")


_SHAPE_ONLY = {"View", "ReshapeAlias", "UnsafeView", "Squeeze", "SqueezeDim", "SqueezeDims",
               "Unsqueeze", "Clone", "Alias", "ToCopy", "Expand"}
_FUNCTION_NAMES = {"MeanDim": "mean", "SumDim": "sum", "Sigmoid": "σ", "MseLoss": "mse"}

_Rule = Callable[[Any, list[_Expr]], list[_Factor | None]]


def _f_by(e: _Expr) -> _Factor:
    """Multiplying by ``e``: a number goes into the coefficient, a formula into factors."""
    if e.number is not None:
        return _Factor(_coef(e.number))
    return _Factor(Fraction(1), (_wrap(e, _MUL),))


def _f_pow(node: Any, ops: list[_Expr]) -> list[_Factor | None]:
    c = node.exponent
    if c in (0, 1):
        return [_Factor(Fraction(int(c)))]  # x^0 is constant; x^1 passes grad unchanged
    if c == 2:
        return [_Factor(_coef(2), (_wrap(ops[0], _MUL),))]
    return [_Factor(_coef(c), (f"{_wrap(ops[0], _ATOM)}^{_num(c - 1)}",))]


def _f_mse(node: Any, ops: list[_Expr]) -> list[_Factor | None]:
    n = node.saved[0].size if node.reduction == "mean" else 1  # "sum" and "none": 2·diff
    diff = (f"({ops[0].text} - {_wrap(ops[1], _MUL)})",)
    return [_Factor(Fraction(2, n), diff), _Factor(Fraction(-2, n), diff)]


def _f_one(node: Any, ops: list[_Expr]) -> list[_Factor | None]:
    return [_Factor(Fraction(1))]


def _f_call(template: str, coef: int = 1) -> _Rule:
    """A one-input rule ``coef · template(input)``."""
    return lambda node, ops: [_Factor(Fraction(coef), (template.format(x=ops[0].text),))]


_FACTORS: dict[str, _Rule] = {
    "Add": lambda n, ops: [_Factor(Fraction(1)), _Factor(_coef(getattr(n, "alpha", 1)))],
    "Sub": lambda n, ops: [_Factor(Fraction(1)), _Factor(-_coef(getattr(n, "alpha", 1)))],
    "Rsub": lambda n, ops: [_Factor(-_coef(getattr(n, "alpha", 1)))],
    "Mul": lambda n, ops: [_f_by(ops[1]), _f_by(ops[0])],
    "Div": lambda n, ops: [
        _Factor(Fraction(1), (f"1/{_wrap(ops[1], _ATOM)}",)),
        _Factor(Fraction(-1), (f"{_wrap(ops[0], _MUL)}/{_wrap(ops[1], _ATOM)}^2",)),
    ],
    "Pow": _f_pow,
    "Neg": lambda n, ops: [_Factor(Fraction(-1))],
    "Mean": lambda n, ops: [_Factor(Fraction(1, n.n))],
    "MeanDim": lambda n, ops: [_Factor(Fraction(1, n.n))],
    "Sum": _f_one,
    "SumDim": _f_one,
    "Expand": lambda n, ops: [_Factor(Fraction(1), (), sums=True)],
    "Exp": _f_call("exp({x})"),
    "Log": lambda n, ops: [_Factor(Fraction(1), (f"1/{_wrap(ops[0], _ATOM)}",))],
    "Sin": _f_call("cos({x})"),
    "Cos": _f_call("sin({x})", -1),
    "Tanh": _f_call("(1 - tanh({x})^2)"),
    "Sigmoid": _f_call("σ({x})·(1 - σ({x}))"),
    "Relu": _f_call("[{x} > 0]"),
    "Abs": _f_call("sign({x})"),
    "MseLoss": _f_mse,
}
for _name in _SHAPE_ONLY - {"Expand"}:
    _FACTORS[_name] = _f_one
