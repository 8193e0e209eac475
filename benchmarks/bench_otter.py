"""What otter-grader costs on the same code: `otter run` of the reference, as a notebook, with the kit's otter
bundle; wall time and CPU time of every process (the notebook's kernel included: `cpu_meter.py`).

The figure to set beside `bench_grading.py`'s cold `nnkit grade` and `bench_batch.py`'s CPU per submission.
Builds the bundle first if dist/ has none (`nnkit build`). The load average is printed at the start and the end.

    .venv/bin/python benchmarks/bench_otter.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from cpu_meter import CpuMeter

from autograder.export.otter import submission_notebook
from autograder.paths import REPO, SOLUTIONS

BUNDLE = REPO / "dist" / "otter_autograder.zip"
OTTER = Path(sys.executable).with_name("otter")


def main() -> None:
    meter = CpuMeter()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; CPU counted by {meter.source}")
    if not BUNDLE.exists():
        subprocess.run([sys.executable, "-m", "autograder", "build"], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="nnkit-otter-") as folder:
        notebook = Path(folder) / "submission.ipynb"
        nbformat.write(submission_notebook(SOLUTIONS), notebook)
        env = {**os.environ, "PATH": f"{OTTER.parent}{os.pathsep}{os.environ['PATH']}"}
        start, cpu = time.perf_counter(), meter.seconds()
        subprocess.run([str(OTTER), "run", "-a", str(BUNDLE), "-o", folder, "--no-logo", str(notebook)],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        wall, cpu = time.perf_counter() - start, meter.seconds() - cpu
    print(f"otter run of the reference: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
