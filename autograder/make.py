"""`nnkit build` as a whole: from solutions/, the starter, the leak-checked student bundle and the grader bundles.

The command and `nnkit demo` both run it; each line it returns says what was made, or why it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .build import build
from .config import Config


@dataclass
class Made:
    ok: bool
    lines: list[str] = field(default_factory=list)


def make_everything(config: Config, seed: int | None = None) -> Made:
    """starter/, dist/student/ and dist/student.zip if the leak check is clean, then the grader bundles."""
    result = build(config)
    if result.hint_leaks:
        return Made(False, [f"HINT CHECK FAILED: {len(result.hint_leaks)} hint(s) give away code; nothing was built.",
                            *(f"  {leak}" for leak in result.hint_leaks)])
    made = Made(True, [f"starter/: {len(result.starter_files)} modules generated from solutions/",
                       f"student bundle: {result.bundle}"])
    if not result.public_checks:
        made.lines.append("WARNING: autograder.checks.write_public_checks is missing; nnkit_checks/ is a placeholder.")
    if result.leaks:
        made.ok = False
        made.lines.append(f"LEAK CHECK FAILED: {len(result.leaks)} finding(s); the bundle was not zipped.")
        made.lines += [f"  {leak}" for leak in result.leaks]
        return made
    made.lines.append(f"leak check: clean; archive: {result.archive}")
    from .export import build_grader_bundles

    made.lines += [f"grader bundle: {bundle}" for bundle in build_grader_bundles(config, result.archive.parent,
                                                                                  seed=seed)]
    return made
