# A train/validation split with random_split, a validation loop with model.eval() and
# torch.no_grad(), and early stopping on the validation loss.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(9)
X = torch.randn(300, 4)
y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).long()
dataset = TensorDataset(X, y)
train_set, val_set = random_split(dataset, [0.8, 0.2])
print(len(train_set), len(val_set), train_set.indices[:8])
a, b, c = random_split(range(10), [3, 3, 4], generator=torch.Generator().manual_seed(42))
print(list(a), list(b), list(c))

train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
best, bad_epochs = float("inf"), 0
for epoch in range(30):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    val_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            out = model(xb)
            val_loss += loss_fn(out, yb).item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
    val_loss /= len(val_set)
    print(f"epoch {epoch:2d} val loss {val_loss:.4f} val acc {correct / len(val_set):.3f}")
    if val_loss < best - 1e-3:
        best, bad_epochs = val_loss, 0
    else:
        bad_epochs += 1
        if bad_epochs == 3:
            print("early stop")
            break
