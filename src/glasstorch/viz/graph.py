r"""``make_dot``: draw the autograd graph behind a tensor, as torchviz does.

``make_dot(loss, params={'W': W, 'B': B})`` walks back from ``loss`` through its ``grad_fn``
nodes and returns a :class:`Digraph` whose ``.source`` is the same DOT text torchviz writes
for the same program in PyTorch: grey ``MulBackward0``-style boxes for the recorded ops,
``AccumulateGrad`` boxes in front of the leaves, light-blue leaves labelled with their name
from ``params`` and their shape (``W\n ()``), the output in green (darkolivegreen1), and,
with ``show_saved=True``, what each op saved for backward in orange. Edges point the way the
forward pass ran: from inputs to the ops that consumed them.

In Jupyter, ``display(g)`` (or leaving ``g`` as a cell's last line) shows the picture.
Drawing needs Graphviz's ``dot`` program; building the DOT text needs nothing, so
``.source`` works everywhere. ``show_values=True`` is glasstorch's addition: each tensor
box also shows the tensor's value and, after ``backward()``, its gradient.

Where the output differs from torchviz, on purpose:

- node ids are ``n0``, ``n1``... in the order nodes are met, not memory addresses, so the
  same program always gives the same text;
- a saved tensor is labelled ``saved[i]`` (its position in ``ctx.saved_tensors``, which is
  how the op's backward reads it) where torch names its C++ field (``self``, ``other``);
- ``show_attrs`` lists what glasstorch's backward rules stored on ``ctx`` (``exponent``,
  ``n``...), which is not always what torch's C++ nodes store.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from glasstorch._io import atomic_write
from glasstorch._tensor import Tensor
from glasstorch._tensor_str import _tensor_str
from glasstorch.autograd.function import _FREED, AccumulateGrad, Node, OutputSlot

__all__ = ["Digraph", "ExecutableNotFound", "make_dot"]

# torchviz's look, attribute for attribute (graphviz writes attributes sorted by name).
NODE_ATTR = {
    "align": "left",
    "fontname": "monospace",
    "fontsize": "10",
    "height": "0.2",
    "ranksep": "0.1",
    "shape": "box",
    "style": "filled",
}
PARAM_COLOR = "lightblue"  # leaves whose .grad backward() fills
SAVED_COLOR = "orange"  # tensors an op saved for its backward rule
OUTPUT_COLOR = "darkolivegreen1"  # the tensor(s) passed to make_dot
BASE_COLOR = "darkolivegreen3"  # the base tensor of an output that is a view

# What make_dot's show_attrs leaves out of a node's attributes: the engine's bookkeeping,
# not values the op's backward rule chose to keep.
_INTERNAL_ATTRS = frozenset({
    "fn", "seq", "next", "needs_input_grad", "out_shape", "out_dtype", "out_meta",
    "saved", "versions", "retained", "n_outputs", "hooks",
})
_SMALL_TENSOR = 10  # show_values prints tensors with at most this many elements in full

INSTALL_HINT = (
    "Drawing the graph needs Graphviz's `dot` program, which was not found on PATH.\n"
    "Install it with your system's package manager:\n"
    "    apt-get install graphviz        (Debian/Ubuntu)\n"
    "    brew install graphviz           (macOS)\n"
    "    conda install -c conda-forge graphviz\n"
    "    https://graphviz.org/download/  (Windows installer; tick 'add to PATH')\n"
    "and, optionally, the Python bindings: pip install 'glasstorch[viz]'.\n"
    "Without it, `.source` still gives the DOT text: paste it into any DOT viewer, e.g. "
    "https://dreampuf.github.io/GraphvizOnline"
)


class ExecutableNotFound(RuntimeError):
    """Graphviz's ``dot`` program is needed to draw a graph and is not installed."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        super().__init__(message)


# ----------------------------------------------------------------------------- DOT text
_DOT_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))\Z")
_DOT_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


