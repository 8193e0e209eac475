"""Whether two folders of `scripts/grade_catalogue.py` hold the same grades, results and feedback, timings aside.

    .venv/bin/python scripts/same_results.py BEFORE AFTER

Compares every file of BEFORE's examples/ and catalogue/ runs with AFTER's: results files without their
timings (`seconds`, `execution_time`, `graded_at`), the feedback pages and gradebooks byte for byte once the
grading date is masked, the logs byte for byte. The TA report, run.json, figures and caches are left out.
Prints each file that differs and exits with 1 if any does.
"""

import json
import re
import sys
from pathlib import Path

TIMINGS = {"seconds", "execution_time", "graded_at"}
DATE = re.compile(rb"\d{4}\\?-\d\d\\?-\d\dT\d\d:\d\d:\d\d\\?\+00:00")
LEFT_OUT = {"ta_report.html", "run.json"}


def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in TIMINGS}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def same(a: Path, b: Path) -> bool:
    if a.suffix == ".json":
        return without_timings(json.loads(a.read_text())) == without_timings(json.loads(b.read_text()))
    return DATE.sub(b"", a.read_bytes()) == DATE.sub(b"", b.read_bytes())


def main(before: Path, after: Path) -> int:
    differ = 0
    for run in ("examples", "catalogue"):
        for path in sorted((before / run).rglob("*")):
            if path.is_dir() or ".cache" in path.parts or path.name in LEFT_OUT or path.suffix == ".png":
                continue
            other = after / run / path.relative_to(before / run)
            if not other.exists() or not same(path, other):
                differ += 1
                print(f"differs: {path.relative_to(before)}")
    print(f"{differ} file(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
