"""OpInfo entries for glasstorch/ops (sorting); ``op_db.py`` appends ``OPS``."""

from __future__ import annotations

from op_db import (  # imported at the end of op_db.py, after OpInfo exists
    DISTINCT,
    NOT_EMPTY_DIM,
    UNARY,
    WITH_INT,
    OpInfo,
    small_ints,
    unary,
)

# many exact ties: the tie-breaking rules (stable order, lower median, smallest mode, last
# index) must match torch's; finite differences cannot cross ties, so no gradcheck there
TIES = small_ints(-2, 2)
TIE_SAMPLES = (((8,),), ((3, 6),), ((2, 3, 5),))

OPS: list[OpInfo] = [
    unary("sort", lambda t, x: x.sort(), ("Sort",), DISTINCT, dtypes=WITH_INT),
    unary("torch.sort_dim0_desc", lambda t, x: t.sort(x, 0, True), ("Sort",), DISTINCT),
    unary("sort_stable", lambda t, x: x.sort(stable=True, descending=True), ("SortStable",),
          DISTINCT),
    unary("sort_ties", lambda t, x: t.sort(x, dim=-1), ("Sort",), TIES, samples=TIE_SAMPLES,
          dtypes=WITH_INT, gradcheck=False),
    unary("sort_ties_desc", lambda t, x: x.sort(0, descending=True), ("Sort",), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, gradcheck=False),
    unary("msort", lambda t, x: t.msort(x), ("Sort",), DISTINCT),
    unary("msort_method", lambda t, x: x.msort(), ("Sort",), TIES, samples=TIE_SAMPLES,
          gradcheck=False),
    unary("argsort", lambda t, x: x.argsort(), (), TIES, samples=TIE_SAMPLES, dtypes=WITH_INT,
          differentiable=False),
    unary("torch.argsort_desc", lambda t, x: t.argsort(x, 0, descending=True), (), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, differentiable=False),
    unary("topk", lambda t, x: x.topk(2), ("Topk",), DISTINCT, samples=NOT_EMPTY_DIM,
          dtypes=WITH_INT),
    unary("torch.topk_smallest_dim0", lambda t, x: t.topk(x, 1, dim=0, largest=False),
          ("Topk",), DISTINCT),
    unary("kthvalue", lambda t, x: x.kthvalue(1), ("Kthvalue",), DISTINCT, dtypes=WITH_INT),
    unary("torch.kthvalue_keepdim", lambda t, x: t.kthvalue(x, 2, 0, keepdim=True),
          ("Kthvalue",), DISTINCT, samples=(((3, 4),), ((2, 3, 4),))),
    unary("kthvalue_ties", lambda t, x: x.kthvalue(3, -1).values.detach(), (),
          TIES, samples=TIE_SAMPLES, dtypes=WITH_INT, differentiable=False),
    unary("median", lambda t, x: x.median(), ("Median",), DISTINCT, dtypes=WITH_INT),
    unary("torch.median_ties", lambda t, x: t.median(x), ("Median",), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, gradcheck=False),
    unary("median_dim", lambda t, x: x.median(-1), ("MedianDim",), DISTINCT, dtypes=WITH_INT),
    unary("torch.median_dim_keepdim", lambda t, x: t.median(x, 0, keepdim=True),
          ("MedianDim",), DISTINCT),
    unary("median_dim_ties", lambda t, x: x.median(-1), ("MedianDim",), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, gradcheck=False),
    unary("mode", lambda t, x: x.mode(), ("Mode",), DISTINCT, samples=UNARY, dtypes=WITH_INT),
    unary("torch.mode_ties", lambda t, x: t.mode(x, 0), ("Mode",), TIES, samples=TIE_SAMPLES,
          dtypes=WITH_INT, gradcheck=False),
    unary("mode_ties_keepdim", lambda t, x: x.mode(-1, keepdim=True), ("Mode",), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, gradcheck=False),
    unary("unique", lambda t, x: t.unique(x, return_inverse=True, return_counts=True),
          ("Unique2",), TIES, samples=TIE_SAMPLES, dtypes=WITH_INT,
          backward_error="the derivative for '_unique2' is not implemented"),
    unary("unique_dim", lambda t, x: x.unique(dim=0, return_inverse=True), ("UniqueDim",),
          TIES, samples=(((6, 2),), ((5, 2, 2),)), dtypes=WITH_INT,
          backward_error="the derivative for 'unique_dim' is not implemented"),
    unary("unique_consecutive", lambda t, x: t.unique_consecutive(x.sort().values,
          return_inverse=True, return_counts=True), ("UniqueConsecutive", "Sort"), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT,
          backward_error="the derivative for 'unique_consecutive' is not implemented"),
    unary("unique_consecutive_dim", lambda t, x: x.unique_consecutive(dim=0,
          return_counts=True), ("UniqueConsecutive",), small_ints(0, 1),
          samples=(((6, 2),), ((5, 1, 2),)), dtypes=WITH_INT,
          backward_error="the derivative for 'unique_consecutive' is not implemented"),
    unary("count_nonzero", lambda t, x: t.count_nonzero(x, dim=0), (), TIES,
          samples=TIE_SAMPLES, dtypes=WITH_INT, differentiable=False),
]
