"""The code that runs cases outside the grader, and the folders that carry it: the student's checks and otter's.

`write_case_support` lays out such a folder: a copy of the contract, the probes, the judge (comparison,
measurement, messages), the import check and `local.py` (all standalone code), a front end as its
`__init__.py`, `cases/<question id>.json` (each case with the reference's outputs, computed here by
trusted code) and `settings.json` (tolerances, forbidden imports; for the student's checks, each question's
nudges, the level-2 hints). `write_public_checks` makes the student bundle's `nnkit_checks/` of it,
with the public cases and `friendly.py`; the otter bundle's `nnkit_otter/` is made of it too.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np

from ..build.hints import hints_for
from ..config import Config
from ..contract import QUESTION_IDS
from ..grade.assemble import copy_probes
from ..hidden import public_cases
from ..hidden.case import Case
from ..paths import PACKAGE

NAME = "nnkit_checks"
CASES = "cases"
# Standalone modules of the kit, by their name in the folder.
STANDALONE = {"contract.py": "contract.py", "compare.py": "judge/compare.py", "measure.py": "judge/measure.py",
              "messages.py": "judge/messages.py", "imports.py": "grade/imports.py", "local.py": "checks/local.py"}


def jsonable(value):
    if isinstance(value, np.ndarray) and value.dtype == np.float32:
        # Through the shortest text that reads back as the same float32: a third of float64's digits.
        return value.astype(str).astype(np.float64).tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def write_case_support(target: Path, front_end: str, cases: list[Case], expected: list[dict], config: Config,
                       **settings) -> Path:
    """target/ with the standalone code, front_end (a path in the kit) as __init__.py, the cases and settings."""
    if target.exists():
        shutil.rmtree(target)
    copy_probes({c.probe for c in cases}, target / "probes")
    for name, source in STANDALONE.items():
        shutil.copyfile(PACKAGE / source, target / name)
    shutil.copyfile(PACKAGE / front_end, target / "__init__.py")
    (target / CASES).mkdir()
    for qid in QUESTION_IDS:
        mine = [{**jsonable(dataclasses.asdict(c)), "expected": e}
                for c, e in zip(cases, expected) if c.question == qid]
        (target / CASES / f"{qid}.json").write_text(json.dumps(mine, separators=(",", ":")))
    settings = {**settings, "tolerances": dataclasses.asdict(config.tolerances),
                "forbidden": {"modules": list(config.imports.autodiff_free_modules),
                              "libraries": list(config.imports.forbidden)}}
    (target / "settings.json").write_text(json.dumps(settings, indent=1))
    return target


def write_public_checks(dest: Path, config: Config) -> Path:
    """Write dest/nnkit_checks/ (the public cases, with the reference's outputs) and return its path."""
    from ..grade.reference import compute_expected

    cases = public_cases()
    nudges = {qid: list(hints_for(qid, "nudge")) for qid in QUESTION_IDS}
    target = write_case_support(Path(dest) / NAME, "checks/student.py", cases, compute_expected(cases), config,
                                nudges=nudges)
    shutil.copyfile(PACKAGE / "checks" / "friendly.py", target / "friendly.py")
    return target
