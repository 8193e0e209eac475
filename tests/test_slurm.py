"""examples/slurm_grade.sh on a real one-node Slurm cluster: a class graded by a job array in three shards, merged.

The cluster (tests/slurm_cluster.py) is this machine's own munged, slurmctld and slurmd, started for this module
in a temporary folder. Debian's packages are installed if they are missing; the tests skip only if they cannot
be. Each array task gets 1 CPU and 2 GB per CPU (SBATCH_CPUS_PER_TASK, SBATCH_MEM_PER_CPU) in place of the
script's `#SBATCH` sizing, which no 2-CPU node fits: two tasks run at once.

The class is the reference, the starter and two students who finished engine.py only, one of them with a bug:
a full grading for the reference, little for the others. Its gradebook, results and feedback pages must be those
of one `nnkit grade` run of the same class, timings aside, whether the array ran through or one task was
cancelled and the script run again.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import slurm_cluster
from mutations import MUTATIONS
from once import once

from autograder.grade.batch import shard_of
from autograder.paths import SOLUTIONS, STARTER

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "examples" / "slurm_grade.sh"
NNKIT = Path(sys.executable).parent / "nnkit"  # the kit of this test run, for every job
SEED = 7
SHARDS = 3
# Each submission's shard, by its name: every shard grades something, and the cancelled one (in the second
# test) costs little to grade again.
CLASS_SHARDS = {"reference": 1, "engine_only": 3, "engine_buggy": 2, "starter": 2}
CANCELLED = 3

spec = importlib.util.spec_from_file_location("same_results", REPO / "scripts" / "same_results.py")
same_results = importlib.util.module_from_spec(spec)
spec.loader.exec_module(same_results)

pytestmark = pytest.mark.slow


def write_class(folder: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(SOLUTIONS, folder / "reference", ignore=ignore)
    shutil.copytree(STARTER, folder / "starter", ignore=ignore)
    shutil.copytree(STARTER, folder / "engine_only", ignore=ignore)
    shutil.copyfile(SOLUTIONS / "engine.py", folder / "engine_only" / "engine.py")
    shutil.copytree(STARTER, folder / "engine_buggy", ignore=ignore)
    [mutation] = [m for m in MUTATIONS if m.name == "mul_uses_the_wrong_operand"]
    (folder / "engine_buggy" / "engine.py").write_text(mutation.source("engine"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[slurm_cluster.Cluster]:
    reason = slurm_cluster.install()
    if reason:
        pytest.skip(reason)
    with slurm_cluster.running(tmp_path_factory.mktemp("slurm")) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def single_run(session_folder) -> tuple[Path, Path, Path]:
    """(the class's folder, its grading by one `nnkit grade`, the reference outputs' cache), once per session.

    Under pytest-xdist both tests may run on different workers: they share this run through a file lock."""
    root = once(session_folder / "slurm-class", grade_singly)
    return root / "submissions", root / "single", root / "nnkit-cache"


def grade_singly(root: Path) -> None:
    subs, single = root / "submissions", root / "single"
    for folder in (subs, single):
        shutil.rmtree(folder, ignore_errors=True)
    write_class(subs)
    run = subprocess.run([str(NNKIT), "grade", str(subs), "--out", str(single), "--seed", str(SEED)],
                         env=dict(os.environ, NNKIT_CACHE=str(root / "nnkit-cache")), capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]


def submit(cluster: slurm_cluster.Cluster, subs: Path, out: Path, cache: Path, cwd: Path) -> tuple[str, str]:
    """Run the example script from cwd, as a user on a login node would; (array job id, merge job id)."""
    env = dict(cluster.env, NNKIT=str(NNKIT), NNKIT_CACHE=str(cache), SBATCH_CPUS_PER_TASK="1",
               SBATCH_MEM_PER_CPU="2G")
    run = subprocess.run(["bash", str(SCRIPT), str(subs), str(out), str(SHARDS), "--", "--seed", str(SEED)],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    found = re.search(rf"submitted grading array (\d+) \({SHARDS} shards\) and merge job (\d+);", run.stdout)
    assert found, run.stdout
    return found[1], found[2]


def assert_same_run(single: Path, merged: Path) -> None:
    """merged holds single's gradebooks byte for byte, and its results and feedback, timings and dates aside."""
    for name in ("grades.csv", "canvas.csv"):
        assert (merged / name).read_bytes() == (single / name).read_bytes(), name
    for folder in ("results", "feedback"):
        names = sorted(p.name for p in (single / folder).iterdir())
        assert names == sorted(p.name for p in (merged / folder).iterdir()), folder
        for name in names:
            assert same_results.same(single / folder / name, merged / folder / name), f"{folder}/{name}"


