"""A small convolutional network for handwritten digits, with its training and test loops (PyTorch)."""

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm


class Net(nn.Module):
    """conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, 2×2 max-pool, fc 9216→128, ReLU, fc 128→10, log-softmax."""

    def __init__(self):
        super().__init__()
        # TODO (cnn.net): conv1 = nn.Conv2d(1, 32, 3, 1), conv2 = nn.Conv2d(32, 64, 3, 1), fc1 = nn.Linear(9216, 128),
        #     fc2 = nn.Linear(128, 10)
        raise NotImplementedError(
            "cnn.net: Net.__init__ is not written yet. conv1 = nn.Conv2d(1, 32, 3, 1), conv2 = nn.Conv2d(32, 64, 3, "
            "1), fc1 = nn.Linear(9216, 128), fc2 = nn.Linear(128, 10)"
        )

    def forward(self, x):
        # TODO (cnn.net): conv1, relu, conv2, relu, max_pool2d(2), flatten from dim 1, fc1, relu, fc2, then log_softmax
        #     over dim 1
        raise NotImplementedError(
            "cnn.net: Net.forward is not written yet. conv1, relu, conv2, relu, max_pool2d(2), flatten from dim 1, "
            "fc1, relu, fc2, then log_softmax over dim 1"
        )


def train(model, device, train_loader, optimizer, scheduler, n_iter):
    """Take n_iter SGD steps on batches from train_loader (an endless iterator); returns each step's loss."""
    # TODO (cnn.train): model.train(); for each (data, target) batch: move to device, optimizer.zero_grad(), loss =
    #     F.nll_loss(model(data), target), loss.backward(), optimizer.step(), scheduler.step(), record loss.item(); stop
    #     after n_iter batches
    raise NotImplementedError(
        "cnn.train: train is not written yet. model.train(); for each (data, target) batch: move to device, "
        "optimizer.zero_grad(), loss = F.nll_loss(model(data), target), loss.backward(), optimizer.step(), "
        "scheduler.step(), record loss.item(); stop after n_iter batches"
    )


def test(model, device, test_loader):
    """Average negative log-likelihood and accuracy of model over test_loader, without gradients."""
    # TODO (cnn.test): model.eval(); under torch.no_grad() sum F.nll_loss(output, target, reduction='sum') and the
    #     correct argmax predictions over all batches; divide both by len(test_loader.dataset)
    raise NotImplementedError(
        "cnn.test: test is not written yet. model.eval(); under torch.no_grad() sum F.nll_loss(output, target, "
        "reduction='sum') and the correct argmax predictions over all batches; divide both by "
        "len(test_loader.dataset)"
    )