def _quote(text: str) -> str:
    """A DOT identifier for ``text``: bare when DOT allows it (as graphviz writes it)."""
    if _DOT_ID.match(text) and text.lower() not in _DOT_KEYWORDS:
        return text
    # Backslashes are escaped too, so a name is shown exactly as typed (graphviz would
    # read "a\n" inside a name as an escape sequence).
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attr_list(label: str | None, attrs: Mapping[str, str]) -> str:
    """`` [label=... a=b]`` in graphviz's order: the label, then the rest sorted by name."""
    parts = [] if label is None else [f"label={_quote(label)}"]
    parts += [f"{key}={_quote(value)}" for key, value in sorted(attrs.items())]
    return f" [{' '.join(parts)}]" if parts else ""


class Digraph:
    """A drawn-on-demand graph: DOT text plus the means to turn it into a picture.

    It stands in for the ``graphviz.Digraph`` torchviz returns, without needing the
    graphviz package: ``.source`` is the DOT text; ``render``/``pipe`` and Jupyter's display
    call Graphviz's ``dot`` (through the ``graphviz`` package when it is installed,
    otherwise directly).

    Attributes:
        format: the default output format of ``render`` and ``pipe`` (``'pdf'``, as in
            graphviz); set it to ``'png'`` or ``'svg'`` to change it.

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.viz import make_dot
        >>> w = torch.tensor(2.0, requires_grad=True)
        >>> g = make_dot(w * 3, params={'w': w})
        >>> print(g.source.splitlines()[0])
        digraph {
    """

    def __init__(self, body: list[str], graph_attr: Mapping[str, str],
                 node_attr: Mapping[str, str], format: str = "pdf") -> None:
        self.body = list(body)
        self.graph_attr = dict(graph_attr)
        self.node_attr = dict(node_attr)
        self.format = format
        self._svg: str | None = None  # cached drawing for repeated displays

    @property
    def source(self) -> str:
        """The graph in the DOT language, exactly as graphviz would write it."""
        lines = ["digraph {"]
        if self.graph_attr:
            lines.append(f"\tgraph{_attr_list(None, self.graph_attr)}")
        if self.node_attr:
            lines.append(f"\tnode{_attr_list(None, self.node_attr)}")
        lines += self.body
        return "\n".join(lines) + "\n}\n"

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        nodes = sum(1 for line in self.body if " -> " not in line)
        return (f"<glasstorch.viz.Digraph: {nodes} node statements, "
                f"{len(self.body) - nodes} edges; .source for the DOT text>")

    # ------------------------------------------------------------------ drawing
    def pipe(self, format: str | None = None) -> bytes:
        """The drawing as bytes (``format`` defaults to ``self.format``).

        Raises:
            ExecutableNotFound: Graphviz's ``dot`` is not installed (the message says how
                to install it).
            RuntimeError: ``dot`` rejected the graph or the format.
        """
        return _run_dot(self.source, _check_format(format or self.format))

    def render(self, filename: str | os.PathLike[str] | None = None,
               directory: str | os.PathLike[str] | None = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, *,
               outfile: str | os.PathLike[str] | None = None) -> str:
        """Save the DOT source and draw it next to it, as ``graphviz.Digraph.render`` does.

        The source goes to ``directory/filename`` (default ``Digraph.gv``) and the drawing
        to the same path plus ``.<format>`` (``Digraph.gv.pdf``). With ``outfile``, the
        drawing goes there instead and its suffix gives the format (``'graph.png'``).
        Both files are written atomically (a temporary file, then a rename).

        Args:
            filename: where to save the DOT source.
            directory: folder for ``filename`` (created if missing).
            view: open the drawing with the system's viewer afterwards.
            cleanup: delete the DOT source file once the drawing is made.
            format: ``'svg'``, ``'png'``, ``'pdf'``... (default ``self.format``).
            outfile: where to write the drawing.

        Returns:
            The path of the drawing.

        Example (needs Graphviz's ``dot`` program, so it is not run as a doctest)::

            make_dot(loss).render('loss_graph', format='png')   # -> 'loss_graph.png'
        """
        if outfile is not None:
            out_path = Path(outfile)
            if format is None and out_path.suffix:
                format = out_path.suffix[1:].lower()
            if filename is None:
                filename = out_path.with_suffix(".gv").name
                directory = directory if directory is not None else out_path.parent
        fmt = _check_format(format or self.format)
        src_path = Path(directory or "") / (filename if filename is not None else "Digraph.gv")
        if outfile is None:
            out_path = src_path.with_name(f"{src_path.name}.{fmt}")
        if out_path.resolve() == src_path.resolve():
            raise ValueError(f"the drawing would overwrite the DOT source {src_path}; "
                             "give render() another filename")
        drawing = self.pipe(fmt)  # first, so a missing `dot` leaves no files behind
        for path in (src_path, out_path):
            path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(src_path, self.source)
        atomic_write(out_path, drawing)
        if cleanup:
            src_path.unlink()
        if view:
            _open_in_viewer(out_path)
        return str(out_path)

    def save(self, filename: str | os.PathLike[str] | None = None,
             directory: str | os.PathLike[str] | None = None) -> str:
        """Write the DOT source to ``directory/filename`` (atomically); return the path.

        Needs no Graphviz: the file can be drawn later with ``dot -Tpng file -o file.png``.
        """
        path = Path(directory or "") / (filename if filename is not None else "Digraph.gv")
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.source)
        return str(path)

    def view(self) -> str:
        """Draw the graph to ``Digraph.gv.<format>`` and open it with the system's viewer."""
        return self.render(view=True)

    # ------------------------------------------------------------------ Jupyter
    def _repr_svg_(self) -> str | None:
        """The drawing as SVG, or ``None`` (IPython then uses another representation)."""
        if self._svg is None:
            try:
                self._svg = self.pipe("svg").decode("utf-8")
            except (ExecutableNotFound, RuntimeError):
                return None
        return self._svg

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None) -> dict[str, str]:
        """What Jupyter displays: the SVG drawing, or the DOT text and how to get drawings."""
        bundle: dict[str, str] = {}
        svg = self._repr_svg_()
        if svg is not None:
            bundle["image/svg+xml"] = svg
        else:
            bundle["text/plain"] = (
                self.source + "\n(Not drawn: Graphviz's `dot` program is not installed. "
                "Install it (apt-get install graphviz / brew install graphviz / conda "
                "install -c conda-forge graphviz) to see the picture.)"
            )
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        if exclude is not None:
            bundle = {k: v for k, v in bundle.items() if k not in set(exclude)}
        return bundle


