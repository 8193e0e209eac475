"""A small convolutional network for handwritten digits, with its training and test loops (PyTorch)."""

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm


class Net(nn.Module):
    """conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, 2×2 max-pool, fc 9216→128, ReLU, fc 128→10, log-softmax."""

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION cnn.net: conv1 = nn.Conv2d(1, 32, 3, 1), conv2 = nn.Conv2d(32, 64, 3, 1), fc1 = nn.Linear(9216, 128), fc2 = nn.Linear(128, 10)
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION cnn.net: conv1, relu, conv2, relu, max_pool2d(2), flatten from dim 1, fc1, relu, fc2, then log_softmax over dim 1
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)
        # END SOLUTION


def train(model, device, train_loader, optimizer, scheduler, n_iter):
    """Take n_iter SGD steps on batches from train_loader (an endless iterator); returns each step's loss."""
    # BEGIN SOLUTION cnn.train: model.train(); for each (data, target) batch: move to device, optimizer.zero_grad(), loss = F.nll_loss(model(data), target), loss.backward(), optimizer.step(), scheduler.step(), record loss.item(); stop after n_iter batches
    model.train()
    losses = []
    with tqdm(total=n_iter, desc="train", disable=None) as bar:
        for data, target in train_loader:
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.4f}", lr=f"{scheduler.get_last_lr()[0]:.4f}")
            if len(losses) == n_iter:
                break
    return losses
    # END SOLUTION


def test(model, device, test_loader):
    """Average negative log-likelihood and accuracy of model over test_loader, without gradients."""
    # BEGIN SOLUTION cnn.test: model.eval(); under torch.no_grad() sum F.nll_loss(output, target, reduction='sum') and the correct argmax predictions over all batches; divide both by len(test_loader.dataset)
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in tqdm(test_loader, desc="test", disable=None):
            data, target = data.to(device), target.to(device)
            output = model(data)
            total_loss += F.nll_loss(output, target, reduction="sum").item()
            correct += (output.argmax(dim=1) == target).sum().item()
    n = len(test_loader.dataset)
    return total_loss / n, correct / n
    # END SOLUTION
