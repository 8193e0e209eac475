"""What each misconception's code gives on its question's cases: computed by trusted code, once per seed.

Like the reference's outputs (reference.py), in the grader's own process: the entry's edits are made to
a copy of the reference, imported under a private name, and every case of the entry's question is run on it
and measured as a student's report would be (but for the cases judged against a bar: see compute_outcomes).
An error counts as an outcome too (a recursive sort's
RecursionError is what that misconception gives on a deep graph). Computed per question, the first time a
submission fails it in a way an entry could explain, and kept in the run's cache and the user's, keyed by
the seed, the question and a hash of the kit and the catalogue.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from .. import misconceptions
from ..contract import MODULES, PROVIDED_MODULES
from ..hidden.case import Case
from ..judge import MeasureError, measured
from ..misconceptions import Misconception, catalogue
from ..paths import SOLUTIONS
from ..probes import run_case
from .reference import cached_json, children_gc, kit_fingerprint, reference_package

Outcomes = dict[str, dict[str, dict]]  # entry id -> case index (as text) -> {"ok": True, "output": ...} or error


def catalogue_fingerprint() -> str:
    """A hash of the kit's and the catalogue's sources: what decides the entries' outputs."""
    digest = hashlib.sha256(kit_fingerprint().encode())
    for path in (Path(misconceptions.__file__), Path(__file__)):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def entry_package(entry: Misconception) -> Iterator[SimpleNamespace]:
    """The reference with the entry's edits made, imported under a private name for the time of the block."""
    name = f"_nnkit_misconception_{entry.id}"
    with tempfile.TemporaryDirectory(prefix="nnkit-misconception-") as scratch:
        folder = Path(scratch) / name
        folder.mkdir()
        shutil.copyfile(SOLUTIONS / "__init__.py", folder / "__init__.py")
        for module in (*MODULES, *PROVIDED_MODULES):
            (folder / f"{module}.py").write_text(entry.source(module))
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        try:
            spec.loader.exec_module(package)
            yield SimpleNamespace(**{m: importlib.import_module(f"{name}.{m}") for m in MODULES})
        finally:
            for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
                del sys.modules[key]


def outcome(case: Case, pkg: SimpleNamespace) -> dict:
    """One case run on an entry's code, measured as the grader measures a student's report."""
    report = run_case(pkg, case.probe, case.inputs, "")
    if not report["ok"]:
        return {"ok": False, "error": report["error"]["type"]}
    try:
        return {"ok": True, "output": measured(case, reference_package(), report["output"])}
    except MeasureError:
        return {"ok": False, "error": "Unusable"}


def compute_outcomes(cases: list[Case], question: str) -> Outcomes:
    """The outcome of every entry of question on each of its cases but the measured ones: an accuracy judged
    against a bar tells no wrong answer from another (judge/diagnose.py), and its training is the costliest."""
    found: Outcomes = {}
    mine = [(i, c) for i, c in enumerate(cases) if c.question == question and not c.measure]
    with children_gc():
        for entry in catalogue():
            if entry.question == question:
                with entry_package(entry) as pkg:
                    found[entry.id] = {str(i): outcome(c, pkg) for i, c in mine}
    return found


def misconception_outcomes(cases: list[Case], seed: int, cache_dir: Path | None, question: str, *,
                           shared: bool = True) -> Outcomes:
    """compute_outcomes, cached as misconceptions-<seed>-<fingerprint>-<question>.json when a folder is given."""
    if cache_dir is None:
        return compute_outcomes(cases, question)
    return cached_json(f"misconceptions-{seed}-{catalogue_fingerprint()}-{question}.json", Path(cache_dir), shared,
                       lambda: compute_outcomes(cases, question))
