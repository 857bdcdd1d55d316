"""See inside: pictures of what autograd recorded, and of how training went.

``make_dot(loss, params={'W': W})`` draws the computation graph behind a tensor, with
torchviz's look (see :mod:`glasstorch.viz.graph`). Importing this module needs nothing
beyond NumPy; drawing needs Graphviz's ``dot`` (``pip install 'glasstorch[viz]'`` plus the
system package, e.g. ``apt-get install graphviz``).

:class:`History` logs the loss per epoch and indexes like the tutorials' ``np.vstack``
array (``history[:, 1]``); :func:`plot_history`, :func:`plot_fit`,
:func:`plot_decision_boundary` and :class:`LivePlot` draw learning curves, fitted lines,
decision boundaries and live curves (see :mod:`glasstorch.viz.plots`). Drawing needs
matplotlib (``pip install 'glasstorch[plot]'``); importing this module does not.

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.viz import make_dot
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> g = make_dot((x * x).sum(), params={'x': x})
    >>> 'MulBackward0' in g.source
    True
"""

from glasstorch.viz.graph import Digraph, ExecutableNotFound, make_dot
from glasstorch.viz.history import History
from glasstorch.viz.plots import LivePlot, plot_decision_boundary, plot_fit, plot_history

__all__ = [
    "Digraph",
    "ExecutableNotFound",
    "History",
    "LivePlot",
    "make_dot",
    "plot_decision_boundary",
    "plot_fit",
    "plot_history",
]
