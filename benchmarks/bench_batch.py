"""Grading a class of 40 in one call, with one worker and with two: the wall times and their ratio.

The class: the reference, the starter and the test suite's buggy submissions, repeated under new names up
to 40. Each run grades into a fresh folder that holds only the reference's outputs (computed first), so
both runs do the same work; identical question runs within a run are shared, as in any `nnkit grade`.

    .venv/bin/python benchmarks/bench_batch.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mutations import MUTATIONS  # noqa: E402

from autograder.config import load_config  # noqa: E402
from autograder.grade.batch import grade_all  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
from autograder.hidden import suite  # noqa: E402
from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

SEED = 2024
CLASS_SIZE = 40


def make_class(folder: Path) -> list[Path]:
    sources = [("reference", SOLUTIONS), ("starter", STARTER)]
    for mutation in MUTATIONS:
        sources.append((mutation.name, mutation.write(folder / "mutations")))
    students = []
    for i in range(CLASS_SIZE):
        name, source = sources[i % len(sources)]
        students.append(shutil.copytree(source, folder / "class" / f"student{i:02d}_{name}",
                                        ignore=shutil.ignore_patterns("__pycache__")))
    return students


def main() -> None:
    config = load_config()
    work = Path(tempfile.mkdtemp(prefix="nnkit-batch-"))
    students = make_class(work)
    expected_outputs(suite(SEED), SEED, work / "expected")
    seconds = {}
    for workers in (1, 2):
        out = work / f"out{workers}"
        shutil.copytree(work / "expected", out / ".cache")
        start = time.perf_counter()
        summary = grade_all(students, out, config=config, seed=SEED, workers=workers, progress=False)
        seconds[workers] = time.perf_counter() - start
        assert len(list((out / "results").glob("*.json"))) == CLASS_SIZE
        assert len(list((out / "feedback").glob("*.html"))) == CLASS_SIZE
        print(f"{CLASS_SIZE} submissions, {workers} worker(s): {seconds[workers]:.1f} s ({summary.line()})")
    print(f"ratio two workers / one: {seconds[2] / seconds[1]:.2f}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
