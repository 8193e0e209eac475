"""A catalogue of deliberately buggy submissions: the reference with one bug each, and what it must cost.

Every named misconception of the kit (autograder/misconceptions.py) is one, costing its own question; the
rest break a module as a whole (a syntax error, a missing module, class or function). Each bug is a set of
exact text edits to solutions/ (every `old` must occur exactly once, so the catalogue fails loudly when
solutions/ changes), modules to delete, or text to append. `costs` lists the question ids
that must lose points; every other question, in every module, must keep full marks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.contract import MODULES, PROVIDED_MODULES
from autograder.misconceptions import Misconception, catalogue, edit_code
from autograder.paths import SOLUTIONS

STUDENT_MODULES = (*MODULES, *PROVIDED_MODULES)


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
            text = edit_code(text, old, new, f"{self.name}, solutions/{module}.py")
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


def from_misconception(entry: Misconception) -> Mutation:
    edits: dict[str, list[tuple[str, str]]] = {}
    for module, old, new in entry.edits:
        edits.setdefault(module, []).append((old, new))
    return Mutation(entry.id, frozenset({entry.question}), edits)


# Bugs that break more than a body: every question of what they break must lose points.
STRUCTURAL = [
    bug("mlp_class_missing", "nn.mlp", "nn", "class MLP(Module):", "class Perceptron(Module):"),
    bug("ascend_function_missing", "optim.ascend", "optim", "def ascend(", "def climb("),
    bug("syntax_error_in_nn", "nn.neuron nn.layer nn.mlp", append={"nn": "\ndef broken(:\n    pass\n"}),
    bug("optim_missing", "optim.estimate_gradient optim.ascend optim.gradient_descent", delete=("optim",)),
]

# Mistakes the catalogue does not know, some of them next to one it does: their feedback must name none.
UNCATALOGUED = [
    bug("add_doubles_one_gradient", "engine.add", "engine",
        "            other.grad += out.grad\n", "            other.grad += 2 * out.grad\n"),
    bug("mul_uses_its_own_operand_for_self", "engine.mul", "engine",
        "self.grad += other.data * out.grad", "self.grad += self.data * out.grad"),
    bug("pow_keeps_the_exponent", "engine.pow", "engine",
        "self.grad += other * self.data ** (other - 1) * out.grad",
        "self.grad += other * self.data ** other * out.grad"),
    bug("tanh_forgets_the_square", "engine.tanh", "engine",
        "self.grad += (1 - t**2) * out.grad", "self.grad += (1 - t) * out.grad"),
    bug("exp_passes_the_gradient_unchanged", "engine.exp", "engine",
        "self.grad += out.data * out.grad", "self.grad += out.grad"),
    bug("backward_seeds_two", "engine.backward", "engine",
        "        self.grad = 1\n        for node", "        self.grad = 2\n        for node"),
]
UNCATALOGUED_NAMES = frozenset(m.name for m in UNCATALOGUED)

MUTATIONS = [*(from_misconception(entry) for entry in catalogue()), *STRUCTURAL, *UNCATALOGUED]

BY_NAME = {m.name: m for m in MUTATIONS}
assert len(BY_NAME) == len(MUTATIONS), "two mutations share a name"
