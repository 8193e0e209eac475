"""A catalogue of deliberately buggy submissions: the reference with one bug each, and what it must cost.

Each bug is a set of exact text edits to solutions/ (every `old` must occur exactly once, so the catalogue
fails loudly when solutions/ changes), modules to delete, or text to append. `costs` lists the question ids
that must lose points; every other question must keep full marks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.paths import SOLUTIONS

STUDENT_MODULES = ("engine", "nn", "optim", "train", "cnn", "viz", "data", "plots")

RECURSIVE_BACKWARD = '''        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
'''


@dataclass(frozen=True)
class Mutation:
    """One buggy submission: the reference with `edits`, `delete` and `append` applied; `costs` its questions."""

    name: str
    costs: frozenset[str]
    edits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # module -> [(old, new), ...]
    delete: tuple[str, ...] = ()
    append: dict[str, str] = field(default_factory=dict)  # module -> text

    def write(self, dest: Path) -> Path:
        """The buggy package, as a folder dest/<name>/."""
        package = dest / self.name
        package.mkdir(parents=True)
        for module in STUDENT_MODULES:
            if module in self.delete:
                continue
            source = (SOLUTIONS / f"{module}.py").read_text()
            for old, new in self.edits.get(module, []):
                assert source.count(old) == 1, f"{self.name}: {old!r} occurs {source.count(old)} times in {module}.py"
                source = source.replace(old, new)
            (package / f"{module}.py").write_text(source + self.append.get(module, ""))
        shutil.copyfile(SOLUTIONS / "__init__.py", package / "__init__.py")
        return package


def bug(name: str, costs: str, module: str | None = None, old: str | None = None, new: str | None = None,
        **kwargs) -> Mutation:
    """A mutation with one (old → new) edit in module, or with kwargs' edits, delete or append."""
    edits = {module: [(old, new)]} if module else kwargs.pop("edits", {})
    return Mutation(name, frozenset(costs.split()), edits, **kwargs)


MUTATIONS = [
    bug("add_assigns_instead_of_adding", "engine.add", "engine",
        "            self.grad += out.grad\n            other.grad += out.grad",
        "            self.grad = out.grad\n            other.grad = out.grad"),
    bug("mul_assigns_instead_of_adding", "engine.mul", "engine",
        "self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
    bug("mul_swaps_nothing", "engine.mul", "engine",
        "other.grad += self.data * out.grad", "other.grad += other.data * out.grad"),
    bug("pow_forgets_the_exponent", "engine.pow", "engine",
        "self.grad += other * self.data ** (other - 1) * out.grad", "self.grad += self.data ** (other - 1) * out.grad"),
    bug("relu_passes_gradient_at_zero_output", "engine.relu", "engine",
        "(out.data > 0) * out.grad", "(out.data >= 0) * out.grad"),
    bug("tanh_uses_the_input", "engine.tanh", "engine",
        "self.grad += (1 - t**2) * out.grad", "self.grad += (1 - self.data**2) * out.grad"),
    bug("exp_uses_the_input", "engine.exp", "engine",
        "self.grad += out.data * out.grad", "self.grad += self.data * out.grad"),
    bug("backward_without_topological_order", "engine.backward", "engine",
        "        for node in reversed(topo):", "        for node in topo:"),
    bug("backward_in_breadth_first_order", "engine.backward", "engine",
        "        self.grad = 1\n        for node in reversed(topo):\n            node._backward()\n",
        "        self.grad = 1\n        queue, seen = [self], {self}\n        while queue:\n"
        "            node = queue.pop(0)\n            node._backward()\n            for child in node._prev:\n"
        "                if child not in seen:\n                    seen.add(child)\n"
        "                    queue.append(child)\n"),
    bug("backward_without_seed", "engine.backward", "engine",
        "        self.grad = 1\n        for node", "        for node"),
    bug("backward_recursive_like_the_tutorial", "engine.backward",
        edits={"engine": [(
            "        topo = []\n        visited = set()\n        stack = [(self, False)]\n        while stack:\n"
            "            node, children_done = stack.pop()\n            if children_done:\n"
            "                topo.append(node)\n            elif node not in visited:\n"
            "                visited.add(node)\n                stack.append((node, True))\n"
            "                for child in node._prev:\n                    stack.append((child, False))\n\n"
            "        self.grad = 1\n", RECURSIVE_BACKWARD)]}),
    bug("neuron_tanh_applies_relu", "nn.neuron", "nn", "            out = out.tanh()", "            out = out.relu()"),
    bug("neuron_without_bias", "nn.neuron", "nn",
        "sum((wi * xi for wi, xi in zip(self.w, x)), self.b)", "sum(wi * xi for wi, xi in zip(self.w, x))"),
    bug("layer_always_returns_a_list", "nn.layer", "nn", "return out[0] if len(out) == 1 else out", "return out"),
    bug("mlp_parameters_in_reverse", "nn.mlp", "nn",
        "return [p for layer in self.layers for p in layer.parameters()]",
        "return [p for layer in reversed(self.layers) for p in layer.parameters()]"),
    bug("mlp_class_missing", "nn.mlp", "nn", "class MLP(Module):", "class Perceptron(Module):"),
    bug("loss_without_l2", "train.compute_loss", "train",
        "reg_loss = alpha * sum(p * p for p in model.parameters())", "reg_loss = 0.0"),
    bug("loss_without_margin", "train.compute_loss", "train",
        "(1 + -float(yi) * score).relu()", "(-float(yi) * score).relu()"),
    bug("train_without_zero_grad", "train.train", "train",
        "    model.zero_grad()\n    loss, _, accuracy", "    loss, _, accuracy"),
    bug("train_schedule_off_by_one", "train.train", "train",
        "lr = learning_rate - 0.9 * (k + 1) / n_iter", "lr = learning_rate - 0.9 * k / n_iter"),
    bug("gradient_not_standardized", "optim.estimate_gradient", "optim",
        "R = (R - R.mean()) / R.std()", "R = R - R.mean()"),
    bug("ascent_without_the_start", "optim.ascend", "optim", "return np.array(path)", "return np.array(path[1:])"),
    bug("descent_records_after_the_step", "optim.gradient_descent", "optim",
        "steps.append((xv.data, y.data, xv.grad))", "steps.append((xv.data - alpha * xv.grad, y.data, xv.grad))"),
    bug("net_returns_logits", "cnn.net", "cnn", "return F.log_softmax(x, dim=1)", "return x"),
    bug("cnn_train_without_scheduler", "cnn.train", "cnn", "            scheduler.step()\n", ""),
    bug("cnn_test_divides_by_batches", "cnn.test", "cnn",
        "n = len(test_loader.dataset)", "n = len(test_loader)"),
    bug("cnn_test_with_gradients", "cnn.test", "cnn", "with torch.no_grad():", "with torch.enable_grad():"),
    bug("syntax_error_in_nn", "nn.neuron nn.layer nn.mlp", append={"nn": "\ndef broken(:\n    pass\n"}),
    bug("optim_missing", "optim.estimate_gradient optim.ascend optim.gradient_descent", delete=("optim",)),
]

BY_NAME = {m.name: m for m in MUTATIONS}
assert len(BY_NAME) == len(MUTATIONS), "two mutations share a name"
