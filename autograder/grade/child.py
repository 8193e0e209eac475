"""Driving the child that runs a question's probes: the job in, one line per case out, limits enforced.

Each case must report within the case time limit; a case that hangs or kills the child is recorded as
such, the child is killed with everything it started, and a fresh one takes the remaining cases. Lines
that do not carry this run's nonce or the expected case are ignored: the child is untrusted.
"""

from __future__ import annotations

import json
import math
import pickle
import queue
import secrets
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Limits
from ..hidden.case import Case
from ..sandbox.preloaded import Children, ForkedChild
from .assemble import PACKAGE_NAME, PROBES_NAME, Assembled

IMPORTED = -1  # see probes/runner.py
GRADER_KINDS = ("Timeout", "Crash", "TooLarge", "Unusable")  # failures the grader reports, never the child

# The grader holds at most QUEUED_LINES reports of a child at once, each within its case's bound: a child
# that floods its output waits for the grader instead of filling the grader's memory.
REPORT_BYTES = 256 * 1024
MEASURED_REPORT_BYTES = 8 * 1024 * 1024  # trained parameters: the CNN's take 6.4 MB
QUEUED_LINES = 8
MAX_ERROR_FIELD = 1100  # characters of an error's type, message or place: probes/runner.py cuts messages at 1000
EOF_MARK = None
OVERSIZED = b""  # in place of a line longer than the bound (a real line is never empty: it ends with a newline)


def report_bound(case: Case) -> int:
    """The most bytes the child may send about case."""
    return MEASURED_REPORT_BYTES if case.measure else REPORT_BYTES


@dataclass
class CaseReport:
    """What the child said about one case (or what the grader saw happen to it)."""

    ok: bool
    output: dict | None = None
    error: dict | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Deadline:
    """When a question's cases must have finished (time.monotonic()), and what to say of those that did not."""

    at: float
    reason: str


@dataclass
class QuestionRun:
    reports: dict[int, CaseReport] = field(default_factory=dict)
    log: str = ""


def pump_lines(stream, sink: queue.Queue, bound: int) -> None:
    """Each line of stream into sink; a line longer than bound is skipped (read in pieces, never held whole)."""
    while line := stream.readline(bound + 1):
        if len(line) > bound:
            while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
            line = OVERSIZED
        sink.put(line)
    sink.put(EOF_MARK)


def discard_until_done(lines: queue.Queue, pump: threading.Thread, until: float) -> None:
    """Empty the queue until the pump thread ends (a pump blocked on a full queue would never end)."""
    while pump.is_alive() and time.monotonic() < until:
        try:
            lines.get(timeout=0.05)
        except queue.Empty:
            pass


def pump_log(stream, chunks: list, budget: int) -> None:
    kept = 0
    while chunk := stream.read(8192):
        if kept < budget:
            chunks.append(chunk[: budget - kept])
        kept += len(chunk)
    if kept > budget:
        chunks.append(f"\n[output cut: {kept - budget} more bytes]\n".encode())


def exit_reason(returncode: int | None) -> str:
    if returncode is None:
        return "the process stopped reporting"
    if returncode < 0 or 128 < returncode <= 128 + 64:  # bubblewrap reports a signal as 128 + its number
        number = -returncode if returncode < 0 else returncode - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hints = {"SIGSEGV": " (a crash in native code)", "SIGKILL": " (killed: memory or time limit?)",
                 "SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (file size limit)"}
        return f"the process died of {name}{hints.get(name, '')}"
    return f"the process exited with code {returncode} before reporting (sys.exit or os._exit in your code?)"


def work_files(workdir: Path) -> dict[str, bytes]:
    """Every file of the work folder, by its path relative to it: what a forked child is sent."""
    return {p.relative_to(workdir).as_posix(): p.read_bytes() for p in sorted(workdir.rglob("*")) if p.is_file()}


