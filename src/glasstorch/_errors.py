"""Errors that teach: the catalogue of beginners' mistakes and the messages glasstorch gives.

Every mistake a learner is likely to make has one entry here: the exception (or warning)
PyTorch raises for it, PyTorch's own text (``torch``: kept word for word, so that
``pytest.raises(match=...)`` and a web search for the error still work), and a hint that
says what went wrong and how to fix it, in English (``en``) and Korean (``ko``). A message
is PyTorch's text followed by the hint::

    mat1 and mat2 shapes cannot be multiplied (5x4 and 3x2): the input has 4 features ...

The templates use ``str.format`` fields (``{shape}``); ``example`` holds a value for each
field, which documents what the fields look like and lets the tests render every entry.
The hint's language comes from the environment variable ``GLASSTORCH_LANG``, read each time
a message is built: ``ko`` (or ``ko_KR``...) gives the Korean hint, anything else English.
PyTorch's part stays in English in every language (it is what people search for).

To translate the hints into another language, add a column (a field next to ``ko``) and a
branch in ``_language``. Messages are only built when an error is raised, so nothing here
costs anything on the hot paths.

Example:
    >>> import textwrap
    >>> from glasstorch._errors import message
    >>> print(textwrap.fill(message("item_not_one_element", numel=3), 80))
    a Tensor with 3 elements cannot be converted to Scalar. item() needs exactly one
    element; index it first (t[0].item()) or reduce it (t.sum().item()); for all the
    values use t.tolist().
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CATALOGUE", "Entry", "hint", "message", "torch_text"]


@dataclass(frozen=True)
class Entry:
    """One mistake: what PyTorch raises for it, and the hint glasstorch adds.

    Attributes:
        kind: the exception (or warning) class PyTorch raises (or warns with).
        torch: PyTorch's text for it, word for word ("" where PyTorch has none).
        en: the hint in English: what went wrong, then how to fix it.
        ko: the same hint in Korean.
        example: a value for every ``{field}`` of the templates.
        sep: what goes between PyTorch's text and the hint (default: ". ", or " " when
            PyTorch's text already ends with a full stop).
    """

    kind: type[Exception] | type[Warning]
    torch: str
    en: str
    ko: str
    example: Mapping[str, Any] = field(default_factory=dict)
    sep: str | None = None


_MATMUL_SHAPE = "mat1 and mat2 shapes cannot be multiplied ({left} and {right})"
_TARGET_SIZE = (
    "Using a target size ({target_size}) that is different to the input size ({input_size}). "
    "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
    "the same size."
)
_NO_FORWARD = 'Module [{cls}] is missing the required "forward" function'

CATALOGUE: dict[str, Entry] = {
    # ------------------------------------------------------------------ shapes
    "matmul_shape": Entry(
        RuntimeError, _MATMUL_SHAPE,
        en="inner sizes {k_a} and {k_b} differ. The last size of the first operand must "
           "equal the first size of the second.",
        ko="안쪽 크기 {k_a}와(과) {k_b}이(가) 다릅니다. 첫 번째 피연산자의 마지막 크기와 두 번째 "
           "피연산자의 첫 번째 크기가 같아야 합니다.",
        example={"left": "2x3", "right": "4x5", "k_a": 3, "k_b": 4}, sep=": "),
    "matmul_shape_transposed": Entry(
        RuntimeError, _MATMUL_SHAPE,
        en="inner sizes {k_a} and {k_b} differ. If the weight is stored as (out, in), use "
           "x @ w.T.",
        ko="안쪽 크기 {k_a}와(과) {k_b}이(가) 다릅니다. 가중치가 (out, in) 모양으로 저장되어 "
           "있다면 x @ w.T 를 쓰세요.",
        example={"left": "32x10", "right": "20x10", "k_a": 10, "k_b": 20}, sep=": "),
    "matmul_batch_shape": Entry(
        RuntimeError,
        "Expected size for first two dimensions of batch2 tensor to be: [{batch}, {k_a}] but "
        "got: [{batch}, {k_b}].",
        en="inner sizes {k_a} and {k_b} differ: a batched product needs (..., n, k) @ "
           "(..., k, m), got {a_shape} and {b_shape}.",
        ko="안쪽 크기 {k_a}와(과) {k_b}이(가) 다릅니다. 배치 행렬곱은 (..., n, k) @ (..., k, m) "
           "모양이어야 하는데 {a_shape}와(과) {b_shape}이(가) 들어왔습니다.",
        example={"batch": 2, "k_a": 3, "k_b": 4, "a_shape": "(2, 2, 3)",
                 "b_shape": "(2, 4, 4)"}),
    "matmul_batch_broadcast": Entry(
        RuntimeError,
        "The size of tensor a ({sa}) must match the size of tensor b ({sb}) at non-singleton "
        "dimension {dim}",
        en="the batch dims {a_batch} and {b_batch} of matmul's operands {a_shape} and "
           "{b_shape} cannot be broadcast.",
        ko="matmul 피연산자 {a_shape}와(과) {b_shape}의 배치 차원 {a_batch}와(과) {b_batch}는 "
           "브로드캐스트할 수 없습니다.",
        example={"sa": 2, "sb": 3, "dim": 0, "a_batch": "(2,)", "b_batch": "(3,)",
                 "a_shape": "(2, 2, 3)", "b_shape": "(3, 3, 4)"}, sep=": "),
    "matmul_0d": Entry(
        RuntimeError,
        "both arguments to matmul need to be at least 1D, but they are {a_nd}D and {b_nd}D",
        en="For a product with a scalar use *, e.g. x * 2.",
        ko="스칼라와 곱하려면 * 를 쓰세요. 예: x * 2.",
        example={"a_nd": 0, "b_nd": 1}),
    "argument_not_tensor": Entry(
        TypeError, "{function}(): argument '{name}' (position {position}) must be Tensor, not "
        "{type}",
        en="Wrap it first: torch.tensor(...).",
        ko="먼저 텐서로 감싸세요: torch.tensor(...).",
        example={"function": "matmul", "name": "other", "position": 2, "type": "list"}),
    "mv_shape": Entry(
        RuntimeError, "size mismatch, got input ({rows}), mat ({rows}x{cols}), vec ({n})",
        en="the matrix has {cols} columns but the vector has {n} elements.",
        ko="행렬의 열은 {cols}개인데 벡터의 원소는 {n}개입니다. 두 수가 같아야 합니다.",
        example={"rows": 2, "cols": 3, "n": 4}, sep=": "),
    "linear_shape": Entry(
        RuntimeError, _MATMUL_SHAPE,
        en="the input has {features} features but the weight of shape {weight_shape} = "
           "(out_features, in_features) expects {in_features}. Make in_features match the "
           "input's last dim, e.g. nn.Linear({features}, {out_features}).",
        ko="입력의 특성(feature)은 {features}개인데, 모양이 {weight_shape} = (out_features, "
           "in_features)인 가중치는 {in_features}개를 기대합니다. in_features를 입력의 마지막 "
           "차원에 맞추세요. 예: nn.Linear({features}, {out_features}).",
        example={"left": "5x4", "right": "3x2", "features": 4, "in_features": 3,
                 "out_features": 2, "weight_shape": "(2, 3)"}, sep=": "),
    "linear_shape_1d": Entry(
        RuntimeError, _MATMUL_SHAPE,
        en="the 1-D input of {features} values is read as ONE sample with {features} features, "
           "but the layer expects {in_features}. If these are {samples} samples, make it a "
           "batch with one sample per row: x.view(-1, {in_features}) (for one feature, "
           "x.unsqueeze(1)).",
        ko="값이 {features}개인 1차원 입력은 특성이 {features}개인 샘플 '하나'로 읽히는데, 이 층은 "
           "특성 {in_features}개를 기대합니다. 샘플이 {samples}개라면 한 행에 샘플 하나가 오도록 "
           "배치로 바꾸세요: x.view(-1, {in_features}) (특성이 하나면 x.unsqueeze(1)).",
        example={"left": "1x100", "right": "1x1", "features": 100, "in_features": 1,
                 "samples": 100}, sep=": "),
    "linear_shape_transposed": Entry(
        RuntimeError, _MATMUL_SHAPE,
        en="the input has {features} features but the weight of shape {weight_shape} = "
           "(out_features, in_features) expects {in_features}. The input's FIRST dim is "
           "{in_features}: if its columns are the samples, transpose it, x.T (shape "
           "{transposed}), so that each row is one sample.",
        ko="입력의 특성(feature)은 {features}개인데, 모양이 {weight_shape} = (out_features, "
           "in_features)인 가중치는 {in_features}개를 기대합니다. 입력의 '첫 번째' 차원이 "
           "{in_features}입니다. 열이 샘플이라면 x.T (모양 {transposed})로 전치해서 한 행이 샘플 "
           "하나가 되게 하세요.",
        example={"left": "1x100", "right": "1x1", "features": 100, "in_features": 1,
                 "weight_shape": "(1, 1)", "transposed": "(100, 1)"}, sep=": "),
    "linear_bias_size": Entry(
        RuntimeError,
        "The expanded size of the tensor ({out_features}) must match the existing size ({size}) "
        "at non-singleton dimension 1.  Target sizes: [{rows}, {out_features}].  Tensor sizes: "
        "[{size}]",
        en="The bias has {size} values but the layer has {out_features} outputs: the bias "
           "should have shape ({out_features},) = (out_features,), one value per output.",
        ko="편향(bias)의 값은 {size}개인데 층의 출력은 {out_features}개입니다. 편향의 모양은 "
           "출력마다 값 하나씩, ({out_features},) = (out_features,) 여야 합니다.",
        example={"out_features": 5, "size": 6, "rows": 4}),
    "linear_bias_shape": Entry(
        RuntimeError, "",
        en="linear: bias of shape {bias_shape} cannot be added to the output of shape "
           "{out_shape}; the bias should have shape ({out_features},) = (out_features,).",
        ko="linear: 모양이 {bias_shape}인 편향(bias)을 모양이 {out_shape}인 출력에 더할 수 "
           "없습니다. 편향의 모양은 ({out_features},) = (out_features,) 여야 합니다.",
        example={"bias_shape": "(6,)", "out_shape": "(4, 5)", "out_features": 5}),
    "copy_shape": Entry(
        RuntimeError,
        "The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
        "dimension {dim}",
        en="copy_ broadcasts the source, of shape {src_shape}, to the destination's shape "
           "{dest_shape}: in each dim their sizes must be equal, or the source's must be 1.",
        ko="copy_ 는 모양이 {src_shape}인 원본을 대상의 모양 {dest_shape}(으)로 "
           "브로드캐스트합니다. 각 차원에서 두 크기가 같거나 원본의 크기가 1이어야 합니다.",
        example={"a": 3, "b": 4, "dim": 0, "dest_shape": "(3,)", "src_shape": "(4,)"},
        sep=": "),
    "inplace_shape": Entry(
        RuntimeError, "output with shape {shape} doesn't match the broadcast shape {broadcast}",
        en="an in-place op (x += y, x.add_(y), x.copy_(y)) writes into the tensor, so it "
           "cannot change the tensor's shape; use the out-of-place form instead (x = x + y).",
        ko="제자리(in-place) 연산(x += y, x.add_(y), x.copy_(y))은 텐서 안에 값을 쓰므로 텐서의 "
           "모양을 바꿀 수 없습니다. 대신 제자리가 아닌 형태를 쓰세요 (x = x + y).",
        example={"shape": [3], "broadcast": [2, 3]}, sep=": "),
    # ------------------------------------------------------------------ losses
    "loss_target_size_column": Entry(
        UserWarning, _TARGET_SIZE,
        en="The prediction has shape {input_shape} and the target {target_shape}, so "
           "pred - target broadcasts to {broadcast}: every prediction is compared with every "
           "target and the loss is wrong (it still runs). Make the shapes equal: "
           "y.view(-1, 1) for the target, or pred.squeeze(1) for the prediction.",
        ko="예측의 모양은 {input_shape}, 타깃의 모양은 {target_shape}이라서 pred - target 이 "
           "{broadcast}(으)로 브로드캐스트됩니다. 모든 예측이 모든 타깃과 비교되어 손실 값이 "
           "틀립니다(오류 없이 실행은 됩니다). 모양을 맞추세요: 타깃은 y.view(-1, 1), 또는 "
           "예측은 pred.squeeze(1).",
        example={"target_size": "torch.Size([4])", "input_size": "torch.Size([4, 1])",
                 "input_shape": "(4, 1)", "target_shape": "(4,)", "broadcast": "(4, 4)"},
        sep=" "),
    "loss_target_size_row": Entry(
        UserWarning, _TARGET_SIZE,
        en="The prediction has shape {input_shape} and the target {target_shape}, so "
           "pred - target broadcasts to {broadcast}: every prediction is compared with every "
           "target and the loss is wrong (it still runs). Make the shapes equal: "
           "y.squeeze(1) for the target, or pred.view(-1, 1) for the prediction.",
        ko="예측의 모양은 {input_shape}, 타깃의 모양은 {target_shape}이라서 pred - target 이 "
           "{broadcast}(으)로 브로드캐스트됩니다. 모든 예측이 모든 타깃과 비교되어 손실 값이 "
           "틀립니다(오류 없이 실행은 됩니다). 모양을 맞추세요: 타깃은 y.squeeze(1), 또는 "
           "예측은 pred.view(-1, 1).",
        example={"target_size": "torch.Size([4, 1])", "input_size": "torch.Size([4])",
                 "input_shape": "(4,)", "target_shape": "(4, 1)", "broadcast": "(4, 4)"},
        sep=" "),
    "loss_target_size": Entry(
        UserWarning, _TARGET_SIZE,
        en="The prediction has shape {input_shape} and the target {target_shape}. Make the "
           "shapes equal, e.g. target.view_as(input) when they hold the same number of "
           "elements.",
        ko="예측의 모양은 {input_shape}, 타깃의 모양은 {target_shape}입니다. 모양을 맞추세요. "
           "원소 수가 같다면 예: target.view_as(input).",
        example={"target_size": "torch.Size([3])", "input_size": "torch.Size([2, 3])",
                 "input_shape": "(2, 3)", "target_shape": "(3,)"},
        sep=" "),
    "bce_target_size": Entry(
        ValueError,
        "Using a target size ({target_size}) that is different to the input size "
        "({input_size}) is deprecated. Please ensure they have the same size.",
        en="For example, target.view_as(input) when they hold the same number of elements.",
        ko="원소 수가 같다면 target.view_as(input) 처럼 모양을 맞추세요.",
        example={"target_size": "torch.Size([2])", "input_size": "torch.Size([2, 1])"}),
    "bce_target_dtype": Entry(
        RuntimeError, "Found dtype {found} but expected {expected}",
        en="The target must have the input's dtype: convert it, e.g. target.{converter}(), or "
           "write its values with a decimal point (torch.tensor([[0.], [1.]])).",
        ko="타깃의 dtype은 입력과 같아야 합니다. target.{converter}() 처럼 변환하거나, 값을 "
           "소수점과 함께 쓰세요 (torch.tensor([[0.], [1.]])).",
        example={"found": "Long", "expected": "Float", "converter": "float"}),
    "cross_entropy_target_dtype": Entry(
        RuntimeError, "expected target dtype to be Long or Byte, but got {found}",
        en="CrossEntropyLoss takes class indices (0, 1, ..., C-1) as an integer tensor of "
           "shape (N,): convert the target with target.long(). (For class probabilities "
           "instead, give the target the input's shape (N, C).)",
        ko="CrossEntropyLoss는 클래스 번호(0, 1, ..., C-1)를 모양 (N,)인 정수 텐서로 받습니다. "
           "target.long() 으로 변환하세요. (클래스 확률을 쓰려면 타깃을 입력과 같은 모양 (N, C)로 "
           "주세요.)",
        example={"found": "Float"}),
    "bce_input_range": Entry(
        RuntimeError, "all elements of input should be between 0 and 1",
        en="BCELoss expects probabilities: pass the model's raw output through torch.sigmoid "
           "first (or use BCEWithLogitsLoss on the raw output).",
        ko="BCELoss는 확률을 기대합니다. 모델의 출력을 먼저 torch.sigmoid 에 통과시키세요 (또는 "
           "출력 그대로 BCEWithLogitsLoss 를 쓰세요).",
        example={}),
    # (torch itself fails later here: AttributeError: 'list' object has no attribute 'size')
    "loss_argument_not_tensor": Entry(
        TypeError, "{function}(): argument '{name}' must be Tensor, not {type}",
        en="Convert it first, e.g. torch.tensor(values).",
        ko="먼저 텐서로 변환하세요. 예: torch.tensor(values).",
        example={"function": "mse_loss", "name": "target", "type": "list"}),
    # ------------------------------------------------------------------ dtypes
    "matmul_dtype": Entry(
        RuntimeError, "expected m1 and m2 to have the same dtype, but got: {a} != {b}",
        en="Convert one operand first, e.g. b.to(a.dtype) or x.float().",
        ko="한쪽 피연산자를 먼저 변환하세요. 예: b.to(a.dtype) 또는 x.float().",
        example={"a": "long int", "b": "float"}),
    "matmul_dtype_float_double": Entry(
        RuntimeError, "expected m1 and m2 to have the same dtype, but got: {a} != {b}",
        en="Convert one operand first, e.g. b.to(a.dtype) or x.float(). (float is "
           "torch.float32, double is torch.float64: the dtype of NumPy's float arrays, which "
           "torch.tensor(array) and torch.from_numpy(array) keep.)",
        ko="한쪽 피연산자를 먼저 변환하세요. 예: b.to(a.dtype) 또는 x.float(). (float는 "
           "torch.float32, double은 torch.float64입니다. double은 NumPy 실수 배열의 dtype이고, "
           "torch.tensor(array)와 torch.from_numpy(array)는 이를 그대로 유지합니다.)",
        example={"a": "float", "b": "double"}),
    "batch_matmul_dtype": Entry(
        RuntimeError, "expected scalar type {a} but found {b}",
        en="Both operands of a batched product need the same dtype: convert one first, e.g. "
           "b.to(a.dtype) or x.float().",
        ko="배치 행렬곱의 두 피연산자는 dtype이 같아야 합니다. 한쪽을 먼저 변환하세요. 예: "
           "b.to(a.dtype) 또는 x.float().",
        example={"a": "Float", "b": "Double"}),
    "mv_dtype": Entry(
        RuntimeError,
        "addmv input tensors must have the same dtype, but got {vec}, {mat}, and {vec}",
        en="the matrix is {mat} but the vector is {vec}: convert one operand first, e.g. "
           "vec.to(mat.dtype).",
        ko="행렬은 {mat}인데 벡터는 {vec}입니다. 한쪽 피연산자를 먼저 변환하세요. 예: "
           "vec.to(mat.dtype).",
        example={"mat": "Float", "vec": "Double"}, sep=": "),
    "dot_dtype": Entry(
        RuntimeError,
        "dot : expected both vectors to have same dtype, but found {a} and {b}",
        en="Convert one first, e.g. other.to(input.dtype).",
        ko="한쪽을 먼저 변환하세요. 예: other.to(input.dtype).",
        example={"a": "Float", "b": "Double"}),
    "linear_dtype": Entry(
        RuntimeError, "mat1 and mat2 must have the same dtype, but got {x} and {w}",
        en="the input is {x_name} but the layer's weight is {w_name}. Convert the input, "
           "x = x.to({w_name}), or the model, model.to({x_name}).",
        ko="입력은 {x_name}인데 층의 가중치는 {w_name}입니다. 입력을 변환하거나 "
           "(x = x.to({w_name})) 모델을 변환하세요 (model.to({x_name})).",
        example={"x": "Double", "w": "Float", "x_name": "torch.float64",
                 "w_name": "torch.float32"}, sep=": "),
    "linear_bias_dtype": Entry(
        RuntimeError, "self and mat2 must have the same dtype, but got {b} and {w}",
        en="the bias dtype differs from the weight's. Convert it, e.g. bias.to(weight.dtype).",
        ko="편향(bias)의 dtype이 가중치와 다릅니다. 변환하세요. 예: bias.to(weight.dtype).",
        example={"b": "Double", "w": "Float"}, sep=": "),
    "inplace_dtype": Entry(
        RuntimeError, "result type {result} can't be cast to the desired output type {out}",
        en="an in-place op keeps the tensor's dtype; use the out-of-place form (x = x + y) "
           "to get the promoted dtype, or convert first (x = x.float()).",
        ko="제자리(in-place) 연산은 텐서의 dtype을 유지합니다. 승격된 dtype을 얻으려면 제자리가 "
           "아닌 형태(x = x + y)를 쓰거나 먼저 변환하세요 (x = x.float()).",
        example={"result": "Float", "out": "Long"}, sep=": "),
    "requires_grad_integer": Entry(
        RuntimeError, "{who} can require gradients",
        en="(this tensor is {dtype}). Convert it first, e.g. t.float(), or write the values "
           "with a decimal point: torch.tensor([1., 2.], requires_grad=True).",
        ko="(이 텐서는 {dtype}입니다). 기울기는 실수 텐서만 가질 수 있으니 먼저 변환하세요. 예: "
           "t.float(), 또는 값을 소수점과 함께 쓰세요: torch.tensor([1., 2.], "
           "requires_grad=True).",
        example={"who": "Only Tensors of floating point and complex dtype",
                 "dtype": "torch.int64"}, sep=" "),
    # ------------------------------------------------------------------ values
    "item_not_one_element": Entry(
        RuntimeError, "a Tensor with {numel} elements cannot be converted to Scalar",
        en="item() needs exactly one element; index it first (t[0].item()) or reduce it "
           "(t.sum().item()); for all the values use t.tolist().",
        ko="item()은 원소가 정확히 하나여야 합니다. 먼저 인덱싱하거나 (t[0].item()) 줄이세요 "
           "(t.sum().item()). 모든 값이 필요하면 t.tolist() 를 쓰세요.",
        example={"numel": 3}),
    "bool_ambiguous": Entry(
        RuntimeError, "Boolean value of Tensor with more than one value is ambiguous",
        en="(this tensor has {numel} elements). Use .any() or .all().",
        ko="(이 텐서의 원소는 {numel}개입니다). .any() 나 .all() 을 쓰세요.",
        example={"numel": 3}, sep=" "),
    "numpy_requires_grad": Entry(
        RuntimeError,
        "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
        en="(NumPy cannot record gradients; detach() gives the same values without the "
           "autograd history.)",
        ko="(NumPy는 기울기를 기록할 수 없습니다. detach()는 autograd 기록 없이 같은 값을 "
           "돌려줍니다.)",
        example={}),
    # ------------------------------------------------------------------ autograd
    "inplace_leaf": Entry(
        RuntimeError,
        "a leaf Variable that requires grad is being used in an in-place operation.",
        en="Update parameters inside `with torch.no_grad():` (or on p.data), or use an "
           "out-of-place operation (w = w - lr * w.grad).",
        ko="매개변수는 `with torch.no_grad():` 안에서 (또는 p.data 로) 갱신하거나, 제자리가 아닌 "
           "연산을 쓰세요 (w = w - lr * w.grad).",
        example={}),
    "backward_twice": Entry(
        RuntimeError,
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward.",
        en="A common cause: a tensor computed once, before the training loop, is reused in "
           "every iteration; compute it inside the loop (or .detach() it) so that each "
           "backward() has a fresh graph.",
        ko="흔한 원인: 학습 루프 밖에서 한 번 계산한 텐서를 매 반복마다 다시 쓰는 경우입니다. 그 "
           "텐서를 루프 안에서 계산하거나 .detach() 해서, backward()마다 새 그래프가 만들어지게 "
           "하세요.",
        example={}),
    "backward_non_scalar": Entry(
        RuntimeError, "grad can be implicitly created only for scalar outputs",
        en="backward() needs a scalar to start from, but this tensor has shape {shape}. "
           "Reduce it first, e.g. loss.mean().backward() or loss.sum().backward(), or pass the "
           "upstream gradient: out.backward(gradient=torch.ones_like(out)).",
        ko="backward()는 스칼라에서 시작해야 하는데 이 텐서의 모양은 {shape}입니다. 먼저 줄이세요. "
           "예: loss.mean().backward() 또는 loss.sum().backward(). 아니면 위에서 오는 기울기를 "
           "넘기세요: out.backward(gradient=torch.ones_like(out)).",
        example={"shape": "(3,)"}),
    "backward_no_grad_fn": Entry(
        RuntimeError,
        "element 0 of tensors does not require grad and does not have a grad_fn",
        en="None of its inputs had requires_grad=True: create the parameters with "
           "requires_grad=True (or nn.Parameter), and don't compute the loss inside "
           "torch.no_grad().",
        ko="입력 중 requires_grad=True 인 것이 하나도 없습니다. 매개변수를 requires_grad=True "
           "(또는 nn.Parameter)로 만들고, 손실을 torch.no_grad() 안에서 계산하지 마세요.",
        example={}),
    "saved_tensor_modified": Entry(
        RuntimeError,
        "one of the variables needed for gradient computation has been modified by an "
        "inplace operation",
        en="{tensor}, which is used by {node}, is at version {version}; expected version "
           "{expected} instead. Hint: do the in-place update after backward(), inside "
           "torch.no_grad(), or use the out-of-place form (x = x + 1 instead of x += 1).",
        ko="{node}이(가) 사용하는 {tensor}의 버전이 {expected}이어야 하는데 {version}입니다. "
           "힌트: 제자리(in-place) 갱신은 backward() 뒤에 torch.no_grad() 안에서 하거나, 제자리가 "
           "아닌 형태를 쓰세요 (x += 1 대신 x = x + 1).",
        example={"tensor": "[torch.FloatTensor [3]]", "node": "ExpBackward0", "version": 1,
                 "expected": 0}, sep=": "),
    "grad_of_non_leaf": Entry(
        UserWarning,
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
        ".grad attribute won't be populated during autograd.backward(). If you indeed want the "
        ".grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf "
        "Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
        "Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.",
        en="This tensor was computed by an op (grad_fn={grad_fn}), so backward() leaves its "
           ".grad as None. Read .grad on the leaf tensors (those created with "
           "requires_grad=True, such as the weights), or call .retain_grad() on this one "
           "before backward(). If it is meant to be a weight, create it as a leaf: "
           "w = (torch.randn(3) * 0.01).requires_grad_().",
        ko="이 텐서는 연산으로 계산된 텐서(grad_fn={grad_fn})라서 backward() 후에도 .grad가 "
           "None입니다. 리프 텐서(requires_grad=True 로 직접 만든 텐서, 예: 가중치)의 .grad를 "
           "읽거나, backward() 전에 이 텐서에 .retain_grad() 를 호출하세요. 가중치로 쓰려던 "
           "텐서라면 리프로 만드세요: w = (torch.randn(3) * 0.01).requires_grad_().",
        example={"grad_fn": "<MulBackward0>"}),
    # ------------------------------------------------------------------ nn.Module
    "module_before_init": Entry(
        AttributeError, "cannot assign {kind} before Module.__init__() call",
        en="Call super().__init__() at the top of {cls}.__init__, before creating layers or "
           "parameters.",
        ko="{cls}.__init__ 의 맨 처음에, 층이나 매개변수를 만들기 전에 super().__init__() 를 "
           "호출하세요.",
        example={"kind": "module", "cls": "Model"}),
    "module_attribute_before_init": Entry(
        AttributeError, "'{cls}' object has no attribute '{name}'",
        en="Did you forget super().__init__() at the top of {cls}.__init__?",
        ko="{cls}.__init__ 의 맨 처음에 super().__init__() 를 빠뜨리지 않았나요?",
        example={"cls": "Model", "name": "_parameters"}),
    "module_forward_missing": Entry(
        NotImplementedError, _NO_FORWARD,
        en="Define `def forward(self, x):` inside the class {cls} (check its spelling and "
           "indentation).",
        ko="클래스 {cls} 안에 `def forward(self, x):` 를 정의하세요 (철자와 들여쓰기를 "
           "확인하세요).",
        example={"cls": "Model"}),
    "module_forward_misspelled": Entry(
        NotImplementedError, _NO_FORWARD,
        en="The class {cls} defines `{found}`: did you mean `forward`? The method must be "
           "named exactly `forward` (all lowercase) for model(x) to call it.",
        ko="클래스 {cls}에 `{found}` 가 정의되어 있습니다. `forward` 를 의도했나요? model(x) 가 "
           "호출하려면 메서드 이름이 정확히 `forward` (모두 소문자) 여야 합니다.",
        example={"cls": "Model", "found": "Forward"}),
    "module_forward_in_init": Entry(
        NotImplementedError, _NO_FORWARD,
        en="`def forward` is written inside {cls}.__init__ (indented one level too deep), so "
           "it is a local function of __init__, not a method: dedent it to line up with "
           "`def __init__`.",
        ko="`def forward` 가 {cls}.__init__ 안에 (한 단계 더 들여쓰여) 있어서 메서드가 아니라 "
           "__init__ 의 지역 함수입니다. 들여쓰기를 줄여 `def __init__` 과 같은 줄에 맞추세요.",
        example={"cls": "Model"}),
    "module_forward_outside_class": Entry(
        NotImplementedError, _NO_FORWARD,
        en="A function `forward` is defined at module level, outside the class {cls}: indent "
           "it under `class {cls}`, lined up with `def __init__`.",
        ko="`forward` 함수가 클래스 {cls} 밖(모듈 수준)에 정의되어 있습니다. `class {cls}` 아래로 "
           "들여써서 `def __init__` 과 같은 줄에 맞추세요.",
        example={"cls": "Model"}),
    "register_parameter_not_parameter": Entry(
        TypeError,
        "cannot assign '{type}' object to parameter '{name}' (torch.nn.Parameter or None "
        "required)",
        en="Wrap it: nn.Parameter(tensor).",
        ko="감싸 주세요: nn.Parameter(tensor).",
        example={"type": "torch.FloatTensor", "name": "w"}),
    # ------------------------------------------------------------------ optimizers
    "optimizer_empty": Entry(
        ValueError, "optimizer got an empty parameter list",
        en="Pass model.parameters() after the model's layers are created (assign them in "
           "__init__, after super().__init__()). Note that model.parameters() is a generator: "
           "it can be used up only once, so call it again for each optimizer.",
        ko="모델의 층을 만든 뒤에 model.parameters() 를 넘기세요 (층은 __init__ 안에서 "
           "super().__init__() 다음에 대입합니다). model.parameters() 는 제너레이터라서 한 번만 "
           "쓸 수 있으니, 옵티마이저마다 다시 호출하세요.",
        example={}),
    "optimizer_params_tensor": Entry(
        TypeError,
        "params argument given to the optimizer should be an iterable of Tensors or dicts, but "
        "got {type}",
        en="Put it in a list: [tensor].",
        ko="리스트에 넣어 주세요: [tensor].",
        example={"type": "torch.FloatTensor"}),
    "optimizer_non_leaf": Entry(
        ValueError, "can't optimize a non-leaf Tensor",
        en="(this one was computed from other tensors, e.g. torch.randn(3, requires_grad=True) "
           "* 0.01). Create the leaf first and then ask for gradients: w = (torch.randn(3) * "
           "0.01).requires_grad_().",
        ko="(이 텐서는 다른 텐서로부터 계산되었습니다. 예: torch.randn(3, requires_grad=True) * "
           "0.01). 먼저 리프 텐서를 만든 뒤 기울기를 요청하세요: w = (torch.randn(3) * "
           "0.01).requires_grad_().",
        example={}, sep=" "),
}


def _language() -> str:
    """``'ko'`` when ``GLASSTORCH_LANG`` asks for Korean (``ko``, ``ko_KR``...), else ``'en'``."""
    return "ko" if os.environ.get("GLASSTORCH_LANG", "").lower().startswith("ko") else "en"


def torch_text(id: str, /, **fields: Any) -> str:
    """PyTorch's own text for mistake ``id`` ("" where PyTorch has none).

    Example:
        >>> torch_text("item_not_one_element", numel=3)
        'a Tensor with 3 elements cannot be converted to Scalar'
    """
    return CATALOGUE[id].torch.format(**fields)


def hint(id: str, /, **fields: Any) -> str:
    """glasstorch's hint for mistake ``id``, in the language ``GLASSTORCH_LANG`` asks for.

    Example:
        >>> hint("bool_ambiguous", numel=3)
        '(this tensor has 3 elements). Use .any() or .all().'
    """
    entry = CATALOGUE[id]
    template = entry.ko if _language() == "ko" else entry.en
    return template.format(**fields)


def message(id: str, /, **fields: Any) -> str:
    """The full message for mistake ``id``: PyTorch's text, then the hint.

    Args:
        id: a key of ``CATALOGUE``.
        **fields: the values of the templates' ``{fields}``.

    Example:
        >>> message("backward_non_scalar", shape=(3,))[:55]
        'grad can be implicitly created only for scalar outputs.'
    """
    entry = CATALOGUE[id]
    text = entry.torch.format(**fields)
    tip = hint(id, **fields)
    if not text:
        return tip
    sep = entry.sep if entry.sep is not None else (" " if text.endswith(".") else ". ")
    return text + sep + tip
