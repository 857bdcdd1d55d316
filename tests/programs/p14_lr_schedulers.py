# Learning-rate schedules: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR,
# ReduceLROnPlateau and OneCycleLR driving a small regression.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler

torch.manual_seed(2)
X = torch.randn(32, 3)
Y = X.sum(dim=1, keepdim=True)


def run(make_scheduler, optimizer_cls=torch.optim.SGD, epochs=12, **opt_kwargs):
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    optimizer = optimizer_cls(model.parameters(), **opt_kwargs)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for epoch in range(epochs):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        lrs.append(round(scheduler.get_last_lr()[0], 6))
        if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):
            scheduler.step(1.0)
        else:
            scheduler.step()
    print(type(scheduler).__name__, lrs, "loss %.5f" % loss.item())


run(lambda o: lr_scheduler.StepLR(o, step_size=4, gamma=0.5), lr=0.1)
run(lambda o: lr_scheduler.MultiStepLR(o, milestones=[3, 7], gamma=0.1), lr=0.1)
run(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9), lr=0.1)
run(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001), lr=0.1)
run(lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch), lr=0.1)
run(lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=2, factor=0.5), lr=0.1)
run(lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=12), torch.optim.Adam,
    lr=0.01)
run(lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.5, epochs=3, steps_per_epoch=4,
                                      anneal_strategy="linear"), momentum=0.9, lr=0.1)

opt = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
sched = lr_scheduler.StepLR(opt, step_size=2)
for _ in range(3):
    opt.step()
    sched.step()
print(sched.state_dict())
