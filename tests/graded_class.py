"""One grading run of the reference, the starter and every mutation, shared by the tests that read it.

The run happens once per test session, under a file lock, in a folder shared by pytest-xdist's workers;
the grader's run cache makes each mutation re-run only the questions of the module it changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from once import once

from autograder.config import load_config
from autograder.grade.batch import grade_all
from autograder.grade.grader import grade_submission
from autograder.grade.reference import kit_fingerprint
from autograder.paths import SOLUTIONS, STARTER

SEED = 4242
CONFIG = load_config()


def submissions(folder: Path) -> dict[str, Path]:
    from mutations import MUTATIONS

    found = {}
    for name, source in (("reference", SOLUTIONS), ("starter", STARTER)):
        shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        found[name] = folder / name
    for mutation in MUTATIONS:
        found[mutation.name] = mutation.write(folder)
    return found


def class_fingerprint() -> str:
    """A hash of everything that decides the class's results: the kit, the grader, the starter, the catalogue.

    The shared folder outlives a test session, so a change to any of these must grade the class again."""
    digest = hashlib.sha256(kit_fingerprint().encode())
    repo = Path(__file__).resolve().parent.parent
    files = [*sorted((repo / "autograder").rglob("*.py")), repo / "autograder" / "assignment.toml",
             *sorted((repo / "starter").glob("*.py")), Path(__file__).parent / "mutations.py"]
    for path in files:
        digest.update(str(path.relative_to(repo)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def grade_class(root: Path) -> None:
    subs = submissions(root / "submissions") if not (root / "submissions").exists() else {
        p.name: p for p in (root / "submissions").iterdir()}
    # The reference first, alone: it fills the caches every other submission reads.
    grade_submission(subs.pop("reference"), root / "out", config=CONFIG, seed=SEED, name="reference")
    grade_all(list(subs.values()), root / "out", config=CONFIG, seed=SEED, workers=2, progress=False, report=False)


def graded_class(shared: Path) -> tuple[Path, dict[str, dict]]:
    """(the run's out dir, {submission name: results}), graded once for every worker."""
    out = once(shared / f"graded-class-{class_fingerprint()}", grade_class) / "out"
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    return out, results
