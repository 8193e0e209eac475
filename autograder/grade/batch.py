"""Grading a class: many submissions, in parallel processes, resumable, splittable across machines.

`grade_all` grades each submission with a per-submission function (by default
`autograder.grade.grader.grade_submission`, which writes `OUT/results/<name>.json` atomically as each
one finishes, so a killed run loses no finished grade), then writes the gradebooks and reports with
`autograder.report.finish.finish`.

- `workers`: parallel grading processes (default: os.cpu_count()); 1 grades in this process.
- `resume`: skip a submission whose results file records the same submission hash and kit version
  (results of a grader that crashed are graded again).
- `shard=(K, N)`: grade only shard K of N (1 ≤ K ≤ N). A submission's shard depends on its name alone
  (a sha256 of it), so every machine of a job array agrees without talking, and a late submission does
  not move the others. `nnkit report --merge` joins the shards' folders.
A submission whose grading raises still gets a results file: 0 points and the reason.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..config import Config
from ..judge import messages
from ..results import QuestionScore, Results, TestResult, read_results, results_dir, write_results
from .lms import Handed
from .submission import SubmissionError, open_submission, submission_name

if TYPE_CHECKING:
    from ..report.finish import Finished

GradeFn = Callable[..., Results]  # grade_fn(submission, out_dir, *, config, seed, name) -> its results


@dataclass(frozen=True)
class Job:
    name: str
    path: Path
    student: dict | None = None  # from an LMS export: recorded in the results beside the grade


@dataclass
class Outcome:
    """One submission's grade, as the batch saw it."""

    name: str
    score: float
    max_score: float
    seconds: float
    error: str | None = None
    skipped: bool = False


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N), with 1 <= K <= N."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard {text!r}: write it K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard {text!r}: shards are numbered 1 to N (got {k} of {n})")
    return k, n


def shard_of(name: str, n: int) -> int:
    """The shard (1..n) of a submission name: a stable hash, the same on every machine and Python."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % n + 1


def jobs_for(submissions: Iterable[Path | Handed], shard: tuple[int, int] | None = None) -> list[Job]:
    """The submissions to grade, sorted by name, restricted to one shard; two with one name are an error.

    A submission is a path (named after it) or one found in an LMS export (named, and with its student).
    """
    jobs: dict[str, Job] = {}
    for item in submissions:
        if isinstance(item, Handed):
            job = Job(item.name, item.path, item.student.to_json())
        else:
            job = Job(submission_name(Path(item)), Path(item))
        name, path = job.name, job.path
        if not name or name.startswith("."):
            raise ValueError(f"{path}: a submission name may not be empty or start with a dot")
        if name in jobs:
            raise ValueError(f"two submissions are named {name!r}: {jobs[name].path} and {path}")
        jobs[name] = job
    selected = [jobs[name] for name in sorted(jobs)]
    if shard:
        k, n = shard
        selected = [job for job in selected if shard_of(job.name, n) == k]
    return selected


def submission_hash(path: Path, config: Config) -> str | None:
    """The grader's hash of a submission's package (None if it cannot be opened)."""
    with tempfile.TemporaryDirectory(prefix="nnkit-hash-") as scratch:
        try:
            return open_submission(Path(path), Path(scratch), config.limits).files_hash
        except SubmissionError:
            return None


def already_graded(job: Job, out_dir: Path, config: Config) -> Results | None:
    """The results of an earlier run if they are for these very files and this kit version, else None."""
    path = results_dir(out_dir) / f"{job.name}.json"
    if not path.is_file():
        return None
    try:
        result = read_results(path)
    except ValueError:
        return None
    if result.grader_failed or result.kit_version != __version__ or result.student != job.student:
        return None
    digest = submission_hash(job.path, config)
    return result if digest and result.submission_hash == digest else None


def error_result(name: str, reason: str, *, config: Config, seed: int, submission_hash: str | None,
                 seconds: float = 0.0, grader_failed: bool = False) -> Results:
    """The results of a submission whose grading failed as a whole: 0 on every question, and why."""
    why = messages.not_graded(reason)
    tests = [TestResult(name=qid, score=0.0, max_score=float(q.points), passed=False, output=why,
                        visibility="visible", question=qid, public=True) for qid, q in config.questions.items()]
    return Results(
        submission=name, score=0.0, max_score=config.total_points, execution_time=round(seconds, 3),
        output=f"This submission could not be graded: {reason}", tests=tests,
        questions={qid: QuestionScore(0.0, float(q.points)) for qid, q in config.questions.items()},
        seed=seed, submission_hash=submission_hash, kit_version=__version__, error=reason, sandbox="none",
        graded_at=datetime.now(UTC).isoformat(timespec="seconds"), grader_failed=grader_failed,
    )


def _default_grade_fn() -> GradeFn:
    from .grader import grade_submission

    return grade_submission


def grade_one(job: Job, out_dir: Path, config: Config, seed: int, grade_fn: GradeFn | None,
              started: Path | None = None) -> Outcome:
    """Grade one submission; if grading raises, write a 0 with the reason instead. Runs in a worker.

    started: a folder where the job leaves a mark as it begins, so that the batch knows which jobs were
    running when a worker died.
    """
    if started is not None:
        (started / job.name).touch()
    start = time.perf_counter()
    try:
        result = (grade_fn or _default_grade_fn())(job.path, out_dir, config=config, seed=seed, name=job.name)
        if job.student is not None:  # who and when: not the grader's business, recorded beside its grade
            result.student = job.student
            write_results(results_dir(out_dir) / f"{job.name}.json", result)
        elif not (results_dir(out_dir) / f"{job.name}.json").is_file():
            write_results(results_dir(out_dir) / f"{job.name}.json", result)
    except Exception as e:  # any failure of the grader becomes this submission's 0, with the reason
        detail = traceback.format_exception_only(type(e), e)[-1].strip()
        result = record_failure(job, out_dir, config, seed, f"the grader failed: {detail}", time.perf_counter() - start)
    return outcome_of(job.name, result)


def record_failure(job: Job, out_dir: Path, config: Config, seed: int, reason: str, seconds: float) -> Results:
    try:
        digest = submission_hash(job.path, config)
    except Exception:  # the hash is only a record: not worth a second failure
        digest = None
    result = error_result(job.name, reason, config=config, seed=seed, submission_hash=digest, seconds=seconds,
                          grader_failed=True)
    result.student = job.student
    write_results(results_dir(out_dir) / f"{job.name}.json", result)
    return result


def outcome_of(name: str, result: Results, skipped: bool = False) -> Outcome:
    return Outcome(name, result.score, result.max_score, result.execution_time, result.error, skipped)


@dataclass
class BatchSummary:
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    shard: tuple[int, int] | None = None
    finished: Finished | None = None  # once the reports are written

    def line(self) -> str:
        graded = [o for o in self.outcomes if not o.skipped]
        skipped = len(self.outcomes) - len(graded)
        errors = sum(o.error is not None for o in self.outcomes)
        where = f"shard {self.shard[0]}/{self.shard[1]}: " if self.shard else ""
        text = (f"{where}graded {len(graded)} submission(s) in {self.seconds:.1f} s, {skipped} skipped as already "
                f"graded, {errors} could not be graded")
        if self.outcomes:
            scores = [o.score for o in self.outcomes]
            top = max(o.max_score for o in self.outcomes)
            text += (f"; total mean {statistics.fmean(scores):.2f}, median {statistics.median(scores):.2f} "
                     f"of {top:g}")
        return text + f"; results in {results_dir(self.out_dir)}"


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    # tqdm's default bar reads: done/total [elapsed<remaining, rate].
    return tqdm(total=total, desc="grading", unit="submission", disable=not enabled, file=sys.stderr,
                mininterval=0.5 if sys.stderr.isatty() else 10.0, dynamic_ncols=True)


def exit_with_parent(parent: int) -> None:
    """In a worker: end this process when the run that started it is gone.

    A run killed alone (`kill PID`, a scheduler that signals the main process only) would otherwise leave its
    workers behind, grading into a folder nobody reads and then waiting for work forever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _pool_round(jobs: list[Job], workers: int, args: tuple, done: Callable[[Outcome], None],
                started: Path) -> list[Job]:
    """Grade jobs in one pool of worker processes; returns the jobs left undone because a worker died."""
    broken = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(grade_one, job, *args, started=started): job for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    done(future.result())
                except BrokenProcessPool:
                    broken.append(futures[future])
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return sorted(broken, key=lambda j: j.name)


