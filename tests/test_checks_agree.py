"""The student's public checks agree with the grader: each catalogued bug fails exactly the questions it costs.

Every buggy submission of tests/mutations.py is checked with the student bundle's own `nnkit_checks` (built
here, as `nnkit build` does) in one fresh interpreter, the way a notebook would run them: the questions its
edits can reach; the others check as the reference's do, since a check imports nothing else. A question the
bug costs must fail its check; any other question must pass, or say that it uses a question the bug costs
and name it (the checks use the student's own code for everything, the grader the reference).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from mutations import MUTATIONS, Mutation
from once import once

from autograder.checks import write_public_checks
from autograder.config import load_config
from autograder.contract import IMPORTS, QUESTION_IDS, module_of, prerequisites
from autograder.paths import SOLUTIONS, STARTER

# Each argument is a package folder and the questions to check in it, joined by a comma.
RUN_ALL = """
import json, sys
from pathlib import Path
from nnkit_checks import nudges
from nnkit_checks.local import Checker
found = {}
for i, argument in enumerate(sys.argv[1:]):
    folder, *questions = argument.split(",")
    checker = Checker(Path(folder), f"_nnkit_agree_{i}")
    found[Path(folder).name] = {q: {"passed": (o := checker.outcome(q)).passed, "total": len(o.cases),
                                    "blocked_by": list(o.blocked_by), "messages": [c.message for c in o.cases],
                                    "nudges": nudges(o)}
                                for q in questions}
print(json.dumps(found))
"""


def affected(mutation: Mutation) -> list[str]:
    """The questions whose checks can differ from the reference's: those of a changed module or of a module that
    imports one (a check imports only its question's module and what that imports)."""
    changed = set(mutation.edits) | set(mutation.delete) | set(mutation.append)
    return [q for q in QUESTION_IDS if {module_of(q), *IMPORTS[module_of(q)]} & changed]


@pytest.fixture(scope="module")
def checked(session_folder) -> dict[str, dict[str, dict]]:
    """{submission: {question id: its check's outcome}} for the reference, the starter and every mutation; computed
    once per session, under a file lock, in the folder pytest-xdist's workers share (see conftest.py)."""
    folder = once(session_folder / "checks-agree",
                  lambda root: (root / "checked.json").write_text(json.dumps(check_everything(root))))
    return json.loads((folder / "checked.json").read_text())


def check_everything(root) -> dict[str, dict[str, dict]]:
    write_public_checks(root, load_config())
    arguments = [",".join([str(m.write(root / "subs")), *affected(m)]) for m in MUTATIONS]
    for name, source in (("reference", SOLUTIONS), ("starter", STARTER)):
        folder = shutil.copytree(source, root / "subs" / name, ignore=shutil.ignore_patterns("__pycache__"))
        arguments.append(",".join([str(folder), *QUESTION_IDS]))
    # Two interpreters, one per core, each checking every other package.
    runs = [subprocess.Popen([sys.executable, "-c", RUN_ALL, *arguments[k::2]], cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for k in range(2)]
    found = {}
    for run in runs:
        out, err = run.communicate(timeout=1200)
        assert run.returncode == 0, err[-3000:]
        found |= json.loads(out.splitlines()[-1])
    # A question no edit can reach checks as the reference's does.
    return {name: {q: outcomes.get(q, found["reference"][q]) for q in QUESTION_IDS} for name, outcomes in found.items()}


def test_the_reference_passes_every_check_and_the_starter_none(checked):
    for qid in QUESTION_IDS:
        reference, starter = checked["reference"][qid], checked["starter"][qid]
        assert reference["passed"] == reference["total"] > 0, (qid, reference["messages"])
        assert starter["passed"] == 0, (qid, starter)
        assert reference["nudges"] == starter["nudges"] == []  # nothing to nudge: all right, or not written yet


@pytest.mark.slow
def test_a_check_failed_by_written_code_adds_the_questions_nudge(checked):
    """Level 2 of the hints: after a case the student's own code got wrong, where to look."""
    for mutation in MUTATIONS:
        for qid in mutation.costs:
            outcome = checked[mutation.name][qid]
            if outcome["blocked_by"] or not outcome["passed"] < outcome["total"]:
                continue
            wrong_numbers = any(m.startswith("Checked ") and "\n- " in m for m in outcome["messages"])
            assert bool(outcome["nudges"]) == wrong_numbers, (mutation.name, qid, outcome)
            assert all(n.startswith("  Where to look: `") for n in outcome["nudges"])


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_the_checks_fail_exactly_the_questions_the_grader_costs(checked, mutation: Mutation):
    for qid, outcome in checked[mutation.name].items():
        failing = outcome["passed"] < outcome["total"]
        if qid in mutation.costs and not set(prerequisites(qid)) & mutation.costs:
            assert failing and not outcome["blocked_by"], f"{mutation.name}: {qid} should fail on its own: {outcome}"
        elif qid in mutation.costs:
            assert failing, f"{mutation.name}: {qid} should fail: {outcome}"
        elif failing:
            # Not the bug's question: it may only fail for a question it uses, which its message names.
            assert outcome["blocked_by"] and set(outcome["blocked_by"]) <= mutation.costs, (mutation.name, qid, outcome)
            named = f"{qid} uses your {outcome['blocked_by'][0]}"
            assert any(message.startswith(named) for message in outcome["messages"]), outcome["messages"]


def test_a_failing_dependency_is_named_instead_of_misleading_numbers(checked):
    outcome = checked["mul_assigns_instead_of_adding"]["train.compute_loss"]
    assert outcome["blocked_by"] == ["engine.mul"]
    assert outcome["messages"][0] == ("train.compute_loss uses your engine.mul, whose own check fails: "
                                      "fix engine.mul first, then check train.compute_loss again.")


def test_a_syntax_error_in_one_module_costs_only_its_questions(checked):
    outcome = checked["syntax_error_in_nn"]
    assert all(outcome[q]["passed"] == outcome[q]["total"] for q in QUESTION_IDS if q.split(".")[0] in
               ("engine", "optim", "cnn"))
    assert "SyntaxError" in outcome["nn.neuron"]["messages"][0]


def test_an_engine_check_loads_no_torch_and_ignores_a_broken_cnn(tmp_path):
    write_public_checks(tmp_path, load_config())
    package = shutil.copytree(SOLUTIONS, tmp_path / "nnlab", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "cnn.py").write_text("def broken(:\n")
    script = ("import sys\nfrom nnkit_checks import check\nr = check('engine.add', verbose=False)\n"
              "print(r.passed, r.total, 'torch' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    passed, total, torch_loaded = run.stdout.split()
    assert passed == total and int(total) > 0 and torch_loaded == "False", run.stdout + run.stderr
