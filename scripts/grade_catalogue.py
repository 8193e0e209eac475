"""Grade the example class (seed 1337), the catalogue of typical bugs (seed 4242) and the 40-submission class of
benchmarks/bench_batch.py (seed 2024, hostile submissions included) into OUT, for comparing runs.

    .venv/bin/python scripts/grade_catalogue.py OUT

OUT/examples, OUT/catalogue and OUT/class40 are `nnkit grade` output folders. Run it before and after a change (in a
git worktree of each commit, with PYTHONPATH set to it), then `scripts/same_results.py BEFORE AFTER`.
"""

import sys
from pathlib import Path


def main(out: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(repo / "tests"), str(repo / "benchmarks")]
    from bench_batch import SEED, make_class
    from mutations import MUTATIONS

    from autograder.config import load_config
    from autograder.grade.run import grade_run

    out.mkdir(parents=True, exist_ok=True)
    bugs = out / "submissions"
    if not bugs.exists():
        for mutation in MUTATIONS:
            mutation.write(bugs)
    examples = sorted(p for p in (repo / "examples" / "submissions").iterdir() if p.is_dir())
    grade_run(examples, out / "examples", config=load_config(), seed=1337, workers=2)
    grade_run(sorted(bugs.iterdir()), out / "catalogue", config=load_config(), seed=4242, workers=2)
    students = sorted((out / "class40-submissions" / "class").iterdir()) if (out / "class40-submissions").exists() \
        else make_class(out / "class40-submissions")
    grade_run(students, out / "class40", config=load_config(), seed=SEED, workers=2)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
