"""CNN: one epoch of a small CNN on scikit-learn's 8x8 digits (1797 images, 10 classes).

Conv2d(1,16,3,padding=1) -> ReLU -> MaxPool2d(2) -> Conv2d(16,32,3,padding=1) -> ReLU ->
MaxPool2d(2) -> Flatten -> Linear(128,10); CrossEntropyLoss; SGD lr 0.05 momentum 0.9;
DataLoader(TensorDataset, batch_size=64, shuffle=True). The issue's target: at most 1.0x
torch's time. Run by ``benchmarks/run.py`` (``--only CNN``), like the shared workloads.
"""

from __future__ import annotations

from typing import Any

import common  # the shared bench helpers (benchmarks/run.py puts them on sys.path)


def prepare(torch: Any) -> tuple[Any, Any]:
    """The digits as (N, 1, 8, 8) float32 images and int64 labels."""
    X, y = common.load_digits_np()
    return torch.tensor(X.reshape(-1, 1, 8, 8)), torch.tensor(y)


def workload(torch: Any, X: Any, y: Any, epochs: int = 1) -> dict[str, float]:
    """Train for ``epochs`` epochs; returns the last epoch's mean loss."""
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 10),
    )
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=64,
                                         shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    total = 0.0
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * xb.shape[0]
    return {"loss": total / len(X)}
