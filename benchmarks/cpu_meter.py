"""CPU time of this process and everything it starts, the sandboxed children included.

`/usr/bin/time` and `getrusage(RUSAGE_CHILDREN)` miss the children: bubblewrap's are reaped inside their own
PID namespace and the grader kills the sandbox rather than waiting for every process in it. A control group
counts them all: this process moves itself into a fresh cpuacct group (cgroup v1) or a fresh group of the
unified hierarchy (v2, `cpu.stat`), and every process it starts from then on is counted there (the children
join memory and pids groups of their own, never the cpu one). Where neither can be made (not root), the
meter falls back to the whole machine's busy time from /proc/stat, which is right only on an idle machine;
`source` says which.
"""

from __future__ import annotations

import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
USER_HZ = os.sysconf("SC_CLK_TCK")


def machine_busy_s() -> float:
    """Seconds of CPU the whole machine has spent busy (all but idle and iowait) since boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(f) for f in fields]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / USER_HZ


class CpuMeter:
    """`meter.seconds()`: CPU seconds used since the meter was made, by this process and all it starts."""

    def __init__(self) -> None:
        self.source = "machine (/proc/stat)"
        self._read = machine_busy_s
        name = f"nnkit-bench-{os.getpid()}"
        for folder, counter in ((CGROUP / "cpuacct" / name, self._v1), (CGROUP / "unified" / name, self._v2),
                                (CGROUP / name, self._v2)):
            try:
                folder.mkdir()
                (folder / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:
                continue
            self.folder, self._read, self.source = folder, counter, f"control group {folder}"
            break
        self._start = self._read()

    def _v1(self) -> float:
        return int((self.folder / "cpuacct.usage").read_text()) / 1e9

    def _v2(self) -> float:
        for line in (self.folder / "cpu.stat").read_text().splitlines():
            key, value = line.split()
            if key == "usage_usec":
                return int(value) / 1e6
        raise OSError("no usage_usec in cpu.stat")

    def seconds(self) -> float:
        return self._read() - self._start
