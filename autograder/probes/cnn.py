"""Probes of cnn.py: the network's shapes and outputs, one training run, and the test loop."""

import numpy as np

from .plain import probe


def torch_setup(seed):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # the same arithmetic in the grader and in the reference run
    # The switch itself: torch.use_deterministic_algorithms(True) also imports dynamo and sympy (2.8 s), for the
    # same arithmetic.
    torch._C._set_deterministic_algorithms(True)
    return torch


def fill_parameters(model, seed):
    """Give model's parameters, in order, values drawn from seed: the same numbers for any Net of this shape."""
    torch = torch_setup(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape) * (1.0 / max(1, p[0].numel()) ** 0.5))
    return model


def batches(images, labels, batch_size):
    import torch

    x, y = torch.as_tensor(np.asarray(images, dtype=np.float32)), torch.as_tensor(np.asarray(labels), dtype=torch.long)
    return [(x[i : i + batch_size], y[i : i + batch_size]) for i in range(0, len(x), batch_size)]


def endless(batch_list):
    while True:
        yield from batch_list


class Loader(list):
    """A list of batches that, like a DataLoader, knows its dataset's length."""

    def __init__(self, batch_list, n):
        super().__init__(batch_list)
        self.dataset = range(n)


@probe
def net_structure(pkg, seed, images, initial=False):
    """A Net built after torch.manual_seed(seed): its parameters' shapes and count, then its output on images with
    parameters drawn from seed. With initial, also each parameter's sum and sum of squares as built, before they
    are drawn: what PyTorch's own initialisation of the same layers, built in the same order, gives."""
    torch = torch_setup(seed)
    model = pkg.cnn.Net()
    report = {}
    if initial:
        with torch.no_grad():
            report["initial parameters (sum, sum of squares)"] = [
                [p.double().sum().item(), p.double().square().sum().item()] for p in model.parameters()]
    fill_parameters(model, seed)
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(np.asarray(images, dtype=np.float32)))
    return {
        "parameter count": sum(p.numel() for p in model.parameters()),
        "parameter shapes": [list(p.shape) for p in model.parameters()],
        "output shape": list(out.shape),
        "log-probabilities": out.tolist(),
        "rows of exp(output) sum to 1": bool(torch.allclose(out.exp().sum(dim=1), torch.ones(len(out)), atol=1e-4)),
        **report,
    }


@probe
def train_steps(pkg, seed, images, labels, batch_size, n_iter, lr):
    torch = torch_setup(seed)
    model = fill_parameters(pkg.cnn.Net(), seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=n_iter, eta_min=lr / 10)
    losses = pkg.cnn.train(model, "cpu", endless(batches(images, labels, batch_size)), optimizer, scheduler, n_iter)
    losses = [float(v) for v in losses]
    return {
        "losses": losses,
        "number of losses": len(losses),
        "loss went down": bool(np.mean(losses[-3:]) < losses[0]),
        "learning rate after": optimizer.param_groups[0]["lr"],
    }


def packed(tensors) -> str:
    """Tensors as one base64 string of little-endian float32, in order (a quarter of the JSON list's size)."""
    import base64

    flat = np.concatenate([t.detach().cpu().numpy().astype("<f4").ravel() for t in tensors])
    return base64.b64encode(flat.tobytes()).decode("ascii")


@probe
def train_parameters(pkg, seed, images, labels, batch_size, n_iter, lr):
    """Train with the student's train(); the judge measures the test accuracy of what it reports."""
    torch = torch_setup(seed)
    model = pkg.cnn.Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=n_iter, eta_min=lr / 10)
    pkg.cnn.train(model, "cpu", endless(batches(images, labels, batch_size)), optimizer, scheduler, n_iter)
    return {"trained parameters": packed(model.parameters())}


@probe
def test_loop(pkg, seed, images, labels, batch_size):
    torch = torch_setup(seed)
    model = fill_parameters(pkg.cnn.Net(), seed)
    grad_seen = []
    model.register_forward_hook(lambda *_: grad_seen.append(torch.is_grad_enabled()))
    model.train()
    loss, accuracy = pkg.cnn.test(model, "cpu", Loader(batches(images, labels, batch_size), len(images)))
    return {
        "average loss": float(loss),
        "accuracy": float(accuracy),
        "gradients off during the forward passes": not any(grad_seen),
        "model in eval mode": not model.training,
    }
