# Robust regression with Huber and SmoothL1 losses next to MSE on data with outliers, and
# knowledge distillation with KLDivLoss between softened logits.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15)
X = torch.linspace(0, 1, 50).unsqueeze(1)
Y = 2 * X + 1 + 0.05 * torch.randn(50, 1)
Y[::10] += 3.0
for name, loss_fn in [("mse", nn.MSELoss()), ("huber", nn.HuberLoss(delta=0.5)),
                      ("smoothl1", nn.SmoothL1Loss(beta=0.5)), ("l1", nn.L1Loss())]:
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    for step in range(500):
        loss = loss_fn(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"{name:9s} w {model.weight.item():.4f} b {model.bias.item():.4f} loss {loss.item():.4f}")

teacher_logits = torch.randn(16, 5) * 3
student = nn.Linear(5, 5)
inputs = torch.randn(16, 5)
kl = nn.KLDivLoss(reduction="batchmean")
T = 2.0
optimizer = torch.optim.SGD(student.parameters(), lr=0.5)
for step in range(100):
    loss = kl(F.log_softmax(student(inputs) / T, dim=1), F.softmax(teacher_logits / T, dim=1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 25 == 0:
        print(step, f"{loss.item():.5f}")
p = F.log_softmax(torch.tensor([[1.0, 2.0, 3.0]]), dim=1)
q = F.log_softmax(torch.tensor([[1.0, 1.0, 1.0]]), dim=1)
print(F.kl_div(p, q, reduction="sum", log_target=True), F.smooth_l1_loss(p, q), F.huber_loss(p, q))
