"""RNN, LSTM, GRU and their cells against real torch (init bits, outputs, gradients, errors)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import as_np, copy_params  # noqa: E402

RNG = np.random.default_rng(0)
KINDS = ["RNN", "LSTM", "GRU"]
CELLS = ["RNNCell", "LSTMCell", "GRUCell"]
TOL = {np.float32: (2e-5, 2e-6), np.float64: (1e-11, 1e-12)}


def randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def pair(kind, *args, **kwargs):
    """The same layer in both libraries, with our (seeded) weights copied into torch's."""
    ours = getattr(nn, kind)(*args, **kwargs)
    if "dtype" in kwargs:
        kwargs = dict(kwargs, dtype=getattr(torch, str(kwargs["dtype"]).split(".")[-1]))
    theirs = getattr(torch.nn, kind)(*args, **kwargs)
    copy_params(ours, theirs)
    return ours, theirs


def flat(result):
    """The tensors of a forward result, in order: output, h_n[, c_n]."""
    if isinstance(result, tuple):
        out = []
        for item in result:
            out.extend(flat(item))
        return out
    return [result]


def close(a, b, dtype=np.float32, scale=1.0):
    rtol, atol = TOL[dtype]
    np.testing.assert_allclose(as_np(a), as_np(b), rtol=rtol * scale, atol=atol * scale)


def _kwargs_for(dtype):
    return {} if dtype is np.float32 else {"dtype": gt.float64}


def run_both(ours, theirs, x, hx=None, dtype=np.float32):
    """Forward and backward in both libraries; compare outputs, states and all gradients."""
    x_ours = gt.tensor(x, requires_grad=True)
    x_theirs = torch.tensor(x, requires_grad=True)
    args_ours: list = [x_ours]
    args_theirs: list = [x_theirs]
    hx_leaves = []
    if hx is not None:
        if isinstance(hx, tuple):
            h_ours = tuple(gt.tensor(h, requires_grad=True) for h in hx)
            h_theirs = tuple(torch.tensor(h, requires_grad=True) for h in hx)
            hx_leaves = list(zip(h_ours, h_theirs, strict=True))
        else:
            h_ours, h_theirs = gt.tensor(hx, requires_grad=True), torch.tensor(hx,
                                                                              requires_grad=True)
            hx_leaves = [(h_ours, h_theirs)]
        args_ours.append(h_ours)
        args_theirs.append(h_theirs)
    res_ours, res_theirs = flat(ours(*args_ours)), flat(theirs(*args_theirs))
    assert len(res_ours) == len(res_theirs)
    loss_ours, loss_theirs = 0, 0
    for a, b in zip(res_ours, res_theirs, strict=True):
        assert tuple(a.shape) == tuple(b.shape)
        assert str(a.dtype) == str(b.dtype)
        close(a, b, dtype)
        upstream = randn(*b.shape, dtype=dtype)
        loss_ours = loss_ours + (a * gt.tensor(upstream)).sum()
        loss_theirs = loss_theirs + (b * torch.tensor(upstream)).sum()
    loss_ours.backward()
    loss_theirs.backward()
    close(x_ours.grad, x_theirs.grad, dtype, scale=5)
    for a, b in hx_leaves:
        close(a.grad, b.grad, dtype, scale=5)
    for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                     strict=True):
        assert name == tname
        rtol, atol = TOL[dtype]
        np.testing.assert_allclose(as_np(p.grad), as_np(q.grad), rtol=rtol * 5, atol=atol * 5,
                                   err_msg=name)


# ------------------------------------------------------------------- parameters and init
LAYER_CONFIGS = [
    {},
    {"num_layers": 2},
    {"bidirectional": True},
    {"num_layers": 2, "bidirectional": True, "bias": False},
    {"num_layers": 3, "batch_first": True, "dropout": 0.5},
]


