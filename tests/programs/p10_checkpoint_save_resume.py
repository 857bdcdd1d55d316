# Save a checkpoint (model, optimizer, epoch), load it into fresh objects and resume training:
# the resumed run continues exactly where the uninterrupted one would be.
import os
import tempfile

import torch
import torch.nn as nn

torch.manual_seed(11)
X = torch.randn(64, 4)
Y = X @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]]) + 0.7


def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    return model, optimizer


def train(model, optimizer, epochs):
    for _ in range(epochs):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


model, optimizer = make()
print("after 50:", round(train(model, optimizer, 50), 5))
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pth")
torch.save({"epoch": 50, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": 0.5}, path)
print("uninterrupted 100:", round(train(model, optimizer, 50), 5))

model2, optimizer2 = make()
checkpoint = torch.load(path)
model2.load_state_dict(checkpoint["model_state_dict"])
optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
print("resumed from epoch", checkpoint["epoch"], "loss", checkpoint["loss"])
print("resumed 100:", round(train(model2, optimizer2, 50), 5))
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))

weights = os.path.join(os.path.dirname(path), "weights.pt")
torch.save(model.state_dict(), weights)
loaded = torch.load(weights, weights_only=True)
print(list(loaded.keys()))
print(loaded["0.bias"])
t = torch.arange(6).reshape(2, 3)
torch.save([t, t[1], {"x": 1.5}], weights)
a, b, c = torch.load(weights)
print(a, b, c)
