# An MNIST-style MLP (784 -> 128 -> 10) on synthetic 28x28 "digits": each class is a noisy copy of
# a fixed random template. Mini-batches from a DataLoader, CrossEntropyLoss, SGD with momentum.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
templates = torch.rand(10, 28, 28)
labels = torch.randint(0, 10, (600,))
images = templates[labels] + 0.5 * torch.randn(600, 28, 28)
print(images.shape, labels.shape, images.dtype, labels.dtype)
print(labels[:20])

train = TensorDataset(images[:500], labels[:500])
test_x, test_y = images[500:], labels[500:]
loader = DataLoader(train, batch_size=50, shuffle=True)
print(len(loader))

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
print(model)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for epoch in range(5):
    model.train()
    total, correct, seen = 0.0, 0, 0
    for x, y in loader:
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out, y)
        loss.backward()
        optimizer.step()
        total += loss.item() * x.size(0)
        correct += (out.argmax(1) == y).sum().item()
        seen += x.size(0)
    model.eval()
    with torch.no_grad():
        test_acc = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(f"epoch {epoch + 1}: loss {total / seen:.4f} train acc {correct / seen:.3f} "
          f"test acc {test_acc:.3f}")