@pytest.mark.parametrize("config", LAYER_CONFIGS)
@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_keys_shapes_and_init_bits_match_torch(kind, config):
    for seed in (0, 1, 123):
        gt.manual_seed(seed)
        ours = getattr(nn, kind)(3, 5, **config)
        torch.manual_seed(seed)
        theirs = getattr(torch.nn, kind)(3, 5, **config)
        sd_ours, sd_theirs = ours.state_dict(), theirs.state_dict()
        assert list(sd_ours) == list(sd_theirs)
        for key in sd_theirs:
            assert tuple(sd_ours[key].shape) == tuple(sd_theirs[key].shape)
            assert np.array_equal(as_np(sd_ours[key]), sd_theirs[key].numpy()), key
        # the next draw after construction matches too (same number of random calls)
        assert np.array_equal(as_np(gt.rand(4)), torch.rand(4).numpy())


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("kind", CELLS)
def test_cell_parameters_and_init_bits_match_torch(kind, bias):
    for seed in (0, 5):
        gt.manual_seed(seed)
        ours = getattr(nn, kind)(4, 6, bias=bias)
        torch.manual_seed(seed)
        theirs = getattr(torch.nn, kind)(4, 6, bias=bias)
        assert [n for n, _ in ours.named_parameters()] == [
            n for n, _ in theirs.named_parameters()]
        for (_, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(),
                                  strict=True):
            assert np.array_equal(as_np(p), q.detach().numpy())
        assert (ours.bias_ih is None) == (not bias)


def test_torch_checkpoint_loads_and_gives_the_same_output():
    torch.manual_seed(0)
    theirs = torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    ours = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    result = ours.load_state_dict(theirs.state_dict())
    assert not result.missing_keys and not result.unexpected_keys
    x = randn(5, 2, 3)
    close(ours(gt.tensor(x))[0], theirs(torch.tensor(x))[0])


def test_all_weights_and_dtype_and_attributes():
    ours, theirs = nn.GRU(3, 4, num_layers=2, bidirectional=True), torch.nn.GRU(
        3, 4, num_layers=2, bidirectional=True)
    assert [[tuple(p.shape) for p in group] for group in ours.all_weights] == [
        [tuple(p.shape) for p in group] for group in theirs.all_weights]
    layer = nn.LSTM(3, 4, dtype=gt.float64)
    assert all(p.dtype == gt.float64 for p in layer.parameters())
    assert (layer.input_size, layer.hidden_size, layer.num_layers, layer.mode) == (
        3, 4, 1, "LSTM")
    layer.flatten_parameters()  # a no-op on CPU, as in torch
    assert nn.RNN(2, 3, nonlinearity="relu").mode == "RNN_RELU"


@pytest.mark.parametrize("args,kwargs", [
    ((10, 20), {}),
    ((10, 20), {"num_layers": 2, "batch_first": True}),
    ((10, 20), {"bias": False, "dropout": 0.5, "num_layers": 2, "bidirectional": True}),
    ((3, 4), {"nonlinearity": "relu"}),
])
def test_reprs_match_torch(args, kwargs):
    for kind in KINDS:
        if kind != "RNN" and "nonlinearity" in kwargs:
            continue
        assert repr(getattr(nn, kind)(*args, **kwargs)) == repr(
            getattr(torch.nn, kind)(*args, **kwargs))
    for kind in CELLS:
        cell_kwargs = {k: v for k, v in kwargs.items() if k in ("bias", "nonlinearity")}
        if kind != "RNNCell":
            cell_kwargs.pop("nonlinearity", None)
        assert repr(getattr(nn, kind)(*args, **cell_kwargs)) == repr(
            getattr(torch.nn, kind)(*args, **cell_kwargs))