def _check_format(fmt: str) -> str:
    # dot takes the format on its command line: refuse anything that is not a plain name
    if not re.fullmatch(r"[a-z0-9_:]+", fmt or ""):
        raise ValueError(f"unknown output format {fmt!r}; use e.g. 'svg', 'png' or 'pdf'")
    return fmt


def _run_dot(source: str, fmt: str) -> bytes:
    """Run Graphviz's ``dot -T<fmt>`` on ``source``: via the graphviz package, else directly."""
    graphviz: Any
    try:  # optional (pip install 'glasstorch[viz]'); imported by name, as it has no types
        graphviz = importlib.import_module("graphviz")
    except ImportError:
        graphviz = None
    if graphviz is not None:
        try:
            return graphviz.Source(source).pipe(format=fmt)
        except graphviz.ExecutableNotFound as err:
            raise ExecutableNotFound() from err
        except subprocess.CalledProcessError as err:
            raise RuntimeError(f"Graphviz's dot failed: {_stderr_of(err)}") from err
    exe = shutil.which("dot")
    if exe is None:
        raise ExecutableNotFound()
    proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"Graphviz's dot failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def _stderr_of(err: subprocess.CalledProcessError) -> str:
    stderr = err.stderr
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    return str(stderr or err)


def _open_in_viewer(path: Path) -> None:
    """Open ``path`` with the platform's default application (``view=True``)."""
    if sys.platform == "win32":
        os.startfile(str(path))  # type: ignore[attr-defined]  # (Windows only)
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise RuntimeError(f"cannot open {path}: no `{opener}` program to open it with")
    subprocess.Popen([opener, str(path)])


