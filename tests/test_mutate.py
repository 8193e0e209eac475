"""`nnkit mutate`: mutants of the marked bodies, graded by the normal grader, counted per question.

A run on two cheap questions with mutants planted here, whose fate is known: a `+=` made `=` that the
accumulation case must kill, and a multiplication by one that no case can tell from the reference (an
equivalent mutant) and that survives until the equivalence file names it.
"""

from __future__ import annotations

import dataclasses

import pytest

from autograder.cli import main
from autograder.config import load_config
from autograder.mutate.operators import Mutant, mutants_of
from autograder.mutate.run import EQUIVALENT, KILLED, SURVIVED, mutate
from autograder.paths import SOLUTIONS

CONFIG = load_config()
ENGINE = (SOLUTIONS / "engine.py").read_text()


def planted(question: str, old: str, new: str) -> Mutant:
    """The mutant that replaces old (once in engine.py) by new, described as the generator would."""
    assert ENGINE.count(old) == 1
    line = ENGINE[: ENGINE.index(old)].count("\n") + 1
    return Mutant(question, "engine", line, "planted", ENGINE.splitlines()[line - 1], new.strip(),
                  ENGINE.replace(old, new))


def test_every_mutant_changes_one_marked_body_and_differs_from_the_reference():
    found = mutants_of("engine", ENGINE)
    assert {m.question for m in found} == {"engine.add", "engine.mul", "engine.pow", "engine.relu", "engine.tanh",
                                            "engine.exp", "engine.backward"}
    assert len({m.source for m in found}) == len(found) and ENGINE not in {m.source for m in found}
    assert len({m.id for m in found}) == len(found)
    operators = {m.operator for m in found}
    assert {"augmented assignment made plain", "arithmetic operator", "statement deleted"} <= operators
    plain = [m for m in found if m.question == "engine.add" and m.operator == "augmented assignment made plain"]
    assert plain and all("self.grad = out.grad" in m.source or "other.grad = out.grad" in m.source for m in plain)


@pytest.mark.slow
def test_a_run_counts_the_mutants_it_plants(tmp_path):
    killed = planted("engine.add", "            self.grad += out.grad\n", "            self.grad = out.grad\n")
    equivalent = planted("engine.mul", "self.grad += other.data * out.grad",
                         "self.grad += other.data * out.grad * 1")
    report = mutate(CONFIG, tmp_path / "run", questions=["engine.add", "engine.mul"], seed=7,
                    mutants=[killed, equivalent], equivalents=tmp_path / "none.toml")
    verdicts = {r.mutant.question: r.verdict for r in report.results}
    assert verdicts == {"engine.add": KILLED, "engine.mul": SURVIVED}
    assert [(t.question, t.tried, t.counts[KILLED], t.counts[SURVIVED]) for t in report.tallies] == [
        ("engine.add", 1, 1, 0), ("engine.mul", 1, 0, 1)]
    assert report.score == 0.5
    assert "engine.add: " in report.results[0].detail  # the case that killed it

    named = tmp_path / "equivalent.toml"
    named.write_text(f'[[equivalent]]\nmutant = {equivalent.id!r}\nreason = "times one changes nothing"\n')
    report = mutate(CONFIG, tmp_path / "run", questions=["engine.add", "engine.mul"], seed=7,
                    mutants=[killed, equivalent], equivalents=named)
    assert [r.verdict for r in report.results] == [KILLED, EQUIVALENT] and report.score == 1.0
    assert (tmp_path / "run" / "mutation.md").read_text().count("score 100.0%") == 1


@pytest.mark.slow
def test_the_command_samples_and_reports(tmp_path, capsys):
    assert main(["mutate", "--out", str(tmp_path / "out"), "--questions", "engine.exp", "--max", "2",
                 "--seed", "3", "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "engine.exp" in printed and "score" in printed
    assert (tmp_path / "out" / "mutation.json").exists()


def test_the_kit_s_own_equivalents_name_real_mutants():
    from autograder.mutate.run import EQUIVALENTS, load_equivalents

    named = load_equivalents(EQUIVALENTS)
    every = {m.id for module in ("engine", "nn", "optim", "train", "cnn")
             for m in mutants_of(module, (SOLUTIONS / f"{module}.py").read_text())}
    assert named and set(named) <= every, sorted(set(named) - every)
    assert all(len(reason) > 15 for reason in named.values())


def test_mutants_are_plain_data():
    mutant = mutants_of("engine", ENGINE)[0]
    assert dataclasses.replace(mutant).id == mutant.id
