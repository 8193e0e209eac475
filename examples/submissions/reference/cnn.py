"""A small convolutional network for handwritten digits, with its training and test loops (PyTorch)."""

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm


class Net(nn.Module):
    """conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, 2×2 max-pool, fc 9216→128, ReLU, fc 128→10, log-softmax.

    Specification. The input is a batch of grey 28 × 28 images, shape (batch, 1, 28, 28); the layers, in order:

    - `conv1`: a 2-D convolution from 1 input channel to 32 output channels, kernel 3 × 3, stride 1; then ReLU
      (shape (batch, 32, 26, 26));
    - `conv2`: a 2-D convolution from 32 channels to 64, kernel 3 × 3, stride 1; then ReLU (batch, 64, 24, 24);
    - max-pooling over 2 × 2 windows (batch, 64, 12, 12);
    - flatten each image's maps into one vector of 64 × 12 × 12 = 9216 numbers, keeping the batch dimension;
    - `fc1`: fully connected (linear) from 9216 to 128 features; then ReLU;
    - `fc2`: fully connected from 128 to 10 features, one per digit, with no activation;
    - log-softmax over the 10 classes (dimension 1): the output, shape (batch, 10), holds log-probabilities.

    The four layers with parameters are attributes named conv1, conv2, fc1, fc2, created in that order (the order
    fixes their initial random weights). There is no dropout.
    """

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION cnn.net
        # hint: Create the four layers that have parameters, with the names, channel counts, kernel size, stride and
        #   feature counts the Net docstring specifies, as attributes of the module so that PyTorch registers their
        #   parameters; create them in the docstring's order, which fixes their initial random weights. See notebook
        #   04_cnn, 'The architecture, layer by layer'.
        # nudge: 9216 = 64 · 12 · 12: the second convolution's 64 maps of 24 × 24, halved by the 2 × 2 pooling. Layers
        #   kept in a local variable or a plain Python list are not registered, and a different creation order gives
        #   other weights.
        # walkthrough: self.conv1 = nn.Conv2d(1, 32, 3, 1); self.conv2 = nn.Conv2d(32, 64, 3, 1); self.fc1 =
        #   nn.Linear(9216, 128); self.fc2 = nn.Linear(128, 10) (Conv2d's arguments: in channels, out channels, kernel
        #   size, stride).
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION cnn.net
        # hint: Apply the layers in the order of the Net docstring: each convolution followed by a ReLU, a 2×2
        #   max-pooling, the maps of each image flattened into one vector (the batch dimension kept), the first fully
        #   connected layer and a ReLU, the second fully connected layer, and last a log-softmax over the ten classes,
        #   so that each row of the output holds log-probabilities. See notebook 04_cnn, 'The architecture, layer by
        #   layer'.
        # nudge: Flatten from dimension 1, not 0 (the batch must stay); no ReLU after fc2; log-softmax over dimension 1,
        #   the classes: each row of the exponentiated output must sum to 1.
        # walkthrough: conv1, relu, conv2, relu, max_pool2d(2), flatten from dim 1, fc1, relu, fc2, then log_softmax
        #   over dim 1: x = F.relu(self.conv1(x)); x = F.relu(self.conv2(x)); x = F.max_pool2d(x, 2); x =
        #   torch.flatten(x, 1); x = F.relu(self.fc1(x)); x = self.fc2(x); return F.log_softmax(x, dim=1).
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)
        # END SOLUTION


def train(model, device, train_loader, optimizer, scheduler, n_iter):
    """Take n_iter SGD steps on batches from train_loader (an endless iterator); returns each step's loss.

    Specification: the model is put in training mode; each of the n_iter batches (images, labels), moved to device,
    makes one optimizer step on its mean negative log-likelihood loss, followed by one scheduler step. Returns the
    n_iter losses, each computed before its step, as Python floats.
    """
    # BEGIN SOLUTION cnn.train
    # hint: Put the model in training mode, then take batches from the loader (it never runs out) until n_iter steps are
    #   done. Each step: move the images and labels to the device, clear the gradients, run the model forward, measure
    #   the negative log-likelihood of the right classes, backpropagate, let the optimizer update the parameters, then
    #   let the scheduler lower the learning rate. Return each step's loss as a plain number. See notebook 04_cnn, 'The
    #   negative log-likelihood loss' and 'The training loop in PyTorch'.
    # nudge: The loader is endless: count the steps and stop after exactly n_iter batches. Zero the gradients before
    #   each backward pass, step the scheduler once per batch after the optimizer, and record `loss.item()`, not the
    #   tensor.
    # walkthrough: model.train(); losses = []; for data, target in train_loader: data, target = data.to(device),
    #   target.to(device); optimizer.zero_grad(); loss = F.nll_loss(model(data), target); loss.backward();
    #   optimizer.step(); scheduler.step(); losses.append(loss.item()); if len(losses) == n_iter: break. Return losses.
    #   (Optionally show progress with a tqdm bar of total=n_iter, updated once per step, as the reference does.)
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
    """Average negative log-likelihood and accuracy of model over test_loader, without gradients.

    Specification: returns (average loss per image, share of images classified correctly), both averaged over all
    len(test_loader.dataset) images; the model is left in evaluation mode and no gradient is recorded.
    """
    # BEGIN SOLUTION cnn.test
    # hint: Testing must not change the model: switch it to evaluation mode and turn gradient tracking off while going
    #   over every test batch. Add up the per-image losses (a sum, not a batch mean, since batches may differ in size)
    #   and the number of images whose most likely class is the right one; divide both totals by the number of images in
    #   the test set. See notebook 04_cnn, 'Testing: evaluation mode, no gradients, whole-set averages'.
    # nudge: Sum the batch losses (`reduction='sum'`): the default, a batch's mean, would weigh a small last batch
    #   like a full one. Divide the totals by the size of the test set (`len(test_loader.dataset)`), not by the
    #   number of batches; turn each batch's loss and count into Python numbers with `.item()` before adding them
    #   up; leave the model in evaluation mode.
    # walkthrough: model.eval(); total_loss, correct = 0.0, 0; under `with torch.no_grad():` for data, target in
    #   test_loader: move both to device; output = model(data); total_loss += F.nll_loss(output, target,
    #   reduction="sum").item(); correct += (output.argmax(dim=1) == target).sum().item(). Then n =
    #   len(test_loader.dataset); return total_loss / n, correct / n.
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
