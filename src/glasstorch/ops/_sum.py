"""``torch_sum``: a float sum that adds in exactly the order torch's CPU kernel does.

Why two libraries print different sums
--------------------------------------
Float addition is not associative: ``(a + b) + c`` and ``a + (b + c)`` can differ in the
last bit, because every ``+`` rounds. So a sum's exact value depends on the *order* of the
additions, and every library picks its own order for speed and accuracy:

* NumPy (``np.sum``) adds a contiguous row *pairwise*: 8 running sums over blocks of up
  to 128 elements, and the blocks combined as a tree (``pairwise_sum`` in NumPy).
* torch's CPU kernel (``aten/src/ATen/native/cpu/SumKernel.cpp``, ``cascade_sum``) keeps
  4 running sums of SIMD vectors (instruction-level parallelism, "ILP") and a *cascade*:
  every 16 (or more) steps the running sums are flushed into coarser ones, so that only
  numbers of similar size are added together.

``torch.tensor([1.0799999, -1.7200001, 1.7200001, -0.8, 1.7200001]).sum()`` prints
``2.0000002`` (4 running sums ``acc[i % 4] += a[i]``, then ``((acc0 + acc1) + acc2) +
acc3``) while NumPy gives ``2.0``. The exact sum of those float32 values is 2.00000006:
here NumPy's result happens to be the nearer one, but neither library promises the
correctly rounded sum; they round at different moments. A learner comparing a loss with a
book printed by torch would see the difference, so glasstorch replays torch's order.

torch's order, step by step (float32: 8 lanes per SIMD vector, float64: 4)
--------------------------------------------------------------------------
``multi_row_sum`` (here :func:`_cascade`) sums ``n`` rows, one running sum per column, in
chunks of ``step = 2**max(4, ceil_log2(n) // 4)`` rows: each chunk's sum is added into a
level-1 sum, which is flushed into level 2 every ``step`` chunks, which is flushed into
level 3 every ``step`` of those. At the end: ``((leftover rows + level1) + level2) +
level3``.

``row_sum`` (here :func:`_row_sum`) sums one (possibly strided) row with 4-way ILP: the
row is read as a ``(-1, 4)`` array, each of the 4 columns gets its own cascade sum, the 0-3
elements left over go into column 0, then ``((p0 + p1) + p2) + p3``.

A reduction runs one of four kernels (chosen in ``cascade_sum``):

* *vectorized inner sum* (the reduced dim is contiguous and at least one vector long):
  ``row_sum`` over whole vectors, lane by lane; then ``0 + the scalars after the last
  vector + lane 0 + lane 1 + ... + lane 7``, one after the other.
* *vectorized outer sum* (summing rows of contiguous columns, e.g. ``sum(dim=0)`` of a
  matrix: every bias gradient): each block of 32 columns (4 vectors) gets a plain cascade
  down its columns; the remaining columns get ``row_sum`` down theirs.
* *scalar inner / outer sums* for short or strided layouts: ``row_sum`` per output, or
  the cascade for groups of 4 columns and ``row_sum`` for the rest.

Which kernel runs depends on how ``TensorIterator`` reorders and merges the dims (reduced
dims first, fastest-moving first; dims that are contiguous neighbours merge), replayed in
:func:`_iter_dims`. With more than two dims left after merging, the kernel runs once per
outer index and adds into the output (``out += partial``), in order.

Threads: at least ``GRAIN_SIZE = 32768`` elements are split between threads. A full
reduction sums one chunk per thread and then adds the per-thread sums
(``two_pass_reduction``); a reduction keeping dims splits a kept dim, which changes the
order only for the scalar outer sum over strided columns. Both are replayed, with torch's
default thread count (``OMP_NUM_THREADS``, else the number of physical cores) or the one
given to :func:`set_num_threads`.

Speed: replayed naively, torch's order costs 10-20 NumPy calls per sum, and for the small
sums of a training loop (a loss, a bias gradient) NumPy's per-call overhead is the whole
cost. So a shape that is summed a second time gets a *plan* (see "Plans" below): scratch
arrays and a fixed list of NumPy calls on views of them, which run the same additions in
the same order with few calls (one ``reduce`` for all chunks, a few in-place adds).

Also replayed: float16 sums in float32 (16 halves per vector, element i and i + 8 added
into lane i) and rounds once at the end; torch's result is never ``-0.0`` (the output
starts at +0). Integer and bool arrays sum exactly in int64, where order does not matter.
The kernels replayed are the AVX2 ones, which torch also runs on AVX-512 machines (its sum
has no AVX-512 kernel), and its default kernels, which have the same vector widths.
Arrays with zero or negative strides (NumPy broadcast views, flips) are summed as if they
were contiguous: torch materialises such tensors in most places, e.g. ``mean``'s gradient.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["get_num_threads", "set_num_threads", "torch_mean", "torch_sum"]

GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE: smaller reductions never use threads

# (SIMD width that picks a vectorized kernel, scalars per inner vector load, lanes)
# float16: a vector of 16 halves is loaded as two float vectors of 8 that are added
# (``InnerSumCastLoadPolicy`` for reduced floating point types).
_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
_VEC = {_F16: (16, 16, 8), _F32: (8, 8, 8), _F64: (4, 4, 4)}

_num_threads: int | None = None


# ----------------------------------------------------------------------------- threads
def _default_num_threads() -> int:
    """torch's default intra-op thread count: OMP/MKL_NUM_THREADS, else physical cores."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        value = os.environ.get(var, "").split(",")[0].strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
    cores = set()
    for cpu in cpus:  # hyper-threads share a (package, core) pair: count physical cores
        topo = f"/sys/devices/system/cpu/cpu{cpu}/topology/"
        try:
            with open(topo + "physical_package_id") as f_pkg, open(topo + "core_id") as f_core:
                cores.add((f_pkg.read().strip(), f_core.read().strip()))
        except OSError:
            cores.add(("cpu", str(cpu)))
    return max(1, len(cores))


def get_num_threads() -> int:
    """The thread count whose chunking big full sums replay (``torch.get_num_threads()``)."""
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_num_threads()
    return _num_threads


def set_num_threads(n: int) -> None:
    """Replay a torch that ran with ``torch.set_num_threads(n)``."""
    global _num_threads
    if int(n) < 1:
        raise ValueError(f"set_num_threads: expected a positive number of threads, got {n}")
    _num_threads = int(n)


# ----------------------------------------------------------------------------- building blocks
def _ceil_log2(n: int) -> int:
    """c10's CeilLog2 (1 for n <= 2)."""
    return 1 if n <= 2 else (n - 1).bit_length()


