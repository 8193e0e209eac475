"""The public checks of the student bundle: `write_public_checks` lays out the `nnkit_checks` package.

It carries the kit's probes and judge (standalone code), `student.py` as its `__init__`, friendly errors
for notebooks, and the public cases with the reference's outputs, computed here by trusted code.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np

from ..config import Config
from ..grade.assemble import copy_probes
from ..hidden import public_cases
from ..paths import PACKAGE

NAME = "nnkit_checks"


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


def public_cases_json(config: Config) -> dict:
    """The public cases, with the reference's outputs, and the tolerances they are judged with."""
    from ..grade.reference import compute_expected

    cases = public_cases()
    expected = compute_expected(cases)
    return {
        "cases": [{**jsonable(dataclasses.asdict(c)), "expected": e} for c, e in zip(cases, expected)],
        "tolerances": dataclasses.asdict(config.tolerances),
    }


def write_public_checks(dest: Path, config: Config) -> Path:
    """Write dest/nnkit_checks/ and return its path."""
    target = Path(dest) / NAME
    if target.exists():
        shutil.rmtree(target)
    copy_probes({c.probe for c in public_cases()}, target / "probes")
    shutil.copyfile(PACKAGE / "judge" / "compare.py", target / "compare.py")
    shutil.copyfile(PACKAGE / "checks" / "friendly.py", target / "friendly.py")
    shutil.copyfile(PACKAGE / "checks" / "student.py", target / "__init__.py")
    (target / "public_cases.json").write_text(json.dumps(public_cases_json(config), separators=(",", ":")))
    return target
