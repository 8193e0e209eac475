"""How long grading one complete submission takes, cold: the median over a few, and the time per question.

Each submission is graded into a fresh folder holding only the reference's expected outputs (computed
once, first, and timed on their own), so no question run is served from the cache.

    .venv/bin/python benchmarks/bench_grading.py

Exits with status 1 when the median exceeds LIMIT_S seconds per submission.
"""

from __future__ import annotations

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
from autograder.grade.grader import grade_submission  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
from autograder.hidden import suite  # noqa: E402
from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

SEED = 31337
LIMIT_S = 60.0
MUTANTS = ("mul_assigns_instead_of_adding", "neuron_without_bias", "train_without_zero_grad", "net_returns_logits")


def main() -> int:
    """Grade each submission cold, print the figures; 1 when the median is over LIMIT_S."""
    config = load_config()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    start = time.perf_counter()
    expected_outputs(suite(SEED), SEED, work / "expected")
    print(f"reference outputs for seed {SEED}: {time.perf_counter() - start:.1f} s (once per run of a class)")

    submissions = {"reference": SOLUTIONS, "starter": STARTER}
    submissions.update({name: BY_NAME[name].write(work / "subs") for name in MUTANTS})
    seconds, per_question = {}, defaultdict(list)
    for name, path in submissions.items():
        out = work / "out" / name
        shutil.copytree(work / "expected", out / ".cache")
        start = time.perf_counter()
        results = grade_submission(path, out, config=config, seed=SEED, name=name)
        seconds[name] = time.perf_counter() - start
        for qid in QUESTION_IDS:
            per_question[qid].append(sum(t["extra_data"]["seconds"] for t in results["tests"]
                                         if t["extra_data"]["question"] == qid))
        print(f"  {name:32} {seconds[name]:6.1f} s  score {results['score']:g}/{config.total_points:g}")
    median = statistics.median(seconds.values())
    print(f"median per submission: {median:.1f} s over {len(seconds)} submissions (limit {LIMIT_S:g} s); "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print("time per question (sum of its cases' seconds; median over the submissions):")
    for qid in QUESTION_IDS:
        print(f"  {qid:26} {statistics.median(per_question[qid]):6.2f} s")
    shutil.rmtree(work)
    return 0 if median <= LIMIT_S else 1


if __name__ == "__main__":
    sys.exit(main())
