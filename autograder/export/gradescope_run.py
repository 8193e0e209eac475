"""Inside Gradescope: grade /autograder/submission with its own seed and write results/results.json.

The seed comes from the bundle's secret and the submission's files (`submission_seed`): a resubmission of
the same files meets the same cases, any change meets new ones, and no student's cases can be learnt from
another's. The reference's outputs for that seed are computed here when the bundle's cache lacks them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from ..config import Config, load_config
from ..grade.batch import submission_hash
from ..grade.grader import grade_submission
from ..results import write_results

BUNDLE_FILE = "bundle.json"
SEEDS = 2**31


def submission_seed(bundle: dict, files_hash: str | None) -> int:
    """int(sha256(secret ‖ the submission's files hash)) mod 2**31; the build's seed without either of them."""
    secret = bundle.get("seed_secret")
    if not secret or not files_hash:
        return int(bundle["seed"])
    digest = hashlib.sha256(bytes.fromhex(secret) + files_hash.encode()).digest()
    return int.from_bytes(digest[:8], "big") % SEEDS


def seed_for(submission: Path, bundle: dict, config: Config) -> int:
    """The seed to grade submission with (a submission that cannot be opened gets the build's seed, and 0)."""
    try:
        files_hash = submission_hash(submission, config)
    except Exception:  # noqa: BLE001 - grading opens it again and reports why it cannot
        files_hash = None
    return submission_seed(bundle, files_hash)


def main(root: Path) -> int:
    source = root / "source" / "nnkit"
    bundle = json.loads((source / BUNDLE_FILE).read_text())
    config = load_config(source / "autograder" / "assignment.toml")
    seed = seed_for(root / "submission", bundle, config)
    out = Path(tempfile.mkdtemp(prefix="nnkit-gradescope-"))
    shutil.copytree(source / "cache", out / ".cache")
    try:
        results = grade_submission(root / "submission", out, config=config, seed=seed, name="submission")
        write_results(root / "results" / "results.json", results)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/autograder")))
