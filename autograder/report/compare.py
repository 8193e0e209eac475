"""`nnkit report --compare OLD NEW`: whose scores changed between two runs, and why, question by question.

Both folders are the --out folders of runs (their results/ are read). A student is listed when the total
or any question's score changed, or when they appear in one run only. The reasons given are the
submission (its hash), the kit version, the seed, whether it could be graded, each question's points,
and each case whose status changed, with the new run's message for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from .load import error_of, failed, fmt_points, load_results, name_of, question_of, question_scores

EPS = 1e-9


@dataclass
class QuestionChange:
    qid: str
    old: tuple[float, float]
    new: tuple[float, float]
    cases: list[str] = field(default_factory=list)


@dataclass
class StudentChange:
    name: str
    old_total: float | None
    new_total: float | None
    reasons: list[str] = field(default_factory=list)
    questions: list[QuestionChange] = field(default_factory=list)

    @property
    def delta(self) -> float:
        return (self.new_total or 0.0) - (self.old_total or 0.0)


def _extra(result: dict, key: str) -> object:
    return result.get("extra_data", {}).get(key)


def _reasons(old: dict, new: dict) -> list[str]:
    reasons = []
    if _extra(old, "submission_hash") != _extra(new, "submission_hash"):
        reasons.append("the submission changed (new files)")
    for key, what in (("kit_version", "kit version"), ("seed", "seed")):
        if _extra(old, key) != _extra(new, key):
            reasons.append(f"{what} {_extra(old, key)} -> {_extra(new, key)}")
    if error_of(old) and not error_of(new):
        reasons.append(f"graded now; before it could not be: {error_of(old)}")
    elif error_of(new) and error_of(old) != error_of(new):
        reasons.append(f"could not be graded: {error_of(new)}")
    if _extra(old, "max_score") != _extra(new, "max_score"):
        reasons.append(f"maximum {_extra(old, 'max_score')} -> {_extra(new, 'max_score')} (points reconfigured)")
    return reasons or ["same files, kit version and seed: the checks themselves gave another result"]


def _case_changes(qid: str, old: dict, new: dict) -> list[str]:
    def cases(result: dict) -> dict[str, dict]:
        return {t.get("name", ""): t for t in result.get("tests", []) if question_of(t) == qid}

    before, after = cases(old), cases(new)
    lines = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            lines.append(f"{name}: not run any more")
        elif name not in before:
            state = "failed" if failed(after[name]) else "passed"
            lines.append(f"{name}: new case, {state}" + _message(after[name]))
        elif failed(before[name]) != failed(after[name]) or before[name].get("score") != after[name].get("score"):
            was, now = ("failed" if failed(t) else "passed" for t in (before[name], after[name]))
            lines.append(f"{name}: {was} -> {now}" + _message(after[name]))
    return lines


def _message(test: dict) -> str:
    if not failed(test):
        return ""
    first = next((line.strip() for line in str(test.get("output", "")).splitlines() if line.strip()), "")
    return f" ({first[:160]})" if first else " (no output)"


def compare_results(old: list[dict], new: list[dict], config: Config) -> list[StudentChange]:
    """The students whose grade differs between two lists of results dicts, by name."""
    before = {name_of(r): r for r in old}
    after = {name_of(r): r for r in new}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            changes.append(StudentChange(name, float(before[name]["score"]), None, ["only in OLD"]))
            continue
        if name not in before:
            changes.append(StudentChange(name, None, float(after[name]["score"]), ["only in NEW"]))
            continue
        o, n = before[name], after[name]
        old_q, new_q = question_scores(o, config), question_scores(n, config)
        questions = [QuestionChange(qid, old_q[qid], new_q[qid], _case_changes(qid, o, n))
                     for qid in config.questions
                     if abs(old_q[qid][0] - new_q[qid][0]) > EPS or abs(old_q[qid][1] - new_q[qid][1]) > EPS]
        if questions or abs(float(o["score"]) - float(n["score"])) > EPS:
            changes.append(StudentChange(name, float(o["score"]), float(n["score"]), _reasons(o, n), questions))
    return changes


def compare_dirs(old_dir: Path, new_dir: Path, config: Config) -> tuple[list[StudentChange], int]:
    """The changes between two runs' folders, and how many submissions they hold together."""
    for folder in (old_dir, new_dir):
        if not (Path(folder) / "results").is_dir():
            raise FileNotFoundError(f"{folder}: no results/ folder; give the --out folders of two runs")
    old, new = load_results(old_dir), load_results(new_dir)
    return compare_results(old, new, config), len({name_of(r) for r in old + new})


def _total(x: float | None) -> str:
    return "-" if x is None else fmt_points(x)


def format_changes(changes: list[StudentChange], compared: int) -> str:
    """The text `nnkit report --compare` prints."""
    both = [c for c in changes if c.old_total is not None and c.new_total is not None]
    up = sum(c.delta > EPS for c in both)
    down = sum(c.delta < -EPS for c in both)
    lines = [f"{len(changes)} of {compared} submissions changed ({up} up, {down} down, "
             f"{len(changes) - len(both)} in one run only)."]
    for c in changes:
        both = c.old_total is not None and c.new_total is not None
        sign = f" ({'+' if c.delta >= 0 else ''}{fmt_points(c.delta)})" if both else ""
        why = f"  [{'; '.join(c.reasons)}]" if c.reasons else ""
        lines.append(f"{c.name}: {_total(c.old_total)} -> {_total(c.new_total)}{sign}{why}")
        for q in c.questions:
            lines.append(f"  {q.qid}: {fmt_points(q.old[0])}/{fmt_points(q.old[1])} -> "
                         f"{fmt_points(q.new[0])}/{fmt_points(q.new[1])}")
            lines += [f"    {case}" for case in q.cases]
    return "\n".join(lines)
