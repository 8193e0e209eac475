"""A real one-node Slurm cluster for the tests: munged, slurmctld and slurmd of this machine, all in one folder.

`install()` puts Debian's packages on the machine if they are missing (it returns why it cannot, for a skip).
`running(folder)` writes a slurm.conf for one node (this machine's short hostname, 2 CPUs), starts the three
daemons in the foreground as child processes, on free ports, with their own munge key, state, spool, logs and
pid files under folder, and stops them by their process ids when the block ends, whatever happens. munged
wants its socket in a folder every user can reach: that one is made in /tmp, and removed afterwards. The
client commands find the cluster through SLURM_CONF (`Cluster.env`); no daemon of the machine's own is
started or stopped.

The sbatch of Slurm 22.05 (Debian 12) reads SBATCH_MEM_PER_CPU from the environment, which beats a script's
`#SBATCH --mem-per-cpu`, but no SBATCH_CPUS_PER_TASK. The cluster's cli_filter plugin (cli_filter.lua next to
slurm.conf) applies that one: with SBATCH_CPUS_PER_TASK set, every job asks for that many CPUs per task, whatever
its script or command line says.

    python tests/slurm_cluster.py FOLDER

starts the same cluster by hand (installing the packages first if need be), until Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("slurmctld", "slurmd", "slurm-client", "munge")
COMMANDS = ("slurmctld", "slurmd", "munged", "sbatch", "scontrol", "scancel", "squeue")
SBIN_PATH = f"{os.environ.get('PATH', '')}:/usr/local/sbin:/usr/sbin:/sbin"
ENDED = frozenset({"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL"})
STUCK = frozenset({"DependencyNeverSatisfied", "PartitionConfig"})  # a pending job's reasons that never change

CONF = """\
ClusterName=nnkit-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
MinJobAge=3600
CliFilterPlugins=cli_filter/lua
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""

# Read by sbatch (and salloc, srun) next to slurm.conf: SBATCH_CPUS_PER_TASK, if set, sizes every job's tasks.
CLI_FILTER = """\
function slurm_cli_setup_defaults(options, early_pass)
    return slurm.SUCCESS
end

function slurm_cli_pre_submit(options, pack_offset)
    local cpus = os.getenv("SBATCH_CPUS_PER_TASK")
    if cpus ~= nil then
        options["cpus-per-task"] = cpus
    end
    return slurm.SUCCESS
end

function slurm_cli_post_submit(offset, jobid, stepid)
    return slurm.SUCCESS
end
"""


def which(command: str) -> str | None:
    return shutil.which(command, path=SBIN_PATH)


