"""Seed 001: gradient descent by hand on height -> weight (파이토치 딥러닝 프로그래밍, ch. 3).

The data is centred, W and B start at 1.0, the loss is the MSE; backward() gives the
gradients and the update runs under torch.no_grad(). Then the same loop with optim.SGD.
(The document also draws the graph with make_dot and plots the learning curve.)
"""
import numpy as np

import glasstorch as torch

sampleData1 = np.array([[166, 58.7], [176.0, 75.7], [171.0, 62.1], [173.0, 70.4], [169.0, 60.1]])
print(sampleData1)
x = sampleData1[:, 0]  # height
y = sampleData1[:, 1]  # weight

# centring makes gradient descent easier
X = x - x.mean()
Y = y - y.mean()
X = torch.tensor(X).float()
Y = torch.tensor(Y).float()

W = torch.tensor(1.0, requires_grad=True).float()
B = torch.tensor(1.0, requires_grad=True).float()


def pred(X):
    return W * X + B


def mse(Yp, Y):
    loss = ((Yp - Y) ** 2).mean()
    return loss


# one step, as in the text
Yp = pred(X)
loss = mse(Yp, Y)
loss.backward()
print(W.grad)
print(B.grad)

lr = 0.001
with torch.no_grad():
    W -= lr * W.grad
    B -= lr * B.grad
    W.grad.zero_()
    B.grad.zero_()
print(W)
print(B)
print(W.grad)
print(B.grad)

# the full loop
W = torch.tensor(1.0, requires_grad=True).float()
B = torch.tensor(1.0, requires_grad=True).float()
num_epochs = 500
lr = 0.001
history = np.zeros((0, 2))
for epoch in range(num_epochs):
    Yp = pred(X)
    loss = mse(Yp, Y)
    loss.backward()
    with torch.no_grad():
        W -= lr * W.grad
        B -= lr * B.grad
        W.grad.zero_()
        B.grad.zero_()
    if epoch % 10 == 0:
        item = np.array([epoch, loss.item()])
        history = np.vstack((history, item))
        print(f"epoch = {epoch} loss = {loss:.4f}")

print("W = ", W.data.numpy())
print("B = ", B.data.numpy())
print(f"초기상태 : 손실:{history[0, 1]:.4f}")
print(f"최종상태 : 손실:{history[-1, 1]:.4f}")

# the fitted line at the ends of the data
X_max = X.max()
X_min = X.min()
X_range = np.array((X_min, X_max))
X_range = torch.from_numpy(X_range).float()
print(X_range)
Y_range = pred(X_range)
print(Y_range.data)

# the same loop with optim.SGD
import glasstorch.optim as optim  # noqa: E402

W = torch.tensor(1.0, requires_grad=True).float()
B = torch.tensor(1.0, requires_grad=True).float()
optimizer = optim.SGD([W, B], lr=lr)
history = np.zeros((0, 2))
for epoch in range(num_epochs):
    Yp = pred(X)
    loss = mse(Yp, Y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 10 == 0:
        item = np.array([epoch, loss.item()])
        history = np.vstack((history, item))
print(f"SGD: W = {W.item():.6f} B = {B.item():.6f} 최종상태 : 손실:{history[-1, 1]:.4f}")
