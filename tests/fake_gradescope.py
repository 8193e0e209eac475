"""A fake /autograder tree in a temporary folder, and Gradescope's call of run_autograder in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path


def lay_out(bundle: Path, root: Path) -> Path:
    """root/source holds the unzipped bundle; root/results and root/submission are empty. Returns root."""
    for folder in ("source", "results", "submission"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
    return root


def run_autograder(root: Path) -> dict:
    """Run the bundle's run_autograder on root/submission as Gradescope would; its results.json."""
    env = {**os.environ, "NNKIT_AUTOGRADER_ROOT": str(root), "NNKIT_PYTHON": sys.executable}
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads((root / "results" / "results.json").read_text())
