"""A catalogue of deliberately buggy submissions: the reference with one bug each, and what it must cost.

Each bug is a set of exact text edits to solutions/ (every `old` must occur exactly once, so the catalogue
fails loudly when solutions/ changes), modules to delete, or text to append. `costs` lists the question ids
that must lose points; every other question, in every module, must keep full marks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.build.markers import find_blocks
from autograder.contract import MODULES, PROVIDED_MODULES
from autograder.paths import SOLUTIONS

STUDENT_MODULES = (*MODULES, *PROVIDED_MODULES)



def reference_body(module: str, qualname: str) -> str:
    """The lines of the reference's solution block inside qualname (e.g. "Value.backward"), as text."""
    source = (SOLUTIONS / f"{module}.py").read_text()
    lines = source.splitlines(keepends=True)
    block = next(b for b in find_blocks(source) if b.qualname == qualname)
    return "".join(lines[number - 1] for number in block.body)


# The reference's backward(): an explicit stack, so graphs thousands of nodes deep work.
STACK_TOPO = reference_body("engine", "Value.backward")

# The tutorial's own backward(): right on every small graph, a RecursionError on a deep one.
RECURSIVE_TOPO = """        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for node in reversed(topo):
            node._backward()
"""

# Breadth-first from the root: a node can run before all of its consumers have (a diamond).
BREADTH_FIRST = """        order, seen = [self], {self}
        for node in order:
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    order.append(child)

        self.grad = 1
        for node in order:
            node._backward()
"""


@dataclass(frozen=True)
class Mutation:
    """One buggy submission: the edits that make it from solutions/, and the question ids it must cost."""

    name: str
    costs: frozenset[str]
    edits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # module -> [(old, new), ...]
    delete: tuple[str, ...] = ()
    append: dict[str, str] = field(default_factory=dict)  # module -> text added at the end

    def source(self, module: str) -> str:
        """The mutated text of module.py (asserting each edit's old text occurs exactly once)."""
        text = (SOLUTIONS / f"{module}.py").read_text()
        for old, new in self.edits.get(module, []):
            count = text.count(old)
            assert count == 1, f"{self.name}: {old!r} occurs {count} times in solutions/{module}.py, not once"
            text = text.replace(old, new)
        return text + self.append.get(module, "")

    def write(self, dest: Path) -> Path:
        """The buggy package, as a folder dest/<name>/."""
        unknown = (set(self.edits) | set(self.append) | set(self.delete)) - set(STUDENT_MODULES)
        assert not unknown, f"{self.name}: no such module(s) {sorted(unknown)}"
        package = dest / self.name
        package.mkdir(parents=True)
        for module in STUDENT_MODULES:
            if module not in self.delete:
                (package / f"{module}.py").write_text(self.source(module))
        shutil.copyfile(SOLUTIONS / "__init__.py", package / "__init__.py")
        return package


def bug(name: str, costs: str, module: str | None = None, old: str | None = None, new: str | None = None,
        **kwargs) -> Mutation:
    """A Mutation from one edit (module, old, new), or from edits=/delete=/append= given by keyword."""
    edits = {module: [(old, new)]} if module else kwargs.pop("edits", {})
    return Mutation(name, frozenset(costs.split()), edits, **kwargs)


