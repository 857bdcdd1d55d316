# Dropout: random zeros (scaled by 1/(1-p)) in training mode, the identity in eval mode.
import torch
import torch.nn as nn

torch.manual_seed(0)
drop = nn.Dropout(p=0.5)
x = torch.ones(2, 8)
print(drop(x))
print(drop(x))
drop.eval()
print(drop(x))

torch.manual_seed(1)
X = torch.linspace(-2, 2, 40).unsqueeze(1)
Y = X.pow(3) - X + 0.1 * torch.randn(40, 1)
model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Dropout(0.2), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(301):
    model.train()
    loss = nn.functional.mse_loss(model(X), Y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 60 == 0:
        model.eval()
        with torch.no_grad():
            eval_loss = nn.functional.mse_loss(model(X), Y)
        print(f"{epoch:3d} train {loss.item():.4f} eval {eval_loss.item():.4f}")
print(nn.functional.dropout(torch.arange(6.0), p=0.3, training=True))
print(nn.functional.dropout(torch.arange(6.0), p=0.3, training=False))
