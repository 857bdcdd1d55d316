# Logistic regression on the diabetes CSV (8 features, 0/1 label) with nn.Module and BCELoss.
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(1)
xy = np.loadtxt(sys.argv[1], delimiter=",", dtype=np.float32)
x_data = torch.from_numpy(xy[:, 0:-1])
y_data = torch.from_numpy(xy[:, [-1]])
print(x_data.shape, y_data.shape)


class BinaryClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(8, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.linear(x))


model = BinaryClassifier()
optimizer = optim.SGD(model.parameters(), lr=1)
for epoch in range(101):
    hypothesis = model(x_data)
    cost = F.binary_cross_entropy(hypothesis, y_data)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    if epoch % 10 == 0:
        prediction = hypothesis >= torch.FloatTensor([0.5])
        correct_prediction = prediction.float() == y_data
        accuracy = correct_prediction.sum().item() / len(correct_prediction)
        print(f"Epoch {epoch:4d}/{100} Cost: {cost.item():.6f} Accuracy {accuracy * 100:2.2f}%")
print(model.linear.weight)

model2 = nn.Linear(8, 1)
criterion = nn.BCEWithLogitsLoss()
optimizer = optim.SGD(model2.parameters(), lr=1)
for epoch in range(101):
    cost = criterion(model2(x_data), y_data)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
print(f"logits cost {cost.item():.6f}")
