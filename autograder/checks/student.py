"""Public checks for students: `check("engine.mul")` grades your package on the public cases, here and now.

This file becomes `nnkit_checks/__init__.py` in the student bundle, beside a copy of the kit's probes and
judge and `public_cases.json` (the public inputs with the reference's outputs). The hidden tests that grade
a submission run the same probes on other inputs, in a sandbox, with the reference standing in for the
parts a question depends on; here your own code is used for everything.
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
from .probes import run_probe
from .probes.runner import describe

HERE = Path(__file__).resolve().parent
MODULES = ("engine", "nn", "optim", "train", "cnn")


class CheckResult(SimpleNamespace):
    def __repr__(self) -> str:
        return f"<{self.question}: {self.passed}/{self.total} public cases passed>"


def load_cases() -> tuple[list[SimpleNamespace], SimpleNamespace]:
    """The public cases (the grader's Case fields, and the reference's outputs) and the tolerances."""
    data = json.loads((HERE / "public_cases.json").read_text())
    return [SimpleNamespace(**c) for c in data["cases"]], SimpleNamespace(**data["tolerances"])


def fresh_package(name: str) -> SimpleNamespace:
    """A fresh import of the student's package, so edits made since the last check count.

    It is imported under a private name: reloading `nnlab` itself would give the notebook two `Value` classes
    (the one it imported and the reloaded one), and Values made before a check would no longer mix with
    those made after it.
    """
    folder = str(Path.cwd())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    importlib.invalidate_caches()
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no package {name!r} here: run the notebook in the folder that holds {name}/")
    private = f"_nnkit_checked_{name}"
    for key in [k for k in sys.modules if k == private or k.startswith(private + ".")]:
        del sys.modules[key]
    locations = list(spec.submodule_search_locations)
    fresh = importlib.util.spec_from_file_location(
        private, Path(locations[0]) / "__init__.py", submodule_search_locations=locations
    )
    package = importlib.util.module_from_spec(fresh)
    sys.modules[private] = package
    fresh.loader.exec_module(package)
    modules = {module: importlib.import_module(f"{private}.{module}") for module in MODULES}
    return SimpleNamespace(package=package, **modules)


def check(question: str, package: str = "nnlab", verbose: bool = True) -> CheckResult:
    """Run the public cases of question (e.g. "engine.mul") on your package and print what to fix."""
    cases, tolerances = load_cases()
    mine = [c for c in cases if c.question == question]
    if not mine:
        known = sorted({c.question for c in cases})
        raise ValueError(f"no public cases for {question!r}; the questions are: {', '.join(known)}")
    lines, passed = [], 0
    try:
        pkg = fresh_package(package)
    except Exception as error:  # noqa: BLE001 - a student's broken module is reported, not raised
        pkg, import_error = None, describe(error, str(Path.cwd()))
    for case in mine:
        if pkg is None:
            ok, message = False, f"{import_error['type']}: {import_error['message']} {import_error['where']}"
        else:
            try:
                got = run_probe(case.probe, pkg, case.inputs)
            except Exception as error:  # noqa: BLE001
                info = describe(error, str(Path.cwd()) + os.sep)
                at = f"\n    at {info['where']}" if info["where"] else ""
                if info["type"] == "NotImplementedError":
                    ok, message = False, f"not written yet: {info['message']}{at}"
                else:
                    ok, message = False, f"your code raised {info['type']}: {info['message']}{at}"
            else:
                verdict = judge_case(case, case.expected, got, tolerances, show_expected=True)
                ok, message = verdict.passed, verdict.message
        passed += ok
        lines.append(f"  {'✓' if ok else '✗'} {case.name}" + ("" if ok else "\n    " + message.replace("\n", "\n    ")))
    result = CheckResult(question=question, passed=passed, total=len(mine))
    if verbose:
        verdict = "all passed" if passed == len(mine) else f"{passed}/{len(mine)} passed"
        print(f"{question}: {verdict}\n" + "\n".join(lines))
    return result


def check_all(package: str = "nnlab") -> list[CheckResult]:
    """Every question's public checks, one summary line each."""
    cases, _ = load_cases()
    questions = list(dict.fromkeys(c.question for c in cases))
    results = [check(q, package, verbose=False) for q in questions]
    for r in results:
        print(f"{'✓' if r.passed == r.total else '✗'} {r.question}: {r.passed}/{r.total}")
    return results
