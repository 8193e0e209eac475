"""Support for the otter-grader test files: run one case's probe on the student's `nnlab`, judge it, raise.

This file becomes `nnkit_otter/__init__.py` in the otter bundle's files/ (otter copies files/ into the
submission folder), beside a copy of the kit's probes, judge (comparison and measurement) and static import
check, and `cases/<qid>.json`: each case's inputs with the reference's outputs, computed when the bundle was
built. It runs inside the
student's notebook kernel, so it imports nothing of the kit's (standard library, numpy, torch only).

Unlike `nnkit grade`, the student's own modules serve as every dependency here (no reference stands in),
and nothing is sandboxed: otter runs the tests in the same process as the student's code.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from .compare import judge_case
from .imports import forbidden_imports
from .measure import MeasureError, measured
from .probes import run_probe
from .probes.runner import describe

HERE = Path(__file__).resolve().parent
MODULES = ("engine", "nn", "optim", "train", "cnn")
PACKAGE = "nnlab"
_loaded: dict[str, object] = {}


def settings() -> dict:
    return json.loads((HERE / "settings.json").read_text())


def load_cases(qid: str) -> list[SimpleNamespace]:
    """cases/<qid>.json: each case's fields (those of the grader's Case) and the reference's outputs."""
    return [SimpleNamespace(**c) for c in json.loads((HERE / "cases" / f"{qid}.json").read_text())]


def package_folder() -> Path:
    """The student's nnlab/ in the working folder (the submission folder, where the notebook wrote it)."""
    return Path.cwd() / PACKAGE


def student_package():
    """The student's package, imported once per process under a private name, with each module that imports.

    A module that fails to import (a syntax error in nn.py) costs the questions that need it, not the others:
    its error is kept and raised by `student_module`.
    """
    if "pkg" in _loaded:
        return _loaded["pkg"]
    folder = package_folder()
    private = f"_nnkit_otter_{PACKAGE}"
    modules, errors = {}, {}
    try:
        if not (folder / "__init__.py").exists():
            raise ModuleNotFoundError(f"no package {PACKAGE}/ (with an __init__.py) in {Path.cwd()}")
        spec = importlib.util.spec_from_file_location(private, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[private] = package
        spec.loader.exec_module(package)
    except Exception as error:  # noqa: BLE001 - every question reports it
        errors = dict.fromkeys(MODULES, error)
    else:
        for module in MODULES:
            if (folder / f"{module}.py").exists():
                try:
                    modules[module] = importlib.import_module(f"{private}.{module}")
                except Exception as error:  # noqa: BLE001 - the questions of this module report it
                    errors[module] = error
    _loaded["pkg"] = SimpleNamespace(**modules)
    _loaded["errors"] = errors
    return _loaded["pkg"]


def student_module_error(module: str) -> Exception | None:
    """The error that importing the student's module raised, if any."""
    student_package()
    return _loaded["errors"].get(module)


def why_not(qid: str, forbidden: dict) -> str | None:
    """Why question qid earns nothing without running: its module is missing, or imports an autodiff library."""
    module = qid.split(".")[0]
    path = package_folder() / f"{module}.py"
    if not path.exists():
        return f"{module}.py is missing from the submission."
    if module in forbidden["modules"]:
        found = forbidden_imports(path, forbidden["libraries"])
        if found:
            allowed = ", ".join(f"{m}.py" for m in forbidden["modules"])
            return (f"{'; '.join(found)}. {allowed} may use only the standard library and numpy: "
                    f"an autodiff library earns nothing here.")
    return None


def run_case(qid: str, index: int) -> None:
    """Run case index of question qid on the student's package; AssertionError with the message if it fails."""
    config = settings()
    case = load_cases(qid)[index]
    failure = why_not(qid, config["forbidden"])
    if failure:
        raise AssertionError(f"Checked {case.checked}: {failure}")
    folder = str(package_folder()) + os.sep
    try:
        module = qid.split(".")[0]
        for needed in (*config["dependencies"].get(module, ()), module):
            error = student_module_error(needed)
            if error is not None:
                raise error
        got = run_probe(case.probe, student_package(), case.inputs)
    except Exception as error:  # noqa: BLE001 - the student's error becomes the case's message
        info = describe(error, folder)
        at = f"\n  at {info['where']}" if info["where"] else ""
        if info["type"] == "NotImplementedError":
            raise AssertionError(f"Not written yet: {info['message']}{at}") from None
        raise AssertionError(f"Checked {case.checked}: your code raised {info['type']}: {info['message']}{at}") \
            from None
    try:
        got = measured(case, student_package(), got)
    except MeasureError as error:
        raise AssertionError(f"Checked {case.checked}: {error}.") from None
    verdict = judge_case(case, case.expected, got, SimpleNamespace(**config["tolerances"]), show_expected=case.public)
    if not verdict.passed:
        raise AssertionError(verdict.message)
