"""Errors that teach: each beginner's mistake, run in real torch and in glasstorch.

For every mistake the test runs the same code on both libraries and checks that glasstorch
raises (or warns with) the same exception type as torch, that its message starts with
torch's text, and that the hint after it says how to fix the mistake. The catalogue itself
(``glasstorch._errors``) is checked too: every entry has both languages and renders.
"""

from __future__ import annotations

import re
import string
import sys
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch  # the oracle; tests/conftest.py checks its version

import glasstorch as gt
from glasstorch._errors import CATALOGUE, hint, message, torch_text

# catalogue entries no raise site uses yet (the op they belong to is not implemented)
NOT_YET_RAISED: set[str] = set()


def outcome(lib: Any, code: Callable[[Any], Any]) -> tuple[type, str]:
    """The exception type and text ``code(lib)`` raised, or else its first UserWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code(lib)
        except Exception as error:  # any type: it is what we compare
            return type(error), str(error)
    user = [w for w in caught if issubclass(w.category, UserWarning)]
    assert user, f"{lib.__name__}: no error and no warning"
    return user[0].category, str(user[0].message)


def check(code: Callable[[Any], Any], key: str, *hints: str) -> str:
    """``code`` makes the mistake ``key``: same type as torch, torch's text first, the hint."""
    theirs_type, theirs = outcome(torch, code)
    ours_type, ours = outcome(gt, code)
    assert ours_type is theirs_type, (ours_type, theirs_type)
    assert CATALOGUE[key].kind is ours_type
    theirs = theirs.split(" (Triggered internally at")[0]  # C++ location of torch's warnings
    assert ours.startswith(theirs), f"\n ours:   {ours}\n theirs: {theirs}"
    tip = ours[len(theirs):]
    for fragment in hints:
        assert fragment in tip, f"{fragment!r} not in {tip!r}"
    fixed = CATALOGUE[key].en.split("{")[0]  # the English hint's opening words: right entry
    assert fixed in tip
    return ours


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLASSTORCH_LANG", raising=False)


# ----------------------------------------------------------------------------- shapes
def test_matmul_shape_mismatch() -> None:
    check(lambda t: t.ones(2, 3) @ t.ones(4, 5), "matmul_shape", "inner sizes 3 and 4 differ")
    check(lambda t: t.ones(32, 10) @ t.ones(20, 10), "matmul_shape_transposed", "x @ w.T")
    check(lambda t: t.ones(2, 2, 4) @ t.ones(3, 2), "matmul_shape", "inner sizes 4 and 3")
    check(lambda t: t.ones(2, 2, 3) @ t.ones(2, 4, 4), "matmul_batch_shape",
          "got (2, 2, 3) and (2, 4, 4)")
    check(lambda t: t.ones(2, 3) @ t.ones(4), "mv_shape", "3 columns but the vector has 4")


def test_linear_input_features_vs_weight() -> None:
    text = check(lambda t: t.nn.Linear(3, 2)(t.ones(5, 4)), "linear_shape",
                 "the input has 4 features", "expects 3", "nn.Linear(4, 2)")
    assert text.startswith("mat1 and mat2 shapes cannot be multiplied (5x4 and 3x2)")
    # 100 samples of one feature given as a 1-D tensor: one sample of 100 features
    check(lambda t: t.nn.Linear(1, 1)(t.linspace(0, 1, 100)), "linear_shape_1d",
          "ONE sample with 100 features", "x.view(-1, 1)")
    # samples as columns
    check(lambda t: t.nn.Linear(1, 1)(t.ones(1, 100)), "linear_shape_transposed",
          "x.T (shape (100, 1))")


def test_loss_target_n_vs_prediction_n1_warns_with_the_fix() -> None:
    text = check(lambda t: t.nn.MSELoss()(t.ones(4, 1), t.ones(4)), "loss_target_size_column",
                 "broadcasts to (4, 4)", "y.view(-1, 1)", "pred.squeeze(1)")
    assert text.startswith("Using a target size (torch.Size([4])) that is different to the "
                           "input size (torch.Size([4, 1])). This will likely lead to")
    check(lambda t: t.nn.functional.l1_loss(t.ones(4), t.ones(4, 1)), "loss_target_size_row",
          "y.squeeze(1)", "pred.view(-1, 1)")
    check(lambda t: t.nn.MSELoss()(t.ones(2, 3), t.ones(3)), "loss_target_size",
          "target.view_as(input)")


def test_loss_warning_still_points_at_the_caller() -> None:
    with pytest.warns(UserWarning, match=re.escape("y.view(-1, 1)")) as record:
        gt.nn.functional.mse_loss(gt.ones(4, 1), gt.ones(4))
    assert record[0].filename == __file__


# ----------------------------------------------------------------------------- dtypes
def test_bce_with_int64_targets() -> None:
    check(lambda t: t.nn.BCELoss()(t.full((4, 1), 0.5), t.ones(4, 1, dtype=t.long)),
          "bce_target_dtype", "target.float()")


