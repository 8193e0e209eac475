"""Results dicts of a made-up class, and a fake per-submission grader, for the report and batch tests.

`make_result` builds what the real grader writes (Gradescope's results.json schema with the kit's
extra_data): each question has a public case and a hidden case, each worth half its points.
`fake_grade` stands in for `grade_submission`: a submission is a folder whose engine.py says how the
fake should behave (FULL, HALF, ZERO, RAISE, DIE, SLEEP <seconds>, UNGRADABLE <reason>).
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

from autograder import __version__
from autograder.atomic import write_json_atomic
from autograder.config import Config, load_config
from autograder.results import Results

CONFIG = load_config()
GRADED_AT = "2024-05-01T12:00:00+00:00"  # fixed, so that two runs of the fake write the same bytes


def make_result(name: str, config: Config = CONFIG, *, earned: dict[str, float] | None = None, default: float = 1.0,
                error: str | None = None, seconds: float = 1.0, seed: int = 1234, submission_hash: str = "f" * 64,
                outputs: dict[str, str] | None = None, summary: str = "") -> dict:
    """earned[qid] is 1 (both cases pass), 0.5 (the public case fails) or 0 (both fail); default for the rest."""
    earned, outputs = earned or {}, outputs or {}
    tests, questions = [], {}
    for qid, q in config.questions.items():
        share = 0.0 if error else earned.get(qid, default)
        half = q.points / 2
        cases = [("public case", share < 1, "visible", True), ("hidden case", share < 0.5, "after_published", False)]
        for case, fails, visibility, public in cases:
            output = (outputs.get(qid, f"checked {qid} on x=3.0: expected 6.0, got 5.5") if fails
                      else f"checked {qid}: as expected")
            tests.append({"name": f"{qid}: {case}", "score": 0.0 if fails else half, "max_score": half,
                          "status": "failed" if fails else "passed", "output": output, "visibility": visibility,
                          "extra_data": {"question": qid, "case": case, "public": public, "seconds": 0.01}})
        questions[qid] = {"score": q.points * (0 if share < 0.5 else share), "max_score": q.points}
    score = sum(v["score"] for v in questions.values())
    return {
        "score": score, "execution_time": seconds, "output": summary or f"{name}: {score:g} points", "tests": tests,
        "extra_data": {"submission": name, "submission_hash": submission_hash, "seed": seed,
                       "kit_version": __version__, "max_score": config.total_points, "questions": questions,
                       "error": error, "sandbox": "none", "graded_at": GRADED_AT},
    }


def typed(results: dict | list[dict]) -> Results | list[Results]:
    """The Results of a results dict (or of each in a list), as the reports read them from files."""
    if isinstance(results, list):
        return [Results.from_json(r) for r in results]
    return Results.from_json(results)


def make_submission(folder: Path, name: str, behaviour: str = "FULL") -> Path:
    """A fake submission: a package folder whose engine.py tells fake_grade what to do."""
    path = folder / name
    path.mkdir(parents=True, exist_ok=True)
    (path / "engine.py").write_text(f"# {behaviour}\n", encoding="utf-8")
    return path


def read_engine(submission: Path) -> str:
    if submission.suffix == ".zip":
        with zipfile.ZipFile(submission) as zf:
            return zf.read(next(n for n in zf.namelist() if n.endswith("engine.py"))).decode("utf-8")
    return (submission / "engine.py").read_text(encoding="utf-8")


def make_zip(folder: Path, name: str, behaviour: str = "FULL") -> Path:
    """A fake submission as a .zip holding the package folder."""
    path = folder / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}/engine.py", f"# {behaviour}\n")
    return path


def fake_grade(submission: Path, out_dir: Path, *, config: Config, seed: int, name: str | None = None) -> Results:
    """Grade a fake submission as its engine.py says, write the results file, log the call."""
    from autograder.grade.batch import submission_hash

    behaviour = read_engine(Path(submission)).lstrip("# ").strip()
    with open(Path(out_dir) / "calls.log", "a", encoding="utf-8") as log:
        log.write(f"{name}\n")
    word, _, rest = behaviour.partition(" ")
    if word == "RAISE":
        raise RuntimeError(f"fake grader exploded on {name}")
    if word == "DIE":
        os._exit(3)
    if word == "SLEEP":
        time.sleep(float(rest))
    shares = {"FULL": 1.0, "HALF": 0.5, "ZERO": 0.0}
    result = make_result(name, config, default=shares.get(word, 1.0), seed=seed,
                         error=rest if word == "UNGRADABLE" else None,
                         submission_hash=submission_hash(submission, config), seconds=0.5)
    write_json_atomic(Path(out_dir) / "results" / f"{name}.json", result)
    return Results.from_json(result)


def calls(out_dir: Path) -> list[str]:
    log = Path(out_dir) / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def write_run(out_dir: Path, results: list[dict]) -> Path:
    """A run's folder holding these results files."""
    for result in results:
        write_json_atomic(Path(out_dir) / "results" / f"{result['extra_data']['submission']}.json", result)
    return Path(out_dir)
