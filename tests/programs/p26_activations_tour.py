# The activation functions of the course, their values and their gradients.
import torch
import torch.nn as nn

x = torch.linspace(-3, 3, 7, requires_grad=True)
for act in [nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(), nn.GELU(), nn.GELU(approximate="tanh"),
            nn.SiLU(), nn.Softplus(), nn.Softplus(beta=2, threshold=1), nn.Hardtanh(),
            nn.Hardtanh(-2, 2), nn.Sigmoid(), nn.Tanh()]:
    y = act(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    print(act)
    print("  y  ", [round(v, 4) for v in y.tolist()])
    print("  dy ", [round(v, 4) for v in g.tolist()])
logits = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
print(nn.Softmax(dim=1)(logits))
print(nn.LogSoftmax(dim=1)(logits))
print(torch.softmax(logits, 0), logits.log_softmax(-1))