# ---------------------------------------------------------------------------- forward/backward
FORWARD_CONFIGS = [
    ({}, (5, 3, 4)),
    ({"batch_first": True}, (3, 5, 4)),
    ({"bidirectional": True}, (5, 3, 4)),
    ({"num_layers": 2}, (5, 3, 4)),
    ({"num_layers": 2, "bidirectional": True, "batch_first": True}, (2, 6, 4)),
    ({"bias": False}, (4, 2, 4)),
    ({}, (5, 4)),  # unbatched
    ({"batch_first": True, "num_layers": 2, "bidirectional": True}, (6, 4)),  # unbatched
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("config,shape", FORWARD_CONFIGS)
@pytest.mark.parametrize("kind", KINDS + ["RNN_relu"])
def test_forward_and_gradients_match_torch(kind, config, shape, dtype):
    config = dict(config, **_kwargs_for(dtype))
    if kind == "RNN_relu":
        kind, config = "RNN", dict(config, nonlinearity="relu")
    ours, theirs = pair(kind, 4, 3, **config)
    run_both(ours, theirs, randn(*shape, dtype=dtype), dtype=dtype)


@pytest.mark.parametrize("unbatched", [False, True])
@pytest.mark.parametrize("kind", KINDS)
def test_provided_hidden_state_and_its_gradient_match_torch(kind, unbatched):
    ours, theirs = pair(kind, 4, 3, num_layers=2, bidirectional=True, batch_first=True)
    x = randn(6, 4) if unbatched else randn(2, 6, 4)
    hshape = (4, 3) if unbatched else (4, 2, 3)
    hx = (randn(*hshape), randn(*hshape)) if kind == "LSTM" else randn(*hshape)
    run_both(ours, theirs, x, hx)


@pytest.mark.parametrize("kind", KINDS)
def test_dropout_between_layers_matches_torch_under_the_same_seed(kind):
    ours, theirs = pair(kind, 4, 5, num_layers=3, dropout=0.4, bidirectional=True)
    x = randn(6, 3, 4)
    gt.manual_seed(11)
    torch.manual_seed(11)
    run_both(ours, theirs, x)
    # the RNG streams stay in step afterwards
    assert np.array_equal(as_np(gt.rand(3)), torch.rand(3).numpy())
    # eval: no dropout, deterministic and equal to torch's eval output
    ours.eval()
    theirs.eval()
    a, b = ours(gt.tensor(x))[0], theirs(torch.tensor(x))[0]
    close(a, b)
    ours.train()
    gt.manual_seed(12)
    train_out = ours(gt.tensor(x))[0]
    assert not np.allclose(as_np(train_out), as_np(a))  # dropout really acted in training


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("unbatched", [False, True])
@pytest.mark.parametrize("with_hx", [False, True])
@pytest.mark.parametrize("kind", CELLS + ["RNNCell_relu"])
def test_cells_match_torch(kind, with_hx, unbatched, dtype):
    kwargs = _kwargs_for(dtype)
    if kind == "RNNCell_relu":
        kind, kwargs = "RNNCell", dict(kwargs, nonlinearity="relu")
    ours, theirs = pair(kind, 4, 3, **kwargs)
    x = randn(4, dtype=dtype) if unbatched else randn(2, 4, dtype=dtype)
    hshape = (3,) if unbatched else (2, 3)
    hx = None
    if with_hx:
        hx = ((randn(*hshape, dtype=dtype), randn(*hshape, dtype=dtype)) if kind == "LSTMCell"
              else randn(*hshape, dtype=dtype))
    run_both(ours, theirs, x, hx, dtype=dtype)


def test_character_rnn_training_loop_matches_torch():
    """A few SGD steps of an LSTM + Linear model give torch's losses."""
    gt.manual_seed(0)
    torch.manual_seed(0)
    models = []
    for lib in (gt, torch):
        lstm = lib.nn.LSTM(5, 8, batch_first=True)
        head = lib.nn.Linear(8, 5)
        models.append((lstm, head, lib.optim.SGD([*lstm.parameters(), *head.parameters()],
                                                 lr=0.5)))
    x = randn(2, 7, 5)
    target = RNG.integers(0, 5, size=(2 * 7,))
    losses: list[list[float]] = [[], []]
    for (lstm, head, opt), lib, out in zip(models, (gt, torch), losses, strict=True):
        for _ in range(3):
            opt.zero_grad()
            y, _ = lstm(lib.tensor(x))
            loss = lib.nn.functional.cross_entropy(head(y).reshape(-1, 5), lib.tensor(target))
            loss.backward()
            opt.step()
            out.append(loss.item())
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)


# ---------------------------------------------------------------------------------- errors
def expect_same_error(make_ours, make_theirs):
    with pytest.raises(Exception) as theirs:
        make_theirs()
    with pytest.raises(type(theirs.value)) as ours:
        make_ours()
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kwargs", [
    {"dropout": 1.5}, {"dropout": True}, {"bias": 1}, {"batch_first": 0},
    {"num_layers": 0}, {"input_size": 2.0}, {"hidden_size": 0}, {"input_size": 0},
    {"hidden_size": 3.0},
])
def test_constructor_errors_match_torch(kind, kwargs):
    args = {"input_size": 3, "hidden_size": 4}
    args.update(kwargs)
    expect_same_error(lambda: getattr(nn, kind)(**args),
                      lambda: getattr(torch.nn, kind)(**args))


