# XOR with two layers: a single layer cannot learn it, two sigmoid layers can.
import torch

torch.manual_seed(777)

X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = torch.FloatTensor([[0], [1], [1], [0]])

linear = torch.nn.Linear(2, 1, bias=True)
model = torch.nn.Sequential(linear, torch.nn.Sigmoid())
criterion = torch.nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1)
for step in range(1001):
    optimizer.zero_grad()
    cost = criterion(model(X), Y)
    cost.backward()
    optimizer.step()
    if step % 250 == 0:
        print(step, round(cost.item(), 6))
with torch.no_grad():
    print("single layer predicted:", (model(X) > 0.5).float().squeeze().tolist())

linear1 = torch.nn.Linear(2, 2, bias=True)
linear2 = torch.nn.Linear(2, 1, bias=True)
sigmoid = torch.nn.Sigmoid()
model = torch.nn.Sequential(linear1, sigmoid, linear2, sigmoid)
criterion = torch.nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1)
for step in range(10001):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()
    if step % 1000 == 0:
        print(step, round(cost.item(), 6))

with torch.no_grad():
    hypothesis = model(X)
    predicted = (hypothesis > 0.5).float()
    accuracy = (predicted == Y).float().mean()
    print("\nHypothesis: ", hypothesis.detach().numpy().round(4).tolist(),
          "\nCorrect: ", predicted.detach().numpy().tolist(), "\nAccuracy: ", accuracy.item())