def shard_log(cwd: Path, array: str, k: int) -> str:
    return (cwd / f"slurm-nnkit-grade-{array}_{k}.out").read_text()


def job_logs(cwd: Path) -> str:
    """The jobs' output files, to explain a failure."""
    return "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(cwd.glob("slurm-*.out")))


def test_the_class_is_split_as_the_tests_assume():
    assert {name: shard_of(name, SHARDS) for name in CLASS_SHARDS} == CLASS_SHARDS


def test_a_job_array_grades_three_shards_and_a_merge_job_joins_them(cluster, single_run, tmp_path):
    subs, single, cache = single_run
    array, merge = submit(cluster, subs, tmp_path / "graded", cache, tmp_path)

    [merged] = cluster.wait(merge)
    tasks = cluster.jobs(array)
    assert (merged["JobState"], merged["ExitCode"]) == ("COMPLETED", "0:0"), job_logs(tmp_path)
    assert sorted((t["ArrayTaskId"], t["JobState"], t["NumCPUs"]) for t in tasks) == [
        (str(k), "COMPLETED", "1") for k in range(1, SHARDS + 1)]
    assert "reports for 4 submissions" in (tmp_path / f"slurm-nnkit-merge-{merge}.out").read_text()
    for k in range(1, SHARDS + 1):  # task k graded shard k ($SLURM_ARRAY_TASK_ID), and only it
        names = sorted(n for n, shard in CLASS_SHARDS.items() if shard == k)
        assert sorted(p.stem for p in (tmp_path / "graded" / "shards" / str(k) / "results").iterdir()) == names
        assert f"shard {k}/{SHARDS}: graded {len(names)} submission(s)" in shard_log(tmp_path, array, k)
    assert_same_run(single, tmp_path / "graded")


def test_a_cancelled_task_stops_the_merge_and_the_script_run_again_grades_only_the_rest(cluster, single_run,
                                                                                         tmp_path):
    subs, single, cache = single_run
    out, shards = tmp_path / "graded", tmp_path / "graded" / "shards"
    cluster.run("scontrol", "update", "PartitionName=test", "State=DOWN")  # jobs queue, none starts
    try:
        array, merge = submit(cluster, subs, out, cache, tmp_path)
        cluster.run("scancel", f"{array}_{CANCELLED}")
    finally:
        cluster.run("scontrol", "update", "PartitionName=test", "State=UP")

    tasks = {t["ArrayTaskId"]: t["JobState"] for t in cluster.wait(array)}
    # Slurm 22.05 keeps no record of a task cancelled before it started; later versions may.
    assert tasks.pop(str(CANCELLED), "CANCELLED") == "CANCELLED"
    assert tasks == {"1": "COMPLETED", "2": "COMPLETED"}
    [waiting] = cluster.wait(merge)
    # Pending for good: this cluster, like Slurm by default, does not cancel a job whose dependency failed.
    assert (waiting["JobState"], waiting["Reason"]) == ("PENDING", "DependencyNeverSatisfied")
    cluster.run("scancel", merge)
    assert not (tmp_path / f"slurm-nnkit-merge-{merge}.out").exists() and not (out / "grades.csv").exists()
    assert not (tmp_path / f"slurm-nnkit-grade-{array}_{CANCELLED}.out").exists()
    assert not (shards / str(CANCELLED)).exists()
    finished = {p: p.stat().st_mtime_ns for k in (1, 2) for p in (shards / str(k) / "results").iterdir()}
    assert len(finished) == 3

    again, merge = submit(cluster, subs, out, cache, tmp_path)
    [merged] = cluster.wait(merge)
    assert (merged["JobState"], merged["ExitCode"]) == ("COMPLETED", "0:0"), job_logs(tmp_path)
    for k in (1, 2):
        skipped = len([n for n, shard in CLASS_SHARDS.items() if shard == k])
        assert "graded 0 submission(s) in" in shard_log(tmp_path, again, k)
        assert f"{skipped} skipped as already graded" in shard_log(tmp_path, again, k)
    assert f"shard {CANCELLED}/{SHARDS}: graded 1 submission(s)" in shard_log(tmp_path, again, CANCELLED)
    assert {p: p.stat().st_mtime_ns for p in finished} == finished  # not graded, not even rewritten
    assert_same_run(single, out)
