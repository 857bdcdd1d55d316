"""Seed 004: fit sin(x) on [-pi, pi] with a cubic a x^3 + b x^2 + c x + d.

Random starting weights, hand-written gradients of the summed squared error, lr = 1e-6.
(The document also plots the random and the fitted curve.)
"""
import math

import glasstorch as torch

torch.manual_seed(0)  # the document does not seed; this makes the run repeatable
x = torch.linspace(-math.pi, math.pi, 1000)  # 1000 points from -pi to pi
y = torch.sin(x)

# random weights
a = torch.randn(())
b = torch.randn(())
c = torch.randn(())
d = torch.randn(())

learning_rate = 1e-6
for epoch in range(1000):
    y_pred = a * x**3 + b * x**2 + c * x + d

    loss = (y_pred - y).pow(2).sum().item()  # squared error
    if epoch % 100 == 0:
        print(f"epoch : {epoch + 1}, loss : {loss}")

    grad_y_pred = 2.0 * (y_pred - y)
    grad_a = (grad_y_pred * x**3).sum()
    grad_b = (grad_y_pred * x**2).sum()
    grad_c = (grad_y_pred * x).sum()
    grad_d = grad_y_pred.sum()

    # weight update
    a -= learning_rate * grad_a
    b -= learning_rate * grad_b
    c -= learning_rate * grad_c
    d -= learning_rate * grad_d

print(f"Result: y = {a.item():.4f} x^3 + {b.item():.4f} x^2 + {c.item():.4f} x + {d.item():.4f}")