# ----------------------------------------------------------------------------- make_dot
def make_dot(var: Any, params: Mapping[str, Tensor] | Iterable[tuple[str, Tensor]] | None = None,
             show_attrs: bool = False, show_saved: bool = False, max_attr_chars: int = 50,
             *, show_values: bool = False) -> Digraph:
    """The autograd graph that produced ``var``, as torchviz's ``make_dot`` draws it.

    Grey boxes are the recorded ops (``MulBackward0``...), light-blue boxes the leaves
    whose ``.grad`` ``backward()`` fills (labelled with their name from ``params`` and
    their shape), the green box is ``var`` itself, and orange boxes (``show_saved``) are
    the tensors an op kept for its backward rule. The walk uses an explicit stack, so a
    graph of any depth works.

    Args:
        var: the output tensor, or a tuple of them.
        params: names for the leaves, e.g. ``{'W': W}`` or
            ``dict(model.named_parameters())``.
        show_attrs: list, under each op's name, the non-tensor values its backward rule
            stored (``exponent: 2``).
        show_saved: draw the tensors each op saved for backward (freed by ``backward()``
            unless it ran with ``retain_graph=True``).
        max_attr_chars: with ``show_attrs``, longer values are cut to this many characters.
        show_values: (glasstorch only) print each tensor's value in its box and, once
            ``backward()`` has filled it, its gradient; tensors of more than 10 elements
            are summarised by mean, min and max.

    Returns:
        A :class:`Digraph`: ``.source`` is the DOT text; Jupyter displays the drawing;
        ``.render('name', format='png')`` writes a picture (needs Graphviz's ``dot``).

    Example:
        >>> import glasstorch as torch
        >>> from glasstorch.viz import make_dot
        >>> W = torch.tensor(1.0, requires_grad=True)
        >>> g = make_dot(W * torch.tensor([1.0, 2.0]), params={'W': W})
        >>> print(g.source)  # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS
        digraph {
            graph [size="12,12"]
            node [align=left fontname=monospace fontsize=10 ... style=filled]
            n0 [label="
         (2)" fillcolor=darkolivegreen1]
            n1 [label=MulBackward0]
            n2 -> n1
            n3 [label="W
         ()" fillcolor=lightblue]
            n3 -> n2
            n2 [label=AccumulateGrad]
            n1 -> n0
        }

    With Graphviz's ``dot`` program installed, ``g.render('mul', format='png')`` writes
    ``mul.png`` and returns its path.
    """
    if params is None:
        names: dict[int, str] = {}
    else:
        pairs = params.items() if isinstance(params, Mapping) else params
        names = {}
        for name, tensor in pairs:
            if not isinstance(tensor, Tensor):
                raise TypeError(f"make_dot: params[{name!r}] is a {type(tensor).__name__}, "
                                "not a Tensor")
            names[id(tensor)] = name
    outputs = var if isinstance(var, (tuple, list)) else (var,)
    for out in outputs:
        if not isinstance(out, Tensor):
            raise TypeError(f"make_dot expects a Tensor (or a tuple of Tensors), "
                            f"got {type(out).__name__}")
    builder = _GraphBuilder(names, show_attrs, show_saved, max(max_attr_chars, 3), show_values)
    for out in outputs:
        builder.add_output(out)
    # torchviz's resize_graph: the drawing grows with the number of statements
    size = max(12, len(builder.body) * 0.15)
    return Digraph(builder.body, {"size": f"{size},{size}"}, NODE_ATTR)


