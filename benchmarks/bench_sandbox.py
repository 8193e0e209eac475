"""The sandbox's cost: one probe run (start a child, run engine.add's cases, stop it), with and without bwrap,
and as a child forked by a preloaded server (its sandbox started before the clock, as for every question
after a submission's first).

    .venv/bin/python benchmarks/bench_sandbox.py

Prints the median wall time of each and their difference, which should stay under BUDGET_S per run
(the process exits with status 1 if it does not). Figures depend on the machine's load: run it idle.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from autograder.config import load_config
from autograder.grade.assemble import Assembled, assemble
from autograder.grade.child import Deadline, run_question
from autograder.grade.submission import open_submission
from autograder.hidden import suite
from autograder.paths import SOLUTIONS
from autograder.sandbox import BwrapLauncher, Launcher
from autograder.sandbox.bwrap import bwrap_works
from autograder.sandbox.preloaded import Children, OwnProcesses, PreloadedChildren

RUNS = 7
BUDGET_S = 0.5
QUESTION = "engine.add"


def median_run(children: Children, assembled: Assembled, cases, config) -> float:
    """Median seconds of one run_question over RUNS runs (after one not timed); every case must pass."""
    seconds = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        # engine.add blocks the autodiff libraries, as in grading: under bwrap that is a mount per folder.
        run = run_question(children, assembled, cases, config.limits, Deadline(time.monotonic() + 60, "out of time"))
        seconds.append(time.perf_counter() - start)
        assert all(r.ok for r in run.reports.values()), run.reports
    children.close()
    return statistics.median(seconds[1:])


def main() -> None:
    """Time RUNS probe runs under each launcher on the reference's engine.add."""
    config = load_config()
    cases = [(i, c) for i, c in enumerate(suite(1)) if c.question == QUESTION]
    with tempfile.TemporaryDirectory() as scratch:
        submission = open_submission(SOLUTIONS, Path(scratch) / "sub", config.limits)
        workdir = Path(scratch) / "work"
        assembled = assemble(submission, QUESTION, workdir, {c.probe for _, c in cases}, config.imports.forbidden)
        direct = median_run(OwnProcesses(Launcher(config.limits)), assembled, cases, config)
        print(f"one probe run ({QUESTION}, {len(cases)} cases), median of {RUNS}:")
        print(f"  direct child    {direct:.3f} s")
        if not bwrap_works():
            print("  bubblewrap      not available here")
            return
        sandboxed = median_run(OwnProcesses(BwrapLauncher(config.limits)), assembled, cases, config)
        print(f"  under bwrap     {sandboxed:.3f} s")
        forked = median_run(PreloadedChildren(BwrapLauncher(config.limits)), assembled, cases, config)
        print(f"  forked by a preloaded server, under bwrap  {forked:.3f} s")
        cost = sandboxed - direct
        print(f"  sandbox cost    {cost:+.3f} s per run (budget {BUDGET_S} s)")
        if cost >= BUDGET_S:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
