"""Digits with no download: the embedded set, and real MNIST read from IDX files already on disk."""

import struct

import numpy as np
import pytest
import torch

from solutions import data


def test_embedded_digits_look_like_mnist():
    train, test = data.embedded_digits(train=True), data.embedded_digits(train=False)
    image, label = train[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32
    assert len(train) + len(test) == 1797 and len(test) == 359
    images = train.tensors[0]
    assert abs(images.mean().item()) < 0.5  # normalised with MNIST's mean and std
    assert images.min().item() == pytest.approx(-data.MNIST_MEAN / data.MNIST_STD, abs=1e-5)
    assert 0 <= int(label) <= 9


def test_the_split_is_fixed_and_disjoint():
    a, b = data.embedded_digits(train=False), data.embedded_digits(train=False)
    assert torch.equal(a.tensors[0], b.tensors[0])
    train = {t.numpy().tobytes() for t in data.embedded_digits(train=True).tensors[0]}
    test = [t.numpy().tobytes() for t in a.tensors[0]]
    assert sum(t in train for t in test) < 5  # the digits set itself holds a few identical images


def write_idx(path, array):
    """An IDX file as MNIST ships it: magic (0, 0, type 0x08 = ubyte, ndim), the dimensions, the bytes."""
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_root(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 20), ("t10k", 10)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, size=(n, 28, 28)))
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, size=n))
    return tmp_path


def test_real_mnist_path_reads_files_on_disk(mnist_root):
    train, test = data.digit_datasets(source="mnist", root=mnist_root)
    assert (len(train), len(test)) == (20, 10)
    image, label = train[3]
    assert image.shape == (1, 28, 28) and 0 <= label <= 9
    assert data.mnist_files_present(mnist_root)


def test_auto_picks_mnist_when_present_and_digits_otherwise(mnist_root, tmp_path_factory):
    train, _ = data.digit_datasets(source="auto", root=mnist_root)
    assert len(train) == 20
    train, _ = data.digit_datasets(source="auto", root=tmp_path_factory.mktemp("empty"))
    assert len(train) == 1438


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        data.digit_datasets(source="cifar")
