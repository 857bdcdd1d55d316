"""``explain`` (the backward pass replayed step by step) and ``check_grad``.

The gradients ``explain`` reports must be exactly the engine's (it replays the same rules in
the same order) and close to real torch's; ``explain`` must change nothing (no ``.grad``, the
graph stays usable). The texts are checked for what a learner needs to see: every node in
order, the local rules, the summing of broadcast dimensions and of multiple uses, and the
final derivation ``dcost/dW = 2/3 Σ (x·W + b - y)·x``.
"""

from __future__ import annotations

import io
import math
import re
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest
import torch  # the oracle (tests/conftest.py checks its version)

import glasstorch
from glasstorch.autograd import check_grad
from glasstorch.autograd.explain import Explanation, explain
from glasstorch.autograd.function import _FREED

SEED_002_NODES = ["MeanBackward0", "PowBackward0", "SubBackward0", "AddBackward0",
                  "MulBackward0"]


def seed_002(lib: Any, w: float = 0.0, b: float = 0.0) -> tuple[Any, ...]:
    """Seed 002's linear regression: cost = mean((x * W + b - y) ** 2)."""
    x_train = lib.FloatTensor([[1], [2], [3]])
    y_train = lib.FloatTensor([[30], [60], [90]])
    W = lib.tensor([w], requires_grad=True)
    bias = lib.tensor([b], requires_grad=True)
    cost = lib.mean((x_train * W + bias - y_train) ** 2)
    return cost, W, bias, x_train, y_train


def seed_004(lib: Any) -> tuple[Any, ...]:
    """Seed 004's cubic fit of sin: loss = sum((a x^3 + b x^2 + c x + d - y) ** 2)."""
    x = lib.linspace(-math.pi, math.pi, 1000)
    y = lib.sin(x)
    coeffs = [lib.tensor(v, requires_grad=True) for v in (0.3, -0.2, 0.8, 0.1)]
    a, b, c, d = coeffs
    loss = (a * x ** 3 + b * x ** 2 + c * x + d - y).pow(2).sum()
    return loss, coeffs, x, y


def autograd_grads(loss: Any, leaves: list[Any]) -> list[np.ndarray]:
    grads = glasstorch.autograd.grad(loss, leaves, retain_graph=True)
    return [g.numpy() for g in grads]


def torch_grads(loss: Any, leaves: list[Any]) -> list[np.ndarray]:
    loss.backward()
    return [t.grad.numpy() for t in leaves]


