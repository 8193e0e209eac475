"""What grading one complete submission costs: wall time and CPU time of every process, per question.

CPU is counted by a control group holding this process and everything it starts, the sandboxed children
included (`cpu_meter.py`). The reference's expected outputs for the seed are computed first and measured on
their own (a class pays them once). Then each submission (the reference, the starter and a few buggy ones
from tests/mutations.py) is graded in this process into a fresh out dir holding only those expected outputs,
so no question run comes from the cache: the warm figure, as in a batch. Per question it reports the wall
and CPU time of assembling the work folder and running the children (by wrapping the grader's `assemble`
and `run_question`), and the time the cases spent in the student's code (the results' per-case seconds).
Last, one cold `nnkit grade` of the reference in a fresh interpreter, the seed's outputs already computed:
what a TA pays to grade one submission. The load average is printed at the start and the end.

    .venv/bin/python benchmarks/bench_grading.py [--seed 31337] [--mutants a,b,c]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cpu_meter import CpuMeter  # noqa: E402
from mutations import BY_NAME  # noqa: E402

from autograder.config import QUESTION_IDS, load_config  # noqa: E402
from autograder.grade import grader  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
from autograder.hidden import suite  # noqa: E402
from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

MUTANTS = ("mul_assigns_instead_of_adding", "neuron_without_bias", "train_without_zero_grad", "net_returns_logits")
BUDGET_S = 60.0  # the most one submission may take on a 2-core machine

WALL: dict[str, float] = defaultdict(float)  # question id -> wall seconds, for the submission being graded
CPU: dict[str, float] = defaultdict(float)  # question id -> CPU seconds of every process
METER = CpuMeter()


def timed(function, qid_of):
    """function, adding its wall time to WALL[qid_of(*args)] and its CPU time to CPU[...]."""

    def wrapper(*args, **kwargs):
        start, cpu = time.perf_counter(), METER.seconds()
        try:
            return function(*args, **kwargs)
        finally:
            WALL[qid_of(*args)] += time.perf_counter() - start
            CPU[qid_of(*args)] += METER.seconds() - cpu

    return wrapper


def cold_grade(submission: Path, seed: int, expected: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `nnkit grade submission` in a fresh interpreter, the seed's outputs (the files in
    expected) in its shared cache, as after any earlier run with that seed."""
    cache = out.parent / "nnkit-cache"
    shutil.copytree(expected, cache / "expected")
    env = {**os.environ, "NNKIT_CACHE": str(cache)}
    command = [sys.executable, "-m", "autograder", "grade", str(submission), "--out", str(out), "--seed", str(seed)]
    start, cpu = time.perf_counter(), METER.seconds()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, METER.seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=31337)
    parser.add_argument("--mutants", default=",".join(MUTANTS), help="catalogue names, comma-separated")
    args = parser.parse_args()
    config = load_config()
    grader.assemble = timed(grader.assemble, lambda submission, qid, *rest: qid)
    grader.run_question = timed(grader.run_question, lambda launcher, assembled, *rest: assembled.workdir.name)

    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; seed {args.seed}; "
          f"CPU counted by {METER.source}")
    start, cpu = time.perf_counter(), METER.seconds()
    expected_outputs(suite(args.seed), args.seed, work / "expected")
    print(f"reference outputs: {time.perf_counter() - start:.1f} s wall, {METER.seconds() - cpu:.1f} s CPU "
          "(once per seed for a whole class)")

    submissions = {"reference": SOLUTIONS, "starter": STARTER}
    submissions.update({name: BY_NAME[name].write(work / "subs") for name in args.mutants.split(",") if name})
    seconds, cpu_s = {}, {}
    case_s, wall_s, question_cpu = defaultdict(list), defaultdict(list), defaultdict(list)
    print(f"{'submission':38} {'wall s':>7} {'CPU s':>7}  score")
    for name, path in submissions.items():
        out = work / "out" / name
        shutil.copytree(work / "expected", out / ".cache")
        WALL.clear()
        CPU.clear()
        start, cpu = time.perf_counter(), METER.seconds()
        results = grader.grade_submission(path, out, config=config, seed=args.seed, name=name)
        if results.grader_failed:
            raise SystemExit(f"the grader failed on {name}: {results.error}")
        seconds[name], cpu_s[name] = time.perf_counter() - start, METER.seconds() - cpu
        for qid in QUESTION_IDS:
            case_s[qid].append(sum(t.seconds for t in results.tests
                                   if t.question == qid))
            wall_s[qid].append(WALL[qid])
            question_cpu[qid].append(CPU[qid])
        print(f"  {name:36} {seconds[name]:7.1f} {cpu_s[name]:7.1f}  {results.score:g}/{config.total_points:g}")

    median = statistics.median(seconds.values())
    print(f"median per submission: {median:.1f} s wall, {statistics.median(cpu_s.values()):.1f} s CPU over "
          f"{len(seconds)} submissions; slowest {max(seconds.values()):.1f} s (budget {BUDGET_S:g} s)")
    print(f"per question, median over the submissions:\n  {'question':26} {'wall s':>7} {'CPU s':>7} "
          f"{'in cases s':>10}")
    for qid in QUESTION_IDS:
        print(f"  {qid:26} {statistics.median(wall_s[qid]):7.2f} {statistics.median(question_cpu[qid]):7.2f} "
              f"{statistics.median(case_s[qid]):10.2f}")
    wall, cpu = cold_grade(SOLUTIONS, args.seed, work / "expected", work / "cold")
    print(f"one cold `nnkit grade` of the reference, the seed seen before: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    shutil.rmtree(work)
    over = [name for name, s in seconds.items() if s > BUDGET_S]
    print(f"over the {BUDGET_S:g} s budget: {', '.join(over)}" if over else f"every submission within {BUDGET_S:g} s")


if __name__ == "__main__":
    main()
