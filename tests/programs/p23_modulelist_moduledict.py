# Networks built from ModuleList and ModuleDict: a variable-depth MLP and a choice of
# activations by name.
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu"):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.activations = nn.ModuleDict({"relu": nn.ReLU(), "tanh": nn.Tanh(),
                                          "leaky": nn.LeakyReLU(0.1), "elu": nn.ELU(),
                                          "silu": nn.SiLU()})
        self.activation = activation

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.activations[self.activation](x)
        return x


torch.manual_seed(14)
X = torch.rand(64, 2) * 4 - 2
Y = (X ** 2).sum(1, keepdim=True)
for act in ["relu", "tanh", "leaky", "elu", "silu"]:
    torch.manual_seed(0)
    model = MLP([2, 16, 16, 1], act)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for step in range(200):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"{act:6s} loss {loss.item():.5f}")
print(model)
print(len(model.layers), list(model.activations.keys()))
model.layers.append(nn.Linear(1, 1))
print(len(model.layers), model.layers[-1])
print([name for name, _ in model.named_parameters()])
