# A character-level RNN learning "hihello" (the RNN lab of a beginner course): one-hot inputs,
# nn.RNN with batch_first, CrossEntropyLoss over the sequence, Adam; then the same with an
# LSTM and a GRU.
import numpy as np
import torch
import torch.optim as optim

torch.manual_seed(0)
char_set = ['h', 'i', 'e', 'l', 'o']
input_size = len(char_set)
hidden_size = len(char_set)
learning_rate = 0.1
x_data = [[0, 1, 0, 2, 3, 3]]
x_one_hot = [[[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0],
              [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 0]]]
y_data = [[1, 0, 2, 3, 3, 4]]
X = torch.FloatTensor(x_one_hot)
Y = torch.LongTensor(y_data)

rnn = torch.nn.RNN(input_size, hidden_size, batch_first=True)
print(rnn, [name for name, _ in rnn.named_parameters()])
criterion = torch.nn.CrossEntropyLoss()
optimizer = optim.Adam(rnn.parameters(), learning_rate)
for i in range(50):
    optimizer.zero_grad()
    outputs, _status = rnn(X)
    loss = criterion(outputs.view(-1, input_size), Y.view(-1))
    loss.backward()
    optimizer.step()
    result = outputs.data.numpy().argmax(axis=2)
    result_str = ''.join([char_set[c] for c in np.squeeze(result)])
    if i % 10 == 0 or i == 49:
        print(i, "loss: ", round(loss.item(), 4), "prediction: ", result, "true Y: ", y_data,
              "prediction str: ", result_str)

for cls in (torch.nn.LSTM, torch.nn.GRU):
    torch.manual_seed(0)
    model = cls(input_size, 8, num_layers=2, batch_first=True)
    head = torch.nn.Linear(8, input_size)
    optimizer = optim.Adam(list(model.parameters()) + list(head.parameters()), lr=0.05)
    for i in range(60):
        out, hidden = model(X)
        loss = criterion(head(out).view(-1, input_size), Y.view(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    pred = head(model(X)[0]).argmax(dim=2).squeeze()
    print(cls.__name__, round(loss.item(), 4), ''.join(char_set[c] for c in pred.tolist()),
          [tuple(h.shape) for h in (hidden if isinstance(hidden, tuple) else (hidden,))])
