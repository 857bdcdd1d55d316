"""Seed 000: linear regression, study hours -> score (모두를 위한 딥러닝 시즌2, ch. 02).

W and b start at zero with requires_grad=True; the cost is the mean squared error and
optim.SGD (lr=0.01) improves them for 1000 epochs: zero_grad(), backward(), step().
"""
import glasstorch as torch

x_train = torch.FloatTensor([[1], [2], [3]])
y_train = torch.FloatTensor([[2], [4], [6]])
print(x_train)
print(y_train)

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

    if epoch % 100 == 0:
        print(f"Epoch {epoch:4d}/{nb_epochs} W: {W.item():.4f}, b: {b.item():.4f} Cost: {cost.item():.6f}")

# the question of the chapter: 4 hours of study -> ?
with torch.no_grad():
    print(f"4 hours -> {(torch.FloatTensor([[4]]) * W + b).item():.4f}")
