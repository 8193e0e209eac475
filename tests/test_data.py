"""Digits with no download: the embedded set, and real MNIST read from IDX files already on disk."""

import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from solutions import data


def test_embedded_digits_look_like_mnist():
    train, test = data.embedded_digits(train=True), data.embedded_digits(train=False)
    image, label = train[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32 and label.dtype == torch.long
    assert (len(train), len(test)) == (1438, 359)
    images = train.tensors[0]
    # Normalised with MNIST's mean and std, and close to MNIST's statistics: mean ~0, std ~1.
    assert abs(images.mean().item()) < 0.2 and abs(images.std().item() - 1) < 0.2
    pixels = images * data.MNIST_STD + data.MNIST_MEAN
    assert pixels.min().item() == pytest.approx(0, abs=1e-6) and pixels.max().item() == pytest.approx(1, abs=1e-6)
    assert pixels[..., :4, :].abs().max() < 1e-6 and pixels[..., :, 24:].abs().max() < 1e-6  # a dark margin
    for dataset in (train, test):
        assert set(dataset.tensors[1].tolist()) == set(range(10))


def test_the_split_is_fixed_and_disjoint():
    a, b = data.embedded_digits(train=False), data.embedded_digits(train=False)
    assert torch.equal(a.tensors[0], b.tensors[0]) and torch.equal(a.tensors[1], b.tensors[1])
    train = {t.numpy().tobytes() for t in data.embedded_digits(train=True).tensors[0]}
    test = [t.numpy().tobytes() for t in a.tensors[0]]
    assert sum(t in train for t in test) < 5  # the digits set itself holds a few identical images
    everything = {t.numpy().tobytes() for t in data.upscale_digits(load_digits().images)}
    assert set(test) | train == everything


def test_train_batches_are_shuffled_reproducibly_and_never_run_out():
    first = data.digit_loaders(batch_size=128, source="digits", seed=3)[0]
    again = data.digit_loaders(batch_size=128, source="digits", seed=3)[0]
    batches = [next(first) for _ in range(13)]  # more than the 12 batches of one epoch
    assert all(torch.equal(x, next(again)[0]) for x, _ in batches)
    assert batches[0][0].shape == (128, 1, 28, 28)
    assert not torch.equal(batches[0][1], data.embedded_digits(train=True).tensors[1][:128])


def write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file as MNIST ships it: magic (0, 0, type 0x08 = ubyte, ndim), the dimensions, the bytes."""
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, array.ndim))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_root(tmp_path: Path) -> Path:
    """20 train and 10 test images in the MNIST format, where torchvision looks: root/MNIST/raw/, not gzipped."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 20), ("t10k", 10)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, size=(n, 28, 28)))
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, size=n))
    return tmp_path


def read_idx(path: Path) -> np.ndarray:
    content = path.read_bytes()
    ndim = content[3]
    shape = struct.unpack(f">{ndim}I", content[4 : 4 + 4 * ndim])
    return np.frombuffer(content[4 + 4 * ndim :], dtype=np.uint8).reshape(shape).copy()


def test_real_mnist_path_reads_files_on_disk(mnist_root):
    assert data.mnist_files_present(mnist_root)
    train, test = data.digit_datasets(source="mnist", root=mnist_root)
    assert (len(train), len(test)) == (20, 10)
    raw = mnist_root / "MNIST" / "raw"
    for dataset, prefix in ((train, "train"), (test, "t10k")):
        pixels, labels = read_idx(raw / f"{prefix}-images-idx3-ubyte"), read_idx(raw / f"{prefix}-labels-idx1-ubyte")
        for i in (0, 3, len(dataset) - 1):
            image, label = dataset[i]
            assert image.shape == (1, 28, 28) and label == labels[i]
            expected = (torch.as_tensor(pixels[i], dtype=torch.float32) / 255 - data.MNIST_MEAN) / data.MNIST_STD
            assert torch.allclose(image[0], expected, atol=1e-5)


def test_mnist_without_its_files_is_an_error_not_a_download(tmp_path):
    assert not data.mnist_files_present(tmp_path)
    with pytest.raises(RuntimeError):
        data.digit_datasets(source="mnist", root=tmp_path)
    assert not (tmp_path / "MNIST").exists() or not any((tmp_path / "MNIST").rglob("*ubyte*"))


def test_auto_picks_mnist_when_present_and_digits_otherwise(mnist_root, tmp_path_factory):
    train, _ = data.digit_datasets(source="auto", root=mnist_root)
    assert len(train) == 20
    train, _ = data.digit_datasets(source="auto", root=tmp_path_factory.mktemp("empty"))
    assert len(train) == 1438


def test_unknown_source_is_refused():
    with pytest.raises(ValueError):
        data.digit_datasets(source="cifar")
