"""Handwritten digits for the CNN, with no download.

The default is scikit-learn's bundled 8×8 digits, upscaled to 28×28 and normalised like MNIST, with a
fixed train/test split. Real MNIST is read with torchvision when its files are already on disk.
"""

from itertools import repeat
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
TEST_FRACTION = 0.2
SPLIT_SEED = 0


def upscale_digits(images):
    """8×8 images with values 0..16 → 28×28 tensors normalised like MNIST (a 20×20 digit, 4 pixels of margin)."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32) / 16.0).unsqueeze(1)
    x = F.interpolate(x, size=(20, 20), mode="bilinear", align_corners=False)
    x = F.pad(x, (4, 4, 4, 4))
    return (x - MNIST_MEAN) / MNIST_STD


def embedded_digits(train=True):
    """scikit-learn's 1,797 digits as a Dataset of (1×28×28 image, label); a fixed 80/20 split."""
    digits = load_digits()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(digits.target))
    n_test = int(len(order) * TEST_FRACTION)
    rows = order[n_test:] if train else order[:n_test]
    images = upscale_digits(digits.images[rows])
    labels = torch.as_tensor(digits.target[rows], dtype=torch.long)
    return TensorDataset(images, labels)


def mnist_files_present(root):
    """Whether torchvision's MNIST files are under root (root/MNIST/raw)."""
    raw = Path(root) / "MNIST" / "raw"
    names = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    return all((raw / n).exists() for n in names)


def mnist(root, train=True):
    """Real MNIST from files already on disk (never downloaded)."""
    from torchvision import datasets, transforms

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MNIST_MEAN,), (MNIST_STD,))])
    return datasets.MNIST(str(root), train=train, download=False, transform=transform)


def digit_datasets(source="auto", root="data"):
    """(train, test) datasets: 'mnist' from files under root, 'digits' embedded, 'auto' MNIST if present."""
    if source == "auto":
        source = "mnist" if mnist_files_present(root) else "digits"
    if source == "mnist":
        return mnist(root, train=True), mnist(root, train=False)
    if source == "digits":
        return embedded_digits(train=True), embedded_digits(train=False)
    raise ValueError(f"source must be 'auto', 'mnist' or 'digits', not {source!r}")


def endless(loader):
    """Batches from loader, epoch after epoch, for ever."""
    for epoch in repeat(loader):
        yield from epoch


def digit_loaders(batch_size=128, test_batch_size=512, source="auto", root="data", seed=0):
    """(endless shuffled train batches, test DataLoader) for the CNN."""
    train_set, test_set = digit_datasets(source, root)
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=generator)
    test_loader = DataLoader(test_set, batch_size=test_batch_size)
    return endless(train_loader), test_loader
