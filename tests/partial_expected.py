"""The reference's outputs for some modules' cases only, written where grading looks for them.

A test class whose submissions hold only those modules never has another case judged, so the other cases
get an empty dict: no CNN is trained and no MLP either unless asked, which saves a minute per test.
"""

from __future__ import annotations

from pathlib import Path

from autograder.atomic import write_json_atomic
from autograder.grade.reference import compute_expected, kit_fingerprint
from autograder.hidden import suite


def cache_expected(out: Path, seed: int, modules: tuple[str, ...]) -> None:
    """OUT/.cache's outputs of the reference for seed: these modules' cases computed, {} for the rest."""
    cases = suite(seed)
    wanted = iter(compute_expected([c for c in cases if c.question.split(".")[0] in modules]))
    expected = [next(wanted) if c.question.split(".")[0] in modules else {} for c in cases]
    write_json_atomic(Path(out) / ".cache" / f"expected-{seed}-{kit_fingerprint()}.json", expected)
