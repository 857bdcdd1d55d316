# A small CNN on 8x8 images: horizontal vs vertical vs diagonal strokes with noise.
# Conv2d -> ReLU -> MaxPool2d -> Conv2d -> ReLU -> MaxPool2d -> Flatten -> Linear.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(42)


def make_images(n):
    kind = torch.randint(0, 3, (n,))
    pos = torch.randint(1, 7, (n,))
    x = 0.3 * torch.rand(n, 1, 8, 8)
    for i in range(n):
        p = pos[i].item()
        if kind[i] == 0:
            x[i, 0, p, 1:7] += 1.0
        elif kind[i] == 1:
            x[i, 0, 1:7, p] += 1.0
        else:
            for j in range(8):
                x[i, 0, j, j] += 1.0
    return x, kind


x_train, y_train = make_images(256)
x_test, y_test = make_images(64)
print(x_train.shape, y_train[:12])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 2 * 2, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc(x)


model = Net()
print(model)
print(sum(p.numel() for p in model.parameters()), "parameters")
loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(8):
    running = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
        running += loss.item()
    with torch.no_grad():
        acc = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
    print(f"epoch {epoch}: mean batch loss {running / len(loader):.4f}, test accuracy {acc:.3f}")

with torch.no_grad():
    feature_maps = F.relu(model.conv1(x_test[:1]))
print(feature_maps.shape)
print(feature_maps[0, 0])