def run_question(children: Children, assembled: Assembled, cases: list[tuple[int, Case]], limits: Limits,
                 deadline: Deadline) -> QuestionRun:
    """Run every case of one question in the assembled workdir, in children started by `children`; one
    CaseReport per case index."""
    run = QuestionRun()
    logs: list[bytes] = []
    remaining = list(cases)
    workdir, blocked_imports = assembled.workdir, list(assembled.blocked_imports)
    runner = workdir / PROBES_NAME / "runner.py"
    while remaining:
        nonce = secrets.token_hex(16)
        job = {
            "package": PACKAGE_NAME,
            "modules": list(assembled.modules),
            "stand_ins": assembled.stand_ins,
            "nonce": nonce,
            "blocked_imports": blocked_imports,
            "cases": [{"index": i, "probe": c.probe, "inputs": c.inputs} for i, c in remaining],
        }
        process = children.start(workdir, runner, blocked_imports)
        if isinstance(process, ForkedChild):
            job["files"] = work_files(workdir)
        lines: queue.Queue = queue.Queue(maxsize=QUEUED_LINES)
        bound = max(report_bound(c) for _, c in remaining)
        line_pump = threading.Thread(target=pump_lines, args=(process.stdout, lines, bound), daemon=True)
        log_pump = threading.Thread(target=pump_log, args=(process.stderr, logs, limits.output_kb * 1024),
                                    daemon=True)
        line_pump.start()
        log_pump.start()
        try:
            process.stdin.write(pickle.dumps(job))
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

        finished = 0
        started = time.monotonic()
        if wait_for(lines, nonce, IMPORTED, case_end(started, limits, deadline)) is None:
            # Importing the student's code hangs or kills the child: every case would, so none is retried.
            report = stopped(process, started, limits, deadline, "while importing your code")
            for index, _ in remaining:
                run.reports[index] = report
            finished = len(remaining)
        for index, case in remaining[finished:]:
            started = time.monotonic()
            report = wait_for(lines, nonce, index, case_end(started, limits, deadline), report_bound(case))
            if report is None:
                run.reports[index] = stopped(process, started, limits, deadline, "")
                finished += 1
                break
            run.reports[index] = report
            finished += 1
        children.kill(process)
        discard_until_done(lines, line_pump, until=time.monotonic() + 2)
        log_pump.join(timeout=2)
        remaining = remaining[finished:]
        if time.monotonic() >= deadline.at:
            for index, _ in remaining:
                run.reports[index] = CaseReport(False, error={"type": "Timeout", "where": "",
                                                              "message": deadline.reason})
            remaining = []
    run.log = b"".join(logs).decode("utf-8", "replace")
    return run


def case_end(started: float, limits: Limits, deadline: Deadline) -> float:
    """When a case started at `started` must have reported: its own limit, or the deadline if sooner."""
    return min(started + limits.case_timeout_s, max(started, deadline.at))


def stopped(process, started: float, limits: Limits, deadline: Deadline, during: str) -> CaseReport:
    """What to record when the child went quiet: it hangs (a time limit) or it died (how)."""
    elapsed = time.monotonic() - started
    try:
        process.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        pass
    when = f" {during}" if during else ""
    if process.poll() is None:
        why = (deadline.reason if deadline.at - started < limits.case_timeout_s
               else f"took longer than {limits.case_timeout_s:g} s{when} (an endless loop?)")
        return CaseReport(False, error={"type": "Timeout", "message": why, "where": ""}, seconds=elapsed)
    return CaseReport(False, error={"type": "Crash", "message": exit_reason(process.returncode) + when, "where": ""},
                      seconds=elapsed)


def wait_for(lines: queue.Queue, nonce: str, index: int, until: float, bound: int = REPORT_BYTES
             ) -> CaseReport | None:
    """The child's report on case index, or None if it stops or time runs out first.

    Reports come in the order of the cases, so a line too long to read is taken as this case's report."""
    prefix = nonce.encode() + b" "
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return None
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            return None
        if line is EOF_MARK:
            return None
        if line == OVERSIZED or len(line) > bound:
            return CaseReport(False, error={"type": "TooLarge", "where": "",
                                            "message": f"your result is larger than {bound >> 10} KiB"})
        if not line.startswith(prefix):
            continue
        try:
            message = json.loads(line[len(prefix):])
        except (ValueError, RecursionError):
            continue
        if not isinstance(message, dict) or message.get("index") != index:
            continue
        seconds = message.get("seconds") if isinstance(message.get("seconds"), (int, float)) else 0.0
        seconds = seconds if math.isfinite(seconds) else 0.0  # a forged line must not put inf into the results
        if message.get("ok") is True and isinstance(message.get("output"), dict):
            return CaseReport(True, output=message["output"], seconds=float(seconds))
        error = message.get("error") if isinstance(message.get("error"), dict) else {}
        error = {k: str(error.get(k, ""))[:MAX_ERROR_FIELD] for k in ("type", "message", "where")}
        if error["type"] in GRADER_KINDS:  # only the grader says a case timed out or crashed
            error["type"] = "Exception"
        return CaseReport(False, error=error,
                          seconds=float(seconds))