def test_cross_entropy_with_float_targets() -> None:
    check(lambda t: t.nn.CrossEntropyLoss()(t.randn(4, 3), t.tensor([0.0, 1.0, 2.0, 1.0])),
          "cross_entropy_target_dtype", "target.long()")


def test_matmul_float_vs_double() -> None:
    check(lambda t: t.ones(2, 3) @ t.ones(3, 2, dtype=t.float64), "matmul_dtype_float_double",
          "x.float()", "float64")
    check(lambda t: t.ones(2, 3, dtype=t.long) @ t.ones(3, 2), "matmul_dtype", "x.float()")
    check(lambda t: t.nn.Linear(3, 2)(t.ones(4, 3, dtype=t.float64)), "linear_dtype",
          "x = x.to(torch.float32)", "model.to(torch.float64)")
    check(lambda t: t.ones(3) @ t.ones(3, dtype=t.float64), "dot_dtype", "other.to(input.dtype)")


def test_copy_and_inplace_ops_keep_the_shape() -> None:
    check(lambda t: t.ones(2, 3).copy_(t.ones(3, 4)), "copy_shape",
          "of shape (3, 4), to the destination's shape (2, 3)")

    def grows(t: Any) -> None:
        x = t.ones(3)
        x += t.ones(2, 3)

    check(grows, "inplace_shape", "x = x + y")


def test_inplace_op_changing_dtype() -> None:
    def mistake(t: Any) -> None:
        x = t.ones(3, dtype=t.long)
        x += 0.5

    check(mistake, "inplace_dtype", "keeps the tensor's dtype", "x = x + y")


def test_requires_grad_on_an_integer_tensor() -> None:
    check(lambda t: t.tensor([1, 2], requires_grad=True), "requires_grad_integer",
          "torch.int64", "t.float()")
    check(lambda t: t.tensor([1, 2]).requires_grad_(), "requires_grad_integer", "t.float()")


# ----------------------------------------------------------------------------- values
def test_item_on_a_multi_element_tensor() -> None:
    check(lambda t: t.ones(3).item(), "item_not_one_element", "t.sum().item()", "t[0].item()")


def test_numpy_on_a_tensor_that_requires_grad() -> None:
    check(lambda t: t.ones(3, requires_grad=True).numpy(), "numpy_requires_grad", "detach()")


# ----------------------------------------------------------------------------- autograd
def test_inplace_update_of_a_parameter_outside_no_grad() -> None:
    def mistake(t: Any) -> None:
        w = t.ones(3, requires_grad=True)
        w -= 0.1 * t.ones(3)

    check(mistake, "inplace_leaf", "with torch.no_grad():", "w = w - lr * w.grad")
    check(lambda t: t.nn.Parameter(t.ones(3)).add_(1), "inplace_leaf", "torch.no_grad()")


def test_backward_twice() -> None:
    def mistake(t: Any) -> None:
        w = t.ones(3, requires_grad=True)
        hidden = w * w  # computed once, before the loop
        for _ in range(2):
            hidden.sum().backward()

    check(mistake, "backward_twice", "inside the loop")


def test_backward_of_a_non_scalar() -> None:
    check(lambda t: (t.ones(3, requires_grad=True) * 2).backward(), "backward_non_scalar",
          "shape (3,)", "loss.mean().backward()")


def test_backward_with_nothing_requiring_grad() -> None:
    check(lambda t: t.ones(3).sum().backward(), "backward_no_grad_fn", "requires_grad=True")


def test_grad_of_a_non_leaf_warns_with_the_fix() -> None:
    def mistake(t: Any) -> Any:
        w = t.randn(3, requires_grad=True) * 0.01  # not a leaf: made by a multiplication
        w.sum().backward()
        return w.grad

    check(mistake, "grad_of_non_leaf", "grad_fn=<MulBackward0>", ".retain_grad()",
          ".requires_grad_()")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert mistake(gt) is None


# ----------------------------------------------------------------------------- modules
def test_optimizer_given_no_parameters() -> None:
    check(lambda t: t.optim.SGD([], lr=0.1), "optimizer_empty", "model.parameters()")

    def used_up(t: Any) -> None:
        params = t.nn.Linear(2, 1).parameters()
        t.optim.SGD(params, lr=0.1)
        t.optim.SGD(params, lr=0.1)  # the generator is empty now

    check(used_up, "optimizer_empty", "generator")


def test_super_init_forgotten() -> None:
    def layer_first(t: Any) -> None:
        class Model(t.nn.Module):
            def __init__(self) -> None:
                self.fc = t.nn.Linear(2, 1)

        Model()

    check(layer_first, "module_before_init", "super().__init__()", "Model.__init__")

    def plain_attribute(t: Any) -> None:
        class Model(t.nn.Module):
            def __init__(self) -> None:
                self.size = 3

        list(Model().parameters())

    check(plain_attribute, "module_attribute_before_init", "super().__init__()")


