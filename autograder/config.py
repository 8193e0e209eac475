"""The kit's configuration, typed: questions and points, tolerances, limits, forbidden imports, similar code,
the late policy.

Values live in `assignment.toml` beside this module (or a file named with `--config`); each field below
says what it means. Every stage reads the configuration through `load_config`, so changing a value
changes the build, the grader and both bundles alike.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from .contract import QUESTION_IDS
from .errors import KitError

DEFAULT_PATH = Path(__file__).with_name("assignment.toml")

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")



def described(default: Any, doc: str) -> Any:
    """A dataclass field with a default and a description (kept in its metadata)."""
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Question:
    id: str = described("", "question id of the student-API contract, e.g. 'engine.mul'")
    points: float = described(1.0, "points for the question; each case is worth its share of them")
    visibility: str = described("after_published", "Gradescope visibility of the hidden cases' results")
    public_visibility: str = described("visible", "Gradescope visibility of the public cases' results")
    walkthrough: bool = described(False, "release the question's level-3 hint, the detailed walkthrough, in its "
                                  "stubs (by default they carry the level-1 hint: what to compute and why)")

    @property
    def module(self) -> str:
        return self.id.split(".")[0]


@dataclass(frozen=True)
class Tolerances:
    rtol: float = described(1e-6, "relative tolerance for float64 numbers (values, gradients, losses)")
    atol: float = described(1e-9, "absolute tolerance added to rtol·|expected| (numbers near zero)")
    torch_rtol: float = described(1e-4, "relative tolerance for float32 torch outputs (cnn)")
    torch_atol: float = described(1e-5, "absolute tolerance for float32 torch outputs (cnn)")
    moons_accuracy_margin: float = described(0.05, "train.train may end this far below the reference's accuracy")
    cnn_accuracy_margin: float = described(0.05, "cnn.train may end this far below the reference's test accuracy")


@dataclass(frozen=True)
class Limits:
    case_timeout_s: float = described(60.0, "wall-clock seconds for one test case")
    question_timeout_s: float = described(180.0, "wall-clock seconds for all the cases of one question (an "
                                          "endless loop met by every case costs this, not cases × case limit)")
    submission_timeout_s: float = described(900.0, "wall-clock seconds for a whole submission")
    memory_mb: int = described(4096, "address-space limit of a student process, MiB")
    cpu_s: int = described(900, "CPU seconds of a student process")
    output_kb: int = described(64, "stdout+stderr kept per student process, KiB (the rest is cut, with a note)")
    file_size_mb: int = described(64, "largest file a student process may write, MiB")
    archive_mb: int = described(50, "largest total size a submission .zip may expand to, MiB")
    archive_files: int = described(2000, "most files a submission .zip may hold")
    processes: int = described(256, "most processes/threads a student process may have at once")


@dataclass(frozen=True)
class Imports:
    autodiff_free_modules: list = described(["engine", "nn"], "student modules that may not import an autodiff library")
    forbidden: list = described(["torch", "jax", "tensorflow", "autograd", "micrograd"], "the autodiff libraries")


@dataclass(frozen=True)
class Similarity:
    enabled: bool = described(True, "compare the code of every pair of submissions of a run (similarity.csv and the "
                              "TA report only; nothing is said to students)")
    threshold: float = described(0.5, "flag a pair whose shared code, starter and tutorial aside, is at least this "
                                 "share (0-1) of the code of both; docs/grading.md has the measured scores")


@dataclass(frozen=True)
class Misconceptions:
    enabled: bool = described(True, "name a catalogued mistake (autograder/misconceptions/) in the feedback of a "
                              "question whose numbers are exactly what that mistake gives")


@dataclass(frozen=True)
class Late:
    due: str = described("", "the due date and time, ISO 8601 with its UTC offset (2026-10-01T23:59:00-07:00); "
                         "empty: no late policy. Applies to submissions whose LMS export gives a time")
    grace_minutes: float = described(0.0, "minutes after the due date still counted as on time")
    penalty_per_day: float = described(0.1, "share (0-1) of the points earned taken for each day late, a part of a "
                                       "day counting as a day")
    max_penalty: float = described(1.0, "the largest share (0-1) the late penalty may take")
    last_day: int = described(0, "work more days late than this is not accepted (0 points); 0: no last day")


@dataclass(frozen=True)
class Config:
    questions: dict = described({}, "question id -> Question, in the order of QUESTION_IDS")
    tolerances: Tolerances = described(Tolerances(), "how close a student's numbers must be")
    limits: Limits = described(Limits(), "time, memory and size limits of grading")
    imports: Imports = described(Imports(), "imports that cost points")
    similarity: Similarity = described(Similarity(), "the check for similar code between submissions")
    misconceptions: Misconceptions = described(Misconceptions(), "naming known mistakes in feedback")
    late: Late = described(Late(), "the late policy (adjustments.csv in a run's folder adds extensions)")
    source: str = described("", "the file this configuration was read from")

    @property
    def total_points(self) -> float:
        return sum(q.points for q in self.questions.values())

    def question(self, qid: str) -> Question:
        return self.questions[qid]


class ConfigError(KitError, ValueError):
    """The configuration file is wrong; the message says where."""


def _build(cls: type, values: dict, where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")
    for f in fields(cls):
        if f.name in values and isinstance(f.default, (int, float)) and not isinstance(f.default, bool):
            if not isinstance(values[f.name], (int, float)) or values[f.name] < 0:
                raise ConfigError(f"{where}.{f.name}: must be a non-negative number, not {values[f.name]!r}")
    return cls(**values)


def parse_config(data: dict, source: str = "<dict>") -> Config:
    """A Config from the TOML's tables; unknown keys and unknown question ids are errors."""
    unknown = set(data) - {"questions", "tolerances", "limits", "imports", "similarity", "misconceptions", "late"}
    if unknown:
        raise ConfigError(f"{source}: unknown table(s) {sorted(unknown)}")
    given = data.get("questions", {})
    strange = set(given) - set(QUESTION_IDS)
    if strange:
        raise ConfigError(f"{source}: unknown question id(s) {sorted(strange)}")
    questions = {}
    for qid in QUESTION_IDS:
        q = _build(Question, {"id": qid, **given.get(qid, {})}, f"questions.{qid}")
        if not isinstance(q.walkthrough, bool):
            raise ConfigError(f"questions.{qid}.walkthrough: must be true or false, not {q.walkthrough!r}")
        for vis in (q.visibility, q.public_visibility):
            if vis not in VISIBILITIES:
                raise ConfigError(f"questions.{qid}: visibility must be one of {VISIBILITIES}, not {vis!r}")
        questions[qid] = q
    similarity = _build(Similarity, data.get("similarity", {}), "similarity")
    if not isinstance(similarity.enabled, bool):
        raise ConfigError(f"similarity.enabled: must be true or false, not {similarity.enabled!r}")
    if similarity.threshold > 1:
        raise ConfigError(f"similarity.threshold: must be between 0 and 1, not {similarity.threshold!r}")
    misconceptions = _build(Misconceptions, data.get("misconceptions", {}), "misconceptions")
    if not isinstance(misconceptions.enabled, bool):
        raise ConfigError(f"misconceptions.enabled: must be true or false, not {misconceptions.enabled!r}")
    return Config(
        late=_late_policy(data.get("late", {})),
        misconceptions=misconceptions,
        questions=questions,
        tolerances=_build(Tolerances, data.get("tolerances", {}), "tolerances"),
        limits=_build(Limits, data.get("limits", {}), "limits"),
        imports=_build(Imports, data.get("imports", {}), "imports"),
        similarity=similarity,
        source=source,
    )


