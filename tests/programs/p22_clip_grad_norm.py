# Gradient clipping: clip_grad_norm_ rescales exploding gradients; clip_grad_value_ clamps them.
import torch
import torch.nn as nn

torch.manual_seed(13)
X = torch.randn(20, 3) * 10
Y = torch.randn(20, 1) * 100
model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(10):
    loss = nn.functional.mse_loss(model(X), Y)
    optimizer.zero_grad()
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    clipped = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters()))
    optimizer.step()
    print(f"step {step} loss {loss.item():.2f} norm before {total_norm.item():.3f} "
          f"after {clipped.item():.3f}")

loss = nn.functional.mse_loss(model(X), Y)
optimizer.zero_grad()
loss.backward()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
print(model[2].weight.grad)
print(nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0, norm_type=float("inf")))
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape, vec[:4])
nn.utils.vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[0].bias)
