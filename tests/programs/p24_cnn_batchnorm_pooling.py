# A CNN with BatchNorm2d, AvgPool2d, AdaptiveAvgPool2d and Dropout on 8x8 images of blobs
# (bright top half vs bright bottom half vs bright centre), trained with Adam.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(21)
n = 192
kind = torch.randint(0, 3, (n,))
imgs = 0.2 * torch.randn(n, 1, 8, 8)
imgs[kind == 0, :, :4, :] += 1.0
imgs[kind == 1, :, 4:, :] += 1.0
imgs[kind == 2, :, 2:6, 2:6] += 1.0

model = nn.Sequential(
    nn.Conv2d(1, 6, 3, padding="same", bias=False), nn.BatchNorm2d(6), nn.ReLU(),
    nn.AvgPool2d(2),
    nn.Conv2d(6, 12, 3, padding=1, bias=False), nn.BatchNorm2d(12), nn.ReLU(),
    nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Dropout(0.25), nn.Linear(12, 3),
)
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(15):
    model.train()
    perm = torch.randperm(n)
    for i in range(0, n, 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(imgs[idx]), kind[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 3 == 0:
        model.eval()
        with torch.no_grad():
            acc = (model(imgs).argmax(1) == kind).float().mean()
        print(f"epoch {epoch} last batch loss {loss.item():.4f} accuracy {acc.item():.3f}")
print(model[1].running_mean)
x = torch.arange(16.0).reshape(1, 1, 4, 4)
print(F.max_pool2d(x, 2), F.avg_pool2d(x, 3, stride=1, padding=1))
print(F.pad(x, (1, 1, 0, 0), value=-1.0).shape, F.adaptive_avg_pool2d(x, 3))
