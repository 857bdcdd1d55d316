# Batch normalization: batch statistics while training, running statistics in eval mode.
import torch
import torch.nn as nn

torch.manual_seed(3)
bn = nn.BatchNorm1d(4)
print(bn)
print(list(bn.state_dict().keys()))
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)

x = torch.randn(8, 4) * 3 + 2
y = bn(x)
print(y.mean(dim=0), y.std(dim=0, unbiased=False))
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)

bn.eval()
print(bn(x[:2]))
bn.train()

model = nn.Sequential(nn.Linear(3, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
X = torch.randn(64, 3)
Y = X[:, :1] * 2 - X[:, 1:2] + 0.1 * torch.randn(64, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(101):
    for i in range(0, 64, 16):
        loss = nn.functional.mse_loss(model(X[i:i + 16]), Y[i:i + 16])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 25 == 0:
        print(epoch, round(loss.item(), 5))
model.eval()
with torch.no_grad():
    print("eval loss", round(nn.functional.mse_loss(model(X), Y).item(), 5))
print(model[1].running_mean[:4])
print(model[1].num_batches_tracked)

bn2 = nn.BatchNorm2d(2, momentum=None, affine=False)
imgs = torch.rand(4, 2, 3, 3)
bn2(imgs)
bn2(imgs * 2)
print(bn2.running_mean, bn2.running_var)
print(bn2.state_dict().keys())
