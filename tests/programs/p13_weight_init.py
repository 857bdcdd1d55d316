# Weight initialisation: the default init, xavier and kaiming, applied with Module.apply.
import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(4, 3)
print(layer.weight)
print(layer.bias)

nn.init.xavier_uniform_(layer.weight)
print(layer.weight)
nn.init.zeros_(layer.bias)
print(layer.bias)
print(nn.init.calculate_gain("relu"), nn.init.calculate_gain("leaky_relu", 0.2),
      nn.init.calculate_gain("tanh"))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.01)
        print("initialised", m)


net = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 5))
net.apply(init_weights)
print(net[0].weight[:2, :5])
print(net[2].bias)

w = torch.empty(3, 5)
nn.init.uniform_(w, -0.1, 0.1)
print(w)
nn.init.normal_(w, mean=0.0, std=0.02)
print(w)
nn.init.xavier_normal_(w)
print(w)
nn.init.kaiming_uniform_(w, a=0.1, mode="fan_out")
print(w)
nn.init.eye_(w)
print(w)
nn.init.ones_(w)
print(w.sum())

deep = nn.Sequential(*[nn.Linear(64, 64) for _ in range(6)])
x = torch.randn(256, 64)
for name, init in [("default", None), ("xavier", nn.init.xavier_uniform_),
                   ("kaiming", nn.init.kaiming_uniform_)]:
    if init is not None:
        for m in deep:
            init(m.weight)
    h = x
    with torch.no_grad():
        for m in deep:
            h = torch.tanh(m(h))
    print(f"{name:8s} final activation std {h.std().item():.4f}")
