"""Inside Gradescope: grade /autograder/submission with the bundle's seed and write results/results.json."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from ..config import load_config
from ..grade.grader import grade_submission
from ..grade.results import write_json_atomic

BUNDLE_FILE = "bundle.json"


def main(root: Path) -> int:
    source = root / "source" / "nnkit"
    bundle = json.loads((source / BUNDLE_FILE).read_text())
    config = load_config(source / "autograder" / "assignment.toml")
    out = Path(tempfile.mkdtemp(prefix="nnkit-gradescope-"))
    shutil.copytree(source / "cache", out / ".cache")
    try:
        results = grade_submission(root / "submission", out, config=config, seed=bundle["seed"], name="submission")
        write_json_atomic(root / "results" / "results.json", results)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/autograder")))
