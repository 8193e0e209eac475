"""What hostile submissions cost the grader: its own peak memory and the scratch folder's peak size while
grading each one, and what the seccomp filter adds to starting a sandbox.

    python benchmarks/bench_hostile.py [--limit-gb 1.5]

Each submission of tests/hostile.py is graded alone by `nnkit grade` in a process of its own (the grader's
peak is its own ru_maxrss: the sandboxed children are not counted, they are not the grader's memory), with
TMPDIR pointing at a folder whose size a thread samples every 20 ms. Exits non-zero if any grader peak
passes --limit-gb.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import hostile  # noqa: E402

from autograder.config import load_config  # noqa: E402
from autograder.sandbox import BwrapLauncher, seccomp  # noqa: E402

SEED = 11
DRIVER = """
import os, resource, sys, threading, time
from pathlib import Path
from autograder.cli import main
peak = [0]
def sample():
    root = Path(os.environ["TMPDIR"])
    while True:
        size = 0
        for folder, _, files in os.walk(root):
            for name in files:
                try:
                    size += os.lstat(os.path.join(folder, name)).st_size
                except OSError:
                    pass
        peak[0] = max(peak[0], size)
        time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
rc = main(sys.argv[1:])
print(f"grader_peak_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} scratch_peak_bytes={peak[0]}")
sys.exit(rc)
"""


def submissions(folder: Path) -> dict[str, Path]:
    made = {name: hostile.make(name, folder) for name in hostile.ATTACKS}
    made["nested_source"] = hostile.nested_source(folder)
    made["extra_files"] = hostile.extra_files(folder)
    return made


def grade_one(path: Path, out: Path, config: Path) -> dict[str, float]:
    scratch = Path(tempfile.mkdtemp(prefix="nnkit-bench-scratch-"))
    try:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", DRIVER, "grade", str(path), "--out", str(out), "--seed",
                               str(SEED), "--workers", "1", "--config", str(config)],
                              capture_output=True, text=True, env={**os.environ, "TMPDIR": str(scratch)})
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        fields = dict(item.split("=") for item in done.stdout.strip().splitlines()[-1].split())
        return {"grader_mb": int(fields["grader_peak_kb"]) / 1024,
                "scratch_mb": int(fields["scratch_peak_bytes"]) / 2**20, "seconds": time.monotonic() - started}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def startup_seconds(with_filter: bool, runs: int = 9) -> float:
    """Median wall time to start a sandboxed Python that does nothing, and end it."""
    real = seccomp.filter_program
    if not with_filter:
        seccomp.filter_program = lambda: None
    try:
        launcher = BwrapLauncher(load_config().limits)
        folder = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
        runner = folder / "nnkit_probes" / "runner.py"
        runner.parent.mkdir()
        runner.write_text("pass\n")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            process = launcher.start(folder, runner)
            process.communicate(b"")
            launcher.kill(process)
            times.append(time.perf_counter() - started)
        shutil.rmtree(folder)
        return statistics.median(times)
    finally:
        seccomp.filter_program = real


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-gb", type=float, default=1.5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-hostile-"))
    config = Path(__file__).resolve().parents[1] / "autograder" / "assignment.toml"
    print(f"load average before: {os.getloadavg()}")
    worst = 0.0
    try:
        out = work / "out"
        for name, path in submissions(work / "class").items():
            figures = grade_one(path, out, config)
            worst = max(worst, figures["grader_mb"])
            print(f"{name:16s} grader peak {figures['grader_mb']:7.1f} MB  scratch peak {figures['scratch_mb']:7.2f} MB"
                  f"   {figures['seconds']:6.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with_filter, without = startup_seconds(True), startup_seconds(False)
    print(f"sandbox start-up, median of 9: with seccomp {with_filter:.3f} s, without {without:.3f} s, "
          f"ratio {with_filter / without:.2f}")
    print(f"load average after: {os.getloadavg()}")
    return 0 if worst < args.limit_gb * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