def _model_with(name: str) -> Callable[[Any], Any]:
    def run(t: Any) -> Any:
        def method(self: Any, x: Any) -> Any:
            return x

        def init(self: Any) -> None:
            t.nn.Module.__init__(self)

        model = type("Model", (t.nn.Module,), {"__init__": init, name: method})
        return model()(t.ones(1))

    return run


@pytest.mark.parametrize("name", ["Forward", "foward", "forwad", "FORWARD", "forward_"])
def test_forward_misspelled(name: str) -> None:
    text = check(_model_with(name), "module_forward_misspelled", f"`{name}`",
                 "did you mean `forward`?")
    assert text.startswith('Module [Model] is missing the required "forward" function. ')


def test_forward_missing() -> None:
    check(_model_with("predict"), "module_forward_missing", "def forward(self, x):")


def test_forward_indented_into_init() -> None:
    def mistake(t: Any) -> Any:
        class Model(t.nn.Module):
            def __init__(self) -> None:
                super().__init__()

                def forward(self: Any, x: Any) -> Any:  # one level too deep
                    return x

        return Model()(t.ones(1))

    check(mistake, "module_forward_in_init", "Model.__init__", "dedent")


def test_forward_not_indented(monkeypatch: pytest.MonkeyPatch) -> None:
    script = types.ModuleType("beginner_script")
    exec(  # a user's script, with `def forward` not indented into the class
        "def make(t):\n"
        "    class Model(t.nn.Module):\n"
        "        def __init__(self):\n"
        "            super().__init__()\n"
        "    return Model\n"
        "\n"
        "def forward(self, x):\n"
        "    return x\n",
        script.__dict__,
    )
    monkeypatch.setitem(sys.modules, "beginner_script", script)
    check(lambda t: script.make(t)()(t.ones(1)), "module_forward_outside_class",
          "outside the class Model", "class Model")


# ----------------------------------------------------------------------------- languages
def test_korean_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLASSTORCH_LANG", "ko")
    with pytest.raises(RuntimeError) as error:
        gt.ones(3).item()
    text = str(error.value)
    assert text.startswith("a Tensor with 3 elements cannot be converted to Scalar. ")
    assert text.endswith(CATALOGUE["item_not_one_element"].ko.format(numel=3))
    assert "item()은 원소가 정확히 하나여야 합니다" in text
    assert "needs exactly one element" not in text
    with pytest.warns(UserWarning, match=re.escape("y.view(-1, 1)")) as record:
        gt.nn.MSELoss()(gt.ones(4, 1), gt.ones(4))
    assert "브로드캐스트" in str(record[0].message)
    # read at call time: switching back needs no reload
    monkeypatch.setenv("GLASSTORCH_LANG", "ko_KR.UTF-8")
    assert hint("bool_ambiguous", numel=2) == (
        "(이 텐서의 원소는 2개입니다). .any() 나 .all() 을 쓰세요.")
    monkeypatch.setenv("GLASSTORCH_LANG", "en")
    assert hint("bool_ambiguous", numel=2) == "(this tensor has 2 elements). Use .any() or .all()."
    monkeypatch.delenv("GLASSTORCH_LANG")
    assert hint("bool_ambiguous", numel=2).startswith("(this tensor has 2 elements)")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_both_languages_and_renders(key: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    entry = CATALOGUE[key]
    assert issubclass(entry.kind, (Exception, Warning))
    assert entry.en.strip() and entry.ko.strip() and entry.en != entry.ko
    assert HANGUL.search(entry.ko), "the Korean hint has no Korean in it"
    assert not HANGUL.search(entry.en + entry.torch)
    # the example gives every field, and the Korean hint uses the same fields as the English
    used = _fields(entry.torch) | _fields(entry.en)
    assert _fields(entry.ko) <= used
    assert used == set(entry.example), f"fields {used} vs example {set(entry.example)}"
    english = message(key, **entry.example)
    assert english.startswith(torch_text(key, **entry.example))
    assert english.endswith(hint(key, **entry.example))
    monkeypatch.setenv("GLASSTORCH_LANG", "ko")
    korean = message(key, **entry.example)
    assert korean.startswith(torch_text(key, **entry.example))  # torch's text stays English
    assert korean.endswith(entry.ko.format(**entry.example))


def test_every_entry_is_raised_somewhere() -> None:
    source = "".join(p.read_text(encoding="utf-8")
                     for p in Path(gt.__file__).parent.rglob("*.py") if p.name != "_errors.py")
    unused = {key for key in CATALOGUE if f'"{key}"' not in source} - NOT_YET_RAISED
    assert not unused, f"catalogue entries no raise site uses: {sorted(unused)}"
