# Word embeddings: an nn.Embedding with a padding index, averaged per sentence, then a Linear
# classifier (positive / negative sentences over a tiny vocabulary).
import torch
import torch.nn as nn

torch.manual_seed(4)
sentences = [("good great movie", 1), ("bad awful movie", 0), ("great fun", 1),
             ("awful boring", 0), ("good fun film", 1), ("boring bad film", 0)]
vocab = {"<pad>": 0}
for text, _ in sentences:
    for word in text.split():
        vocab.setdefault(word, len(vocab))
print(vocab)
max_len = 3
ids = torch.tensor([[vocab[w] for w in t.split()] + [0] * (max_len - len(t.split()))
                    for t, _ in sentences])
labels = torch.tensor([float(y) for _, y in sentences]).unsqueeze(1)
print(ids)


class BagOfWords(nn.Module):
    def __init__(self, vocab_size, dim):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.fc = nn.Linear(dim, 1)

    def forward(self, x):
        mask = (x != 0).float().unsqueeze(-1)
        emb = self.embedding(x) * mask
        return self.fc(emb.sum(1) / mask.sum(1))


model = BagOfWords(len(vocab), 5)
print(model)
print(model.embedding.weight[:3])
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.BCEWithLogitsLoss()
for epoch in range(101):
    loss = loss_fn(model(ids), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        print(epoch, f"{loss.item():.5f}")
print(model.embedding.weight.grad[0])
with torch.no_grad():
    print(torch.sigmoid(model(ids)).squeeze())
emb = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(emb(torch.tensor([1, 0, 1])), emb.weight.requires_grad)
