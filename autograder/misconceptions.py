"""Named misconceptions: the catalogue of mistakes students make, each an edit to the reference and its explanation.

The feedback names an entry where a submission's numbers are exactly the ones its code gives: the grader
computes those numbers once per seed (grade/misconception_outcomes.py) and the judge matches them
(judge/diagnose.py).

An entry's `edits` turn the reference (solutions/) into code that makes the mistake and nothing else; every
`old` text must occur exactly once in its module, so the catalogue fails loudly when solutions/ changes (a
test applies them all). `title` names the mistake in a few words; `explanation`, written for the student who
made it, says why it is wrong and where to look, without the reference's code (a test holds it to the hint
rule of build/hintcheck.py). An entry is named only where a submission's numbers are exactly the ones its
code gives (judge/diagnose.py), so it must make a mistake that shows in its question's outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .build.markers import find_blocks
from .paths import SOLUTIONS
from .similarity import tutorial_cells


@dataclass(frozen=True)
class Misconception:
    id: str
    question: str
    title: str
    explanation: str
    edits: tuple[tuple[str, str, str], ...]  # (module, old text, new text)
    raises: str = ""  # the error the mistake gives on some case (its type's name), if it gives one

    def source(self, module: str) -> str:
        """The text of solutions/<module>.py with this entry's edits made."""
        text = (SOLUTIONS / f"{module}.py").read_text()
        for where, old, new in self.edits:
            if where == module:
                text = edit_code(text, old, new, f"misconception {self.id}, solutions/{module}.py")
        return text

    @property
    def modules(self) -> set[str]:
        return {module for module, _, _ in self.edits}

    @property
    def sentence(self) -> str:
        """What a failed case's message adds when this entry is named."""
        return f"What your code gives here is exactly what {self.title} gives. {self.explanation}"


def edit_code(source: str, old: str, new: str, what: str) -> str:
    """source with old replaced by new in its code: old must occur exactly once outside the hints (which may
    quote the code, a walkthrough most of all); ValueError otherwise."""
    lines = source.splitlines(keepends=True)
    hints = {n - 1 for block in find_blocks(source) for n in block.header}
    masked = "".join(f"\0{n}\0\n" if n in hints else line for n, line in enumerate(lines))
    count = masked.count(old)
    if count != 1:
        raise ValueError(f"{what}: {old!r} occurs {count} times in the code, not once")
    masked = masked.replace(old, new)
    return "".join(lines[int(line[1:-2])] if line.startswith("\0") else line
                   for line in masked.splitlines(keepends=True))


def reference_body(module: str, qualname: str) -> str:
    """The code of the reference's solution block inside qualname (e.g. "Value.backward"), hints aside."""
    source = (SOLUTIONS / f"{module}.py").read_text()
    lines = source.splitlines(keepends=True)
    block = next(b for b in find_blocks(source) if b.qualname == qualname)
    return "".join(lines[number - 1] for number in block.body)


def entry(id: str, question: str, title: str, explanation: str, module: str, old: str, new: str,
          raises: str = "") -> Misconception:
    return Misconception(id, question, title, " ".join(explanation.split()), ((module, old, new),), raises)


def tutorial_backward() -> str:
    """The tutorial's own backward() body (tutorial_code.md): right on every small graph, a RecursionError on a
    deep one."""
    cell = next(cell for cell in tutorial_cells() if "def build_topo(v):" in cell)
    return cell[cell.index("        topo = []"):]


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

ACCUMULATE = """A Value used twice (as in `a + a`, or a weight that several neurons share) receives a gradient from each
use, and the chain rule adds them up. Setting `.grad` keeps only the last contribution; add each one to what is
already there."""


