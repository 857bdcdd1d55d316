# Softmax classification on a CSV (zoo.csv: 16 animal attributes -> 7 classes), nn.Linear +
# F.cross_entropy, as in the "softmax classification" lab of a beginner course.
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(1)

xy = np.loadtxt(sys.argv[1], delimiter=",", dtype=np.float32)
x_train = torch.FloatTensor(xy[:, 0:-1])
y_train = torch.LongTensor(xy[:, [-1]]).squeeze()
print(x_train.shape, y_train.shape)
print(y_train[:10])

nb_classes = 7
y_one_hot = torch.zeros((len(y_train), nb_classes))
y_one_hot = y_one_hot.scatter(1, y_train.unsqueeze(1), 1)
print(y_one_hot[:3])


class SoftmaxClassifierModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(16, 7)

    def forward(self, x):
        return self.linear(x)


model = SoftmaxClassifierModel()
print(model)
optimizer = optim.SGD(model.parameters(), lr=0.1)

nb_epochs = 1000
for epoch in range(nb_epochs + 1):
    prediction = model(x_train)
    cost = F.cross_entropy(prediction, y_train)
    optimizer.zero_grad()
    cost.backward()
    optimizer.step()
    if epoch % 100 == 0:
        print(f"Epoch {epoch:4d}/{nb_epochs} Cost: {cost.item():.6f}")

with torch.no_grad():
    prob = F.softmax(model(x_train), dim=1)
    print(prob[:2])
    pred = prob.argmax(dim=1)
    accuracy = (pred == y_train).float().mean()
    print("accuracy:", accuracy.item())