class _GraphBuilder:
    """Collects the DOT statements, in the order torchviz's recursive walk emits them."""

    def __init__(self, names: dict[int, str], show_attrs: bool, show_saved: bool,
                 max_attr_chars: int, show_values: bool) -> None:
        self.names = names
        self.show_attrs = show_attrs
        self.show_saved = show_saved
        self.max_attr_chars = max_attr_chars
        self.show_values = show_values
        self.body: list[str] = []
        self.seen: set[int] = set()  # ids of what has been added (tensors, nodes, arrays)
        self._ids: dict[int, str] = {}
        # Everything given an id stays referenced here, so Python cannot reuse its id() for
        # another object while the graph is built; and one AccumulateGrad per leaf, as torch.
        self._keep: list[Any] = []
        self._accumulators: dict[int, AccumulateGrad] = {}

    # -- statements
    def _id(self, obj: Any) -> str:
        key = id(obj)
        if key not in self._ids:
            self._ids[key] = f"n{len(self._ids)}"
            self._keep.append(obj)
        return self._ids[key]

    def node(self, obj: Any, label: str, color: str | None = None) -> None:
        attrs = {} if color is None else {"fillcolor": color}
        self.body.append(f"\t{self._id(obj)}{_attr_list(label, attrs)}")

    def edge(self, tail: Any, head: Any, **attrs: str) -> None:
        self.body.append(f"\t{self._id(tail)} -> {self._id(head)}{_attr_list(None, attrs)}")

    # -- the walk
    def add_output(self, var: Tensor, color: str = OUTPUT_COLOR) -> None:
        """A tensor passed to make_dot (or, dark green, the base of one that is a view)."""
        if id(var) in self.seen:
            return
        self.seen.add(id(var))
        self.node(var, self._tensor_label(var, var._data), color)
        if var.grad_fn is not None:
            self.add_nodes(var.grad_fn)
            self.edge(var.grad_fn, var)
        if var._base is not None:
            # Recursion is one level deep at most: a view's _base is never itself a view.
            self.add_output(var._base, BASE_COLOR)
            self.edge(var._base, var, style="dotted")

    def add_nodes(self, root: Node) -> None:
        """Add ``root`` and every node behind it, depth first, without recursion.

        torchviz's recursive ``add_nodes`` emits, for each node: its saved tensors, its
        leaf (for an AccumulateGrad), the node itself, then for each input an edge followed
        by that input's whole subgraph. A stack of "inputs still to visit" iterators
        reproduces that order exactly, at any depth.
        """
        if id(root) in self.seen:
            return
        stack: list[tuple[Any, Iterator[Any]]] = [(root, self._enter(root))]
        while stack:
            consumer, inputs = stack[-1]
            fn = next(inputs, None)
            if fn is None:
                stack.pop()
                continue
            self.edge(fn, consumer)
            if id(fn) not in self.seen:
                stack.append((fn, self._enter(fn)))

    def _enter(self, fn: Any) -> Iterator[Any]:
        """Emit ``fn``'s own statements; return an iterator over the nodes feeding it."""
        self.seen.add(id(fn))
        if isinstance(fn, AccumulateGrad):
            leaf = fn.variable
            self.seen.add(id(leaf))
            self.node(leaf, self._tensor_label(leaf, leaf._data), PARAM_COLOR)
            self.edge(leaf, fn)
            self.node(fn, "AccumulateGrad")
            return iter(())
        if self.show_saved and fn.saved is not _FREED:
            for i, arr in enumerate(fn.saved):
                if isinstance(arr, np.ndarray):
                    self.seen.add(id(arr))
                    self.edge(fn, arr, dir="none")
                    self.node(arr, self._array_label(f"saved[{i}]", arr), SAVED_COLOR)
        self.node(fn, self._fn_label(fn))
        return self._inputs(fn)

    def _inputs(self, fn: Node) -> Iterator[Any]:
        """The nodes feeding ``fn``, as torch's ``next_functions`` lists them."""
        for edge in fn.next:
            if edge is None:
                continue  # an input that needs no gradient: torch draws nothing either
            if isinstance(edge, Node):
                yield edge
            elif type(edge) is OutputSlot:
                yield edge.node
            else:  # a leaf: its gradient goes through the leaf's (one) AccumulateGrad
                acc = self._accumulators.get(id(edge))
                if acc is None:
                    acc = self._accumulators[id(edge)] = AccumulateGrad(edge)
                yield acc

    # -- labels
    def _tensor_label(self, t: Tensor, data: np.ndarray) -> str:
        label = self._array_label(self.names.get(id(t), ""), data)
        # a leaf that requires grad always shows its grad ("None" until backward() runs)
        if self.show_values and ((t.grad_fn is None and t._rg) or t._grad is not None):
            grad = t._grad
            label += "\ngrad: " + ("None" if grad is None else _format_value(grad._data))
        return label

    def _array_label(self, name: str, data: np.ndarray) -> str:
        # torchviz's "%s\n %s" with its size_to_str: a 1-d size prints as (5), not (5,)
        label = f"{name}\n ({', '.join(str(int(s)) for s in data.shape)})"
        if self.show_values:
            label += "\nvalue: " + _format_value(data)
        return label

    def _fn_label(self, fn: Node) -> str:
        name = fn.name()
        if self.show_values:
            # an op's output survives only if the user kept it and asked for its grad
            for ref in fn.retained or ():
                t = ref()
                if t is not None:
                    name += "\nvalue: " + _format_value(t._data)
                    if t._grad is not None:
                        name += "\ngrad: " + _format_value(t._grad._data)
                    break
        if not self.show_attrs:
            return name
        return name + _attr_table(fn, len(name.split("\n", 1)[0]), self.max_attr_chars)


