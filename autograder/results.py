"""The results of grading, typed: what the grader writes and every report reads, one file per submission.

A results file follows Gradescope's `results.json` schema (the student-API contract): top-level `score`,
`execution_time`, `output` and `tests`, each test with `name`, `score`, `max_score`, `status`, `output` and
`visibility`; the kit's own facts ride in `extra_data`. `Results.to_json` is the one writer and
`Results.from_json` (through `read_results`) the one reader, so the grader (grade/) and the reports
(report/) meet here, below both.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_json_atomic


def points(x: float) -> float:
    """Scores rounded to 4 decimals, so sums of shares print and compare cleanly; never NaN or infinite."""
    value = round(float(x), 4)
    return 0.0 if not math.isfinite(value) else value


@dataclass
class TestResult:
    """One case's outcome: a Gradescope test named 'question: case', or the question id alone."""

    __test__ = False  # not a test class, for pytest

    name: str
    score: float
    max_score: float
    passed: bool
    output: str
    visibility: str
    question: str
    case: str = ""
    public: bool = False
    seconds: float = 0.0
    answer: str | None = None  # a failed case's fingerprint of what it got (judge/answers.py); None otherwise
    misconception: str | None = None  # the catalogued mistake a failed case's numbers match (judge/diagnose.py)
    # Where in output the text quoted from student code is (start, end, may be said once per question): the
    # grader's, for limiting quotes; never written.
    quote: tuple[int, int, bool] | None = field(default=None, compare=False, repr=False)

    @property
    def failed(self) -> bool:
        return not self.passed or self.score < self.max_score

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "score": self.score, "max_score": self.max_score,
            "status": "passed" if self.passed else "failed", "output": self.output, "visibility": self.visibility,
            "extra_data": {"question": self.question, "case": self.case, "public": self.public,
                           "seconds": self.seconds, **({"answer": self.answer} if self.answer else {}),
                           **({"misconception": self.misconception} if self.misconception else {})},
        }

    @classmethod
    def from_json(cls, data: dict) -> TestResult:
        extra = data["extra_data"]
        return cls(name=str(data["name"]), score=float(data["score"]), max_score=float(data["max_score"]),
                   passed=data["status"] == "passed", output=str(data["output"]),
                   visibility=str(data.get("visibility", "visible")), question=str(extra["question"]),
                   case=str(extra.get("case", "")), public=bool(extra.get("public", False)),
                   seconds=float(extra.get("seconds", 0.0)),
                   answer=str(extra["answer"]) if extra.get("answer") else None,
                   misconception=str(extra["misconception"]) if extra.get("misconception") else None)


@dataclass
class QuestionScore:
    score: float
    max_score: float


@dataclass
class Results:
    """One submission's grade: its tests, its score per question, and how it was graded."""

    submission: str
    score: float
    max_score: float
    execution_time: float
    output: str
    tests: list[TestResult]
    questions: dict[str, QuestionScore]
    seed: int | None
    submission_hash: str | None
    kit_version: str
    error: str | None = None
    sandbox: str = "none"
    graded_at: str = ""
    grader_failed: bool | None = None  # None: not said (results written by other tools)
    student: dict | None = None  # who handed it in and when, as an LMS export said (grade/lms.py); None if no LMS

    def misconception(self, qid: str) -> str | None:
        """The catalogued mistake the grader named for question qid, if it named one."""
        return next((t.misconception for t in self.tests if t.question == qid and t.misconception), None)

    def to_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "submission": self.submission, "submission_hash": self.submission_hash, "seed": self.seed,
            "kit_version": self.kit_version, "max_score": self.max_score,
            "questions": {qid: {"score": q.score, "max_score": q.max_score} for qid, q in self.questions.items()},
            "error": self.error, "sandbox": self.sandbox, "graded_at": self.graded_at,
        }
        if self.grader_failed is not None:
            extra["grader_failed"] = self.grader_failed
        if self.student is not None:
            extra["student"] = self.student
        return {"score": self.score, "execution_time": self.execution_time, "output": self.output,
                "tests": [t.to_json() for t in self.tests], "extra_data": extra}

    @classmethod
    def from_json(cls, data: dict) -> Results:
        """The Results of a results dict; KeyError, TypeError or ValueError if it is not one."""
        extra = data["extra_data"]
        questions = {str(qid): QuestionScore(float(q["score"]), float(q["max_score"]))
                     for qid, q in (extra.get("questions") or {}).items()}
        return cls(
            submission=str(extra["submission"]), score=float(data["score"]),
            max_score=float(extra["max_score"]), execution_time=float(data.get("execution_time", 0.0)),
            output=str(data.get("output", "")), tests=[TestResult.from_json(t) for t in data.get("tests", [])],
            questions=questions, seed=extra.get("seed"), submission_hash=extra.get("submission_hash"),
            kit_version=str(extra.get("kit_version", "")), error=extra.get("error") or None,
            sandbox=str(extra.get("sandbox", "none")), graded_at=str(extra.get("graded_at", "")),
            grader_failed=extra.get("grader_failed"),
            student=extra["student"] if isinstance(extra.get("student"), dict) else None,
        )


RESULTS = "results"


def results_dir(out_dir: Path) -> Path:
    """Where a run's results files are: OUT/results/<submission name>.json."""
    return Path(out_dir) / RESULTS


def write_results(path: Path, results: Results) -> None:
    """The results file, written atomically (a killed run leaves the old file or the new, never half of one)."""
    write_json_atomic(path, results.to_json())


def read_results(path: Path) -> Results:
    """One results file; a ValueError names the file if it is not one of the kit's results files."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: not a readable results file ({e})") from e
    try:
        return Results.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"{path}: not a results file of nnkit ({type(e).__name__}: {e})") from e