def _late_policy(values: dict) -> Late:
    late = _build(Late, values, "late")
    if not isinstance(late.due, str):
        raise ConfigError(f"late.due: a date and time in quotes, not {late.due!r}")
    if late.due:
        try:
            due = datetime.fromisoformat(late.due)
        except ValueError:
            raise ConfigError(f"late.due: {late.due!r} is not an ISO 8601 date and time "
                              "(2026-10-01T23:59:00-07:00)") from None
        if due.tzinfo is None:
            raise ConfigError(f"late.due: {late.due!r} needs its UTC offset (-07:00, +01:00 or Z)")
    for key in ("penalty_per_day", "max_penalty"):
        if getattr(late, key) > 1:
            raise ConfigError(f"late.{key}: a share between 0 and 1, not {getattr(late, key)!r}")
    return late


def load_config(path: str | Path | None = None) -> Config:
    """Read the configuration from path (default: autograder/assignment.toml)."""
    path = Path(path) if path else DEFAULT_PATH
    with open(path, "rb") as f:
        return parse_config(tomllib.load(f), str(path))


def describe() -> str:
    """Every configuration key with its default and description, for `nnkit config --describe`."""
    lines = []
    tables = (("questions.<id>", Question), ("tolerances", Tolerances), ("limits", Limits), ("imports", Imports),
              ("similarity", Similarity), ("late", Late))
    for table, cls in tables:
        lines.append(f"[{table}]")
        for f in fields(cls):
            if f.name != "id":
                default = f.default if f.default is not MISSING else f.default_factory()
                lines.append(f"  {f.name} = {default!r}: {f.metadata['doc']}")
    return "\n".join(lines)
