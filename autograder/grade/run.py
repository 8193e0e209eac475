"""`nnkit grade`: a class's submissions into one output folder, with the run's seed recorded there."""

from __future__ import annotations

import functools
import json
import secrets
from pathlib import Path

from .. import __version__
from ..atomic import write_json_atomic
from ..config import Config
from ..contract import MODULES
from ..errors import KitError
from ..hidden import suite
from .reference import expected_outputs

RUN_FILE = "run.json"


class GradingError(KitError):
    """The run cannot start as asked; the message says why."""


def run_seed(out_dir: Path, seed: int | None) -> int:
    """The seed given, else the one recorded by an earlier run into out_dir (for --resume), else a new one."""
    if seed is not None:
        return seed
    recorded = Path(out_dir) / RUN_FILE
    if recorded.exists():
        return int(json.loads(recorded.read_text())["seed"])
    return secrets.randbelow(2**31)


def expand(paths: list[Path]) -> list[Path]:
    """Submissions as given; a folder that is not itself a package stands for each entry in it (an LMS export)."""
    found = []
    for path in map(Path, paths):
        is_package = path.is_dir() and any((path / f"{m}.py").exists() for m in MODULES)
        if path.is_dir() and not is_package and any(path.iterdir()):
            found += sorted(p for p in path.iterdir() if not p.name.startswith("."))
        else:
            found.append(path)
    return found


def grade_run(submissions: list[Path], out_dir: Path, *, config: Config, seed: int | None = None,
              workers: int | None = None, resume: bool = False, shard: tuple[int, int] | None = None,
              require_sandbox: bool = False, **options):
    """Grade submissions into out_dir: results/, grades.csv and the reports; returns the batch summary."""
    from ..sandbox import SandboxUnavailable, default_launcher
    from .batch import grade_all
    from .grader import grade_submission

    out_dir = Path(out_dir)
    if shard and seed is None and not (out_dir / RUN_FILE).exists():
        raise GradingError("--shard needs --seed, so that every shard draws the same hidden cases")
    seed = run_seed(out_dir, seed)
    write_json_atomic(out_dir / RUN_FILE, {"seed": seed, "kit_version": __version__, "config": config.source})
    # The reference's outputs once, before the workers start: each of them then reads the cache. A seed seen
    # before, by any run of this user, finds them in the shared cache.
    expected_outputs(suite(seed), seed, out_dir / ".cache", shared=True)
    try:
        default_launcher(config.limits, require_sandbox)  # says once, before any grading, how code will run
    except SandboxUnavailable as e:
        raise GradingError(f"--require-sandbox: {e}") from None
    grade_fn = functools.partial(grade_submission, launcher_name="bwrap" if require_sandbox else "auto")
    return grade_all(expand(submissions), out_dir, config=config, seed=seed, workers=workers, resume=resume,
                     shard=shard, grade_fn=grade_fn, **options)
