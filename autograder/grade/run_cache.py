"""Remembering question runs: the same code on the same cases gives the same reports, so it runs once.

The key is the sha256 of a canonical JSON manifest: the question, the cases' seed, the kit's fingerprint,
the limits and the sandbox, and every file of the assembled work folder (the student's module, the
reference's stand-ins, the probes) as its relative path and the sha256 of its bytes. Nothing a student
writes can make two different work folders give one manifest (a file's bytes never meet a separator).
Runs in which a case timed out or crashed are not remembered: those outcomes can depend on the machine's
load; nor are runs larger than MAX_CACHED_BYTES once serialized: a child may report whatever it likes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ..atomic import write_text_atomic
from .child import CaseReport, QuestionRun
from .reference import kit_fingerprint

MAX_CACHED_BYTES = 1 << 20  # an honest question's run is a few kB (trained models are measured before caching)


def file_digests(workdir: Path) -> list[list[str]]:
    """[[relative path, sha256 of the bytes], ...] for every file under workdir, sorted, caches aside."""
    files = (p for p in workdir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted([p.relative_to(workdir).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest()] for p in files)


def run_manifest(workdir: Path, qid: str, seed: int, settings: str) -> str:
    """The canonical JSON text of everything a question's run depends on."""
    manifest = {"qid": qid, "seed": seed, "kit": kit_fingerprint(), "settings": settings,
                "files": file_digests(workdir)}
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def run_key(workdir: Path, qid: str, seed: int, settings: str) -> str:
    return hashlib.sha256(run_manifest(workdir, qid, seed, settings).encode()).hexdigest()


def load_run(cache_dir: Path | None, key: str) -> QuestionRun | None:
    if cache_dir is None:
        return None
    path = cache_dir / "runs" / f"{key}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    reports = {int(i): CaseReport(**r) for i, r in data["reports"].items()}
    return QuestionRun(reports=reports, log=data["log"])


def save_run(cache_dir: Path | None, key: str, run: QuestionRun) -> None:
    if cache_dir is None:
        return
    if any(not r.ok and (r.error or {}).get("type") in ("Timeout", "Crash") for r in run.reports.values()):
        return
    data = {"reports": {str(i): asdict(r) for i, r in run.reports.items()}, "log": run.log}
    # The child's numbers may be NaN or inf (a student's bad gradient): this private cache keeps them as such.
    text = json.dumps(data, allow_nan=True) + "\n"
    if len(text.encode()) > MAX_CACHED_BYTES:
        return
    write_text_atomic(cache_dir / "runs" / f"{key}.json", text)
