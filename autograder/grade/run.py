"""`nnkit grade`: a class's submissions into one output folder, with the run's seed recorded there."""

from __future__ import annotations

import functools
import secrets
import sys
from pathlib import Path

from .. import __version__
from ..config import Config
from ..errors import KitError
from ..hidden import suite
from ..run_record import RUN_FILE, config_record, read_record, report_settings, update_record
from .inputs import find_submissions
from .reference import expected_outputs
from .similar_code import check_similarity


class GradingError(KitError):
    """The run cannot start as asked; the message says why."""


def run_seed(out_dir: Path, seed: int | None) -> int:
    """The seed given, else the one recorded by an earlier run into out_dir (for --resume), else a new one."""
    if seed is not None:
        return seed
    recorded = read_record(out_dir).get("seed")
    return int(recorded) if recorded is not None else secrets.randbelow(2**31)


def grade_run(submissions: list[Path], out_dir: Path, *, config: Config, seed: int | None = None,
              workers: int | None = None, resume: bool = False, shard: tuple[int, int] | None = None,
              require_sandbox: bool = False, **options):
    """Grade submissions into out_dir: results/, grades.csv and the reports; returns the batch summary."""
    from ..sandbox import SandboxUnavailable, default_launcher
    from .batch import grade_all, jobs_for
    from .grader import grade_submission

    out_dir = Path(out_dir)
    inputs = find_submissions(submissions, out_dir=out_dir)
    if shard and seed is None and not (out_dir / RUN_FILE).exists():
        raise GradingError("--shard needs --seed, so that every shard draws the same hidden cases")
    seed = run_seed(out_dir, seed)
    skipped = [[str(s.path), s.reason] for s in inputs.skipped]
    update_record(out_dir, seed=seed, kit_version=__version__, skipped=skipped, report=report_settings(options),
                  **config_record(config))
    if inputs.skipped and options.get("progress", True):
        print("skipped, not submissions:\n" + "\n".join(f"  {s.line()}" for s in inputs.skipped), file=sys.stderr)
    # The reference's outputs once, before the workers start: each of them then reads the cache. A seed seen
    # before, by any run of this user, finds them in the shared cache.
    expected_outputs(suite(seed), seed, out_dir / ".cache", shared=True)
    try:
        default_launcher(config.limits, require_sandbox)  # says once, before any grading, how code will run
    except SandboxUnavailable as e:
        raise GradingError(f"--require-sandbox: {e}") from None
    grade_fn = functools.partial(grade_submission, launcher_name="bwrap" if require_sandbox else "auto")
    # Similar code between submissions (TA only), over the whole class: before grading, so the reports find it.
    check_similarity([(job.name, job.path) for job in jobs_for(inputs.submissions)], out_dir, config, shard=shard)
    return grade_all(inputs.submissions, out_dir, config=config, seed=seed, workers=workers, resume=resume,
                     shard=shard, grade_fn=grade_fn, **options)