def test_constructor_errors_specific_to_a_kind():
    expect_same_error(lambda: nn.RNN(3, 4, nonlinearity="sigmoid"),
                      lambda: torch.nn.RNN(3, 4, nonlinearity="sigmoid"))
    for kind in ("RNN", "GRU"):
        expect_same_error(lambda: getattr(nn, kind)(3, 4, proj_size=2),  # noqa: B023
                          lambda: getattr(torch.nn, kind)(3, 4, proj_size=2))  # noqa: B023
    expect_same_error(lambda: nn.LSTM(3, 4, proj_size=4), lambda: torch.nn.LSTM(3, 4,
                                                                               proj_size=4))
    expect_same_error(lambda: nn.LSTM(3, 4, proj_size=-1), lambda: torch.nn.LSTM(3, 4,
                                                                                proj_size=-1))
    with pytest.raises(NotImplementedError, match="proj_size=2"):
        nn.LSTM(3, 4, proj_size=2)


def test_dropout_with_one_layer_warns_like_torch():
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        nn.GRU(3, 4, dropout=0.3)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        torch.nn.GRU(3, 4, dropout=0.3)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert ours[0].category is UserWarning


def _forward_error_cases(kind):
    lstm = kind == "LSTM"

    def h(*shape):
        return (randn(*shape), randn(*shape)) if lstm else randn(*shape)

    return [
        (randn(2, 3, 4, 4), None),  # 4-D input
        (randn(3), None),  # 1-D input
        (randn(5, 2, 6), None),  # wrong input_size
        (randn(5, 2, 4), h(1, 3, 3)),  # wrong batch in hx
        (randn(5, 2, 4), h(1, 2, 5)),  # wrong hidden size
        (randn(5, 2, 4), h(2, 3)),  # 2-D hx for batched input
        (randn(5, 4), h(1, 1, 3)),  # 3-D hx for unbatched input
        (randn(5, 2, 4).astype(np.float64), None),  # dtype mismatch
    ]


@pytest.mark.parametrize("case", range(8))
@pytest.mark.parametrize("kind", KINDS)
def test_forward_errors_match_torch(kind, case):
    ours, theirs = pair(kind, 4, 3)
    x, hx = _forward_error_cases(kind)[case]

    def call(layer, lib):
        if hx is None:
            return layer(lib.tensor(x))
        h = tuple(lib.tensor(v) for v in hx) if isinstance(hx, tuple) else lib.tensor(hx)
        return layer(lib.tensor(x), h)

    expect_same_error(lambda: call(ours, gt), lambda: call(theirs, torch))


def test_lstm_cell_state_size_error_matches_torch():
    ours, theirs = pair("LSTM", 4, 3)
    x, hx = randn(5, 2, 4), (randn(1, 2, 3), randn(1, 2, 4))
    expect_same_error(lambda: ours(gt.tensor(x), tuple(gt.tensor(v) for v in hx)),
                      lambda: theirs(torch.tensor(x), tuple(torch.tensor(v) for v in hx)))


@pytest.mark.parametrize("kind", CELLS)
@pytest.mark.parametrize("x_shape,h_shape", [
    ((2, 3, 4), None), ((2, 5), None), ((2, 4), (3, 3)), ((2, 4), (2, 2)), ((4,), (2, 3)),
    ((2, 4), (1, 2, 3)),
])
def test_cell_errors_match_torch(kind, x_shape, h_shape):
    ours, theirs = pair(kind, 4, 3)
    x = randn(*x_shape)
    hx = None
    if h_shape is not None:
        hx = (randn(*h_shape), randn(*h_shape)) if kind == "LSTMCell" else randn(*h_shape)

    def call(cell, lib):
        if hx is None:
            return cell(lib.tensor(x))
        h = tuple(lib.tensor(v) for v in hx) if isinstance(hx, tuple) else lib.tensor(hx)
        return cell(lib.tensor(x), h)

    expect_same_error(lambda: call(ours, gt), lambda: call(theirs, torch))
