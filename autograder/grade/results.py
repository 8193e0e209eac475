"""Results in Gradescope's results.json schema, written atomically; and the contract's grades.csv."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path

from ..config import QUESTION_IDS, Config


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to path so that readers see the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def points(x: float) -> float:
    """Scores rounded to 4 decimals, so sums of shares print and compare cleanly."""
    value = round(float(x), 4)
    return 0.0 if not math.isfinite(value) else value


def grades_row(results: dict) -> dict:
    extra = results["extra_data"]
    row = {"submission": extra["submission"]}
    for qid in QUESTION_IDS:
        row[qid] = points(extra["questions"].get(qid, {}).get("score", 0.0))
    row["total"] = points(results["score"])
    row["max"] = points(extra["max_score"])
    return row


def grades_csv(all_results: list[dict], config: Config) -> str:
    """grades.csv of the contract: one row per submission, a column per question id, total and maximum."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["submission", *QUESTION_IDS, "total", "max"], lineterminator="\n")
    writer.writeheader()
    for results in sorted(all_results, key=lambda r: r["extra_data"]["submission"]):
        writer.writerow(grades_row(results))
    return out.getvalue()
