"""nn.Module against real torch: registration, traversal, state_dict, printing, errors."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections import OrderedDict

import numpy as np
import pytest
import torch  # noqa: E402  (the oracle; tests/conftest.py checks its version)

import glasstorch as gt  # noqa: E402
from glasstorch import nn  # noqa: E402

from nn_helpers import KINDS, assert_close, build, copy_params  # noqa: E402


def pair(kind: str):
    ours, theirs = build(gt, kind), build(torch, kind)
    copy_params(ours, theirs)
    return ours, theirs


# ---------------------------------------------------------------------------- traversal
@pytest.mark.parametrize("kind", KINDS)
def test_state_dict_keys_and_order_match_torch(kind):
    ours, theirs = pair(kind)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("kind", KINDS)
def test_named_parameters_buffers_modules_match_torch(kind):
    ours, theirs = pair(kind)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))
    assert len(list(ours.modules())) == len(list(theirs.modules()))
    assert [n for n, _ in ours.named_parameters(recurse=False)] == \
        [n for n, _ in theirs.named_parameters(recurse=False)]
    assert [n for n, _ in ours.named_parameters(prefix="model", remove_duplicate=False)] == \
        [n for n, _ in theirs.named_parameters(prefix="model", remove_duplicate=False)]


def test_shared_parameters_are_yielded_once():
    ours = build(gt, "shared")
    params = list(ours.parameters())
    assert len(params) == 4  # first.weight, first.bias, tail.2.weight, tail.2.bias
    assert params[0] is ours.first.weight and ours.second is ours.first


@pytest.mark.parametrize("kind", KINDS)
def test_apply_visits_modules_in_torch_order(kind):
    ours, theirs = pair(kind)
    seen_ours, seen_theirs = [], []
    assert ours.apply(lambda m: seen_ours.append(type(m).__name__)) is ours
    theirs.apply(lambda m: seen_theirs.append(type(m).__name__))
    assert seen_ours == seen_theirs


# ---------------------------------------------------------------------------- printing
@pytest.mark.parametrize("kind", KINDS)
def test_repr_matches_torch(kind):
    ours, theirs = pair(kind)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


def test_repr_of_leaf_layers_matches_torch():
    for build_layer in (
        lambda lib: lib.nn.Linear(3, 2, bias=False),
        lambda lib: lib.nn.ReLU(inplace=True),
        lambda lib: lib.nn.Identity(),
        lambda lib: lib.nn.MSELoss(reduction="sum"),
        lambda lib: lib.nn.BCELoss(weight=lib.ones(2)),
        lambda lib: lib.nn.Sequential(),
        lambda lib: lib.nn.Module(),
    ):
        assert repr(build_layer(gt)) == repr(build_layer(torch))


def test_extra_repr_multiline_matches_torch():
    def make(lib):
        class Custom(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = lib.nn.Sequential(lib.nn.Tanh())

            def extra_repr(self):
                return "alpha=1,\nbeta=2"

        return lib.nn.Sequential(Custom(), lib.nn.Sigmoid())

    assert repr(make(gt)) == repr(make(torch))


def test_print_state_dict_matches_torch():
    ours, theirs = pair("sequential")
    assert repr(ours.state_dict()) == repr(theirs.state_dict())
    assert str(ours.state_dict()) == str(theirs.state_dict())


# ---------------------------------------------------------------------------- state_dict
def test_state_dict_values_are_detached_and_share_memory():
    model = build(gt, "nested")
    state = model.state_dict()
    weight = state["encoder.fc.weight"]
    assert type(weight) is gt.Tensor and not weight.requires_grad
    with gt.no_grad():
        model.encoder.fc.weight.fill_(3.0)
    assert (weight == 3.0).all()
    assert type(model.state_dict(keep_vars=True)["encoder.fc.weight"]) is nn.Parameter
    assert "encoder.cache" not in state and "encoder.scale" in state
    assert state._metadata[""] == {"version": 1}
    assert isinstance(state, OrderedDict)


def test_state_dict_into_given_destination_with_prefix():
    model = nn.Linear(2, 1)
    dest = {}
    assert model.state_dict(destination=dest, prefix="net.") is dest
    assert list(dest) == ["net.weight", "net.bias"]


def test_load_state_dict_round_trip_copies_in_place():
    source, target = build(gt, "nested"), build(gt, "nested")
    weight_before = target.encoder.fc.weight
    result = target.load_state_dict(source.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target.encoder.fc.weight is weight_before  # the same Parameter, new values
    pairs = zip(source.state_dict().items(), target.state_dict().items(), strict=True)
    for (name, a), (_, b) in pairs:
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    # the copy is a copy: changing the source later does not touch the target
    with gt.no_grad():
        source.encoder.fc.weight.fill_(7.0)
    assert not (target.encoder.fc.weight == 7.0).any()


def test_load_keeps_optimizer_working():
    model = nn.Linear(2, 1)
    optimizer = gt.optim.SGD(model.parameters(), lr=0.5)
    model.load_state_dict({"weight": gt.tensor([[1.0, 2.0]]), "bias": gt.tensor([0.0])})
    model(gt.ones(1, 2)).sum().backward()
    optimizer.step()
    np.testing.assert_allclose(model.weight.detach().numpy(), [[0.5, 1.5]])


def test_load_torch_state_dict_directly():
    ours, theirs = build(gt, "sequential"), build(torch, "sequential")
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    assert_close(ours(gt.tensor(x)), theirs(torch.tensor(x)))


def _load_error(model, state, **kwargs):
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state, **kwargs)
    return str(info.value)


def test_load_errors_match_torch_text_and_change_nothing():
    ours, theirs = pair("nested")
    before = {k: v.clone() for k, v in ours.state_dict().items()}
    bad_ours = {k: v.clone() for k, v in ours.state_dict().items()}
    bad_theirs = {k: v.clone() for k, v in theirs.state_dict().items()}
    for bad, lib in ((bad_ours, gt), (bad_theirs, torch)):
        del bad["out.weight"]
        bad["encoder.fc.weight"] = lib.zeros(2, 1)  # wrong shape
        bad["head.0.bias"] = lib.full((4,), 9.0)  # a valid entry: must not be applied
        bad["extra.weight"] = lib.zeros(1)
        bad["encoder.cache"] = lib.zeros(2)  # non-persistent buffer: unexpected
    message = _load_error(ours, bad_ours)
    assert message == _load_error(theirs, bad_theirs)
    assert message.startswith("Error(s) in loading state_dict for Model:\n\tMissing key(s) in "
                              'state_dict: "out.weight". \n\tUnexpected key(s)')
    assert "size mismatch for encoder.fc.weight: copying a param with shape " \
        "torch.Size([2, 1]) from checkpoint, the shape in current model is " \
        "torch.Size([4, 3])." in message
    for key, value in ours.state_dict().items():  # atomic: nothing was copied
        np.testing.assert_array_equal(value.numpy(), before[key].numpy(), err_msg=key)


def test_size_mismatch_message_is_torchs():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(1, 1)

    with pytest.raises(RuntimeError, match=re.escape(
        "Error(s) in loading state_dict for Model:\n\tsize mismatch for linear.weight: "
        "copying a param with shape torch.Size([2, 1]) from checkpoint, the shape in current "
        "model is torch.Size([1, 1]).")):
        Model().load_state_dict({"linear.weight": gt.zeros(2, 1), "linear.bias": gt.zeros(1)})


def test_non_strict_load_reports_keys_like_torch():
    ours, theirs = pair("sequential")
    partial_ours = {"0.weight": ours[0].weight.detach() * 2, "9.bias": gt.zeros(1)}
    partial_theirs = {"0.weight": theirs[0].weight.detach() * 2, "9.bias": torch.zeros(1)}
    result = ours.load_state_dict(partial_ours, strict=False)
    expected = theirs.load_state_dict(partial_theirs, strict=False)
    assert repr(result) == repr(expected)
    assert result.missing_keys == expected.missing_keys
    assert result.unexpected_keys == expected.unexpected_keys
    assert_close(ours[0].weight, theirs[0].weight)


def test_load_non_tensor_value_is_an_error():
    model = nn.Linear(1, 1)
    with pytest.raises(RuntimeError, match='While copying the parameter named "bias", '
                       "expected torch.Tensor or Tensor-like object from checkpoint but "
                       "received <class 'list'>"):
        model.load_state_dict({"weight": gt.zeros(1, 1), "bias": [0.0]})
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        model.load_state_dict([("weight", gt.zeros(1, 1))])


def test_load_with_assign_replaces_tensors():
    model = nn.Linear(2, 1)
    new_weight = gt.ones(1, 2)
    model.load_state_dict({"weight": new_weight, "bias": gt.zeros(1)}, assign=True)
    assert isinstance(model.weight, nn.Parameter) and model.weight.requires_grad
    model.weight.detach().zero_()
    assert (new_weight == 0).all()  # assign shares the given tensor's memory


def test_load_casts_dtype_and_accepts_shape_1_for_scalars():
    model = nn.Module()
    model.scale = nn.Parameter(gt.tensor(1.0))
    model.load_state_dict({"scale": gt.tensor([2.0], dtype=gt.float64)})
    assert model.scale.item() == 2.0 and model.scale.dtype == gt.float32


# ---------------------------------------------------------------------------- registration
def test_assigning_before_super_init_explains_the_fix():
    class MyNet(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"cannot assign module before Module.__init__\(\) "
                       r"call\. Call super\(\).__init__\(\) at the top of MyNet.__init__"):
        MyNet()

    class MyParam(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(gt.zeros(1))

    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__"):
        MyParam()
    with pytest.raises(AttributeError, match=r"cannot assign buffer before Module.__init__"):
        nn.Module.register_buffer(object.__new__(nn.Module), "b", gt.zeros(1))


def test_missing_attribute_error_is_torchs_with_a_hint():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(1, 1)

    model = Model()
    with pytest.raises(AttributeError) as info:
        _ = model.linaer
    # Python's traceback adds "Did you mean: 'linear'?" from name/obj and __dir__
    assert info.value.name == "linaer" and info.value.obj is model
    assert "linear" in dir(model)
    script = (
        "import glasstorch as torch\n"
        "class Model(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.linear = torch.nn.Linear(1, 1)\n"
        "Model().linaer\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert shown.stderr.strip().endswith(
        "AttributeError: 'Model' object has no attribute 'linaer'. Did you mean: 'linear'?")
    with pytest.raises(AttributeError, match="^'Model' object has no attribute 'foo'$"):
        _ = model.foo
    assert not hasattr(model, "foo")

    class NoInit(nn.Module):
        def __init__(self):
            pass

    with pytest.raises(AttributeError, match="'NoInit' object has no attribute '_parameters'. Did "
                       r"you forget super\(\).__init__\(\)"):
        list(NoInit().parameters())


def test_setattr_registers_and_reassigns_like_torch():
    model = nn.Module()
    model.w = nn.Parameter(gt.zeros(2))
    model.sub = nn.Linear(1, 1)
    model.register_buffer("buf", gt.ones(1))
    model.plain = gt.ones(3)  # a plain tensor is not registered
    assert list(model._parameters) == ["w"] and list(model._modules) == ["sub"]
    assert "plain" not in model.state_dict()
    with pytest.raises(TypeError, match=re.escape(
            "cannot assign 'torch.FloatTensor' as parameter 'w' (torch.nn.Parameter or None "
            "expected)")):
        model.w = gt.zeros(2)
    with pytest.raises(TypeError, match=re.escape(
            "cannot assign 'int' as child module 'sub' (torch.nn.Module or None expected)")):
        model.sub = 3
    with pytest.raises(TypeError, match=re.escape("cannot assign 'int' as buffer 'buf'")):
        model.buf = 3
    model.buf = gt.zeros(1)
    assert (model.state_dict()["buf"] == 0).all()
    model.w = None
    assert list(model.state_dict()) == ["buf", "sub.weight", "sub.bias"]
    model.sub = nn.Parameter(gt.ones(1))  # a parameter replaces the module of that name
    assert "sub" not in model._modules and "sub" in model._parameters
    del model.sub
    assert "sub" not in model._parameters


def _registration_errors(lib):
    module = lib.nn.Module()
    module.x = 1
    calls = (
        lambda: module.register_parameter("a.b", None),
        lambda: module.register_parameter("", None),
        lambda: module.register_parameter("x", None),
        lambda: module.register_buffer("a.b", None),
        lambda: module.add_module("a.b", lib.nn.ReLU()),
        lambda: module.add_module("y", 3),
        lambda: module.register_buffer("b", 3),
    )
    errors = []
    for call in calls:
        with pytest.raises((KeyError, TypeError)) as info:
            call()
        errors.append((type(info.value), str(info.value)))
    return errors


def test_register_errors_match_torch():
    assert _registration_errors(gt) == _registration_errors(torch)


def test_register_parameter_needs_a_parameter():
    with pytest.raises(TypeError, match=re.escape(
            "cannot assign 'torch.FloatTensor' object to parameter 'w' (torch.nn.Parameter or "
            "None required). Wrap it: nn.Parameter(tensor).")):
        nn.Module().register_parameter("w", gt.zeros(1))


def test_missing_forward_and_hooks():
    with pytest.raises(NotImplementedError, match=re.escape(
            'Module [Module] is missing the required "forward" function')):
        nn.Module()(1)
    with pytest.raises(NotImplementedError, match="does not implement module backward hooks"):
        nn.Linear(1, 1).register_full_backward_hook(lambda *a: None)


def test_init_rejects_arguments_like_torch():
    with pytest.raises(TypeError, match=re.escape(
            "Module.__init__() takes 1 positional argument but 2 were given")):
        nn.Module(3)


# ---------------------------------------------------------------------------- modes, grads
def test_train_eval_propagate():
    model = build(gt, "nested")
    assert model.training and model.encoder.fc.training
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        model.train("yes")


def test_zero_grad_and_requires_grad():
    model = build(gt, "sequential")
    model(gt.ones(2, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all((p.grad == 0).all() for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.requires_grad_(False) is model
    assert not any(p.requires_grad for p in model.parameters())


def test_dtype_conversion_keeps_parameter_objects():
    model = build(gt, "nested")
    weight = model.encoder.fc.weight
    model(gt.ones(1, 3)).sum().backward()
    assert model.double() is model
    assert model.encoder.fc.weight is weight and weight.dtype == gt.float64
    assert weight.grad.dtype == gt.float64 and model.encoder.scale.dtype == gt.float64
    assert model(gt.ones(1, 3, dtype=gt.float64)).dtype == gt.float64
    model.to(gt.float32)
    assert weight.dtype == gt.float32
    model.float().to("cpu").cpu()
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point or complex "
                       "dtypes, but got desired dtype=torch.int64"):
        model.to(gt.int64)
    with pytest.raises(RuntimeError, match="Torch not compiled with CUDA enabled"):
        model.cuda()


def test_deepcopy_gives_an_independent_model():
    model = build(gt, "sequential")
    clone = copy.deepcopy(model)
    assert isinstance(clone[0].weight, nn.Parameter) and clone[0].weight.requires_grad
    with gt.no_grad():
        clone[0].weight.fill_(5.0)
    assert not (model[0].weight == 5.0).any()


def test_parameter_is_a_tensor_sharing_memory():
    data = gt.zeros(2)
    p = nn.Parameter(data)
    assert isinstance(p, gt.Tensor) and p.requires_grad and p.is_leaf
    data.fill_(4.0)
    assert (p == 4.0).all()
    assert repr(p) == repr(torch.nn.Parameter(torch.full((2,), 4.0)))
    frozen = nn.Parameter(gt.ones(1), requires_grad=False)
    assert repr(frozen) == repr(torch.nn.Parameter(torch.ones(1), requires_grad=False))
    assert type(p * 2) is gt.Tensor
    assert nn.Parameter().shape == (0,)
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        nn.Parameter(gt.tensor([1, 2]))
    with pytest.raises(TypeError, match="Parameter expects a Tensor"):
        nn.Parameter([1.0])
