"""Remembering question runs: the same code on the same cases gives the same reports, so it runs once.

The key covers every byte of the assembled work folder (the student's module, the reference's stand-ins,
the probes), the cases' seed and the kit's fingerprint, the limits and the sandbox. Runs in which a case
timed out or crashed are not remembered: those outcomes can depend on the machine's load.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from .child import CaseReport, QuestionRun
from .reference import kit_fingerprint
from .results import write_text_atomic


def run_key(workdir: Path, qid: str, seed: int, settings: str) -> str:
    digest = hashlib.sha256(f"{qid}\0{seed}\0{kit_fingerprint()}\0{settings}".encode())
    for path in sorted(p for p in workdir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(workdir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_run(cache_dir: Path | None, key: str) -> QuestionRun | None:
    if cache_dir is None:
        return None
    path = cache_dir / "runs" / f"{key}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    reports = {int(i): CaseReport(**r) for i, r in data["reports"].items()}
    return QuestionRun(reports=reports, log=data["log"], log_cut=data["log_cut"])


def save_run(cache_dir: Path | None, key: str, run: QuestionRun) -> None:
    if cache_dir is None:
        return
    if any(not r.ok and (r.error or {}).get("type") in ("Timeout", "Crash") for r in run.reports.values()):
        return
    data = {"reports": {str(i): asdict(r) for i, r in run.reports.items()}, "log": run.log, "log_cut": run.log_cut}
    # The child's numbers may be NaN or inf (a student's bad gradient): this private cache keeps them as such.
    write_text_atomic(cache_dir / "runs" / f"{key}.json", json.dumps(data, allow_nan=True) + "\n")
