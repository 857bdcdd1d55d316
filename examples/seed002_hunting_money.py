"""Seed 002: hours of slime hunting -> money (30, 60, 90); 4 hours -> ?

First with optim.SGD, then without it, using the hand-derived gradients
D_W = 2/m * sum((Wx + b - y) x) and D_b = 2/m * sum(Wx + b - y).
"""
import glasstorch as torch

x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[30], [60], [90]])

W = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([W, b], lr=0.01)

nb_epochs = 1000
for epoch in range(1, nb_epochs + 1):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
print([W, b])

# without torch.optim
W = torch.zeros(1)
b = torch.zeros(1)
lr = 0.01
for epoch in range(1, nb_epochs + 1):
    hypothesis = x_train * W + b
    cost = torch.mean((hypothesis - y_train) ** 2)
    gradient_W = torch.sum((W * x_train + b - y_train) * x_train) * 2 / len(x_train)
    gradient_b = torch.sum(W * x_train + b - y_train) * 2 / len(x_train)
    W -= lr * gradient_W
    b -= lr * gradient_b
    if epoch % 100 == 0:
        print(f"Epoch {epoch:4d}/{nb_epochs} W: {W.item():.4f}, b: {b.item():.4f}, Cost: {cost.item():.6f}")

print(f"4 hours of hunting -> {(4 * W + b).item():.2f}")
