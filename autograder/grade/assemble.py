"""Assembling the package a question is graded on: the student's module, the reference for the rest.

For question q of module m the work folder holds `submission/` with the student's m.py (and nothing else
of the submission: the contract's modules are the whole package), the reference's modules that m depends
on, and, where q calls a sibling function, the reference's m.py without q's own definitions as
`_reference_m.py`; beside it `nnkit_probes/` with just the probe modules q's cases use. Nothing of the
reference that answers q itself is ever in the folder.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..build.markers import BEGIN
from ..contract import IMPORTS, module_of, question
from ..paths import PACKAGE, SOLUTIONS
from ..probes import modules_for
from .submission import Submission

PACKAGE_NAME = "submission"
PROBES_NAME = "nnkit_probes"


def without_definitions_of(source: str, qid: str) -> str:
    """source less every top-level def or class that holds a solution block of qid."""
    lines = source.splitlines(keepends=True)
    marked = {i + 1 for i, line in enumerate(lines) if (m := BEGIN.match(line)) and m.group("qid") == qid}
    drop = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            span = range(start, node.end_lineno + 1)
            if marked & set(span):
                drop.update(span)
    return "".join(line for number, line in enumerate(lines, 1) if number not in drop)


def copy_probes(probe_names, target: Path) -> None:
    """The probe modules that probe_names need (and nothing else of the kit's) into target."""
    target.mkdir(parents=True)
    for module in sorted(modules_for(probe_names)):
        shutil.copyfile(PACKAGE / "probes" / f"{module}.py", target / f"{module}.py")


@dataclass(frozen=True)
class Assembled:
    """A question's work folder, and what the child does there: block the imports named, import modules into
    the package, in order, then put the reference's stand_ins (names of the question's module) into the
    student's module."""

    workdir: Path
    modules: tuple[str, ...]
    stand_ins: tuple[str, tuple[str, ...]] | None
    blocked_imports: tuple[str, ...] = ()


def assemble(submission: Submission, qid: str, workdir: Path, probe_names, blocked_imports=()) -> Assembled:
    """Lay out workdir for qid and its cases' probes."""
    module = module_of(qid)
    package = workdir / PACKAGE_NAME
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""The package under test, assembled by the grader."""\n')

    if submission.has(module):
        shutil.copyfile(submission.module_path(module), package / f"{module}.py")
    for dependency in IMPORTS[module]:
        shutil.copyfile(SOLUTIONS / f"{dependency}.py", package / f"{dependency}.py")
    modules = (*IMPORTS[module], module)
    stand_ins = question(qid).stand_ins
    if stand_ins:
        reference = without_definitions_of((SOLUTIONS / f"{module}.py").read_text(), qid)
        (package / f"_reference_{module}.py").write_text(reference)
        modules += (f"_reference_{module}",)

    copy_probes(probe_names, workdir / PROBES_NAME)
    return Assembled(workdir, modules, (module, stand_ins) if stand_ins else None, tuple(blocked_imports))
