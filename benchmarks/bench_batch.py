"""Grading a class of 40, with one worker and with two: the wall times, their ratio, and the CPU time per
submission with every process counted (the sandboxed children included: `cpu_meter.py`).

The class: the reference, the starter, the test suite's 32 buggy submissions and 6 hostile ones (the
reference with an attacking engine.py from tests/test_adversarial.py: an endless loop, a segfault, forged
result lines, ...), 40 in all. The honest 34 and the hostile 6 are graded in two calls, so that each part's
CPU time is known (the endless loop alone costs its cases' time limits). Each student's files get a line of
their own, as real students' files differ, so no question run is shared between students through the run
cache. Each run grades into a fresh folder that holds only the reference's outputs (computed first), so
all runs do the same work. The load average is printed at the start and the end.

`--features off on` grades the class twice per worker count: without and with what tells the TA about the
class (similar code compared before grading, misconceptions named, answer groups in the report), each run
with an empty user cache, so the misconceptions' outcomes are computed within it.

    .venv/bin/python benchmarks/bench_batch.py [--workers 1 2] [--features off on]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cpu_meter import CpuMeter  # noqa: E402
from mutations import MUTATIONS, UNCATALOGUED_NAMES  # noqa: E402
from test_adversarial import hostile_engine  # noqa: E402

from autograder.config import Config, load_config  # noqa: E402
from autograder.grade.batch import grade_all  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
from autograder.grade.similar_code import check_similarity  # noqa: E402
from autograder.hidden import suite  # noqa: E402
from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

SEED = 2024
CLASS_SIZE = 40
ATTACKS = ("infinite_loop", "segfaults_in_backward", "forges_result_lines", "patched_comparisons",
           "float_that_always_equals", "nan_gradients")


def hostile(folder: Path, attack: str) -> Path:
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "engine.py").write_text(hostile_engine(attack, folder, folder))
    return folder


def make_class(folder: Path) -> list[Path]:
    sources = [("reference", SOLUTIONS), ("starter", STARTER)]
    sources += [(m.name, m.write(folder / "mutations")) for m in MUTATIONS if m.name not in UNCATALOGUED_NAMES]
    sources += [(attack, hostile(folder / "attacks" / attack, attack)) for attack in ATTACKS]
    assert len(sources) == CLASS_SIZE, len(sources)
    students = []
    for i, (name, source) in enumerate(sources):
        student = shutil.copytree(source, folder / "class" / f"student{i:02d}_{name}",
                                  ignore=shutil.ignore_patterns("__pycache__"))
        for module in student.glob("*.py"):
            module.write_text(module.read_text() + f"\n# {student.name}\n")
        students.append(student)
    return students


def with_features(config: Config, on: bool) -> Config:
    return dataclasses.replace(config, misconceptions=dataclasses.replace(config.misconceptions, enabled=on),
                               similarity=dataclasses.replace(config.similarity, enabled=on))


def grade_class(work: Path, students: list[Path], hostile: list[Path], config: Config, workers: int,
                meter: CpuMeter, label: str) -> float:
    """Grade the class into fresh folders; print and return the wall time."""
    os.environ["NNKIT_CACHE"] = str(work / f"user-cache-{label}")  # nothing computed by an earlier run
    start, cpu_start = time.perf_counter(), meter.seconds()
    before = meter.seconds()
    pairs = check_similarity(students, work / f"out-{label}", config)
    if pairs is not None:
        print(f"  similar code over {len(students)} submissions: {meter.seconds() - before:.1f} s CPU, "
              f"{len(pairs)} pair(s) flagged")
    for part, members in (("honest", [s for s in students if s not in hostile]), ("hostile", hostile)):
        out = work / f"out-{label}" / part
        shutil.copytree(work / "expected", out / ".cache")
        before = meter.seconds()
        summary = grade_all(members, out, config=config, seed=SEED, workers=workers, progress=False)
        cpu = meter.seconds() - before
        assert len(list((out / "results").glob("*.json"))) == len(members)
        assert len(list((out / "feedback").glob("*.html"))) == len(members)
        print(f"  {len(members)} {part} submissions: {cpu:.1f} s CPU, {cpu / len(members):.1f} s CPU per "
              f"submission ({summary.line()})")
    seconds, total = time.perf_counter() - start, meter.seconds() - cpu_start
    print(f"{CLASS_SIZE} submissions, {label}: {seconds:.1f} s wall, {total:.1f} s CPU, "
          f"{total / CLASS_SIZE:.1f} s CPU per submission")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="the worker counts to run with")
    parser.add_argument("--features", nargs="+", choices=["off", "on"], default=["on"],
                        help="similar code, misconceptions and answer groups: off, on, or both (compared)")
    args = parser.parse_args()
    config = load_config()
    meter = CpuMeter()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; CPU counted by {meter.source}")
    work = Path(tempfile.mkdtemp(prefix="nnkit-batch-"))
    students = make_class(work)
    expected_outputs(suite(SEED), SEED, work / "expected")
    hostile = [s for s in students if s.name.split("_", 1)[1] in ATTACKS]
    seconds = {}
    for workers in args.workers:
        for features in args.features:
            label = f"{workers} worker(s), features {features}"
            seconds[workers, features] = grade_class(work, students, hostile, with_features(config, features == "on"),
                                                     workers, meter, label)
        if {"off", "on"} <= set(args.features):
            growth = seconds[workers, "on"] / seconds[workers, "off"] - 1
            print(f"{workers} worker(s): the features on take {100 * growth:+.1f} % of the time with them off")
    for features in args.features:
        if (1, features) in seconds and (2, features) in seconds:
            print(f"ratio two workers / one, features {features}: {seconds[2, features] / seconds[1, features]:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
