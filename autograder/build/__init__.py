"""`nnkit build`: solutions/ → starter/ → the student bundle, leak-checked.

0. the hint check (`hintcheck.py`): no stub's hint may carry a fragment of its body's code;
1. starter/ is regenerated from solutions/ (`starter.py`: each marked body becomes a stub);
2. dist/student/ is assembled (`student_bundle.py`: the package as nnlab/, notebooks, public checks);
3. the leak check (`leakcheck.py`) looks for solution lines, hidden tests and reference values in it;
4. only a clean bundle is zipped into dist/student.zip.

`nnkit build --check` does steps 0 and 1 in memory and lists what fails (for CI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..paths import REPO
from . import hintcheck, leakcheck, starter, student_bundle


@dataclass
class BuildResult:
    starter_files: list[str]
    bundle: Path
    archive: Path | None  # None when leaks kept the bundle from being zipped
    public_checks: bool  # False: the public checks were missing and a placeholder stands in
    leaks: list[leakcheck.Leak] = field(default_factory=list)
    hint_leaks: list[hintcheck.HintLeak] = field(default_factory=list)  # non-empty: nothing was built


def check_starter(repo: Path = REPO, config: Config | None = None) -> list[str]:
    """What differs between starter/ and what solutions/ generates; empty when up to date."""
    return starter.differences(repo / "solutions", repo / "starter", config or load_config())


def check_hints(repo: Path = REPO) -> list[hintcheck.HintLeak]:
    """The hints of solutions/ that give away code; empty when every hint says what and why only."""
    return hintcheck.check_hints(repo / "solutions")


def build(config: Config | None = None, repo: Path = REPO, dist: Path | None = None) -> BuildResult:
    """Regenerate repo/starter/, write dist/student/ (dist defaults to repo/dist), leak-check it, zip it if clean."""
    config = config or load_config()
    dist = dist or repo / "dist"
    bundle = dist / "student"
    hint_leaks = check_hints(repo)
    if hint_leaks:
        return BuildResult([], bundle, None, False, hint_leaks=hint_leaks)
    files = starter.write(repo / "solutions", repo / "starter", config)
    public_checks = student_bundle.build_bundle(bundle, repo / "starter", repo / "assignments", config)
    leaks = leakcheck.check(bundle, repo, starter.walkthroughs(config))
    archive = dist / "student.zip"
    if leaks:
        archive.unlink(missing_ok=True)
        return BuildResult(sorted(files), bundle, None, public_checks, leaks)
    return BuildResult(sorted(files), bundle, student_bundle.zip_bundle(bundle, archive), public_checks)
