# A residual MLP block with LayerNorm and GELU (the transformer feed-forward pattern) learning
# a smooth 2-D function, trained with AdamW.
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return x + self.fc2(self.act(self.fc1(self.norm(x))))


torch.manual_seed(8)
X = torch.rand(200, 2) * 2 - 1
Y = torch.sin(3 * X[:, :1]) * torch.cos(2 * X[:, 1:])
model = nn.Sequential(nn.Linear(2, 16), Block(16, 32), Block(16, 32), nn.LayerNorm(16),
                      nn.Linear(16, 1))
print(model)
print([k for k in model.state_dict().keys()][:8])
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
for step in range(301):
    loss = nn.functional.mse_loss(model(X), Y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 50 == 0:
        print(step, f"{loss.item():.5f}")
ln = nn.LayerNorm([2, 3], elementwise_affine=False)
t = torch.arange(12.0).reshape(2, 2, 3)
print(ln(t))
print(nn.functional.gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh"))