def _run_parallel(jobs: list[Job], workers: int, args: tuple, done: Callable[[Outcome], None]) -> None:
    """Grade jobs in worker processes (spawned, not forked: the parent may hold tqdm's or torch's threads).

    A worker that dies breaks its whole pool. The jobs that had begun then are suspects: each is graded again
    in a pool of its own, and gets a 0 if that one dies too; the jobs that had not begun go to a fresh pool.
    """
    out_dir, config, seed, _ = args
    remaining = jobs
    with tempfile.TemporaryDirectory(prefix="nnkit-started-") as marks:
        started = Path(marks)
        while remaining:
            broken = _pool_round(remaining, workers, args, done, started)
            suspects = [job for job in broken if (started / job.name).exists()] or broken
            remaining = [job for job in broken if job not in suspects]
            for job in suspects:
                if _pool_round([job], 1, args, done, started):
                    reason = "the grading process died (killed, out of memory, or crashed)"
                    done(outcome_of(job.name, record_failure(job, out_dir, config, seed, reason, 0.0)))


def grade_all(submissions: Iterable[Path | Handed], out_dir: Path, *, config: Config, seed: int,
              workers: int | None = None, resume: bool = False, shard: tuple[int, int] | None = None,
              grade_fn: GradeFn | None = None, progress: bool = True, report: bool = True,
              **finish_options) -> BatchSummary:
    """Grade submissions into out_dir, then write grades.csv, canvas.csv, feedback and the TA report.

    finish_options go to `autograder.report.finish.finish` (roster, assignment, include_hidden).
    Prints the progress bar (stderr) and a summary line (stdout) unless progress is False.
    """
    start = time.perf_counter()
    out_dir = Path(out_dir)
    results_dir(out_dir).mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(out_dir, shard=shard)
    todo = []
    for job in jobs_for(submissions, shard):
        earlier = already_graded(job, out_dir, config) if resume else None
        if earlier is not None:
            summary.outcomes.append(outcome_of(job.name, earlier, skipped=True))
        else:
            todo.append(job)
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    with _progress(len(todo), progress) as bar:
        def done(outcome: Outcome) -> None:
            summary.outcomes.append(outcome)
            bar.update(1)

        args = (out_dir, config, seed, grade_fn)
        if workers == 1:
            for job in todo:
                done(grade_one(job, *args))
        else:
            _run_parallel(todo, workers, args, done)
    summary.outcomes.sort(key=lambda o: o.name)
    if report:
        from ..report.finish import finish

        summary.finished = finish(out_dir, config, **finish_options)
    summary.seconds = time.perf_counter() - start
    if progress:
        print(summary.line())
        for line in summary.finished.lines() if summary.finished else []:
            print(line)
    return summary
