# Imbalanced binary classification: BCEWithLogitsLoss with pos_weight compensates for a rare
# positive class; the model outputs logits and sigmoid turns them into probabilities.
import torch
import torch.nn as nn

torch.manual_seed(12)
X = torch.randn(400, 2)
y = ((X[:, 0] > 1.0) & (X[:, 1] > 0.0)).float().unsqueeze(1)
print("positives:", int(y.sum().item()), "of", len(y))
pos_weight = (len(y) - y.sum()) / y.sum()
print(pos_weight)

for weighted in (False, True):
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight if weighted else None)
    print(loss_fn, list(loss_fn.state_dict().keys()))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(300):
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        pred = (torch.sigmoid(model(X)) > 0.5).float()
    recall = (pred * y).sum() / y.sum()
    precision = (pred * y).sum() / pred.sum().clamp(min=1)
    print(f"weighted={weighted} loss {loss.item():.4f} recall {recall.item():.3f} "
          f"precision {precision.item():.3f}")

logits = torch.tensor([[100.0], [-100.0], [0.0]])
target = torch.tensor([[1.0], [1.0], [0.0]])
print(nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none"))
