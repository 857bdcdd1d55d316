# The same network trained with SGD and with Adam from the same starting weights.
import copy

import torch
import torch.nn as nn

torch.manual_seed(5)
X = torch.rand(100, 2) * 4 - 2
Y = (X[:, :1] * X[:, 1:]).sin()

base = nn.Sequential(nn.Linear(2, 20), nn.Tanh(), nn.Linear(20, 1))
results = {}
for name in ["SGD", "Adam"]:
    model = copy.deepcopy(base)
    if name == "SGD":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    print(optimizer)
    history = []
    for step in range(500):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    results[name] = history
    print(name, ["%.4f" % history[i] for i in (0, 10, 50, 100, 250, 499)])
print("Adam is better:", results["Adam"][-1] < results["SGD"][-1])
state = optimizer.state_dict()
print(sorted(state["state"][0].keys()), state["state"][0]["step"])
print(state["param_groups"])
