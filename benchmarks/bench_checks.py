"""How long a student waits for `check("<question>")`: the first check in a fresh interpreter, and again.

    .venv/bin/python benchmarks/bench_checks.py [QUESTION ...]

Builds the student bundle's public checks into a scratch folder beside a copy of the reference (so every
check passes and does its full work), then, per question, starts a fresh interpreter that imports
`nnkit_checks`, checks the question once (the first check, as in a fresh notebook kernel) and REPEATS more
times; then a fresh interpreter that only checks it once. Prints the wall seconds of that whole process
(start and exit included), of the first check within its process (the import of the checks included), the
median of the repeats, and whether torch was loaded. Exits with status 1 if the process of a question of
engine, nn or optim takes more than BUDGET_S. Figures depend on the machine's load: run it idle.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.checks import write_public_checks
from autograder.config import load_config
from autograder.contract import PACKAGE, QUESTION_IDS
from autograder.paths import SOLUTIONS

REPEATS = 3
BUDGET_S = 2.0
WITHIN_BUDGET = ("engine", "nn", "optim")

TIMING = """
import json, statistics, sys, time
start = time.perf_counter()
from nnkit_checks import check
first_result = check(sys.argv[1], verbose=False)
first = time.perf_counter() - start
again = []
for _ in range({repeats}):
    start = time.perf_counter()
    check(sys.argv[1], verbose=False)
    again.append(time.perf_counter() - start)
print(json.dumps({{"first": first, "again": statistics.median(again), "torch": "torch" in sys.modules,
                  "passed": first_result.passed, "total": first_result.total}}))
"""


def time_question(folder: Path, qid: str) -> dict:
    """The check's own timings, and the wall time of a fresh interpreter that checks qid once and exits."""
    run = subprocess.run([sys.executable, "-c", TIMING.format(repeats=REPEATS), qid], cwd=folder,
                         capture_output=True, text=True, check=True)
    timings = json.loads(run.stdout.strip().splitlines()[-1])
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"from nnkit_checks import check; check({qid!r}, verbose=False)"],
                   cwd=folder, capture_output=True, check=True)
    return {**timings, "process": time.perf_counter() - start}


def main(questions: list[str]) -> int:
    over = []
    with tempfile.TemporaryDirectory(prefix="nnkit-bench-checks-") as scratch:
        folder = Path(scratch)
        write_public_checks(folder, load_config())
        shutil.copytree(SOLUTIONS, folder / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
        print(f"{'question':26} {'process (s)':>11} {'first (s)':>10} {'again (s)':>10}  torch  passed")
        for qid in questions or QUESTION_IDS:
            t = time_question(folder, qid)
            print(f"{qid:26} {t['process']:11.2f} {t['first']:10.2f} {t['again']:10.2f}  "
                  f"{'yes' if t['torch'] else 'no ':5}  {t['passed']}/{t['total']}")
            if qid.split(".")[0] in WITHIN_BUDGET and t["process"] > BUDGET_S:
                over.append(qid)
    if over:
        print(f"over {BUDGET_S} s the first time: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
