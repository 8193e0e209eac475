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
        # TODO (cnn.net): Create the four layers that have parameters, with the names, channel counts, kernel size,
        #     stride and feature counts the Net docstring specifies, as attributes of the module so that PyTorch
        #     registers their parameters; create them in the docstring's order, which fixes their initial random
        #     weights. See notebook 04_cnn, 'The architecture, layer by layer'.
        raise NotImplementedError(
            "cnn.net: Net.__init__ is not written yet. Create the four layers that have parameters, with the names, "
            "channel counts, kernel size, stride and feature counts the Net docstring specifies, as attributes of "
            "the module so that PyTorch registers their parameters; create them in the docstring's order, which "
            "fixes their initial random weights. See notebook 04_cnn, 'The architecture, layer by layer'."
        )

    def forward(self, x):
        # TODO (cnn.net): Apply the layers in the order of the Net docstring: each convolution followed by a ReLU, a 2×2
        #     max-pooling, the maps of each image flattened into one vector (the batch dimension kept), the first fully
        #     connected layer and a ReLU, the second fully connected layer, and last a log-softmax over the ten classes,
        #     so that each row of the output holds log-probabilities. See notebook 04_cnn, 'The architecture, layer by
        #     layer'.
        raise NotImplementedError(
            "cnn.net: Net.forward is not written yet. Apply the layers in the order of the Net docstring: each "
            "convolution followed by a ReLU, a 2×2 max-pooling, the maps of each image flattened into one vector "
            "(the batch dimension kept), the first fully connected layer and a ReLU, the second fully connected "
            "layer, and last a log-softmax over the ten classes, so that each row of the output holds "
            "log-probabilities. See notebook 04_cnn, 'The architecture, layer by layer'."
        )


def train(model, device, train_loader, optimizer, scheduler, n_iter):
    """Take n_iter SGD steps on batches from train_loader (an endless iterator); returns each step's loss.

    Specification: the model is put in training mode; each of the n_iter batches (images, labels), moved to device,
    makes one optimizer step on its mean negative log-likelihood loss, followed by one scheduler step. Returns the
    n_iter losses, each computed before its step, as Python floats.
    """
    # TODO (cnn.train): Put the model in training mode, then take batches from the loader (it never runs out) until
    #     n_iter steps are done. Each step: move the images and labels to the device, clear the gradients, run the model
    #     forward, measure the negative log-likelihood of the right classes, backpropagate, let the optimizer update the
    #     parameters, then let the scheduler lower the learning rate. Return each step's loss as a plain number. See
    #     notebook 04_cnn, 'The negative log-likelihood loss' and 'The training loop in PyTorch'.
    raise NotImplementedError(
        "cnn.train: train is not written yet. Put the model in training mode, then take batches from the loader (it "
        "never runs out) until n_iter steps are done. Each step: move the images and labels to the device, clear the "
        "gradients, run the model forward, measure the negative log-likelihood of the right classes, backpropagate, "
        "let the optimizer update the parameters, then let the scheduler lower the learning rate. Return each step's "
        "loss as a plain number. See notebook 04_cnn, 'The negative log-likelihood loss' and 'The training loop in "
        "PyTorch'."
    )


def test(model, device, test_loader):
    """Average negative log-likelihood and accuracy of model over test_loader, without gradients.

    Specification: returns (average loss per image, share of images classified correctly), both averaged over all
    len(test_loader.dataset) images; the model is left in evaluation mode and no gradient is recorded.
    """
    # TODO (cnn.test): Testing must not change the model: switch it to evaluation mode and turn gradient tracking off
    #     while going over every test batch. Add up the per-image losses (a sum, not a batch mean, since batches may
    #     differ in size) and the number of images whose most likely class is the right one; divide both totals by the
    #     number of images in the test set. See notebook 04_cnn, 'Testing: evaluation mode, no gradients, whole-set
    #     averages'.
    raise NotImplementedError(
        "cnn.test: test is not written yet. Testing must not change the model: switch it to evaluation mode and turn "
        "gradient tracking off while going over every test batch. Add up the per-image losses (a sum, not a batch "
        "mean, since batches may differ in size) and the number of images whose most likely class is the right one; "
        "divide both totals by the number of images in the test set. See notebook 04_cnn, 'Testing: evaluation mode, "
        "no gradients, whole-set averages'."
    )