def install() -> str | None:
    """None once Slurm and munge are on this machine (installed with apt-get if missing), else why they are not."""
    if all(map(which, COMMANDS)):
        return None
    if not shutil.which("apt-get"):
        return "Slurm is not installed, and there is no apt-get to install it"
    if os.geteuid() != 0:
        return "Slurm is not installed, and installing it takes root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=120"]
    for command in (["apt-get", *lock, "update", "-qq"],
                    ["apt-get", *lock, "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]):
        run = subprocess.run(command, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            return f"`{' '.join(command)}` failed: {run.stderr.strip()[-500:]}"
    return None if all(map(which, COMMANDS)) else f"installed {', '.join(PACKAGES)}, yet {COMMANDS} are not all there"


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb() -> int:
    """A bit below this machine's memory, as slurmd must find at least the RealMemory it is told."""
    total_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
    return total_kb // 1024 * 9 // 10


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]  # the environment of a client command: this cluster's SLURM_CONF

    def run(self, *command: str, **env: str) -> str:
        """A Slurm client command's stdout (raising with its stderr if it fails)."""
        done = subprocess.run(command, env={**self.env, **env}, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.strip()}")
        return done.stdout

    def jobs(self, job: str) -> list[dict[str, str]]:
        """`scontrol show job` of a job (or of each task of an array) as {field: value}; [] once forgotten."""
        try:
            text = self.run("scontrol", "show", "job", "--oneliner", job)
        except RuntimeError as e:
            if "Invalid job id" in str(e):
                return []
            raise
        return [dict(field.partition("=")[::2] for field in line.split()) for line in text.splitlines() if line]

    def wait(self, job: str, timeout: float = 600.0) -> list[dict[str, str]]:
        """The job's records (an array's tasks) once each has ended, or pends for a reason that will not pass."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.jobs(job)
            if records and all(r["JobState"] in ENDED or r.get("Reason") in STUCK for r in records):
                return records
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job} after {timeout:.0f} s: {records}\n{self.logs()}")
            time.sleep(0.5)

    def logs(self) -> str:
        """The daemons' logs, last lines, to explain a failure."""
        parts = []
        for name in ("munged.out", "slurmctld.out", "slurmctld.log", "slurmd.out", "slurmd.log"):
            path = self.folder / name
            lines = path.read_text(errors="replace").splitlines()[-15:] if path.exists() else ["(none)"]
            parts.append(f"--- {name}\n" + "\n".join(lines))
        return "\n".join(parts)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """End a daemon this module started, by its process id: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(folder: Path, cpus: int | None = None) -> Iterator[Cluster]:
    """A cluster with one idle node of cpus CPUs (default: 2, or 1 on a 1-core machine), for the duration of the
    block; its jobs are cancelled and its daemons stopped after."""
    folder, cpus = Path(folder), cpus or min(2, os.cpu_count() or 1)
    for sub in ("state", "spool"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    host = socket.gethostname().split(".")[0]
    socket_dir = Path(tempfile.mkdtemp(prefix="nnkit-munge-"))
    socket_dir.chmod(0o755)
    munge_socket = socket_dir / "munge.socket"
    conf = folder / "slurm.conf"
    conf.write_text(CONF.format(host=host, folder=folder, munge_socket=munge_socket, ctld_port=free_port(),
                                slurmd_port=free_port(), cpus=cpus, memory_mb=memory_mb()))
    (folder / "cli_filter.lua").write_text(CLI_FILTER)
    key = folder / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o400)
    cluster = Cluster(folder, dict(os.environ, SLURM_CONF=str(conf), PATH=SBIN_PATH))
    munged = [which("munged"), "--foreground", f"--key-file={key}", f"--socket={munge_socket}",
              f"--pid-file={folder}/munged.pid", f"--seed-file={folder}/munged.seed"]
    processes: list[subprocess.Popen] = []
    with ExitStack() as daemons:
        daemons.callback(shutil.rmtree, socket_dir, ignore_errors=True)  # last, once munged has stopped
        for name, command in (("munged", munged), ("slurmctld", [which("slurmctld"), "-D", "-f", str(conf)]),
                              ("slurmd", [which("slurmd"), "-D", "-f", str(conf)])):
            log = daemons.enter_context(open(folder / f"{name}.out", "ab"))
            process = subprocess.Popen(command, env=cluster.env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
            daemons.callback(stop, process)
            processes.append(process)
            if name == "munged":
                wait_for(munge_socket.exists, "munged's socket", cluster, processes)
        wait_for(lambda: node_state(cluster) == "idle", "an idle node", cluster, processes)
        try:
            yield cluster
        finally:
            cancel_all(cluster)


def node_state(cluster: Cluster) -> str:
    try:
        return cluster.run("sinfo", "--noheader", "--format=%T").strip()
    except (RuntimeError, subprocess.TimeoutExpired):
        return ""


def wait_for(ready: Callable[[], bool], what: str, cluster: Cluster, processes: list[subprocess.Popen],
             timeout: float = 60.0) -> None:
    """Wait until ready(); fail with the daemons' logs if one of them ends first, or after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
            raise RuntimeError(f"the test cluster never had {what}\n{cluster.logs()}")
        time.sleep(0.2)


def cancel_all(cluster: Cluster, timeout: float = 30.0) -> None:
    """Cancel every job of this cluster and wait until none runs, so that no job outlives its slurmd."""
    try:
        cluster.run("scancel", f"--user={os.geteuid()}")
        deadline = time.monotonic() + timeout
        while cluster.run("squeue", "--noheader", "--states=PENDING,RUNNING,COMPLETING,SUSPENDED").strip():
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
    except (RuntimeError, subprocess.TimeoutExpired):
        pass  # the daemons are stopped next in any case


def main(folder: str) -> None:
    reason = install()
    if reason:
        raise SystemExit(reason)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops the cluster as Ctrl-C does
    with running(Path(folder).resolve()) as cluster:
        print(f"export SLURM_CONF={cluster.env['SLURM_CONF']}  # then sbatch, squeue, ... use this cluster")
        print("Ctrl-C cancels its jobs and stops it.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(*sys.argv[1:])
