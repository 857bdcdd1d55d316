"""nn.Embedding, F.embedding and F.one_hot against real torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np  # noqa: E402

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("seed", [0, 1, 42, 2024])
@pytest.mark.parametrize("args,kwargs", [
    ((10, 3), {}), ((7, 5), {"padding_idx": 2}), ((100, 16), {"padding_idx": -1}),
    ((3, 1), {}), ((50, 33), {"padding_idx": 0}), ((1000, 8), {})])
def test_init_is_bit_exact_with_torch(seed, args, kwargs):
    gt.manual_seed(seed)
    torch.manual_seed(seed)
    ours, theirs = nn.Embedding(*args, **kwargs), torch.nn.Embedding(*args, **kwargs)
    np.testing.assert_array_equal(as_np(ours.weight), as_np(theirs.weight))
    # and the generator is left in the same state
    np.testing.assert_array_equal(gt.rand(5).numpy(), torch.rand(5).numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -2},
                                    {"scale_grad_by_freq": True},
                                    {"padding_idx": 0, "scale_grad_by_freq": True}])
@pytest.mark.parametrize("index_dtype", ["int64", "int32"])
def test_forward_and_gradient_match_torch(kwargs, dtype, index_dtype):
    ours = nn.Embedding(6, 4, dtype=getattr(gt, dtype), **kwargs)
    theirs = torch.nn.Embedding(6, 4, dtype=getattr(torch, dtype), **kwargs)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(as_np(ours.weight)))
    idx = np.array([[1, 2, 1, 4], [4, 4, 0, 5], [1, 3, 3, 3]], dtype=index_dtype)
    out_ours, out_theirs = ours(gt.tensor(idx)), theirs(torch.tensor(idx))
    assert out_ours.grad_fn.name() == type(out_theirs.grad_fn).__name__ == "EmbeddingBackward0"
    assert tuple(out_ours.shape) == (3, 4, 4) and out_ours.dtype == getattr(gt, dtype)
    np.testing.assert_array_equal(as_np(out_ours), as_np(out_theirs))
    up = RNG.standard_normal((3, 4, 4)).astype(dtype)
    out_ours.backward(gt.tensor(up))
    out_theirs.backward(torch.tensor(up))
    np.testing.assert_allclose(as_np(ours.weight.grad), as_np(theirs.weight.grad), 1e-6, 1e-6)


def test_padding_row_is_zero_and_gets_no_gradient():
    emb = nn.Embedding(4, 3, padding_idx=2)
    assert emb.weight[2].tolist() == [0, 0, 0]
    emb(gt.tensor([2, 2, 1])).sum().backward()
    assert emb.weight.grad[2].tolist() == [0, 0, 0]
    assert emb.weight.grad[1].tolist() == [1, 1, 1]


@pytest.mark.parametrize("max_norm,norm_type", [(1.0, 2.0), (0.5, 1.0), (2.0, 3.0)])
def test_max_norm_renormalises_used_rows_in_place_like_torch(max_norm, norm_type):
    weight = (RNG.standard_normal((5, 3)) * 2).astype(np.float32)
    ours = nn.Embedding.from_pretrained(gt.tensor(weight), freeze=False, max_norm=max_norm,
                                        norm_type=norm_type)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(weight), freeze=False,
                                                max_norm=max_norm, norm_type=norm_type)
    idx = [[0, 2], [2, 3]]
    out_ours, out_theirs = ours(gt.tensor(idx)), theirs(torch.tensor(idx))
    np.testing.assert_allclose(as_np(out_ours), as_np(out_theirs), 1e-6, 1e-7)
    np.testing.assert_allclose(as_np(ours.weight), as_np(theirs.weight), 1e-6, 1e-7)
    assert as_np(ours.weight)[1].tolist() == weight[1].tolist()  # unused rows untouched
    out_ours.sum().backward()
    out_theirs.sum().backward()
    np.testing.assert_allclose(as_np(ours.weight.grad), as_np(theirs.weight.grad))


def test_from_pretrained_and_freeze():
    table = gt.tensor([[1.0, 2.0], [3.0, 4.0]])
    frozen = nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad
    assert frozen(gt.tensor([1, 0])).tolist() == [[3.0, 4.0], [1.0, 2.0]]
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad
    with pytest.raises(AssertionError, match="Embeddings parameter is expected to be "
                       "2-dimensional"):
        nn.Embedding.from_pretrained(gt.zeros(3))
    with pytest.raises(AssertionError, match="Shape of weight does not match"):
        nn.Embedding(3, 2, _weight=gt.zeros(2, 2))


@pytest.mark.parametrize("make", [
    lambda nn: nn.Embedding(10, 3),
    lambda nn: nn.Embedding(10, 3, padding_idx=-1),
    lambda nn: nn.Embedding(5, 2, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True),
])
def test_repr_and_state_dict_match_torch(make):
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: gt.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    np.testing.assert_array_equal(as_np(ours.weight), as_np(theirs.weight))


@pytest.mark.parametrize("call", [
    lambda t: t.nn.functional.embedding(t.tensor([1.0]), t.zeros(5, 3)),
    lambda t: t.nn.functional.embedding(t.tensor([1], dtype=t.int16), t.zeros(5, 3)),
    lambda t: t.nn.functional.embedding(t.tensor([5]), t.zeros(5, 3)),
    lambda t: t.nn.functional.embedding(t.tensor([-1]), t.zeros(5, 3)),
    lambda t: t.nn.functional.embedding(t.tensor([1]), t.zeros(5, 3), padding_idx=5),
    lambda t: t.nn.functional.embedding(t.tensor([1]), t.zeros(5, 3), padding_idx=-6),
    lambda t: t.nn.functional.embedding(t.tensor([1]), t.zeros(5)),
    lambda t: t.nn.Embedding(5, 3, padding_idx=7),
    lambda t: t.nn.functional.one_hot(t.tensor([1, -1])),
    lambda t: t.nn.functional.one_hot(t.tensor([1, 3]), 3),
    lambda t: t.nn.functional.one_hot(t.tensor([1.0])),
    lambda t: t.nn.functional.one_hot(t.tensor([1, 2], dtype=t.int32)),
    lambda t: t.nn.functional.one_hot(t.tensor([], dtype=t.int64)),
    lambda t: t.nn.functional.one_hot(t.tensor([1, 2]), 0),
])
def test_errors_match_torch(call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(gt)
    assert str(ours.value).startswith(str(theirs.value).rstrip(".")), \
        (str(ours.value), str(theirs.value))


def test_sparse_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.Embedding(3, 2, sparse=True)
    with pytest.raises(NotImplementedError, match="sparse"):
        F.embedding(gt.tensor([0]), gt.zeros(3, 2), sparse=True)


@pytest.mark.parametrize("values,num_classes", [
    ([0, 2, 1], -1), ([[0, 1], [3, 3]], 5), (2, 4), ([], 3), ([[[1]]], -1)])
def test_one_hot_matches_torch(values, num_classes):
    ours = F.one_hot(gt.tensor(values, dtype=gt.int64), num_classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(values, dtype=torch.int64), num_classes)
    assert ours.dtype == gt.int64 and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert not ours.requires_grad