def _attr_table(fn: Node, name_width: int, max_chars: int) -> str:
    """torchviz's attribute table: a rule, then ``key: value`` lines in two columns."""
    attrs: dict[str, str] = {}
    if fn.saved is _FREED:
        attrs["saved"] = "freed by backward()"
    else:
        for i, val in enumerate(fn.saved):
            attrs[f"saved[{i}]"] = "[saved tensor]" if isinstance(val, np.ndarray) else str(val)
    for key, val in sorted(vars(fn).items()):
        if key not in _INTERNAL_ATTRS and not key.startswith("_"):
            attrs[key] = "[saved tensor]" if isinstance(val, np.ndarray) else str(val)
    if not attrs:
        return ""
    col1 = max(len(k) for k in attrs)
    col2 = min(max(len(v) for v in attrs.values()), max_chars)

    def cut(text: str) -> str:
        return text[:col2 - 3] + "..." if len(text) > col2 else text

    rule = "-" * max(col1 + col2 + 2, name_width)
    rows = "\n".join(f"{k:<{col1}}: {cut(v):>{col2}}" for k, v in attrs.items())
    return "\n" + rule + "\n" + rows


def _format_value(arr: np.ndarray) -> str:
    """A tensor's value for a label: as ``print`` shows it when small, else mean/min/max."""
    arr = np.asarray(arr)
    if arr.size == 0:
        return "[]"
    if arr.size <= _SMALL_TENSOR:
        # the numbers exactly as print(tensor) writes them, e.g. -19.0400 or [1., 2.]
        return _tensor_str(arr, arr.dtype.kind in "fc", 0)
    if arr.dtype == np.bool_:
        return f"{int(arr.sum())} of {arr.size} True"
    return f"mean {arr.mean():.4g}, min {arr.min():.4g}, max {arr.max():.4g}"
