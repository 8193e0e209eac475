"""Answer groups and named misconceptions: how a class got each question wrong, for the TA report.

Named misconceptions: the students whose question the grader diagnosed with a catalogued mistake
(`extra_data.misconception`, judge/diagnose.py), counted per question and mistake, with its explanation.

A student's answer to a question is the set of (case, fingerprint of what the case got) over the question's
failed cases (`judge/answers.py`); students with the same answer form a group, whether or not the catalogue
of misconceptions knows their mistake. The TA report lists the largest groups per question; a TA may then
write one comment per group in OUT/group_comments.csv (`group,comment`, the group's id as the report shows
it), and `nnkit report OUT` puts it on every member's feedback page, under that question.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KitError
from ..misconceptions import by_id
from ..results import Results

GROUP_COMMENTS = "group_comments.csv"
TOP_GROUPS = 5  # per question, in the TA report


@dataclass
class Group:
    id: str  # "<question>/<12 hex digits>"
    question: str
    message: str  # the first line of the first failed case's output, of the first student
    students: list[str] = field(default_factory=list)


def group_id(result: Results, qid: str) -> str | None:
    """The group of result's answer to qid; None if it failed no case there with a fingerprint."""
    answers = sorted((t.case, t.answer) for t in result.tests if t.question == qid and t.failed and t.answer)
    if not answers:
        return None
    return f"{qid}/{hashlib.sha256(repr(answers).encode()).hexdigest()[:12]}"


def answer_groups(results: list[Results], questions: list[str]) -> dict[str, list[Group]]:
    """{question: its groups of two or more students, largest first (ties by id)}."""
    found: dict[str, Group] = {}
    for result in sorted(results, key=lambda r: r.submission):
        for qid in questions:
            gid = group_id(result, qid)
            if gid is None:
                continue
            if gid not in found:
                first = next(t for t in result.tests if t.question == qid and t.failed and t.answer)
                line = next((x.strip() for x in first.output.splitlines() if x.strip()), "")
                found[gid] = Group(gid, qid, f"{first.case}: {line}")
            found[gid].students.append(result.submission)
    groups: dict[str, list[Group]] = {}
    for g in sorted(found.values(), key=lambda g: (-len(g.students), g.id)):
        if len(g.students) >= 2:
            groups.setdefault(g.question, []).append(g)
    return groups


@dataclass
class Named:
    """A catalogued mistake and the students whose answer to its question it names."""

    question: str
    id: str
    title: str
    explanation: str
    students: list[str] = field(default_factory=list)


def named_misconceptions(results: list[Results], questions: list[str]) -> dict[str, list[Named]]:
    """{question: the misconceptions diagnosed there, most students first}."""
    found: dict[tuple[str, str], Named] = {}
    for result in sorted(results, key=lambda r: r.submission):
        for qid in questions:
            entry = by_id(result.misconception(qid))
            if entry is None:
                continue
            key = (qid, entry.id)
            found.setdefault(key, Named(qid, entry.id, entry.title, entry.explanation)).students.append(
                result.submission)
    by_question: dict[str, list[Named]] = {}
    for qid in questions:
        mine = sorted((n for n in found.values() if n.question == qid), key=lambda n: (-len(n.students), n.id))
        if mine:
            by_question[qid] = mine
    return by_question


class GroupCommentError(KitError):
    """group_comments.csv cannot be read as it is."""


def read_group_comments(out_dir: Path) -> dict[str, str]:
    """{group id: comment} from OUT/group_comments.csv ({} if there is none)."""
    path = Path(out_dir) / GROUP_COMMENTS
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if not {"group", "comment"} <= set(reader.fieldnames or []):
            raise GroupCommentError(f"{path}: the header must be group,comment")
        return {row["group"].strip(): row["comment"].strip() for row in reader if (row.get("group") or "").strip()}


def comments_for(result: Results, questions: list[str], comments: dict[str, str]) -> dict[str, str]:
    """{question: the comment on result's group there}, for the questions whose group has one."""
    found = {}
    for qid in questions:
        gid = group_id(result, qid)
        if gid and gid in comments:
            found[qid] = comments[gid]
    return found
