# Multivariate linear regression on test_score.csv with a custom Dataset and a shuffled DataLoader.
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(1)


class CustomDataset(Dataset):
    def __init__(self, path):
        xy = np.loadtxt(path, delimiter=",", dtype=np.float32)
        self.x_data = xy[:, :-1].tolist()
        self.y_data = xy[:, [-1]].tolist()

    def __len__(self):
        return len(self.x_data)

    def __getitem__(self, idx):
        x = torch.FloatTensor(self.x_data[idx])
        y = torch.FloatTensor(self.y_data[idx])
        return x, y


dataset = CustomDataset(sys.argv[1])
print(len(dataset), dataset[0])
dataloader = DataLoader(dataset, batch_size=5, shuffle=True)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)

nb_epochs = 20
for epoch in range(nb_epochs + 1):
    for batch_idx, samples in enumerate(dataloader):
        x_train, y_train = samples
        prediction = model(x_train)
        cost = F.mse_loss(prediction, y_train)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
        if epoch % 5 == 0:
            print(f"Epoch {epoch:4d}/{nb_epochs} Batch {batch_idx + 1}/{len(dataloader)} Cost: {cost.item():.6f}")

new_var = torch.FloatTensor([[73, 80, 75]])
pred_y = model(new_var)
print("prediction for [73, 80, 75]:", pred_y)
batch = next(iter(DataLoader(dataset, batch_size=3)))
print(batch)
