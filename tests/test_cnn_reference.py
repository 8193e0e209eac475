"""The reference CNN: its size, log-probability outputs, a test loop without gradients, and its accuracy."""

import os

import pytest
import torch

from solutions import cnn, data


def test_net_has_1_199_882_parameters_and_outputs_log_probabilities():
    torch.manual_seed(0)
    model = cnn.Net()
    assert sum(p.numel() for p in model.parameters()) == 1_199_882
    out = model(torch.randn(5, 1, 28, 28))
    assert out.shape == (5, 10)
    assert torch.allclose(out.exp().sum(dim=1), torch.ones(5), atol=1e-5)


def test_test_loop_runs_without_gradients():
    torch.manual_seed(0)
    model = cnn.Net()
    seen = []
    model.register_forward_hook(lambda _, __, out: seen.append((torch.is_grad_enabled(), out.requires_grad)))
    _, test_loader = data.digit_loaders(test_batch_size=100, source="digits")
    loss, accuracy = cnn.test(model, "cpu", test_loader)
    assert len(seen) == len(test_loader) == 4
    assert not any(enabled or requires_grad for enabled, requires_grad in seen)
    assert all(p.grad is None for p in model.parameters())
    assert not model.training
    assert 0 <= accuracy <= 1 and loss > 0
    # The average loss is over the whole test set, and the accuracy matches the model's argmax.
    images, labels = test_loader.dataset.tensors
    with torch.no_grad():
        out = model(images)
    assert loss == pytest.approx(torch.nn.functional.nll_loss(out, labels).item(), rel=1e-5)
    assert accuracy == pytest.approx((out.argmax(dim=1) == labels).float().mean().item())


@pytest.fixture
def torch_threads():
    """One torch thread under pytest-xdist, whose other worker keeps the other core busy: torch's threads then
    wait on each other, and the training below takes several times longer."""
    threads = torch.get_num_threads()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.slow
def test_95_percent_on_the_embedded_digits_within_300_steps(torch_threads):
    torch.manual_seed(0)
    steps = 300
    train_loader, test_loader = data.digit_loaders(batch_size=128, source="digits", seed=0)
    model = cnn.Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps, eta_min=0.01)
    losses = cnn.train(model, "cpu", train_loader, optimizer, scheduler, steps)
    assert len(losses) == steps and losses[-1] < losses[0]
    assert scheduler.last_epoch == steps
    _, accuracy = cnn.test(model, "cpu", test_loader)
    assert accuracy >= 0.95
