# XOR with a deeper network: four Linear layers of width 10 and sigmoid activations.
import torch

torch.manual_seed(777)

X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = torch.FloatTensor([[0], [1], [1], [0]])

model = torch.nn.Sequential(
    torch.nn.Linear(2, 10), torch.nn.Sigmoid(),
    torch.nn.Linear(10, 10), torch.nn.Sigmoid(),
    torch.nn.Linear(10, 10), torch.nn.Sigmoid(),
    torch.nn.Linear(10, 1), torch.nn.Sigmoid(),
)
print(model)
criterion = torch.nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1)
for epoch in range(5001):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()
    if epoch % 500 == 0:
        print(epoch, f"{cost.item():.6f}")

with torch.no_grad():
    hypothesis = model(X)
    predicted = (hypothesis > 0.5).float()
    accuracy = (predicted == Y).float().mean()
    print("Hypothesis:", hypothesis.squeeze())
    print("Predicted:", predicted.squeeze())
    print("Accuracy:", accuracy.item())