MUTATIONS = [
    # engine: each _backward alone
    bug("add_assigns_instead_of_adding", "engine.add", "engine",
        "            self.grad += out.grad\n            other.grad += out.grad",
        "            self.grad = out.grad\n            other.grad = out.grad"),
    bug("mul_assigns_instead_of_adding", "engine.mul", "engine",
        "self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
    bug("mul_uses_the_wrong_operand", "engine.mul", "engine",
        "other.grad += self.data * out.grad", "other.grad += other.data * out.grad"),
    bug("pow_forgets_the_exponent", "engine.pow", "engine",
        "self.grad += other * self.data ** (other - 1) * out.grad", "self.grad += self.data ** (other - 1) * out.grad"),
    bug("relu_passes_gradient_at_zero_output", "engine.relu", "engine",
        "(out.data > 0) * out.grad", "(out.data >= 0) * out.grad"),
    bug("relu_gradient_wrong_sign", "engine.relu", "engine",
        "self.grad += (out.data > 0) * out.grad", "self.grad -= (out.data > 0) * out.grad"),
    bug("tanh_uses_the_input", "engine.tanh", "engine",
        "self.grad += (1 - t**2) * out.grad", "self.grad += (1 - self.data**2) * out.grad"),
    bug("exp_uses_the_input", "engine.exp", "engine",
        "self.grad += out.data * out.grad", "self.grad += self.data * out.grad"),
    # engine: backward()
    bug("backward_without_topological_order", "engine.backward", "engine",
        "        for node in reversed(topo):", "        for node in topo:"),
    bug("backward_breadth_first", "engine.backward", "engine", STACK_TOPO, BREADTH_FIRST),
    bug("backward_only_calls_its_own_closure", "engine.backward", "engine",
        "        for node in reversed(topo):\n            node._backward()", "        self._backward()"),
    bug("backward_without_seed", "engine.backward", "engine",
        "        self.grad = 1\n        for node", "        for node"),
    bug("backward_recursive_like_the_tutorial", "engine.backward", "engine", STACK_TOPO, RECURSIVE_TOPO),
    # nn
    bug("neuron_tanh_applies_relu", "nn.neuron", "nn", "            out = out.tanh()", "            out = out.relu()"),
    bug("neuron_without_bias", "nn.neuron", "nn",
        "sum((wi * xi for wi, xi in zip(self.w, x)), self.b)", "sum(wi * xi for wi, xi in zip(self.w, x))"),
    bug("layer_always_returns_a_list", "nn.layer", "nn", "return out[0] if len(out) == 1 else out", "return out"),
    bug("mlp_parameters_in_reverse", "nn.mlp", "nn",
        "return [p for layer in self.layers for p in layer.parameters()]",
        "return [p for layer in reversed(self.layers) for p in layer.parameters()]"),
    bug("mlp_class_missing", "nn.mlp", "nn", "class MLP(Module):", "class Perceptron(Module):"),
    # train
    bug("loss_without_l2", "train.compute_loss", "train",
        "reg_loss = alpha * sum(p * p for p in model.parameters())", "reg_loss = 0.0"),
    bug("loss_without_margin", "train.compute_loss", "train",
        "(1 + -float(yi) * score).relu()", "(-float(yi) * score).relu()"),
    bug("train_without_zero_grad", "train.train", "train",
        "    model.zero_grad()\n    loss, _, accuracy", "    loss, _, accuracy"),
    bug("train_schedule_off_by_one", "train.train", "train",
        "lr = learning_rate - 0.9 * (k + 1) / n_iter", "lr = learning_rate - 0.9 * k / n_iter"),
    # optim
    bug("gradient_not_standardized", "optim.estimate_gradient", "optim",
        "R = (R - R.mean()) / R.std()", "R = R - R.mean()"),
    bug("ascent_without_the_start", "optim.ascend", "optim", "return np.array(path)", "return np.array(path[1:])"),
    bug("ascend_function_missing", "optim.ascend", "optim", "def ascend(", "def climb("),
    bug("descent_records_after_the_step", "optim.gradient_descent", "optim",
        "steps.append((xv.data, y.data, xv.grad))", "steps.append((xv.data - alpha * xv.grad, y.data, xv.grad))"),
    # cnn
    bug("net_returns_logits", "cnn.net", "cnn", "return F.log_softmax(x, dim=1)", "return x"),
    bug("cnn_train_without_scheduler", "cnn.train", "cnn", "            scheduler.step()\n", ""),
    bug("cnn_test_divides_by_batches", "cnn.test", "cnn",
        "n = len(test_loader.dataset)", "n = len(test_loader)"),
    bug("cnn_test_with_gradients", "cnn.test", "cnn", "with torch.no_grad():", "with torch.enable_grad():"),
    # whole modules
    bug("syntax_error_in_nn", "nn.neuron nn.layer nn.mlp", append={"nn": "\ndef broken(:\n    pass\n"}),
    bug("optim_missing", "optim.estimate_gradient optim.ascend optim.gradient_descent", delete=("optim",)),
]

BY_NAME = {m.name: m for m in MUTATIONS}
assert len(BY_NAME) == len(MUTATIONS), "two mutations share a name"
