"""Running a bundle's cases on the student's package, in this process: the student's checks and the otter tests.

This file rides in both bundles (`nnkit_checks/local.py`, `nnkit_otter/local.py`) beside copies of the
contract, the probes, the judge, the messages and the import check, and `cases/<question id>.json` (each
case's inputs with the reference's outputs) and `settings.json` (tolerances, forbidden imports). It
imports nothing of the kit's: standard library, numpy, and torch for the CNN's cases.

Like the grader it runs each case with `probes.run_case`, tells failures with `messages` and judges with
`compare.judge_case`. Unlike the grader, the student's own modules serve as every dependency here (the
reference is never shipped), so when a case fails, the questions it uses are checked too: if one of them
fails its own cases, the message names it ("fix engine.mul first") instead of showing numbers that a
correct answer to this question could not have matched. Only the modules a question needs are imported:
an engine question loads no torch, and a syntax error in cnn.py costs only the cnn questions.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from . import messages
from .compare import judge_case
from .contract import IMPORTS, module_of, prerequisites
from .imports import ScanFailed, forbidden_imports
from .measure import MeasureError, measured
from .probes import run_case
from .probes.runner import describe

HERE = Path(__file__).resolve().parent


def settings() -> dict:
    return json.loads((HERE / "settings.json").read_text())


@cache
def load_cases(qid: str) -> list[SimpleNamespace]:
    """cases/<qid>.json: each case's fields (those of the grader's Case) and the reference's outputs; read once
    per process (otter runs each case as a test of its own, and the CNN's files hold megabytes)."""
    path = HERE / "cases" / f"{qid}.json"
    return [SimpleNamespace(**c) for c in json.loads(path.read_text())] if path.exists() else []


@dataclass
class CaseOutcome:
    """own: the case failed on the question's own account (its body not written, its module not importable),
    whatever the questions it uses do."""

    name: str
    passed: bool
    message: str
    own: bool = False
    wrong: bool = False  # the case ran to the end and its numbers are not the reference's


@dataclass
class QuestionOutcome:
    """A question's cases, and the questions it uses that fail their own (when one of its cases failed)."""

    question: str
    cases: list[CaseOutcome] = field(default_factory=list)
    blocked_by: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def failed(self) -> bool:
        """Failed on its own account: a case fails and nothing it uses does."""
        return self.passed < len(self.cases) and not self.blocked_by


class StudentPackage:
    """The student's package in folder, imported under a private name, one module at a time as questions need.

    A private name, so that a fresh import (edits made since count) gives no second `Value` class to a
    notebook that imported the package itself. A module that fails to import is remembered with its error.
    """

    def __init__(self, folder: Path, private: str):
        self.folder, self.private = Path(folder), private
        self.modules: dict[str, object] = {}
        self.errors: dict[str, BaseException] = {}
        for key in [k for k in sys.modules if k == private or k.startswith(private + ".")]:
            del sys.modules[key]
        importlib.invalidate_caches()
        self.error: BaseException | None = None
        try:
            init = self.folder / "__init__.py"
            if not init.is_file():
                raise ModuleNotFoundError(f"no package {self.folder.name}/ (with an __init__.py) "
                                          f"in {self.folder.parent}")
            spec = importlib.util.spec_from_file_location(private, init, submodule_search_locations=[str(self.folder)])
            package = importlib.util.module_from_spec(spec)
            sys.modules[private] = package
            spec.loader.exec_module(package)
        except Exception as error:  # noqa: BLE001 - every question reports it
            self.error = error

    def has(self, module: str) -> bool:
        return (self.folder / f"{module}.py").is_file()

    def load(self, module: str):
        """The student's module, imported once; its import error, raised again, if it has one."""
        if self.error is not None:
            raise self.error
        if module not in self.modules and module not in self.errors:
            try:
                self.modules[module] = importlib.import_module(f"{self.private}.{module}")
            except Exception as error:  # noqa: BLE001 - the questions of this module report it
                self.errors[module] = error
        if module in self.errors:
            raise self.errors[module]
        return self.modules[module]

    def for_question(self, qid: str) -> SimpleNamespace:
        """The namespace a probe takes: the question's module and those it imports, nothing else loaded."""
        module = module_of(qid)
        return SimpleNamespace(**{m: self.load(m) for m in (*IMPORTS[module], module)})


class Checker:
    """One round of checks on a student package: each question's outcome computed once."""

    def __init__(self, folder: Path, private: str):
        self.student = StudentPackage(folder, private)
        self.settings = settings()
        self.tolerances = SimpleNamespace(**self.settings["tolerances"])
        self.outcomes: dict[str, QuestionOutcome] = {}
        self.scans: dict[str, str | None] = {}

    def outcome(self, qid: str) -> QuestionOutcome:
        """Every case of qid; if one fails, the questions it uses that fail their own cases."""
        if qid not in self.outcomes:
            cases = load_cases(qid)
            outcome = QuestionOutcome(qid, [self.run(qid, case) for case in cases])
            if any(not c.passed and not c.own for c in outcome.cases):
                outcome.blocked_by = self.failing_prerequisites(qid)
                outcome.cases = [self.instead(qid, c, outcome.blocked_by) for c in outcome.cases]
            self.outcomes[qid] = outcome
        return self.outcomes[qid]

    def case(self, qid: str, index: int) -> CaseOutcome:
        """Case index of qid alone (an otter test), told as `outcome` would tell it."""
        result = self.run(qid, load_cases(qid)[index])
        return result if result.passed else self.instead(qid, result, self.failing_prerequisites(qid))

    def failing_prerequisites(self, qid: str) -> tuple[str, ...]:
        return tuple(p for p in prerequisites(qid) if self.outcome(p).failed)

    @staticmethod
    def instead(qid: str, case: CaseOutcome, failing: tuple[str, ...]) -> CaseOutcome:
        """A failed case's outcome, naming the failing questions it uses (unless its own body is not written)."""
        if case.passed or not failing or case.own:
            return case
        return CaseOutcome(case.name, False, messages.uses_failing(qid, list(failing)))

    def why_not(self, qid: str) -> str | None:
        """Why qid earns nothing without running: its module is missing, or imports an autodiff library."""
        module = module_of(qid)
        if not self.student.has(module):
            return messages.missing_module(module)
        forbidden = self.settings["forbidden"]
        if module in forbidden["modules"]:
            if module not in self.scans:
                try:
                    found = forbidden_imports(self.student.folder / f"{module}.py", forbidden["libraries"])
                    self.scans[module] = messages.forbidden_imports(found, forbidden["modules"]) if found else None
                except ScanFailed as error:
                    self.scans[module] = f"{error}."
            return self.scans[module]
        return None

    def run(self, qid: str, case) -> CaseOutcome:
        """One case: run its probe on the student's package and judge what comes back."""
        reason = self.why_not(qid)
        if reason:
            return CaseOutcome(case.name, False, messages.checked(case.checked, reason), own=True)
        folder = str(self.student.folder)
        try:
            pkg = self.student.for_question(qid)
        except Exception as error:  # noqa: BLE001 - the import error is the case's message
            report = {"ok": False, "error": describe(error, folder)}
            own = not any(m in self.student.errors for m in IMPORTS[module_of(qid)])
        else:
            report = run_case(pkg, case.probe, case.inputs, folder)
            own = False
        if not report["ok"]:
            error = report["error"]
            text = "".join(messages.raised(case.checked, qid, error["type"], error["message"], error["where"]))
            stub = error["type"] == "NotImplementedError" and messages.is_stub(error["message"])
            return CaseOutcome(case.name, False, text, own or (stub and error["message"].startswith(f"{qid}: ")))
        output = report["output"]
        if case.measure:
            try:
                output = measured(case, pkg, output)
            except MeasureError as error:
                return CaseOutcome(case.name, False, messages.checked(case.checked, f"{error}."))
        verdict = judge_case(case, case.expected, output, self.tolerances, show_expected=case.public)
        return CaseOutcome(case.name, verdict.passed, verdict.message, wrong=not verdict.passed)