def _seq(x: np.ndarray, axis: int) -> np.ndarray:
    """Sum along ``axis`` strictly in order: ``((x0 + x1) + x2) + ...``.

    NumPy adds row after row when the reduced axis is not the innermost one (here the
    axes after ``axis`` always hold at least 2 elements), so add.reduce is exact for us.
    For many short rows an explicit loop of whole-array adds is about 2x faster.
    """
    n = x.shape[axis]
    if n == 0:
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], x.dtype)
    if n == 1:
        return x[(slice(None),) * axis + (0,)]
    if n > 16 or x.size < 2048 * math.prod(x.shape[axis + 1:]):
        return np.add.reduce(x, axis=axis)  # (the loop pays off from ~2048 short rows on)
    index: list[Any] = [slice(None)] * x.ndim
    index[axis] = 0
    acc = x[tuple(index)].copy()
    for i in range(1, n):
        index[axis] = i
        np.add(acc, x[tuple(index)], out=acc)
    return acc


def _cascade(x: np.ndarray) -> np.ndarray:
    """torch's ``multi_row_sum``: sum ``x`` (M, n, *cols) over axis 1 -> (M, *cols).

    Each column is summed in chunks of ``step`` rows; chunk sums are added into a level-1
    running sum that is flushed into level 2 every ``step`` chunks, then into level 3.
    The result is ``((tail + level1) + level2) + level3``.
    """
    m, n = x.shape[:2]
    if n < 16:  # shorter than one chunk: a plain running sum
        return _seq(x, 1)
    cols = x.shape[2:]
    step = 1 << max(4, _ceil_log2(n) // 4)
    full = n // step
    total = _seq(x[:, full * step:], 1)  # acc[0]: rows after the last complete chunk
    if full == 0:
        return total
    sums = _seq(x[:, :full * step].reshape((m, full, step) + cols), 2)  # chunk sums
    for _level in (1, 2):
        full = sums.shape[1] // step
        total = total + _seq(sums[:, full * step:], 1)  # this level's unflushed sum
        if full == 0:
            return total
        sums = _seq(sums[:, :full * step].reshape((m, full, step) + cols), 2)
    return total + _seq(sums, 1)  # level 3 is never flushed


def _row_sum(x: np.ndarray) -> np.ndarray:
    """torch's scalar ``row_sum`` of each ``x[m, :, ...]`` along axis 1 (4-way ILP + cascade)."""
    m, n = x.shape[:2]
    cols = x.shape[2:]
    ilp = n // 4
    rows = x[:, :ilp * 4].reshape((m, ilp, 4) + cols)
    if ilp == 1:
        parts = rows[:, 0]
    elif 1 < ilp < 16:  # shorter than one chunk: a plain running sum
        parts = np.add.reduce(rows, axis=1)
    else:
        parts = _cascade(rows)  # (m, 4, *cols)
    if n == ilp * 4 and parts[0, 0].size >= 2:  # ((p0 + p1) + p2) + p3 in one call
        return np.add.reduce(parts, axis=1)
    p0 = parts[:, 0]
    for i in range(ilp * 4, n):  # the 0-3 leftover elements go into accumulator 0
        p0 = p0 + x[:, i]
    return ((p0 + parts[:, 1]) + parts[:, 2]) + parts[:, 3]


def _inner_vec(x: np.ndarray, numel: int, lanes: int) -> np.ndarray:
    """torch's ``vectorized_inner_sum`` of each contiguous row of ``x`` (M, L) -> (M,).

    ``x`` is already in the accumulation dtype; ``numel`` scalars are loaded per vector
    (16 for float16: elements i and i + 8 are added into float lane i).
    """
    m, length = x.shape
    if m >= 8 and length >= 4 * numel:
        return _inner_vec_columns(np.ascontiguousarray(x.T), numel, lanes)
    nvec = length // numel
    vecs = x[:, :nvec * numel]
    if numel != lanes:  # float16: a vector of 16 is converted as two float vectors of 8,
        halves = vecs.reshape(m, nvec, 2, lanes)  # which are added lane by lane
        vecs = halves[:, :, 0] + halves[:, :, 1]
    else:
        vecs = vecs.reshape(m, nvec, lanes)
    ilp = nvec // 4
    if ilp:
        parts = _cascade(vecs[:, :ilp * 4].reshape(m, ilp, 4 * lanes)).reshape(m, 4, lanes)
        if nvec == ilp * 4:
            p0 = np.add.reduce(parts, axis=1)  # ((p0 + p1) + p2) + p3, lane by lane
        else:
            p0 = parts[:, 0]
            for v in range(ilp * 4, nvec):  # leftover vectors go into accumulator 0
                p0 = p0 + vecs[:, v]
            p0 = ((p0 + parts[:, 1]) + parts[:, 2]) + parts[:, 3]
    else:  # fewer than 4 vectors: they all land in accumulator 0
        p0 = vecs[:, 0]
        for v in range(1, nvec):
            p0 = p0 + vecs[:, v]
    # final_acc = 0 + the scalars after the last vector, then + each lane, in order
    return _chain_rows(x[:, nvec * numel:], p0)


def _inner_vec_columns(xt: np.ndarray, numel: int, lanes: int) -> np.ndarray:
    """:func:`_inner_vec` for many rows, given transposed: ``xt`` (L, M) C-contiguous.

    Same additions, but every NumPy call now runs over whole rows of M values instead
    of short per-row pieces, which is much faster when there are many rows.
    """
    length, m = xt.shape
    nvec = length // numel
    if numel != lanes:  # float16: elements i and i + 8 of each vector go into lane i
        halves = xt[:nvec * numel].reshape(nvec, 2, lanes, m)
        vecs = halves[:, 0] + halves[:, 1]
    else:
        vecs = xt[:nvec * numel].reshape(nvec, lanes, m)
    ilp = nvec // 4
    parts = _cascade(vecs[None, :ilp * 4].reshape(1, ilp, 4 * lanes, m))[0]
    parts = parts.reshape(4, lanes, m)
    if nvec == ilp * 4:
        p0 = np.add.reduce(parts, axis=0)  # ((p0 + p1) + p2) + p3, lane by lane
    else:
        p0 = parts[0]
        for v in range(ilp * 4, nvec):  # leftover vectors go into accumulator 0
            p0 = p0 + vecs[v]
        p0 = ((p0 + parts[1]) + parts[2]) + parts[3]
    tail = xt[nvec * numel:]
    seq = np.concatenate((tail, p0)) if tail.shape[0] else p0
    return np.add.reduce(seq, axis=0)  # 0 + leftover scalars + lane 0 + lane 1 + ...


def _chain_rows(first: np.ndarray, then: np.ndarray) -> np.ndarray:
    """For each row m: ``first[m, 0] + first[m, 1] + ... + then[m, 0] + ...``, in order.

    The chain axis is put outermost so that NumPy adds column after column.
    """
    m, t = first.shape
    if m == 1:
        seq = np.concatenate((first[0], then[0])) if t else then[0]
        return np.add.accumulate(seq)[-1:]
    z = np.empty((t + then.shape[1], m), then.dtype)
    z[:t] = first.T
    z[t:] = then.T
    return np.add.reduce(z, axis=0)


def _vec_1d(x: np.ndarray, lanes: int) -> Any:
    """``vectorized_inner_sum`` of one contiguous float32/float64 run (at least one vector).

    Runs the cached plan for this length (see "Plans" below); very long runs, whose
    cascade has a third level, take :func:`_vec_1d_general`.
    """
    key = ("vec", x.dtype, x.shape[0])
    plan = _PLANS.pop(key, None)  # taken out while in use (threads)
    if not plan:
        plan = _next_plan(key, plan, lambda: _plan_vec(x.dtype, x.shape[0], x.shape, None))
    result = plan(x) if plan else _vec_1d_general(x, lanes)
    _PLANS[key] = plan
    return result


def _vec_1d_general(x: np.ndarray, lanes: int) -> Any:
    """:func:`_vec_1d` without a plan: the same order as :func:`_inner_vec`, in few calls."""
    n = x.shape[0]
    nvec = n // lanes
    ilp = nvec // 4
    body = ilp * 4 * lanes
    if ilp == 0:  # 1-3 vectors, all in accumulator 0
        p = x[:lanes]
        for v in range(1, nvec):
            p = p + x[v * lanes:(v + 1) * lanes]
    elif ilp == 1 and nvec > 4:
        # accumulator k holds vector k, leftover vectors join accumulator 0: one
        # running sum over the vectors in the order 0, 4, 5, 6, 1, 2, 3
        p = np.add.reduce(x[:nvec * lanes].reshape(nvec, lanes).take(_ILP_ORDER[nvec], 0),
                          axis=0)
    else:
        rows = x[:body].reshape(ilp, 4 * lanes)
        if ilp == 1:
            q = rows[0]
        elif ilp < 16:
            q = np.add.reduce(rows, axis=0)  # shorter than a chunk: a running sum
        elif ilp < 256:
            # one cascade level: (0 + rows after the last chunk) + (chunk sums, in order)
            full = ilp // 16
            chunks = np.add.reduce(rows[:full * 16].reshape(full, 16, 4 * lanes), axis=1)
            level1 = chunks[0] if full == 1 else np.add.reduce(chunks, axis=0)
            rest = rows[full * 16:]
            if rest.shape[0] == 0:
                q = level1
            else:
                q = (rest[0] if rest.shape[0] == 1 else np.add.reduce(rest, axis=0)) + level1
        else:
            q = _cascade(rows[None])[0]
        q = q.reshape(4, lanes)
        if body == nvec * lanes:
            p = np.add.reduce(q, axis=0)  # ((p0 + p1) + p2) + p3, lane by lane
        else:
            p = q[0]
            for v in range(ilp * 4, nvec):  # leftover vectors go into accumulator 0
                p = p + x[v * lanes:(v + 1) * lanes]
            p = ((p + q[1]) + q[2]) + q[3]
    start = nvec * lanes
    if start == n:
        return np.add.accumulate(p)[-1]
    return np.add.accumulate(np.concatenate((x[start:], p)))[-1]


def _outer(x: np.ndarray, vectorized: bool, lanes: int) -> np.ndarray:
    """torch's vectorized / scalar outer sum: ``x`` (M, rows, C) summed over rows -> (M, C).

    Blocks of 4 vectors of columns (4 single columns for the scalar kernel) get a plain
    cascade down each column; the other columns get ``row_sum`` (4-way ILP).
    """
    c = x.shape[2]
    block = 4 * lanes if vectorized else 4
    split = c // block * block
    if split == c:
        return _cascade(x)
    if split == 0:
        return _row_sum(x)
    return np.concatenate((_cascade(x[:, :, :split]), _row_sum(x[:, :, split:])), axis=1)


def _small_1d(x: np.ndarray, lanes: int) -> Any:
    """A contiguous 1-D sum of fewer than two SIMD vectors: one running sum, reordered.

    Shorter than a vector, torch runs the scalar ``row_sum``: acc[k] = x[k] (k < 4), x[4:]
    go into acc[0], then ((acc0 + acc1) + acc2) + acc3, i.e. the order 0, 4, 5, 6, 1, 2, 3.
    With one whole vector the lanes come after the leftover scalars: the order 8, 9, ...,
    n - 1, 0, 1, ..., 7 for float32 (4, ..., n - 1, 0, ..., 3 for float64).
    """
    n = x.shape[0]
    order = _SMALL_ORDER[lanes].get(n)
    if order is not None:
        x = x.take(order)
    return np.add.accumulate(x)[-1] + _ZERO[x.dtype]  # + 0: torch's result is never -0.0


# row_sum's order for 5-7 items: accumulators 0-3 take items 0-3, the rest join acc 0
_ILP_ORDER = {n: np.array([0, *range(4, n), 1, 2, 3]) for n in range(5, 8)}
# the orders of the sums of n < 2 * lanes scalars (None: already in order)
_SMALL_ORDER: dict[int, dict[int, np.ndarray | None]] = {
    lanes: {n: (_ILP_ORDER[n] if 4 < n < lanes else
                np.array([*range(lanes, n), *range(lanes)]) if lanes < n else None)
            for n in range(1, 2 * lanes)}
    for lanes in (4, 8)
}
_ZERO = {dt: dt.type(0) for dt in (_F16, _F32, _F64)}


def _kernel_1d(x: np.ndarray, contiguous: bool, vec: tuple[int, int, int]) -> Any:
    """One call of torch's kernel over a 1-D run ``x`` (already in the accumulation dtype)."""
    width, numel, lanes = vec
    if contiguous and x.shape[0] >= width:
        if numel == lanes:
            return _vec_1d(x, lanes)
        return _inner_vec(x[None], numel, lanes)[0]
    return _row_sum(x[None])[0]


def _full_1d(x: np.ndarray, contiguous: bool, dtype: np.dtype) -> Any:
    """Sum a 1-D run of values (``dtype``: the tensor's dtype), replaying torch's threads."""
    vec = _VEC[dtype]
    acc = x.astype(_F32) if x.dtype == _F16 else x
    n = x.shape[0]
    threads = get_num_threads()
    if n < GRAIN_SIZE or threads == 1:
        if contiguous and n < 2 * vec[0] and dtype != _F16:
            return _small_1d(x, vec[2])
        return dtype.type(_kernel_1d(acc, contiguous, vec) + _ZERO[acc.dtype])
    # two_pass_reduction: each thread sums one chunk into its slot of a buffer of the
    # output dtype (one slot per thread, zero if unused), then the buffer is summed
    used = min(threads, -(-n // GRAIN_SIZE))
    chunk = -(-n // used)
    buffer = np.zeros(threads, dtype)
    for t in range(used):
        if t * chunk < n:
            buffer[t] = _kernel_1d(acc[t * chunk:(t + 1) * chunk], contiguous, vec) + 0
    return dtype.type(_kernel_1d(buffer.astype(acc.dtype), True, vec) + _ZERO[acc.dtype])


# ----------------------------------------------------------------------------- plans
# Plans: the sums a training loop does every step (``loss.sum()`` over 1000 points, the
# gradient of a bias) are small, and for them NumPy's per-call overhead is the whole cost:
# adding 1000 floats takes NumPy about 1 µs, but each ufunc call costs 0.2-0.9 µs, and
# replaying torch's order step by step takes 10-20 calls plus slicing and reshaping.
# So a shape that is summed again is compiled into a *plan*: zeroed scratch arrays, views
# of them, and the list of NumPy calls that replays torch's order on those views. Each sum
# then copies the input into the scratch (one or two copies; long runs are mostly read in
# place) and runs the list: no slicing, no branching, no temporaries. Why the plans'
# shortcuts are bit-identical:
#
# * A running sum ``((a + b) + c) + d`` of rows is computed either by in-place ``np.add``
#   calls (up to 4 rows: cheaper) or by ``np.add.reduce`` over the *outer* axis of a stack
#   of rows: NumPy adds row after row there. (Its pairwise summation only runs along an
#   inner axis that is reduced; every stack here has an inner axis that is kept, of length
#   >= 2, so NumPy cannot merge the reduced axis into it.)
# * One addition commutes: ``rest + sum(chunks) == sum(chunks) + rest``, so torch's
#   "leftover rows + level-1 sum" is the running sum ``chunk0 + chunk1 + ... + rest``: the
#   leftover rows' sum is just one more row of the stack of chunk sums.
# * Zero rows can pad a running sum (``s + 0 == s``, but for the sign of a zero), so chunks
#   of unequal length share one reduce: the leftover rows are a chunk padded with zeros.
#   A zero's sign never changes a later nonzero sum, so all results agree with torch's up
#   to the sign of a zero, and the last running sum of a plan ends with ``+ 0``, like
#   torch's ``out = 0; out += sum``, so that a zero result is +0 as in torch.
#
# A plan is a function of the input that returns the sum. Its scratch arrays serve one sum
# at a time, so a plan is taken out of ``_PLANS`` while it runs and put back afterwards:
# another thread summing the same shape meanwhile goes the general way.
_add, _add_reduce, _add_accumulate = np.add, np.add.reduce, np.add.accumulate
_positive = np.positive  # a copy, -0.0 and NaN payloads included
_MAX_PLANS = 64     # shapes remembered (a training loop needs a handful)
_COPY_MAX = 8192    # 1-D runs up to this length are copied whole into the scratch
_OUTER_MAX = 16384  # the largest array whose sum over leading dims gets a plan


class _Mark:
    """What ``_PLANS`` holds for a shape without a plan (falsy, unlike a plan)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return self.name


# building a plan costs about as much as one sum the general way, so a shape gets its
# plan the second time it is summed: one-off sums never pay for it
_SEEN, _NO_PLAN = _Mark("seen once"), _Mark("no plan")
_PLANS: dict[Any, Any] = {}  # key -> plan, _SEEN or _NO_PLAN


def _next_plan(key: Any, mark: Any, build: Callable[[], Any]) -> Any:
    """What to store for ``key`` after ``mark`` (None: never seen): a plan or a mark."""
    if mark is None:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        return _SEEN
    return (build() or _NO_PLAN) if mark is _SEEN else mark


def _add_in_order(ops: list[Any], terms: list[np.ndarray], out: np.ndarray) -> None:
    """Append the calls for ``out = ((terms[0] + terms[1]) + terms[2]) + ...``."""
    if len(terms) == 1:
        ops.append((_positive, (terms[0], out)))
        return
    ops.append((_add, (terms[0], terms[1], out)))
    ops.extend((_add, (out, term, out)) for term in terms[2:])


def _add_rows(ops: list[Any], stack: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """Append the calls that add the rows of ``stack`` (k, ...) in order; return the sum.

    The sum goes to ``out``, or to a new scratch array (a single row is its own sum).
    """
    if stack.shape[0] == 1 and out is None:
        return stack[0]
    if out is None:
        out = np.zeros(stack.shape[1:], stack.dtype)
    if stack.shape[0] <= 4:  # a few in-place adds cost less than one reduce
        _add_in_order(ops, list(stack), out)
    else:
        ops.append((_add_reduce, (stack, 0, None, out)))
    return out


def _level_sums(full: int, nblk: int, cols: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Scratch for the chunk sums of a cascade (zero-padded for a second level's chunks)."""
    return np.zeros((nblk if full < 16 else 16 * (full // 16 + 1),) + cols, dtype)


def _add_levels(ops: list[Any], sums: np.ndarray, full: int, nblk: int,
                out: np.ndarray | None) -> np.ndarray:
    """The end of ``multi_row_sum`` once ``sums`` holds the chunk sums and the rest's sum.

    ``sums[:full]`` are the sums of the chunks of 16 rows, ``sums[full]`` (if ``nblk >
    full``) the rows after the last chunk. With fewer than 16 chunks the result is
    ``((rest + level1) + 0) + 0`` = the running sum of ``sums`` rows. Otherwise every 16
    chunk sums are flushed into level 2, and ``(rest + level1) + level2`` is the running
    sum of the level-2 sums followed by the running sum of the unflushed rows.
    """
    cols = sums.shape[1:]
    if full < 16:
        return _add_rows(ops, sums[:nblk], out)
    nd = full // 16 + (nblk > full // 16 * 16)  # 16-chunk groups, then the unflushed rest
    level2 = np.zeros((nd,) + cols, sums.dtype)
    ops.append((_add_reduce, (sums[:16 * nd].reshape((nd, 16) + cols), 1, None, level2)))
    return _add_rows(ops, level2, out)


def _plan_vec(dtype: np.dtype, n: int, shape: tuple[int, ...],
              out_shape: tuple[int, ...] | None) -> Callable[[np.ndarray], Any] | None:
    """The plan of ``vectorized_inner_sum`` over a contiguous run of ``n >= lanes`` floats.

    ``shape``: the input's shape; ``out_shape``: reshape the result (None: a scalar).
    None where the cascade would need a third level (runs of 4096 x 4 vectors or more).
    """
    lanes = _VEC[dtype][2]
    width = 4 * lanes  # one ILP row: 4 accumulators of one vector each
    nvec, tail = divmod(n, lanes)
    ilp, left = divmod(nvec, 4)  # rows of 4 vectors; ``left`` vectors join accumulator 0
    body = ilp * width
    full, restrows = divmod(ilp, 16)  # level_step is 16 below 2**20 rows
    if nvec == 0 or full >= 256:
        return None
    nblk = full + (restrows > 0)
    ops: list[Any] = []
    copies: list[tuple[np.ndarray, slice | None]]  # (scratch view, part of the input)
    xop = None
    q = None  # the 4 accumulators, (width,)
    if ilp >= 16 and n > _COPY_MAX:
        # long run: the whole chunks are summed straight from the input, the rest is copied
        lo = 16 * full * width
        buf = np.zeros(n - lo + lanes + 1, dtype)
        copies = [(buf[:n - lo], slice(lo, None))]
        sums = _level_sums(full, nblk, (width,), dtype)
        xop = (lo, (full, 16, width), sums[:full], full >= 128)
        if restrows:
            _add_rows(ops, buf[:restrows * width].reshape(restrows, width), sums[full])
        q = _add_levels(ops, sums, full, nblk, None)
        after = buf[restrows * width:]
    elif ilp >= 16 and restrows > 3:
        # the rows after the last chunk are a chunk padded with zero rows: one reduce sums
        # all chunks; the leftover vectors and scalars go to a second scratch array
        rows = np.zeros((16 * nblk, width), dtype)
        after = np.zeros(n - body + lanes + 1, dtype)
        copies = [(rows.reshape(-1)[:body], slice(0, body)),
                  (after[:n - body], slice(body, None))]
        sums = _level_sums(full, nblk, (width,), dtype)
        ops.append((_add_reduce, (rows.reshape(nblk, 16, width), 1, None, sums[:nblk])))
        q = _add_levels(ops, sums, full, nblk, None)
    else:
        buf = np.zeros(n + lanes + 1, dtype)
        copies = [(buf[:n].reshape(shape), None)]
        rows = buf[:body].reshape(ilp, width)
        after = buf[body:]
        if ilp >= 16:  # whole chunks, then (a few adds) the 0-3 rows after them
            sums = _level_sums(full, nblk, (width,), dtype)
            ops.append((_add_reduce, (rows[:16 * full].reshape(full, 16, width), 1, None,
                                      sums[:full])))
            if restrows:
                _add_rows(ops, rows[16 * full:], sums[full])
            q = _add_levels(ops, sums, full, nblk, None)
        elif ilp:
            q = _add_rows(ops, rows, None)
    # ``after`` = [leftover vectors | leftover scalars | p (one vector) | 0]
    vecs = list(after[:left * lanes].reshape(left, lanes))
    final = after[left * lanes:]  # the scalars, p, 0
    p = final[tail:tail + lanes]
    if q is None:  # fewer than 4 vectors: all in accumulator 0
        _add_in_order(ops, vecs, p)
    else:  # accumulator 0, the leftover vectors, then accumulators 1, 2, 3
        acc = q.reshape(4, lanes)
        _add_in_order(ops, [acc[0], *vecs, acc[1], acc[2], acc[3]], p)
    # final_acc = 0 + each leftover scalar + each lane of p, in order: one accumulate of
    # ``final`` (the leading 0 moved to the end: the first addition commutes)
    return _vec_runner(len(shape) != 1 and copies[0][1] is not None, copies, xop, ops, final,
                       out_shape)


def _vec_runner(flat: bool, copies: list[Any], xop: Any, ops: list[Any], final: np.ndarray,
                out_shape: tuple[int, ...] | None) -> Callable[[np.ndarray], Any]:
    accumulate = _add_accumulate
    if not flat and xop is None and out_shape is None and len(copies) == 1:
        dst, part = copies[0]  # the common case, without the branches

        def run_simple(x: np.ndarray) -> Any:
            dst[...] = x if part is None else x[part]
            for fn, args in ops:
                fn(*args)
            return accumulate(final)[-1]
        return run_simple

    def run(x: np.ndarray) -> Any:
        if flat:
            x = x.reshape(-1)
        if xop is not None:  # the whole chunks of a long run, summed in place
            end, shape, out, many = xop
            chunks = x[:end].reshape(shape)
            if many:  # from ~100 chunks on, 15 whole-array adds beat one reduce
                _add(chunks[:, 0], chunks[:, 1], out)
                for i in range(2, 16):
                    _add(out, chunks[:, i], out)
            else:
                _add_reduce(chunks, 1, None, out)
        for dst, part in copies:
            dst[...] = x if part is None else x[part]
        for fn, args in ops:
            fn(*args)
        total = accumulate(final)[-1]
        return total if out_shape is None else total.reshape(out_shape)
    return run


def _plan_small(dtype: np.dtype, n: int, ndim: int,
                out_shape: tuple[int, ...] | None) -> Callable[[np.ndarray], Any]:
    """The plan of :func:`_small_1d` (fewer than two vectors): a reordered running sum."""
    order = _SMALL_ORDER[_VEC[dtype][2]].get(n)
    flat = ndim != 1
    zero = _ZERO[dtype]
    accumulate = _add_accumulate

    def run(x: np.ndarray) -> Any:
        if order is not None:
            x = x.take(order)  # (flat indices: any shape)
        elif flat:
            x = x.reshape(-1)
        total = accumulate(x)[-1] + zero  # + 0: torch's result is never -0.0
        return total if out_shape is None else total.reshape(out_shape)
    return run


def _plan_outer(dtype: np.dtype, nrows: int, ncols: int, shape: tuple[int, ...],
                out_shape: tuple[int, ...]) -> Callable[[np.ndarray], np.ndarray] | None:
    """The plan of :func:`_outer` for one (nrows, ncols) block summed over its rows.

    The vectorized (``ncols >= lanes``) or scalar outer kernel: blocks of 4 vectors (or 4
    columns) get ``multi_row_sum`` down their columns, the other columns ``row_sum``.
    """
    lanes = _VEC[dtype][2]
    block = 4 * lanes if ncols >= lanes else 4
    split = ncols // block * block
    ilp, left = divmod(nrows, 4)  # row_sum: groups of 4 rows, ``left`` rows join acc 0
    if nrows >= 16 * 256:
        return None  # a third cascade level
    full, restrows = divmod(nrows, 16)
    nblk = full + (restrows > 0)
    # the input's copy, padded with zero rows to whole chunks for the multi_row_sum
    x2 = np.zeros((16 * nblk if split and full else nrows, ncols), dtype)
    res = np.zeros(ncols, dtype)
    ops: list[Any] = []
    if split:  # multi_row_sum down each column of the blocks
        cols = x2[:, :split]
        if full == 0:
            _add_rows(ops, cols[:nrows], res[:split])
        else:
            sums = _level_sums(full, nblk, (split,), dtype)
            ops.append((_add_reduce, (cols.reshape(nblk, 16, split), 1, None, sums[:nblk])))
            _add_levels(ops, sums, full, nblk, res[:split])
    if split < ncols:  # row_sum down each other column: 4 accumulators
        rest = ncols - split
        out = res[split:]
        if ilp == 0:
            _add_rows(ops, x2[:nrows, split:], out)
        else:
            groups = x2[:4 * ilp].reshape(ilp, 4, ncols)[:, :, split:]
            gfull, grest = divmod(ilp, 16)
            if gfull == 0:
                q = _add_rows(ops, groups, None)
            else:  # (the left rows follow the groups: the rest is summed on its own)
                gblk = gfull + (grest > 0)
                sums = _level_sums(gfull, gblk, (4, rest), dtype)
                chunks = groups[:16 * gfull].reshape(gfull, 16, 4, rest)
                ops.append((_add_reduce, (chunks, 1, None, sums[:gfull])))
                if grest:
                    _add_rows(ops, groups[16 * gfull:], sums[gfull])
                q = _add_levels(ops, sums, gfull, gblk, None)
            lefts = list(x2[4 * ilp:nrows, split:])
            _add_in_order(ops, [q[0], *lefts, q[1], q[2], q[3]], out)
    copy = x2.reshape(-1)[:nrows * ncols].reshape(shape)
    res = res.reshape(out_shape)
    zero = _ZERO[dtype]

    def run(x: np.ndarray) -> np.ndarray:
        copy[...] = x
        for fn, args in ops:
            fn(*args)
        return _add(res, zero)  # a new array; + 0: torch's output starts at 0 (no -0.0)
    return run


def _make_plan(x: np.ndarray, axis: Any, keepdims: Any) -> Any:
    """The plan of ``torch_sum(x, axis, keepdims)`` for a C-contiguous ``x``, or _NO_PLAN.

    Plans cover float32/float64 sums of one contiguous run below GRAIN_SIZE (so that the
    thread count does not matter) and sums over the leading dims (bias gradients).
    """
    dtype, shape, ndim = x.dtype, x.shape, x.ndim
    if (dtype != _F32 and dtype != _F64) or x.size == 0:
        return _NO_PLAN
    if axis is None:
        axes = set(range(ndim))
    else:
        axes = {axis} if type(axis) is int else set(axis)
        if not all(isinstance(a, (int, np.integer)) and -ndim <= a < ndim for a in axes):
            return _NO_PLAN  # the general code answers as it always did
        axes = {int(a) % ndim for a in axes}
    if keepdims:
        out_shape = tuple(1 if a in axes else size for a, size in enumerate(shape))
    else:
        out_shape = tuple(size for a, size in enumerate(shape) if a not in axes)
    # size-1 dims aside, the reduced dims must come first and be followed by kept ones
    red = post = 1
    for a, size in enumerate(shape):
        if size == 1:
            continue
        if a in axes:
            if post > 1:
                return _NO_PLAN
            red *= size
        else:
            post *= size
    if red == 1:
        return _NO_PLAN  # nothing to add (torch copies)
    if post == 1:  # one contiguous run
        if red >= GRAIN_SIZE:
            return _NO_PLAN  # threads: their number may change between calls
        to = None if out_shape == () else out_shape
        if red < 2 * _VEC[dtype][0]:
            return _plan_small(dtype, red, ndim, to)
        return _plan_vec(dtype, red, shape, to) or _NO_PLAN
    if red * post > _OUTER_MAX:
        return _NO_PLAN
    return _plan_outer(dtype, red, post, shape, out_shape) or _NO_PLAN


# ----------------------------------------------------------------------------- TensorIterator
def _iter_dims(shape: tuple[int, ...], strides: tuple[int, ...],
               reduced: tuple[bool, ...]) -> list[tuple[list[int], int, int, bool]]:
    """TensorIterator's dims for a reduction: ``[(axes, size, stride, reduced)]``, fastest first.

    Replays ``reorder_dimensions`` (reduced dims first; the output, contiguous, orders the
    kept dims; input strides order the reduced ones) and ``coalesce_dimensions`` (adjacent
    dims merge when the inner one steps exactly over the outer one in every operand).
    Size-1 dims are dropped: they always merge away. Strides are in elements.
    """
    ndim = len(shape)
    out_strides = [0] * ndim
    step = 1
    for a in reversed(range(ndim)):
        if not reduced[a]:
            out_strides[a] = step
            step *= shape[a]

    def should_swap(d0: int, d1: int) -> int:
        o0, o1 = out_strides[d0], out_strides[d1]
        if (o0 == 0) != (o1 == 0):
            return 1 if o1 == 0 else -1  # reduced dims move to the front
        for s0, s1 in ((o0, o1), (strides[d0], strides[d1])):
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = [a for a in reversed(range(ndim)) if shape[a] != 1]
    for i in range(1, len(perm)):  # torch's insertion sort (tolerates ambiguous pairs)
        d1 = i
        for d0 in range(i - 1, -1, -1):
            cmp = should_swap(perm[d0], perm[d1])
            if cmp > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif cmp < 0:
                break
    dims: list[tuple[list[int], int, int, bool]] = []
    for a in perm:
        if dims:
            axes, size, stride, red = dims[-1]
            if red == reduced[a] and size * stride == strides[a] and \
                    (red or size * out_strides[axes[0]] == out_strides[a]):
                dims[-1] = (axes + [a], size * shape[a], stride, red)
                continue
        dims.append(([a], shape[a], strides[a], reduced[a]))
    return dims


def _reduce(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """Sum ``x`` over ``axes`` -> the kept dims, flat, in the accumulation dtype."""
    dtype = x.dtype
    reduced = tuple(a in axes for a in range(x.ndim))
    strides = tuple(s // x.itemsize for s in x.strides)
    dims = _iter_dims(x.shape, strides, reduced)
    red = [d for d in dims if d[3]]
    kept = [d for d in dims if not d[3]]
    if dtype == _F16:
        if len(red) >= 2:
            # should_use_acc_buffer: torch sums a float32 copy, which is dense (its dims may
            # merge where the half tensor's could not); NumPy's order='K' copy is the same
            return _reduce(x.astype(_F32), axes)
        x = x.astype(_F32)  # the half kernels load and add in float32
    if not red:  # every reduced dim has size 1: torch copies (out = 0 + x)
        return np.ravel(x) + _ZERO[x.dtype]
    r1_axes, r1_size, r1_stride, _ = red[0]
    if not kept and len(red) == 1:  # a full sum of a (possibly strided) 1-D run
        run = np.ravel(x.transpose(r1_axes[::-1] + _others(x.ndim, r1_axes)))
        return np.asarray([_full_1d(run, r1_stride == 1, dtype)])
    vec = _VEC[dtype]
    width, _numel, lanes = vec
    kept_axes = sorted(a for d in kept for a in d[0])  # output order (C order)
    n_out = math.prod(d[1] for d in kept)
    inner = r1_stride == 1  # the vectorized inner kernel needs a contiguous reduced dim
    if len(red) >= 2:
        # the kernel sums each run of the fastest reduced dim, and the results are added
        # into the output one after the other, slowest reduced dims outermost
        outer_red = [a for d in reversed(red[1:]) for a in d[0][::-1]]
        if not kept and x.size >= GRAIN_SIZE and get_num_threads() > 1:
            rows = x.transpose(outer_red + r1_axes[::-1] + _size1(x.shape))
            return np.asarray([_full_rows(rows.reshape(-1, r1_size), inner, vec, dtype)])
        # rows ordered (reduced runs, outputs): the running sums go down axis 0
        view = x.transpose(outer_red + kept_axes + r1_axes[::-1] + _size1(x.shape))
        partial = _rows(view.reshape(-1, r1_size), inner, vec).reshape(-1, n_out)
        if n_out == 1:
            return np.add.accumulate(partial[:, 0])[-1:] + _ZERO[x.dtype]
        return np.add.reduce(partial, axis=0) + _ZERO[x.dtype]
    n1_axes, n1_size, n1_stride, _ = kept[0]
    if inner and r1_size >= width:  # contiguous inner reduction
        view = x.transpose(kept_axes + r1_axes[::-1] + _size1(x.shape))
        result = _rows(view.reshape(n_out, r1_size), True, vec)
    elif n1_stride == 1 and n1_size >= width:  # contiguous outer reduction
        result = _outer_view(x, kept_axes, n1_axes, r1_axes, r1_size, n1_size, True, lanes)
    elif r1_stride < n1_stride:  # strided or short inner reduction
        view = x.transpose(kept_axes + r1_axes[::-1] + _size1(x.shape))
        result = _row_sum(view.reshape(n_out, r1_size))
    else:  # scalar outer reduction
        chunks = None
        threads = get_num_threads()
        if x.size >= GRAIN_SIZE and threads > 1 and n1_stride != 1 and \
                _split_dim([d[1] for d in kept], threads) == 0:
            # parallel_dim_reduction gives each thread a slice of the columns (no rounding:
            # they are not adjacent in memory), and the groups of 4 restart in each slice
            size = -(-n1_size // min(threads, n1_size))
            chunks = [(b, min(b + size, n1_size)) for b in range(0, n1_size, size)]
        result = _outer_view(x, kept_axes, n1_axes, r1_axes, r1_size, n1_size, False, lanes,
                             chunks)
    return result + _ZERO[x.dtype]


def _split_dim(kept_sizes: list[int], threads: int) -> int:
    """``find_split_dim``: the kept dim (fastest first) that threads split a reduction along.

    The outermost kept dim with at least one column per thread, else the largest.
    """
    best = len(kept_sizes) - 1
    for i in range(best, -1, -1):
        if kept_sizes[i] >= threads:
            return i
        if kept_sizes[i] > kept_sizes[best]:
            best = i
    return best


def _rows(rows: np.ndarray, contiguous: bool, vec: tuple[int, int, int]) -> np.ndarray:
    """One kernel call's sum of each row of ``rows`` (k, L): vectorized if it can be."""
    width, numel, lanes = vec
    if contiguous and rows.shape[1] >= width:
        return _inner_vec(rows, numel, lanes)
    return _row_sum(rows)


def _full_rows(rows: np.ndarray, contiguous: bool, vec: tuple[int, int, int],
               dtype: np.dtype) -> Any:
    """A full sum over several unmergeable reduced dims, split between threads.

    ``rows`` (k, L) holds the runs of the fastest reduced dim in iteration order. Each
    thread walks its range of the flat index: a partial run, whole runs, a partial run;
    every piece's kernel sum is added in turn into the thread's slot of a buffer.
    """
    length = rows.shape[1]
    total = rows.size
    run = rows.reshape(-1)
    threads = get_num_threads()
    used = min(threads, -(-total // GRAIN_SIZE))
    chunk = -(-total // used)
    buffer = np.zeros(threads, dtype)
    for t in range(used):
        begin, end = t * chunk, min(total, (t + 1) * chunk)
        if begin >= end:
            continue
        pieces = []
        first_full, last_full = -(-begin // length), end // length
        if first_full > last_full:  # the range lies inside one run
            pieces.append(_rows(run[None, begin:end], contiguous, vec))
        else:
            if begin % length:
                pieces.append(_rows(run[None, begin:first_full * length], contiguous, vec))
            if last_full > first_full:
                pieces.append(_rows(rows[first_full:last_full], contiguous, vec))
            if end % length:
                pieces.append(_rows(run[None, last_full * length:end], contiguous, vec))
        sums = np.concatenate(pieces)
        buffer[t] = np.add.accumulate(sums)[-1] + 0
    return dtype.type(_kernel_1d(buffer, True, vec) + _ZERO[dtype])


def _outer_view(x: np.ndarray, kept_axes: list[int], n1_axes: list[int], r1_axes: list[int],
                r1_size: int, n1_size: int, vectorized: bool, lanes: int,
                chunks: list[tuple[int, int]] | None = None) -> np.ndarray:
    """Arrange ``x`` as (other kept dims, rows, columns) and run the outer-sum kernel.

    The column dim is the fastest kept dim, i.e. the last kept axes (the output is
    C-contiguous and orders the kept dims), so the results come out in output order.
    ``chunks``: column ranges that separate threads sum on their own.
    """
    rest = [a for a in kept_axes if a not in n1_axes]
    view = x.transpose(rest + r1_axes[::-1] + sorted(n1_axes) + _size1(x.shape))
    view = view.reshape(-1, r1_size, n1_size)
    if chunks is None:
        return _outer(view, vectorized, lanes).reshape(-1)
    parts = [_outer(view[:, :, b:e], vectorized, lanes) for b, e in chunks]
    return np.concatenate(parts, axis=1).reshape(-1)


def _size1(shape: tuple[int, ...]) -> list[int]:
    return [a for a, s in enumerate(shape) if s == 1]


def _others(ndim: int, axes: list[int]) -> list[int]:
    return [a for a in range(ndim) if a not in axes]


# ----------------------------------------------------------------------------- public API
def torch_sum(x: np.ndarray, axis: int | tuple[int, ...] | None = None,
              keepdims: bool = False) -> Any:
    """Sum ``x`` over ``axis`` (None: all) adding in torch's CPU order, bit for bit.

    float16/32/64 replay torch's kernel (float16 accumulates in float32); bool and
    integer arrays sum exactly in int64, as torch does. A full reduction without
    ``keepdims`` returns a NumPy scalar, like ``np.add.reduce``.

    Example:
        >>> torch_sum(np.array([1.0799999, -1.7200001, 1.7200001, -0.8, 1.7200001],
        ...                    dtype=np.float32))
        np.float32(2.0000002)
    """
    if x.flags.c_contiguous and (axis is None or type(axis) is int or type(axis) is tuple):
        # the hot path (losses, gradients): a cached plan per shape, see "Plans"
        key = (x.shape, x.dtype, axis, keepdims)
        plan = _PLANS.pop(key, None)  # taken out while in use (threads)
        if not plan:
            plan = _next_plan(key, plan, lambda: _make_plan(x, axis, keepdims))
        if plan:
            result = plan(x)
            _PLANS[key] = plan
            return result
        _PLANS[key] = plan
    dtype = x.dtype
    vec = _VEC.get(dtype)
    if vec is None:
        if dtype.kind in "biu":
            return np.add.reduce(x, axis=axis, dtype=np.int64,  # type: ignore[call-overload]
                                 keepdims=keepdims)
        # complex, object: as NumPy
        return np.add.reduce(x, axis=axis, keepdims=keepdims)  # type: ignore[call-overload]
    ndim = x.ndim
    if axis is None and not keepdims and (ndim == 1 or x.flags.c_contiguous):
        # one contiguous run in memory order, summed for the first time (then: its plan)
        run = x if ndim == 1 else x.reshape(-1)
        n = run.shape[0]
        if dtype != _F16 and 0 < n < GRAIN_SIZE and run.strides[0] == run.itemsize:
            if n < 2 * vec[0]:
                return _small_1d(run, vec[2])
            return _vec_1d_general(run, vec[2]) + _ZERO[dtype]
    if axis is None:
        axes = tuple(range(ndim))
    elif isinstance(axis, (int, np.integer)):
        axes = (int(axis) % ndim,) if ndim else ()
    else:
        axes = tuple(sorted({int(a) % ndim for a in axis})) if ndim else ()
    shape = x.shape
    if keepdims:
        out_shape = tuple(1 if a in axes else size for a, size in enumerate(shape))
    else:
        out_shape = tuple(size for a, size in enumerate(shape) if a not in axes)
    if x.size == 0:
        return np.zeros(out_shape, dtype)[()]
    flat: np.ndarray | None = None
    if x.flags.c_contiguous:
        flat = _reduce_contiguous(x, axes, vec)
    elif any(st <= 0 for st, size in zip(x.strides, shape, strict=True) if size > 1):
        x = np.ascontiguousarray(x)  # broadcast / flipped views: summed as if contiguous
        flat = _reduce_contiguous(x, axes, vec)
    if flat is None:
        flat = _reduce(x, axes)
    if dtype == _F16:
        flat = flat.astype(_F16)
    out = flat.reshape(out_shape)
    return out[()] if not out_shape else out


def _reduce_contiguous(x: np.ndarray, axes: tuple[int, ...],
                       vec: tuple[int, int, int]) -> np.ndarray | None:
    """The common C-contiguous layouts, without replaying TensorIterator in general.

    For a C-contiguous array the reduced axes that are neighbours (size-1 axes aside)
    merge into one run, and so do the kept ones. With a single reduced run the array is
    ``(pre, reduced, post)``: ``post == 1`` is an inner sum of each row, otherwise an
    outer sum down ``post`` contiguous columns. Returns None for several reduced runs.
    """
    pre = red = post = 1
    state = 0  # 0: before the reduced run, 1: inside it, 2: after it
    for a, size in enumerate(x.shape):
        if size == 1:
            continue
        if a in axes:
            if state == 2:
                return None  # a second reduced run: leave it to _reduce
            state, red = 1, red * size
        elif state == 0:
            pre *= size
        else:
            state, post = 2, post * size
    if x.dtype == _F16:
        x = x.astype(_F32)  # the half kernels add in float32
    if red == 1:  # nothing to add up: torch copies (out = 0 + x)
        return np.ravel(x) + _ZERO[x.dtype]
    width, numel, lanes = vec
    if pre == 1 and post == 1:  # everything reduced: one run, threads and all
        return np.asarray([_full_1d(x.reshape(-1), True, x.dtype if numel == lanes else _F16)])
    if post == 1:  # the reduced run is innermost: each row summed on its own
        return _rows(x.reshape(pre, red), True, vec) + _ZERO[x.dtype]
    return _outer(x.reshape(pre, red, post), post >= width, lanes).reshape(-1) + _ZERO[x.dtype]


def torch_mean(x: np.ndarray, axis: int | tuple[int, ...] | None = None,
               keepdims: bool = False) -> Any:
    """torch's CPU mean: ``torch_sum / n`` in the input's float dtype.

    float16 is summed and divided in float32, then rounded once, like torch.
    """
    if x.dtype == _F16:
        return np.asarray(torch_mean(x.astype(_F32), axis, keepdims)).astype(_F16)[()]
    if axis is None:
        n = x.size
    else:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
        n = math.prod(x.shape[a] for a in axes) if x.ndim else 1
    return torch_sum(x, axis, keepdims) / x.dtype.type(n)