# ============================================================================ explain
def test_seed_002_gradients_equal_autograd_and_torch() -> None:
    cost, W, b, x, y = seed_002(glasstorch, 1.5, 0.5)
    ex = explain(cost, {"W": W, "b": b, "x": x, "y": y})
    ours = [ex.grad(W), ex.grad(b)]
    for got, expected in zip(ours, autograd_grads(cost, [W, b]), strict=True):
        np.testing.assert_array_equal(got, expected)  # the same rules in the same order
    t_cost, t_W, t_b, *_ = seed_002(torch, 1.5, 0.5)
    for got, expected in zip(ours, torch_grads(t_cost, [t_W, t_b]), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    # and the hand derivation D_W = 2/m Σ (Wx + b - y) x of the tutorial
    r = 1.5 * np.array([1.0, 2, 3]) + 0.5 - np.array([30.0, 60, 90])
    assert ex.grad("W")[0] == pytest.approx(2 / 3 * np.sum(r * [1, 2, 3]))
    assert ex.grad("b")[0] == pytest.approx(2 / 3 * np.sum(r))


def test_seed_002_text_walks_mean_pow_sub_add_mul_down_to_dW() -> None:
    cost, W, b, x, y = seed_002(glasstorch)
    text = str(explain(cost, {"W": W, "b": b, "x": x, "y": y}, name="cost"))
    positions = [text.index(f"] {name}") for name in SEED_002_NODES]
    assert positions == sorted(positions), "nodes must appear in the engine's order"
    assert "cost = mean((x·W + b - y)^2) = 4200" in text
    assert "mean over 3 elements: each input element gets grad / 3" in text
    assert "grad · 2·(x·W + b - y) = [[-20], [-40], [-60]]" in text
    assert "so dcost/d(x·W + b - y) = 2/3·(x·W + b - y)" in text
    assert "grad · x = [[-20], [-80], [-180]]" in text
    assert "summed over the broadcast dimension(s) 0 to shape (1,): [-280]" in text
    # the closing lines for W read as the tutorial's derivation, with the value
    tail = text[text.index("Parameter gradients"):]
    assert re.search(r"dcost/dW = Σ over the 3 elements of grad · x\n\s+= 2/3 Σ "
                     r"\(x·W \+ b - y\)·x\n\s+= \[-280\]", tail), tail
    assert re.search(r"dcost/db = Σ over the 3 elements of grad\n\s+= 2/3 Σ "
                     r"\(x·W \+ b - y\)\n\s+= \[-120\]", tail), tail
    assert tail.index("dcost/dW") < tail.index("dcost/db")  # in the order of params


def test_steps_are_records_for_programs() -> None:
    cost, W, b, x, y = seed_002(glasstorch)
    ex = explain(cost, {"W": W, "b": b})
    assert [s.name for s in ex.steps] == SEED_002_NODES
    assert [s.index for s in ex.steps] == [1, 2, 3, 4, 5]
    mul = ex.steps[-1]
    (to_w,) = [f for f in mul.flows if f.kind == "leaf"]
    assert to_w.target == "W" and to_w.summed_dims == (0,) and to_w.rule_shape == (3, 1)
    np.testing.assert_array_equal(to_w.unsummed, [[-20], [-80], [-180]])
    assert [leaf.name for leaf in ex.leaves] == ["W", "b"]
    # constants the user did not name get symbols and a legend
    assert ex.leaves[0].derivation[-1] == "2/3 Σ (k1·W + b - k2)·k1"
    assert ex.constants[0] == "k1 = [[1], [2], [3]]"


def test_explain_changes_nothing_and_the_graph_still_works() -> None:
    cost, W, b, *_ = seed_002(glasstorch, 1.0, 2.0)
    ex = explain(cost, {"W": W, "b": b})
    assert W.grad is None and b.grad is None
    assert all(s.node.saved is not _FREED for s in ex.steps)
    cost.backward(retain_graph=True)
    np.testing.assert_array_equal(W.grad.numpy(), ex.grad(W))
    grad_before = W.grad
    explain(cost, {"W": W, "b": b})  # an existing .grad is left alone too
    assert W.grad is grad_before
    np.testing.assert_array_equal(W.grad.numpy(), ex.grad(W))
    cost.backward()  # the graph was not freed by explain: a second backward accumulates
    np.testing.assert_array_equal(W.grad.numpy(), 2 * ex.grad(W))


def test_explain_after_the_graph_was_freed_says_what_to_do() -> None:
    cost, *_ = seed_002(glasstorch)
    cost.backward()
    with pytest.raises(RuntimeError, match=r"retain_graph=True"):
        explain(cost)


def test_explain_needs_a_single_value_that_requires_grad() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        explain(glasstorch.tensor(1.0))
    w = glasstorch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"explain\(out.sum\(\)\)"):
        explain(w * 2)


def test_seed_004_cubic_fit_matches_autograd_and_torch() -> None:
    loss, coeffs, x, y = seed_004(glasstorch)
    names = dict(zip("abcd", coeffs, strict=True))
    ex = explain(loss, {**names, "x": x, "x^2": x ** 2, "x^3": x ** 3, "y": y})
    ours = [ex.grad(t) for t in coeffs]
    for got, expected in zip(ours, autograd_grads(loss, coeffs), strict=True):
        np.testing.assert_array_equal(got, expected)
    t_loss, t_coeffs, _, _ = seed_004(torch)
    for got, expected in zip(ours, torch_grads(t_loss, t_coeffs), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-4)
    # the tutorial's hand-written grad_a = (2 (y_pred - y) * x**3).sum(), as a formula
    assert ex.leaves[0].derivation == [
        "Σ over the 1000 elements of grad · x^3",
        "2 Σ (a·x^3 + b·x^2 + c·x + d - y)·x^3",
    ]
    text = str(ex)
    assert "(1,000 values: min" in text  # big arrays are summarised, not printed


