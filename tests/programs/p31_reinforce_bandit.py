# Policy gradient (REINFORCE) on a 4-armed bandit: a softmax policy samples actions with
# torch.distributions.Categorical, log_prob scores them, Adam follows the reward.
import torch
import torch.nn as nn
from torch.distributions import Categorical, Normal, kl_divergence

torch.manual_seed(3)
true_means = torch.tensor([0.1, 0.5, 0.2, 0.9])
policy = nn.Linear(1, 4)
optimizer = torch.optim.Adam(policy.parameters(), lr=0.05)
state = torch.ones(1, 1)
for episode in range(200):
    dist = Categorical(logits=policy(state))
    action = dist.sample()
    reward = torch.normal(true_means[action], 0.1)
    loss = -(dist.log_prob(action) * reward).sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if episode % 40 == 0:
        print(episode, action.item(), round(reward.item(), 4), [round(p, 3) for p in dist.probs[0].tolist()])
with torch.no_grad():
    probs = Categorical(logits=policy(state)).probs[0]
print("best arm:", probs.argmax().item(), "entropy:", round(Categorical(probs=probs).entropy().item(), 4))
p, q = Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])), Normal(0.5, 1.0)
print(p, p.sample((3,)), kl_divergence(p, q))
mu = torch.zeros(2, requires_grad=True)
z = Normal(mu, torch.ones(2)).rsample()
z.sum().backward()
print(z, mu.grad)
