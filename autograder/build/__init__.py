"""`nnkit build`: solutions/ → starter/ → the student bundle, leak-checked.

1. starter/ is regenerated from solutions/ (`starter.py`: each marked body becomes a stub);
2. dist/student/ is assembled (`student_bundle.py`: the package as nnlab/, notebooks, public checks);
3. the leak check (`leakcheck.py`) looks for solution lines, hidden tests and reference values in it;
4. only a clean bundle is zipped into dist/student.zip.

`nnkit build --check` does step 1 in memory and lists the files of starter/ that differ (for CI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..paths import ASSIGNMENTS, DIST, REPO, SOLUTIONS, STARTER
from . import leakcheck, starter, student_bundle


@dataclass
class BuildResult:
    starter_files: list[str]
    bundle: Path
    archive: Path | None  # None when leaks kept the bundle from being zipped
    public_checks: bool  # False: the public checks were missing and a placeholder stands in
    leaks: list[leakcheck.Leak] = field(default_factory=list)


def check_starter(solutions: Path = SOLUTIONS, starter_dir: Path = STARTER) -> list[str]:
    """What differs between starter/ and what solutions/ generates; empty when up to date."""
    return starter.differences(solutions, starter_dir)


def build(config: Config | None = None, dist: Path = DIST, repo: Path = REPO) -> BuildResult:
    """Regenerate starter/, write dist/student/, leak-check it and zip it if clean."""
    config = config or load_config()
    files = starter.write(SOLUTIONS, STARTER)
    bundle = dist / "student"
    public_checks = student_bundle.build_bundle(bundle, STARTER, ASSIGNMENTS, config)
    leaks = leakcheck.check(bundle, repo)
    archive = dist / "student.zip"
    if leaks:
        archive.unlink(missing_ok=True)
        return BuildResult(sorted(files), bundle, None, public_checks, leaks)
    return BuildResult(sorted(files), bundle, student_bundle.zip_bundle(bundle, archive), public_checks)
