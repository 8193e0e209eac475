"""The check for similar code: its scores on the test class, and what it costs a run of 17 and of 40 submissions.

    .venv/bin/python benchmarks/bench_similarity.py [--times N]

1. The test class (tests/similarity_class/: eight engine.py written independently, two disguised copies of
   one of them): every pair's score, the lowest of the copies against the highest independent pair.
2. The time of the run's step (`check_similarity`: open every submission again, fingerprint, compare every
   pair, write similarity.csv and similarity.json) on the test class, on the test class with
   examples/submissions/* (17; the examples are the reference with one bug each, so flagged together),
   and on bench_batch.py's class of 40 (the reference, the starter, 32 buggy variants of the reference and
   6 hostile ones: nearly every pair flagged, the worst case for building the side-by-side segments).
   Each step is timed N times (default 3) after a first call that imports copydetect, and the median is
   printed, wall and CPU; the import's own time is printed apart. The load average is printed at the start
   and the end. docs/grading.md ("Similar code") has the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_class  # noqa: E402

from autograder.config import load_config  # noqa: E402
from autograder.grade.similar_code import check_similarity, student_code  # noqa: E402
from autograder.paths import EXAMPLES, REPO  # noqa: E402
from autograder.similarity import pair_scores  # noqa: E402

CLASS = REPO / "tests" / "similarity_class"
COPIES = {"dmitri", "ivo", "jana"}  # the original and its two planted copies


def scores_of_the_test_class() -> None:
    scores = pair_scores({p.name: student_code(p) for p in sorted(CLASS.iterdir())})
    copied = {pair: s for pair, s in scores.items() if set(pair) <= COPIES}
    independent = {pair: s for pair, s in scores.items() if pair not in copied}
    for pair, score in sorted(scores.items(), key=lambda item: -item[1])[:6]:
        print(f"  {pair[0]:>8} {pair[1]:<8} {score:.3f}{'  (copy)' if pair in copied else ''}")
    top = max(independent, key=independent.get)
    print(f"copies: {min(copied.values()):.3f} to {max(copied.values()):.3f}; highest independent pair "
          f"{top[0]}-{top[1]} {independent[top]:.3f}; {len(independent)} independent pairs, median "
          f"{statistics.median(independent.values()):.3f}")


def timed(name: str, paths: list[Path], times: int, config) -> None:
    walls, cpus = [], []
    for _ in range(times):
        with tempfile.TemporaryDirectory(prefix="nnkit-similar-bench-") as out:
            wall, cpu = time.perf_counter(), time.process_time()
            pairs = check_similarity(paths, Path(out), config)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    print(f"{name}: {len(paths)} submissions, {len(pairs)} pairs flagged: {statistics.median(walls):.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU (median of {times})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--times", type=int, default=3, help="timed runs of each step")
    args = parser.parse_args()
    config = load_config()
    print(f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")
    start = time.perf_counter()
    import copydetect  # noqa: F401

    print(f"importing copydetect: {time.perf_counter() - start:.2f} s (once per run)")
    scores_of_the_test_class()
    test_class = sorted(CLASS.iterdir())
    examples = sorted(p for p in EXAMPLES.joinpath("submissions").iterdir() if p.is_dir())
    check_similarity(test_class, Path(tempfile.mkdtemp()), config)  # warm: the first call's own costs aside
    timed("test class", test_class, args.times, config)
    timed("test class and examples", test_class + examples, args.times, config)
    with tempfile.TemporaryDirectory(prefix="nnkit-similar-class-") as folder:
        timed("bench_batch.py's class", make_class(Path(folder)), args.times, config)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