def test_broadcast_gradients_are_summed_and_said_so() -> None:
    rng = np.random.default_rng(0)
    xs, ws = rng.standard_normal((4, 3)), rng.standard_normal((1, 3))

    def build(lib: Any) -> tuple[Any, ...]:
        x = lib.tensor(xs, dtype=lib.float32)
        w = lib.tensor(ws, dtype=lib.float32, requires_grad=True)
        bias = lib.tensor([0.5], requires_grad=True)
        return ((x * w + bias) ** 2).mean(), w, bias

    loss, w, bias = build(glasstorch)
    ex = explain(loss, {"w": w, "bias": bias})
    for got, expected in zip([ex.grad(w), ex.grad(bias)], autograd_grads(loss, [w, bias]),
                             strict=True):
        np.testing.assert_array_equal(got, expected)
    t_loss, t_w, t_bias = build(torch)
    for got, expected in zip([ex.grad(w), ex.grad(bias)], torch_grads(t_loss, [t_w, t_bias]),
                             strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    text = str(ex)
    assert "summed over the broadcast dimension(s) 0 to shape (1, 3)" in text
    assert "summed over the broadcast dimension(s) 0, 1 to shape (1,)" in text
    assert "Σ over the 12 elements of grad" in text


def test_multi_use_contributions_are_summed_and_said_so() -> None:
    x = glasstorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ex = explain((x * x + x * 3).sum(), {"x": x})
    (leaf,) = ex.leaves
    assert len(leaf.steps) == 3  # x * x uses x twice, x * 3 once
    assert leaf.derivation == ["3 + 2·x"]  # d/dx (x^2 + 3x), its terms merged
    np.testing.assert_array_equal(leaf.grad, [5.0, 7.0, 9.0])
    text = str(ex)
    assert "used more than once: this is added to the gradient it already has" in text
    assert "used 3 times" in text and "their parts are added" in text


def test_diamond_graph_matches_autograd_and_torch() -> None:
    def build(lib: Any) -> tuple[Any, Any]:
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        u = x.exp()
        v = u * x.sin() + u / (x * x + 1)  # u and x each feed several nodes
        return (v * v).mean() + u.sum(), x

    loss, x = build(glasstorch)
    ex = explain(loss, {"x": x})
    np.testing.assert_array_equal(ex.grad(x), autograd_grads(loss, [x])[0])
    t_loss, t_x = build(torch)
    np.testing.assert_allclose(ex.grad(x), torch_grads(t_loss, [t_x])[0], rtol=1e-5)
    assert len(ex.leaves[0].steps) > 1


def test_multi_output_and_module_graphs_match_autograd() -> None:
    glasstorch.manual_seed(0)
    model = glasstorch.nn.Linear(3, 2)
    inputs = glasstorch.randn(4, 3)
    p, q = model(inputs).split(1, dim=1)
    loss = glasstorch.nn.functional.mse_loss(p, q.detach()) + q.relu().mean()
    params = dict(model.named_parameters())
    ex = loss.explain(params)
    expected = autograd_grads(loss, list(params.values()))
    for (name, t), g in zip(params.items(), expected, strict=True):
        np.testing.assert_array_equal(ex.grad(t), g)
        assert ex.grad(name) is ex.grad(t)
    assert "SplitBackward0" in str(ex) and "AddmmBackward0" in str(ex)


def test_html_renders_every_step() -> None:
    cost, W, b, x, y = seed_002(glasstorch)
    page = explain(cost, {"W": W, "b": b, "x": x, "y": y})._repr_html_()

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.rows = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag != "br":
                self.open.append(tag)
            self.rows += tag == "tr"

        def handle_endtag(self, tag: str) -> None:
            assert self.open.pop() == tag, f"</{tag}> closes the wrong element"

    checker = Checker()
    checker.feed(page)
    assert checker.open == []
    assert checker.rows == 1 + len(SEED_002_NODES)  # the header row and one per node
    for name in SEED_002_NODES:
        assert name in page
    assert "2/3 Σ (x·W + b - y)·x" in page and "[-280]" in page


def test_100000_op_chain_is_explained_without_recursion() -> None:
    x = glasstorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0001
    ex = explain(y, {"x": x}, max_steps=10)
    text = str(ex)
    assert len(ex.steps) == 100_000
    assert "... 99,990 more steps not shown" in text
    assert "[1] MulBackward0" in text and "[100000] MulBackward0" in text
    assert "[50000] MulBackward0" not in text
    assert len(text.splitlines()) < 100
    np.testing.assert_array_equal(ex.grad(x), autograd_grads(y, [x])[0])


def test_printing_api() -> None:
    cost, W, b, *_ = seed_002(glasstorch)
    ex = glasstorch.explain(cost, {"W": W, "b": b})
    assert isinstance(ex, Explanation)
    assert repr(ex) == str(ex)  # the Python prompt shows the text itself
    out = io.StringIO()
    again = cost.explain({"W": W, "b": b}, file=out)  # the Tensor method is the same call
    assert out.getvalue() == str(again) + "\n" == str(ex) + "\n"


# ============================================================================ check_grad
def test_check_grad_accepts_the_tutorials_hand_derived_gradients() -> None:
    _, W, b, x, y = seed_002(glasstorch, 1.5, 0.5)
    m = 3
    r = (x * W + b - y).detach()
    report = check_grad(lambda W, b: glasstorch.mean((x * W + b - y) ** 2), [W, b],
                        [2 / m * (r * x).sum(), 2 / m * r.sum()])
    assert report.ok and bool(report)
    assert W.grad is None and b.grad is None  # autograd.grad, not backward
    t_cost, t_W, t_b, *_ = seed_002(torch, 1.5, 0.5)
    t_cost.backward()  # the oracle: autograd's values in the report are torch's
    np.testing.assert_allclose(report[0].autograd, t_W.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(report[1].autograd, t_b.grad.numpy(), rtol=1e-6)
    assert "All 2 gradients match" in str(report)


def test_check_grad_catches_a_forgotten_factor_and_a_flipped_sign() -> None:
    _, W, b, x, y = seed_002(glasstorch, 1.5, 0.5)
    r = (x * W + b - y).detach()
    report = check_grad(lambda W, b: glasstorch.mean((x * W + b - y) ** 2), {"W": W, "b": b},
                        {"W": 1 / 3 * (r * x).sum(), "b": -2 / 3 * r.sum()})
    assert not report.ok and not report["W"].ok and not report["b"].ok
    w_check = report["W"]
    assert w_check.where == (0,)
    assert w_check.autograd_there == pytest.approx(2 * w_check.mine_there)
    assert w_check.max_abs_error == pytest.approx(abs(w_check.mine_there))
    assert "2 × yours everywhere" in w_check.notes[-1]
    assert "sign is flipped" in report["b"].notes[-1]
    text = str(report)
    assert "MISMATCH" in text and "2 of 2 gradients differ" in text
    assert "<table>" in report._repr_html_()


def test_check_grad_catches_a_missing_sum_over_the_examples() -> None:
    _, W, b, x, y = seed_002(glasstorch, 1.5, 0.5)
    r = (x * W + b - y).detach()
    report = check_grad(lambda W: glasstorch.mean((x * W + b - y) ** 2), [W], [2 / 3 * r * x])
    assert not report.ok
    assert "shape mismatch" in report[0].notes[0] and "Σ" in report[0].notes[0]


def test_check_grad_finds_the_element_that_differs() -> None:
    values = np.array([[1.0, -2.0], [3.0, 0.5]])
    w = glasstorch.tensor(values, requires_grad=True)
    right = 3 * values ** 2  # d/dw sum(w^3)
    wrong = right.copy()
    wrong[1, 0] += 0.5
    assert check_grad(lambda w: (w ** 3).sum(), w, right).ok
    report = check_grad(lambda w: (w ** 3).sum(), w, wrong)
    assert not report.ok
    assert report[0].where == (1, 0)
    assert report[0].mine_there == pytest.approx(27.5)
    assert report[0].autograd_there == pytest.approx(27.0)
    with pytest.raises(ValueError, match="one per input"):
        check_grad(lambda w: (w ** 3).sum(), w, [right, right])
