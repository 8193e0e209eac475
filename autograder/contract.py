"""The assignment's contract, stated once: the student package, its modules, and each question's place in them.

Everything else derives from here: the configuration's question ids, the grader's assembly of a question's
package, the stand-ins a question is graded with, the checks' order of dependencies, the bundles' layouts.
Points, tolerances and limits are the configuration's (`assignment.toml`), not the contract's.

This module needs nothing but the standard library: the student bundle and the otter bundle carry a copy.
"""

from __future__ import annotations

from dataclasses import dataclass

PACKAGE = "nnlab"  # the student's package, as the notebooks and the bundles name it

# The modules students write, in the order of the course's imports, and what each imports of the others.
MODULES = ("engine", "nn", "optim", "train", "cnn")
IMPORTS = {"engine": (), "nn": ("engine",), "optim": ("engine",), "train": ("engine", "nn"), "cnn": ()}

# Modules of the package that students do not write; a submission may hold them, and they may import them.
PROVIDED_MODULES = ("viz", "data", "plots")


@dataclass(frozen=True)
class Question:
    """One graded unit.

    uses: the questions whose code this one runs (in a student's checks, their own; when graded, the
    reference's). stand_ins: the names of its own module that the reference provides when it is graded,
    so that a bug in a sibling costs the sibling only.
    """

    id: str
    uses: tuple[str, ...] = ()
    stand_ins: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.id.split(".")[0]


_VALUE_ARITHMETIC = ("engine.add", "engine.mul", "engine.pow", "engine.backward")
_NEURON_OPERATIONS = ("engine.add", "engine.mul", "engine.relu", "engine.tanh", "engine.backward")

QUESTIONS = (
    Question("optim.estimate_gradient"),
    Question("optim.ascend", uses=("optim.estimate_gradient",),
             stand_ins=("estimate_gradient", "reward", "landscape")),
    Question("optim.gradient_descent", uses=_VALUE_ARITHMETIC),
    Question("engine.add"),
    Question("engine.mul"),
    Question("engine.pow"),
    Question("engine.relu"),
    Question("engine.tanh"),
    Question("engine.exp"),
    Question("engine.backward"),
    Question("nn.neuron", uses=_NEURON_OPERATIONS),
    Question("nn.layer", uses=("nn.neuron",), stand_ins=("Neuron",)),
    Question("nn.mlp", uses=("nn.layer",), stand_ins=("Neuron", "Layer")),
    Question("train.compute_loss", uses=("nn.mlp", "engine.pow")),
    Question("train.train", uses=("train.compute_loss",), stand_ins=("compute_loss",)),
    Question("cnn.net"),
    Question("cnn.train", uses=("cnn.net",), stand_ins=("Net",)),
    Question("cnn.test", uses=("cnn.net",), stand_ins=("Net",)),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)
_BY_ID = {q.id: q for q in QUESTIONS}


def question(qid: str) -> Question:
    """The question of an id; a KeyError names the known ids."""
    try:
        return _BY_ID[qid]
    except KeyError:
        raise KeyError(f"no question {qid!r}; the questions are: {', '.join(QUESTION_IDS)}") from None


def module_of(qid: str) -> str:
    return qid.split(".")[0]


def prerequisites(qid: str) -> tuple[str, ...]:
    """Every question that qid uses, directly or through others, in the course's order."""
    found: set[str] = set()
    todo = list(question(qid).uses)
    while todo:
        used = todo.pop()
        if used not in found:
            found.add(used)
            todo.extend(question(used).uses)
    return tuple(q for q in QUESTION_IDS if q in found)
