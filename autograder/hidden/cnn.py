"""Cases for cnn.*: the network's shapes and outputs, a short training run, the test loop, an accuracy bar."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .case import Case

INITIAL = "initial parameters (sum, sum of squares)"


@lru_cache(maxsize=2)
def digits(train: bool) -> tuple[np.ndarray, np.ndarray]:
    """The embedded digits, as arrays (trusted: the kit's own data, not the student's)."""
    from solutions.data import embedded_digits

    dataset = embedded_digits(train=train)
    images, labels = dataset.tensors
    return images.numpy(), labels.numpy()


def sample(rng: np.random.Generator, n: int, train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    images, labels = digits(train)
    rows = rng.choice(len(labels), size=n, replace=False)
    # 4 decimals keep the public cases' file small and its numbers exactly the ones graded.
    return np.round(images[rows], 4).astype(np.float32), labels[rows]


def cases(rng: np.random.Generator, public: bool, published: bool = False) -> list[Case]:
    """Every case also reports numbers that come from the seed: a Net's shapes and count, and test()'s flags, are
    the same for every seed, and a submission that answers for the probes could claim them without any code.
    published: the accuracy case's run is shorter."""
    seed = int(rng.integers(1 << 31))
    images, _ = sample(rng, 8)
    structure = {"parameter count": "exact", "parameter shapes": "exact", "output shape": "exact"}
    layers = {"seed": seed, "images": images}
    checked = "Net's parameter shapes in order, their count (1,199,882) and the output shape"
    layers["initial"] = True
    structure[INITIAL] = "torch"
    checked += "; and each parameter's sum and sum of squares as PyTorch initialises the layers from a seed"
    out = [
        Case("cnn.net", "layers and parameter count", "cnn.net_structure", layers, checked,
             keys=tuple(structure), rules=structure, public=public),
        Case("cnn.net", "log-probabilities", "cnn.net_structure", {"seed": seed, "images": images},
             "Net's output on 8 digits with given weights: log-probabilities (each row's exp sums to 1)",
             keys=("log-probabilities", "rows of exp(output) sum to 1"),
             rules={"log-probabilities": "torch", "rows of exp(output) sum to 1": "exact"}, public=public),
    ]

    x, y = sample(rng, 128)
    out.append(Case("cnn.train", "loss per step", "cnn.train_steps",
                    {"seed": seed, "images": x, "labels": y, "batch_size": 32, "n_iter": 6, "lr": 0.1},
                    "train(model, 'cpu', loader, optimizer, scheduler, n_iter=6) from given weights: the losses "
                    "it returns, the loss going down, the scheduler stepped once per batch",
                    rules={"losses": "torch", "number of losses": "exact", "loss went down": "exact",
                           "learning rate after": "torch"}, public=public))
    # Public, a shorter run on fewer digits: the bundle carries them; its copy is shorter still, so that a
    # student's check takes seconds.
    n_train, n_test, batch, n_iter = (256, 100, 32, 16 if published else 24) if public else (1024, 300, 64, 60)
    x, y = sample(rng, n_train)
    xt, yt = sample(rng, n_test, train=False)
    # The digits' classes renamed by a permutation drawn from the seed, in training and test alike: parameters
    # trained in advance, on any other naming, score about 10%; trained by train() here, as well as ever.
    names = rng.permutation(10)
    y, yt = names[y], names[yt]
    out.append(Case("cnn.train", "test accuracy after training", "cnn.train_parameters",
                    {"seed": seed, "images": x, "labels": y, "batch_size": batch, "n_iter": n_iter, "lr": 0.1},
                    "test accuracy after train(...) on the embedded digits (their classes renamed by a permutation)",
                    rules={"test accuracy": "at_least:cnn_accuracy_margin"}, public=public,
                    measure="digits_accuracy", withheld={"test_images": xt, "test_labels": yt}))

    xt, yt = sample(rng, 200, train=False)
    out.append(Case("cnn.test", "loss and accuracy", "cnn.test_loop",
                    {"seed": seed, "images": xt, "labels": yt, "batch_size": 64},
                    "test(model, 'cpu', loader): the average loss and the accuracy over 200 digits in 4 batches",
                    keys=("average loss", "accuracy"), rules={"average loss": "torch", "accuracy": "torch"},
                    public=public))
    flags = {"gradients off during the forward passes": "exact", "model in eval mode": "exact"}
    checked = "test() runs the model in eval mode with gradients off (torch.no_grad())"
    # Two flags alone would be the same for every seed: the case also judges what test() returns, on digits one
    # per batch (so that dividing by the number of batches costs the case above, not this one).
    inputs = {"seed": seed, "images": xt[:8], "labels": yt[:8], "batch_size": 1}
    flags.update({"average loss": "torch", "accuracy": "torch"})
    checked += ", and returns the average loss and the accuracy over 8 digits, one per batch"
    out.append(Case("cnn.test", "no gradients, eval mode", "cnn.test_loop", inputs, checked,
                    keys=tuple(flags), rules=flags, public=public))
    return out
