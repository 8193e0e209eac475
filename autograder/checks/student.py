"""Public checks for students: `check("engine.mul")` runs the public cases of a question on your package, now.

This file becomes `nnkit_checks/__init__.py` in the student bundle; `local.py` beside it runs the cases (see
there). The hidden tests that grade a submission run the same probes on other inputs, in a sandbox, with
the course's reference standing in for what a question uses; here your own code is used for everything,
so when a case fails because a question it uses fails, the check says which one to fix first. When the
student's own code got a case's numbers wrong, the check adds the question's nudge (a level-2 hint).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .contract import PACKAGE, QUESTION_IDS
from .local import Checker, QuestionOutcome, load_cases, settings


@dataclass
class CheckResult:
    question: str
    passed: int
    total: int
    blocked_by: tuple[str, ...] = ()
    messages: list[str] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:
        return f"<{self.question}: {self.passed}/{self.total} public cases passed>"


def package_folder(name: str) -> Path:
    """The folder of the package name, as `import name` would find it from the working folder."""
    folder = str(Path.cwd())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    importlib.invalidate_caches()
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no package {name!r} here: run the notebook in the folder that holds {name}/")
    return Path(list(spec.submodule_search_locations)[0])


def checker(package: str) -> Checker:
    """A fresh round of checks: the package imported again, so edits made since the last check count."""
    return Checker(package_folder(package), f"_nnkit_checked_{package}")


def nudges(outcome: QuestionOutcome) -> list[str]:
    """The question's level-2 hints, once its own code ran and got a case's numbers wrong (not for a stub not yet
    written or an error, which the message explains, nor when a question it uses fails)."""
    if not outcome.failed or not any(c.wrong for c in outcome.cases):
        return []
    return [f"  Where to look: {text}" for text in settings().get("nudges", {}).get(outcome.question, [])]


def result_of(outcome: QuestionOutcome) -> CheckResult:
    lines = [f"  ✓ {c.name}" if c.passed else f"  ✗ {c.name}\n    " + c.message.replace("\n", "\n    ")
             for c in outcome.cases]
    return CheckResult(outcome.question, outcome.passed, len(outcome.cases), outcome.blocked_by,
                       lines + nudges(outcome))


def summary(result: CheckResult) -> str:
    if result.passed == result.total:
        return "all passed"
    if result.blocked_by:
        return f"{result.passed}/{result.total} passed; fix {', '.join(result.blocked_by)} first"
    return f"{result.passed}/{result.total} passed"


def check(question: str, package: str = PACKAGE, verbose: bool = True) -> CheckResult:
    """Run the public cases of question (e.g. "engine.mul") on your package and print what to fix."""
    if not load_cases(question):
        raise ValueError(f"no public cases for {question!r}; the questions are: {', '.join(QUESTION_IDS)}")
    result = result_of(checker(package).outcome(question))
    if verbose:
        print(f"{question}: {summary(result)}\n" + "\n".join(result.messages))
    return result


def check_all(package: str = PACKAGE) -> list[CheckResult]:
    """Every question's public checks, one summary line each."""
    round_ = checker(package)
    results = [result_of(round_.outcome(q)) for q in QUESTION_IDS if load_cases(q)]
    for r in results:
        print(f"{'✓' if r.passed == r.total else '✗'} {r.question}: {summary(r)}")
    return results
