"""`nnkit report --compare OLD NEW`: whose scores changed between two runs, and why, question by question.

Both folders are the --out folders of runs (their results/ are read). A student is listed when the total
or any question's score changed, or when they appear in one run only. The reasons given are the
submission (its hash), the kit version, the seed, whether it could be graded, each question's points,
and each case whose status changed, with the new run's message for it. Totals are final grades (the late
policy and each folder's adjustments.csv applied); a final grade that moved while grading gave the same is
an adjustment, said as such, not a regrade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..results import Results, TestResult
from .final import Final, final_grades, read_adjustments
from .load import fmt_points, load_results, question_scores, require_results

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


def _reasons(old: Results, new: Results) -> list[str]:
    reasons = []
    if old.submission_hash != new.submission_hash:
        reasons.append("the submission changed (new files)")
    for key, what in (("kit_version", "kit version"), ("seed", "seed")):
        if getattr(old, key) != getattr(new, key):
            reasons.append(f"{what} {getattr(old, key)} -> {getattr(new, key)}")
    if old.error and not new.error:
        reasons.append(f"graded now; before it could not be: {old.error}")
    elif new.error and old.error != new.error:
        reasons.append(f"could not be graded: {new.error}")
    if old.max_score != new.max_score:
        reasons.append(f"maximum {old.max_score} -> {new.max_score} (points reconfigured)")
    return reasons or ["same files, kit version and seed: the checks themselves gave another result"]


def _case_changes(qid: str, old: Results, new: Results) -> list[str]:
    def cases(result: Results) -> dict[str, TestResult]:
        return {t.name: t for t in result.tests if t.question == qid}

    before, after = cases(old), cases(new)
    lines = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            lines.append(f"{name}: not run any more")
        elif name not in before:
            state = "failed" if after[name].failed else "passed"
            lines.append(f"{name}: new case, {state}" + _message(after[name]))
        elif before[name].failed != after[name].failed or before[name].score != after[name].score:
            was, now = ("failed" if t.failed else "passed" for t in (before[name], after[name]))
            lines.append(f"{name}: {was} -> {now}" + _message(after[name]))
    return lines


def _message(test: TestResult) -> str:
    if not test.failed:
        return ""
    first = next((line.strip() for line in test.output.splitlines() if line.strip()), "")
    return f" ({first[:160]})" if first else " (no output)"


def _final(finals: dict[str, Final] | None, result: Results) -> float:
    """The grade that counts (an excused student's counts as nothing), as graded when no finals are given."""
    if finals is None:
        return result.score
    return finals[result.submission].final or 0.0


def _adjustment_reason(old: Final, new: Final) -> str:
    notes = [note for note in new.notes if note not in old.notes]
    gone = [note for note in old.notes if note not in new.notes]
    said = " ".join(notes + [f"(no longer: {note})" for note in gone])
    return f"an adjustment, not a regrade: {said or 'the late policy changed'}"


def compare_results(old: list[Results], new: list[Results], config: Config,
                    finals: tuple[dict[str, Final], dict[str, Final]] | None = None) -> list[StudentChange]:
    """The students whose grade differs between two lists of results, by name.

    With finals (each run's final grades, `final.py`), the totals compared are the final ones, and a student
    whose final grade moved while grading gave the same is said to have an adjustment, not a regrade.
    """
    old_finals, new_finals = finals or (None, None)
    before = {r.submission: r for r in old}
    after = {r.submission: r for r in new}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            changes.append(StudentChange(name, _final(old_finals, before[name]), None, ["only in OLD"]))
            continue
        if name not in before:
            changes.append(StudentChange(name, None, _final(new_finals, after[name]), ["only in NEW"]))
            continue
        o, n = before[name], after[name]
        old_total, new_total = _final(old_finals, o), _final(new_finals, n)
        old_q, new_q = question_scores(o, config), question_scores(n, config)
        questions = [QuestionChange(qid, old_q[qid], new_q[qid], _case_changes(qid, o, n))
                     for qid in config.questions
                     if abs(old_q[qid][0] - new_q[qid][0]) > EPS or abs(old_q[qid][1] - new_q[qid][1]) > EPS]
        regraded = bool(questions) or abs(o.score - n.score) > EPS
        adjusted = finals is not None and (old_finals[name].notes != new_finals[name].notes
                                           or abs(old_total - new_total) > EPS and not regraded)
        if regraded or adjusted or abs(old_total - new_total) > EPS:
            reasons = _reasons(o, n) if regraded else []
            if adjusted:
                reasons.append(_adjustment_reason(old_finals[name], new_finals[name]))
            changes.append(StudentChange(name, old_total, new_total, reasons, questions))
    return changes


def compare_dirs(old_dir: Path, new_dir: Path, config: Config) -> tuple[list[StudentChange], int]:
    """The changes between two runs' folders, and how many submissions they hold together."""
    for folder in (old_dir, new_dir):
        require_results(folder)
    old, new = load_results(old_dir), load_results(new_dir)
    finals = (final_grades(old, config, read_adjustments(old_dir, config)),
              final_grades(new, config, read_adjustments(new_dir, config)))
    return compare_results(old, new, config, finals), len({r.submission for r in old + new})


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
