"""How long grading one complete submission takes, cold: the median over a few, and the time per question.

The reference's expected outputs for the seed are computed first and timed on their own (a class pays them
once). Then each submission (the reference, the starter and a few buggy ones from tests/mutations.py) is
graded into a fresh out dir holding only those expected outputs, so no question run comes from the cache.
Per question it reports the wall time (assembling the work folder plus the sandboxed child, measured by
wrapping the grader's `assemble` and `run_question`) and the time the cases spent in the student's code
(the sum of the results' per-case seconds). The load average is printed at the start and the end: the
figures are wall-clock times, and other jobs on the machine slow them down.

    .venv/bin/python benchmarks/bench_grading.py [--seed 31337] [--mutants a,b,c]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mutations import BY_NAME  # noqa: E402

from autograder.config import QUESTION_IDS, load_config  # noqa: E402
from autograder.grade import grader  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
from autograder.hidden import suite  # noqa: E402
from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

MUTANTS = ("mul_assigns_instead_of_adding", "neuron_without_bias", "train_without_zero_grad", "net_returns_logits")
BUDGET_S = 60.0  # the most one submission may take on a 2-core machine

WALL: dict[str, float] = defaultdict(float)  # question id -> wall seconds, for the submission being graded


def timed(function, qid_of):
    """function, adding its wall time to WALL[qid_of(*args)]."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            WALL[qid_of(*args)] += time.perf_counter() - start

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=31337)
    parser.add_argument("--mutants", default=",".join(MUTANTS), help="catalogue names, comma-separated")
    args = parser.parse_args()
    config = load_config()
    grader.assemble = timed(grader.assemble, lambda submission, qid, *rest: qid)
    grader.run_question = timed(grader.run_question, lambda launcher, assembled, *rest: assembled.workdir.name)

    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; seed {args.seed}")
    start = time.perf_counter()
    expected_outputs(suite(args.seed), args.seed, work / "expected")
    print(f"reference outputs: {time.perf_counter() - start:.1f} s (once per seed for a whole class)")

    submissions = {"reference": SOLUTIONS, "starter": STARTER}
    submissions.update({name: BY_NAME[name].write(work / "subs") for name in args.mutants.split(",") if name})
    seconds = {}
    case_s, wall_s = defaultdict(list), defaultdict(list)
    print(f"{'submission':38} {'wall s':>7}  score")
    for name, path in submissions.items():
        out = work / "out" / name
        shutil.copytree(work / "expected", out / ".cache")
        WALL.clear()
        start = time.perf_counter()
        results = grader.grade_submission(path, out, config=config, seed=args.seed, name=name)
        if results.grader_failed:
            raise SystemExit(f"the grader failed on {name}: {results.error}")
        seconds[name] = time.perf_counter() - start
        for qid in QUESTION_IDS:
            case_s[qid].append(sum(t.seconds for t in results.tests
                                   if t.question == qid))
            wall_s[qid].append(WALL[qid])
        print(f"  {name:36} {seconds[name]:7.1f}  {results.score:g}/{config.total_points:g}")

    median = statistics.median(seconds.values())
    print(f"median per submission: {median:.1f} s over {len(seconds)} submissions; "
          f"slowest {max(seconds.values()):.1f} s (budget {BUDGET_S:g} s)")
    print(f"per question, median over the submissions:\n  {'question':26} {'wall s':>7} {'in cases s':>10}")
    for qid in QUESTION_IDS:
        print(f"  {qid:26} {statistics.median(wall_s[qid]):7.2f} {statistics.median(case_s[qid]):10.2f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    shutil.rmtree(work)
    over = [name for name, s in seconds.items() if s > BUDGET_S]
    print(f"over the {BUDGET_S:g} s budget: {', '.join(over)}" if over else f"every submission within {BUDGET_S:g} s")


if __name__ == "__main__":
    main()
