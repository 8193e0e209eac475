"""Naming a misconception: a question whose cases got exactly what one catalogued mistake's code gets.

A question is diagnosed with an entry of the catalogue (misconceptions.py) only when the submission's outcome
agrees with the entry's on every case of the question that can tell answers apart, to the comparison's
tolerance (or both raised the same error), and at least one of those cases failed. A case judged against a
bar (an accuracy after training) cannot tell one wrong answer from another, so it is left out, and the
entries are not even run on it. Where the entry's numbers are the reference's, agreeing with it is no
evidence, so a failure there rules it out. More than one entry agreeing, or none: no diagnosis. A wrong
name is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compare import judge_output


@dataclass(frozen=True)
class CaseOutcome:
    """One case of the question: its index in the run, the case, what the submission got (the shape of an
    entry's outcome: {"ok": True, "output": ...} or {"ok": False, "error": type}) and whether it passed."""

    index: int
    case: object
    got: dict
    passed: bool


def telling_keys(case, expected: dict) -> list[str]:
    """The outputs of case that tell one answer from another: those compared with a tolerance or exactly, not
    against a bar."""
    return [k for k in case.keys or list(expected) if not case.rules.get(k, "close").startswith("at_least:")]


def agree(case, keys: list[str], a: dict, b: dict, tolerances) -> bool:
    if not a.get("ok") or not b.get("ok"):
        return not a.get("ok") and not b.get("ok") and a.get("error") == b.get("error") != "Unusable"
    first, second = a["output"], b["output"]
    return all(k in first and k in second and
               judge_output(k, case.rules.get(k, "close"), first[k], second[k], tolerances) is None for k in keys)


def explains(entry: dict, cases: list[CaseOutcome], expected: list[dict], tolerances) -> bool:
    """Whether an entry's outcomes ({case index: outcome}) account for the submission's on these cases."""
    explained = False
    for c in cases:
        keys = telling_keys(c.case, expected[c.index])
        if not keys:
            continue
        mine = entry.get(str(c.index))
        if mine is None or not agree(c.case, keys, mine, c.got, tolerances):
            return False
        explained = explained or not c.passed
    return explained


def diagnose(cases: list[CaseOutcome], expected: list[dict], entries: dict[str, dict], tolerances) -> str | None:
    """The id of the one entry of entries ({id: outcomes}, those of the cases' question) that explains the
    submission's failures, or None. Never raises: what a child reported can be anything."""
    if all(c.passed for c in cases):
        return None
    try:
        found = [entry_id for entry_id, outcomes in entries.items() if explains(outcomes, cases, expected, tolerances)]
    except Exception:  # noqa: BLE001 - a report the judge cannot read gets no diagnosis, never a failed grade
        return None
    return found[0] if len(found) == 1 else None
