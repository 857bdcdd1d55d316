"""See inside: pictures of what autograd recorded.

``make_dot(loss, params={'W': W})`` draws the computation graph behind a tensor, with
torchviz's look (see :mod:`glasstorch.viz.graph`). Importing this module needs nothing
beyond NumPy; drawing needs Graphviz's ``dot`` (``pip install 'glasstorch[viz]'`` plus the
system package, e.g. ``apt-get install graphviz``).

Example:
    >>> import glasstorch as torch
    >>> from glasstorch.viz import make_dot
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> g = make_dot((x * x).sum(), params={'x': x})
    >>> 'MulBackward0' in g.source
    True
"""

from glasstorch.viz.graph import Digraph, ExecutableNotFound, make_dot

__all__ = ["Digraph", "ExecutableNotFound", "make_dot"]
