# Every optimizer of the course on the same problem: SGD (momentum, nesterov), Adam (amsgrad),
# AdamW, RMSprop (momentum, centered) and Adagrad, 100 steps each from the same start.
import torch
import torch.nn as nn

torch.manual_seed(6)
X = torch.randn(50, 5)
w_true = torch.randn(5, 1)
Y = X @ w_true + 0.05 * torch.randn(50, 1)

configs = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=1e-3)),
    ("AdamW", dict(lr=0.05, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.3)),
    ("Adagrad", dict(lr=0.3, lr_decay=0.01, initial_accumulator_value=0.1)),
]
for name, kwargs in configs:
    torch.manual_seed(0)
    model = nn.Linear(5, 1)
    optimizer = getattr(torch.optim, name)(model.parameters(), **kwargs)
    for step in range(100):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"{name:8s} {kwargs} loss {loss.item():.6f}")
print(optimizer.state_dict()["state"][0].keys())
print(optimizer.defaults)
