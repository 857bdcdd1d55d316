"""Attention layers against real torch: init bits, outputs, weights, gradients, masks, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle)

import glasstorch as gt  # noqa: E402
from glasstorch import nn  # noqa: E402
from glasstorch.nn import functional as F  # noqa: E402

from nn_helpers import as_np, copy_params  # noqa: E402

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def close(a, b, rtol=1e-5, atol=2e-6):
    np.testing.assert_allclose(as_np(a), as_np(b), rtol=rtol, atol=atol)


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("kw", [{}, {"kdim": 3, "vdim": 5}, {"bias": False}])
def test_mha_init_bits_and_keys(seed, kw):
    gt.manual_seed(seed)
    ours = nn.MultiheadAttention(8, 2, **kw)
    torch.manual_seed(seed)
    theirs = torch.nn.MultiheadAttention(8, 2, **kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (n1, p1), (n2, p2) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert n1 == n2
        np.testing.assert_array_equal(as_np(p1), as_np(p2))
    assert repr(ours) == repr(theirs)


def mha_pair(*args, **kwargs):
    ours = nn.MultiheadAttention(*args, **kwargs)
    theirs = torch.nn.MultiheadAttention(*args, **kwargs)
    copy_params(ours, theirs)
    with torch.no_grad():  # non-zero biases so they are tested
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            if p.dim() == 1:
                v = randn(*p.shape)
                p.data = gt.tensor(v)
                q.copy_(torch.tensor(v))
    return ours, theirs


def run_mha(ours, theirs, q, k, v, **kw):
    qs = [gt.tensor(q, requires_grad=True), gt.tensor(k, requires_grad=True),
          gt.tensor(v, requires_grad=True)]
    ts = [torch.tensor(q, requires_grad=True), torch.tensor(k, requires_grad=True),
          torch.tensor(v, requires_grad=True)]
    kw_t = {n: (torch.tensor(as_np(m)) if isinstance(m, gt.Tensor) else m)
            for n, m in kw.items()}
    o1, w1 = ours(*qs, **kw)
    o2, w2 = theirs(*ts, **kw_t)
    close(o1, o2)
    if w2 is None:
        assert w1 is None
    else:
        close(w1, w2)
    (o1 * o1).sum().backward()
    (o2 * o2).sum().backward()
    for a, b in zip(qs, ts, strict=True):
        close(a.grad, b.grad, rtol=1e-4, atol=1e-5)
    for (n, p), (n2, p2) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert n == n2
        close(p.grad, p2.grad, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("average", [True, False])
@pytest.mark.parametrize("batch_first", [True, False])
def test_mha_self_attention(need_weights, average, batch_first):
    ours, theirs = mha_pair(8, 2, batch_first=batch_first)
    x = randn(3, 5, 8)
    run_mha(ours, theirs, x, x, x, need_weights=need_weights, average_attn_weights=average)


def test_mha_cross_attention_kdim_vdim_unbatched():
    ours, theirs = mha_pair(6, 3, kdim=4, vdim=5)
    run_mha(ours, theirs, randn(3, 2, 6), randn(7, 2, 4), randn(7, 2, 5))
    run_mha(ours, theirs, randn(3, 6), randn(7, 4), randn(7, 5))
    ours, theirs = mha_pair(6, 3)
    run_mha(ours, theirs, randn(3, 6), randn(4, 6), randn(4, 6), average_attn_weights=False)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_masks(need_weights):
    ours, theirs = mha_pair(8, 2, batch_first=True)
    x = randn(2, 4, 8)
    causal = gt.tensor(np.triu(np.ones((4, 4), bool), 1))
    run_mha(ours, theirs, x, x, x, attn_mask=causal, need_weights=need_weights)
    fmask = gt.tensor(randn(4, 4))
    run_mha(ours, theirs, x, x, x, attn_mask=fmask, need_weights=need_weights)
    kpm = gt.tensor(np.array([[False, False, True, True], [False] * 4]))
    run_mha(ours, theirs, x, x, x, key_padding_mask=kpm, need_weights=need_weights)
    run_mha(ours, theirs, x, x, x, key_padding_mask=kpm, attn_mask=causal,
            need_weights=need_weights)
    m3 = gt.tensor(randn(4, 4, 4))
    run_mha(ours, theirs, x, x, x, attn_mask=m3, need_weights=need_weights)
    fcausal = nn.Transformer.generate_square_subsequent_mask(4)
    run_mha(ours, theirs, x, x, x, attn_mask=fcausal, is_causal=True,
            need_weights=need_weights)


def test_mha_dropout_rng_matches_torch():
    ours, theirs = mha_pair(8, 2, dropout=0.3)
    x = randn(5, 2, 8)
    gt.manual_seed(3)
    o1, w1 = ours(gt.tensor(x), gt.tensor(x), gt.tensor(x), average_attn_weights=False)
    torch.manual_seed(3)
    o2, w2 = theirs(torch.tensor(x), torch.tensor(x), torch.tensor(x),
                    average_attn_weights=False)
    np.testing.assert_array_equal(as_np(w1) == 0, as_np(w2) == 0)
    close(o1, o2)


def test_mha_errors():
    with pytest.raises(AssertionError, match="embed_dim must be divisible by num_heads"):
        nn.MultiheadAttention(7, 2)
    with pytest.raises(ValueError, match="must be greater than 0"):
        nn.MultiheadAttention(0, 2)
    with pytest.raises(NotImplementedError, match="add_bias_kv"):
        nn.MultiheadAttention(4, 2, add_bias_kv=True)
    m = nn.MultiheadAttention(4, 2)
    x = gt.randn(3, 2, 4)
    with pytest.raises(RuntimeError, match="Need attn_mask if specifying the is_causal"):
        m(x, x, x, is_causal=True)
    with pytest.raises(AssertionError, match="only bool and floating types of attn_mask"):
        m(x, x, x, attn_mask=gt.zeros(3, 3, dtype=gt.int64))
    with pytest.raises(RuntimeError, match=r"The shape of the 2D attn_mask is"):
        m(x, x, x, attn_mask=gt.zeros(2, 3))
    with pytest.raises(AssertionError, match="query should be unbatched 2D or batched 3D"):
        m(gt.randn(4), gt.randn(4), gt.randn(4))
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 4"):
        m(gt.randn(3, 2, 5), gt.randn(3, 2, 5), gt.randn(3, 2, 5))
    t = torch.nn.MultiheadAttention(4, 2)
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 4"):
        t(torch.randn(3, 2, 5), torch.randn(3, 2, 5), torch.randn(3, 2, 5))


@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.3}])
@pytest.mark.parametrize("mask", [None, "bool", "float"])
def test_sdpa(kw, mask):
    q, k, v = randn(2, 3, 4, 8), randn(2, 3, 4, 8), randn(2, 3, 4, 5)
    if mask is not None and kw.get("is_causal"):
        return
    m = None
    if mask == "bool":
        m = RNG.random((4, 4)) > 0.3
        m[1] = False  # a fully masked row: zeros, as torch's safe softmax gives
    elif mask == "float":
        m = randn(4, 4)
    ours = [gt.tensor(a, requires_grad=True) for a in (q, k, v)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    o1 = F.scaled_dot_product_attention(*ours, attn_mask=None if m is None else gt.tensor(m),
                                        **kw)
    o2 = torch.nn.functional.scaled_dot_product_attention(
        *theirs, attn_mask=None if m is None else torch.tensor(m), **kw)
    close(o1, o2)
    (o1 * o1).sum().backward()
    (o2 * o2).sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        close(a.grad, b.grad, rtol=1e-4, atol=1e-5)


def test_sdpa_dropout_and_errors():
    q = randn(2, 3, 4, 8)
    gt.manual_seed(1)
    o1 = F.scaled_dot_product_attention(gt.tensor(q), gt.tensor(q), gt.tensor(q), dropout_p=0.3)
    torch.manual_seed(1)
    t = torch.tensor(q)
    o2 = torch.nn.functional.scaled_dot_product_attention(t, t, t, dropout_p=0.3)
    close(o1, o2)
    with pytest.raises(NotImplementedError, match="enable_gqa"):
        F.scaled_dot_product_attention(gt.tensor(q), gt.tensor(q), gt.tensor(q),
                                       enable_gqa=True)
    with pytest.raises(RuntimeError, match="Expected attn_mask dtype to be bool or float"):
        F.scaled_dot_product_attention(gt.tensor(q), gt.tensor(q), gt.tensor(q),
                                       attn_mask=gt.ones(4, 4, dtype=gt.int64))
    with pytest.raises(RuntimeError, match="at least 2 dimensional"):
        x = gt.randn(3)
        F.scaled_dot_product_attention(x, x, x)


def layer_pair(**kw):
    ours = nn.TransformerEncoderLayer(8, 2, 16, **kw)
    theirs = torch.nn.TransformerEncoderLayer(8, 2, 16, **kw)
    copy_params(ours, theirs)
    return ours, theirs


@pytest.mark.parametrize("kw", [{"dropout": 0.0}, {"dropout": 0.0, "norm_first": True},
                                {"dropout": 0.0, "activation": "gelu", "batch_first": True},
                                {"dropout": 0.0, "bias": False}])
def test_encoder_layer_train_grads(kw):
    ours, theirs = layer_pair(**kw)
    x = randn(5, 3, 8)
    causal = nn.Transformer.generate_square_subsequent_mask(3 if kw.get("batch_first") else 5)
    xo, xt = gt.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    o1 = ours(xo, src_mask=causal)
    o2 = theirs(xt, src_mask=torch.tensor(as_np(causal)))
    close(o1, o2)
    (o1 * o1).sum().backward()
    (o2 * o2).sum().backward()
    close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    for (n, p), (n2, p2) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert n == n2
        close(p.grad, p2.grad, rtol=1e-4, atol=1e-5)


def test_encoder_eval_keys_repr_init():
    with warnings.catch_warnings(record=True) as w_ours:
        warnings.simplefilter("always")
        gt.manual_seed(0)
        ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,
                                     norm=nn.LayerNorm(8))
    with warnings.catch_warnings(record=True) as w_theirs:
        warnings.simplefilter("always")
        torch.manual_seed(0)
        theirs = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                             norm=torch.nn.LayerNorm(8))
    assert [str(w.message) for w in w_ours] == [str(w.message) for w in w_theirs]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for p1, p2 in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(as_np(p1), as_np(p2))
    assert repr(ours) == repr(theirs)
    ours.eval()
    theirs.eval()
    x = randn(4, 3, 8)
    kpm = np.array([[False] * 4, [False, False, False, True], [False, True, True, True]])
    with torch.no_grad():
        o2 = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
        o2c = theirs(torch.tensor(x), mask=torch.nn.Transformer.generate_square_subsequent_mask(4))
    close(ours(gt.tensor(x), src_key_padding_mask=gt.tensor(kpm)), o2)
    close(ours(gt.tensor(x), mask=nn.Transformer.generate_square_subsequent_mask(4)), o2c)
    # the layers are copies, not the same object
    assert ours.layers[0].linear1.weight is not ours.layers[1].linear1.weight


def test_encoder_layer_dropout_rng_and_unbatched():
    gt.manual_seed(0)
    ours = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.2, batch_first=True)
    torch.manual_seed(0)
    theirs = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.2, batch_first=True)
    x = randn(2, 5, 8)
    gt.manual_seed(5)
    o1 = ours(gt.tensor(x))
    torch.manual_seed(5)
    o2 = theirs(torch.tensor(x))
    close(o1, o2)
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        close(ours(gt.tensor(x[0])), theirs(torch.tensor(x[0])))


def test_activation_errors_and_transformer_helper():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")
    layer = nn.TransformerEncoderLayer(8, 2, 16, activation=nn.GELU())
    tl = torch.nn.TransformerEncoderLayer(8, 2, 16, activation=torch.nn.GELU())
    assert repr(layer) == repr(tl)
    np.testing.assert_array_equal(
        as_np(nn.Transformer.generate_square_subsequent_mask(5)),
        as_np(torch.nn.Transformer.generate_square_subsequent_mask(5)))
    with pytest.raises(NotImplementedError, match="TransformerEncoder"):
        nn.Transformer()