@cache
def catalogue() -> tuple[Misconception, ...]:
    """Every entry, in the order of the questions."""
    stack_topo = reference_body("engine", "Value.backward")
    return (
        # engine: each _backward alone
        entry("add_assigns_instead_of_adding", "engine.add", "`=` instead of `+=` in `+`'s backward",
              ACCUMULATE, "engine",
              "            self.grad += out.grad\n            other.grad += out.grad",
              "            self.grad = out.grad\n            other.grad = out.grad"),
        entry("mul_assigns_instead_of_adding", "engine.mul", "`=` instead of `+=` in `*`'s backward",
              ACCUMULATE, "engine", "self.grad += other.data * out.grad", "self.grad = other.data * out.grad"),
        entry("mul_uses_the_wrong_operand", "engine.mul", "a factor's own value as its local derivative",
              """For a product a·b, the derivative with respect to b is a, the other factor, not b itself. Check
              which operand's value multiplies the output's gradient for each of the two inputs.""",
              "engine", "other.grad += self.data * out.grad", "other.grad += other.data * out.grad"),
        entry("pow_forgets_the_exponent", "engine.pow", "the power rule without its factor n",
              """The power rule says d(aⁿ)/da = n·aⁿ⁻¹: the exponent comes down as a factor. Lowering the power by
              one is only half of it.""",
              "engine", "self.grad += other * self.data ** (other - 1) * out.grad",
              "self.grad += self.data ** (other - 1) * out.grad"),
        entry("relu_passes_gradient_at_zero_output", "engine.relu", "a ReLU that passes the gradient where it "
              "outputs 0", """ReLU is flat wherever its output is 0, including at an input of exactly 0 and below:
              there the local slope is 0, so no gradient passes. Only a strictly positive output has slope 1.""",
              "engine", "(out.data > 0) * out.grad", "(out.data >= 0) * out.grad"),
        entry("relu_gradient_wrong_sign", "engine.relu", "a ReLU gradient with the wrong sign",
              """ReLU's slope is +1 where it is active: the input's gradient grows by the output's gradient there.
              Subtracting it turns every gradient that flows through a ReLU around.""",
              "engine", "self.grad += (out.data > 0) * out.grad", "self.grad -= (out.data > 0) * out.grad"),
        entry("tanh_uses_the_input", "engine.tanh", "1 − x² instead of 1 − tanh(x)²",
              """The derivative of tanh is 1 − tanh(x)², written with tanh's output, not with its input x. The
              output is already computed: use it.""",
              "engine", "self.grad += (1 - t**2) * out.grad", "self.grad += (1 - self.data**2) * out.grad"),
        entry("exp_uses_the_input", "engine.exp", "x instead of eˣ as exp's derivative",
              """The derivative of eˣ is eˣ itself, the output of the operation, not its input x.""",
              "engine", "self.grad += out.data * out.grad", "self.grad += self.data * out.grad"),
        # engine: backward()
        entry("backward_without_topological_order", "engine.backward", "the `_backward`s run inputs first",
              """A node may pass its gradient on only once every node that uses it has added to it. Ordered so
              that each node comes after its inputs, the list must be walked from the end (the output) back to
              the start.""",
              "engine", "        for node in reversed(topo):", "        for node in topo:"),
        entry("backward_breadth_first", "engine.backward", "breadth-first order instead of a topological one",
              """Visiting nodes level by level from the output is not enough: where two paths meet again (a
              diamond), a node can run its `_backward` before all of its users have given it their gradient.
              Order the nodes so that every node comes after all of its inputs (a depth-first walk that adds a
              node once its inputs are in), then go through that order backwards.""",
              "engine", stack_topo, BREADTH_FIRST),
        entry("backward_only_calls_its_own_closure", "engine.backward", "only the output's own `_backward` runs",
              """Calling the output's `_backward` moves the gradient one step, to its direct inputs. Every node
              of the graph has its own `_backward`, and each must run, in reverse topological order.""",
              "engine", "        for node in reversed(topo):\n            node._backward()",
              "        self._backward()"),
        entry("backward_without_seed", "engine.backward", "no seed gradient of 1 at the output",
              """Backpropagation starts from d(out)/d(out) = 1: the output's own gradient must be set to 1 before
              the first `_backward` runs, or every gradient is multiplied by 0.""",
              "engine", "        self.grad = 1\n        for node", "        for node"),
        entry("backward_recursive_like_the_tutorial", "engine.backward", "a recursive topological sort",
              """A recursive walk is correct, but Python allows about a thousand nested calls: a graph thousands
              of nodes deep (a long sum, a training step) raises RecursionError. Walk the graph with a list used
              as an explicit stack instead of the call stack.""",
              "engine", stack_topo, tutorial_backward(), raises="RecursionError"),
        # nn
        entry("neuron_tanh_applies_relu", "nn.neuron", "ReLU where the neuron asks for tanh",
              """A neuron's activation is the one it was built with: a 'Tanh' neuron squashes with tanh, a
              'ReLU' one with ReLU, a 'Linear' one leaves the sum as it is.""",
              "nn", "            out = out.tanh()", "            out = out.relu()"),
        entry("neuron_without_bias", "nn.neuron", "a neuron without its bias",
              """A neuron computes w·x + b: the weighted sum of its inputs plus its bias. Without b every neuron's
              line passes through the origin, and the bias never gets a gradient.""",
              "nn", "sum((wi * xi for wi, xi in zip(self.w, x)), self.b)", "sum(wi * xi for wi, xi in zip(self.w, x))"),
        entry("layer_always_returns_a_list", "nn.layer", "a one-neuron layer that returns a list",
              """A layer of one neuron returns that neuron's Value itself, not a list of one: the network's last
              layer then gives a number the loss can use directly.""",
              "nn", "return out[0] if len(out) == 1 else out", "return out"),
        entry("mlp_parameters_in_reverse", "nn.mlp", "parameters listed from the last layer to the first",
              """The network's parameters come layer by layer from the input side, each layer's neuron by neuron:
              the order matters to anyone who saves, loads or compares them.""",
              "nn", "return [p for layer in self.layers for p in layer.parameters()]",
              "return [p for layer in reversed(self.layers) for p in layer.parameters()]"),
        # train
        entry("loss_without_l2", "train.compute_loss", "no L2 regularization term",
              """The loss is the mean hinge loss plus α times the sum of the squares of all parameters: the second
              term keeps the weights small, and it has gradients of its own (2α·p).""",
              "train", "reg_loss = alpha * sum(p * p for p in model.parameters())", "reg_loss = 0.0"),
        entry("loss_without_margin", "train.compute_loss", "a hinge without its margin of 1",
              """The max-margin loss is max(0, 1 − y·score): a point costs nothing only once it is on the right
              side by a margin of at least 1. Without the 1, any point barely on the right side is "good
              enough".""",
              "train", "(1 + -float(yi) * score).relu()", "(-float(yi) * score).relu()"),
        entry("train_without_zero_grad", "train.train", "gradients never set back to zero",
              """`backward()` adds to `.grad`. Unless every parameter's gradient is set back to 0 before each step's
              backward pass, each step follows the sum of all the gradients so far.""",
              "train", "    model.zero_grad()\n    loss, _, accuracy", "    loss, _, accuracy"),
        entry("train_schedule_off_by_one", "train.train", "a learning-rate schedule one step late",
              """The schedule in the docstring of `train` counts steps from one: the learning rate already drops at
              the very first step. Check how your loop's counter, which starts at 0, enters the formula.""",
              "train", "lr = learning_rate - 0.9 * (k + 1) / n_iter", "lr = learning_rate - 0.9 * k / n_iter"),
        # optim
        entry("gradient_not_standardized", "optim.estimate_gradient", "rewards centred but not standardized",
              """The estimator standardizes the rewards: subtract their mean and divide by their standard
              deviation, so the step's size does not depend on the landscape's scale.""",
              "optim", "R = (R - R.mean()) / R.std()", "R = R - R.mean()"),
        entry("ascent_without_the_start", "optim.ascend", "a path without its starting point",
              """The path is every point visited, the start included: n_iter steps give n_iter + 1 points.""",
              "optim", "return np.array(path)", "return np.array(path[1:])"),
        entry("descent_records_after_the_step", "optim.gradient_descent", "each step recorded after moving",
              """Each record describes the point where the step starts: its x, f(x) and the gradient there. Record
              it before moving x.""",
              "optim", "steps.append((xv.data, y.data, xv.grad))",
              "steps.append((xv.data - alpha * xv.grad, y.data, xv.grad))"),
        # cnn
        entry("net_returns_logits", "cnn.net", "raw scores instead of log-probabilities",
              """The network ends with a log-softmax over the ten classes: the negative log-likelihood loss
              expects log-probabilities, and raw scores (logits) make it a different loss.""",
              "cnn", "return F.log_softmax(x, dim=1)", "return x"),
        entry("cnn_train_without_scheduler", "cnn.train", "a learning-rate schedule that never steps",
              """The scheduler lowers the learning rate only when it is told a step has passed: without that call
              after each optimizer step, training runs at the first learning rate throughout.""",
              "cnn", "            scheduler.step()\n", ""),
        entry("cnn_test_divides_by_batches", "cnn.test", "averages over batches instead of examples",
              """The test loss is summed over every example and the accuracy counts correct examples; both are
              divided by the number of examples in the test set, not by the number of batches.""",
              "cnn", "n = len(test_loader.dataset)", "n = len(test_loader)"),
        entry("cnn_test_with_gradients", "cnn.test", "testing with gradient tracking on",
              """Testing only reads the network: turn gradient tracking off around it, so no graph is built and the
              outputs carry no gradient history.""",
              "cnn", "with torch.no_grad():", "with torch.enable_grad():"),
    )


def by_id(misconception_id: str | None) -> Misconception | None:
    """The entry of that id; None for an unknown id or none."""
    return next((m for m in catalogue() if m.id == misconception_id), None) if misconception_id else None
