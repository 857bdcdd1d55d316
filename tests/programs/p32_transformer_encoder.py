# A small Transformer encoder classifying token sequences (does token 3 appear before
# token 7?): embeddings plus learned positions, nn.TransformerEncoder with a padding mask,
# mean pooling and a linear head, trained with AdamW.
import torch
import torch.nn as nn

torch.manual_seed(0)
vocab, d_model, seq_len = 10, 16, 8
X = torch.randint(1, vocab, (128, seq_len))
lengths = torch.randint(4, seq_len + 1, (128,))
pad = torch.arange(seq_len).unsqueeze(0) >= lengths.unsqueeze(1)
X = X.masked_fill(pad, 0)
first3 = torch.where(X == 3, torch.arange(seq_len), seq_len).min(dim=1).values
first7 = torch.where(X == 7, torch.arange(seq_len), seq_len).min(dim=1).values
y = (first3 < first7).long()
print(X[:2], y[:8], pad[0])


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, seq_len, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead=2, dim_feedforward=32, dropout=0.0,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 2)

    def forward(self, x, pad_mask):
        h = self.encoder(self.emb(x) + self.pos, src_key_padding_mask=pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


model = Classifier()
print(model.encoder.layers[0])
print(sum(p.numel() for p in model.parameters()), list(model.state_dict().keys())[2:6])
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(30):
    loss = loss_fn(model(X, pad), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0 or epoch == 29:
        with torch.no_grad():
            acc = (model(X, pad).argmax(1) == y).float().mean()
        print(f"epoch {epoch:2d} loss {loss.item():.4f} accuracy {acc.item():.3f}")
mha = nn.MultiheadAttention(4, 2, batch_first=True)
out, weights = mha(torch.ones(1, 3, 4), torch.ones(1, 3, 4), torch.ones(1, 3, 4))
print(out.shape, weights)
print(nn.Transformer.generate_square_subsequent_mask(3))
