"""Grading a class of 40 in one call, with one worker and with two: the wall times and their ratio.

The class: the reference, the starter, the test suite's 32 buggy submissions and 6 hostile ones (the
reference with an attacking engine.py from tests/test_adversarial.py: an endless loop, a segfault, forged
result lines, ...), 40 in all. Each student's files get a line of their own, as real students' files
differ, so no question run is shared between students through the run cache. Each run grades into a
fresh folder that holds only the reference's outputs (computed first), so both runs do the same work.

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
from test_adversarial import hostile_engine  # noqa: E402

from autograder.config import load_config  # noqa: E402
from autograder.grade.batch import grade_all  # noqa: E402
from autograder.grade.reference import expected_outputs  # noqa: E402
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
    sources += [(m.name, m.write(folder / "mutations")) for m in MUTATIONS]
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
