"""dist/autograder.zip for Gradescope: setup.sh, run_autograder, the kit's grader and the reference, a secret.

The zip holds only what grading needs: autograder/ (with the assignment.toml in force), solutions/, and
pyproject.toml, under nnkit/; never the starter, the notebooks or the kit's tests. nnkit/bundle.json records
the build's seed and a secret drawn once per build: each submission is graded with a seed derived from the
secret and its own files (gradescope_run.submission_seed), so no two different submissions meet the same
cases and a regrade of the same files reproduces its grade. The reference's outputs for the build's seed
ride along in nnkit/cache; those of a submission's seed are computed when it is graded.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import zipfile
from pathlib import Path

from .. import __version__
from ..config import Config
from ..grade.reference import expected_outputs
from ..hidden import suite
from ..paths import PACKAGE, REPO, SOLUTIONS

TEMPLATES = Path(__file__).with_name("gradescope")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def bundle_record(seed: int, seed_per_submission: bool) -> dict:
    """nnkit/bundle.json: the build's seed, the kit's version, and the secret that submissions' seeds come from.

    Without a secret (seed_per_submission=False) every submission is graded with the build's seed: only for
    tests, or a course that accepts that a student who has seen the cases once may answer them from memory.
    """
    secret = secrets.token_hex(32) if seed_per_submission else None
    return {"seed": seed, "kit_version": __version__, "seed_secret": secret}


def lay_out(config: Config, folder: Path, seed: int, cache: Path | None = None,
            seed_per_submission: bool = True) -> None:
    """The bundle's files in folder (zip root); cache may already hold the reference's outputs for seed."""
    kit = folder / "nnkit"
    shutil.copytree(PACKAGE, kit / "autograder", ignore=IGNORE)
    shutil.copyfile(config.source, kit / "autograder" / "assignment.toml")
    shutil.copytree(SOLUTIONS, kit / "solutions", ignore=IGNORE)
    shutil.copyfile(REPO / "pyproject.toml", kit / "pyproject.toml")
    shutil.copyfile(REPO / "README.md", kit / "README.md")
    (kit / "bundle.json").write_text(json.dumps(bundle_record(seed, seed_per_submission)) + "\n")
    # The reference's outputs, computed here once rather than on Gradescope for every submission.
    expected_outputs(suite(seed), seed, cache)
    (kit / "cache").mkdir()
    if cache is not None:
        for path in Path(cache).glob(f"expected-{seed}-*.json"):
            shutil.copyfile(path, kit / "cache" / path.name)
    expected_outputs(suite(seed), seed, kit / "cache")
    for script in ("setup.sh", "run_autograder"):
        shutil.copyfile(TEMPLATES / script, folder / script)


def write_gradescope_bundle(config: Config, archive: Path, seed: int | None = None, cache: Path | None = None,
                            seed_per_submission: bool = True) -> Path:
    """Write the Gradescope autograder zip to archive; seed defaults to a fresh one; the rest as in lay_out."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        lay_out(config, Path(scratch), seed, cache, seed_per_submission)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(scratch).rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(scratch)))
                    executable = path.name in ("setup.sh", "run_autograder")
                    info.external_attr = (0o100755 if executable else 0o100644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
    return archive
