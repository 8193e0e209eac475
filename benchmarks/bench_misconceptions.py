"""What naming misconceptions costs: each question's catalogue entries run on its cases, as the grader does
once per seed and question (CPU of this process; everything runs in it).

    .venv/bin/python benchmarks/bench_misconceptions.py [--seed 2024]
"""

from __future__ import annotations

import argparse
import os
import time

from autograder.contract import QUESTION_IDS
from autograder.grade.misconception_outcomes import compute_outcomes
from autograder.hidden import suite
from autograder.misconceptions import catalogue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    cases = suite(args.seed)
    total = 0.0
    for qid in QUESTION_IDS:
        start = time.process_time()
        compute_outcomes(cases, qid)
        seconds = time.process_time() - start
        total += seconds
        print(f"  {qid}: {sum(e.question == qid for e in catalogue())} entries, {seconds:.2f} s CPU")
    print(f"{len(catalogue())} entries over {len(QUESTION_IDS)} questions: {total:.1f} s CPU for seed {args.seed}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
