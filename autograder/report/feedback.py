"""One feedback page per submission, in HTML and in Markdown: `OUT/feedback/<submission>.html|.md`.

A page gives the score of each question, every failing case (labelled public or hidden) with what was checked
and what came back, the hint for each question that lost points, and the seed and kit version that reproduce
the grade. This module makes the view both pages show; `render` fills the templates, which escape everything
taken from a results file: names, outputs and messages partly come from student code. Cases whose
visibility is "hidden" are counted, never shown (unless the TA asks with --include-hidden).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text_atomic
from ..build.hints import hints_for
from ..config import Config
from ..misconceptions import Misconception, by_id
from ..results import Results
from .final import Final, final_grade
from .groups import comments_for
from .load import question_scores
from .render import render

FEEDBACK = "feedback"
MAX_OUTPUT_CHARS = 5000  # a case's output beyond this is cut on the page (the results file keeps it all)
MAX_LINE_CHARS = 400  # and each line of it: a printed image or array is summed up, not shown whole


@dataclass
class Failure:
    case: str
    output: str
    score: float
    max_score: float
    public: bool

    @property
    def label(self) -> str:
        return "public case" if self.public else "hidden case"


@dataclass
class QuestionView:
    qid: str
    score: float
    max_score: float
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    hidden_failed: int = 0
    hints: tuple[str, ...] = ()
    nudges: tuple[str, ...] = ()
    misconception: Misconception | None = None  # the catalogued mistake the grader named for this question
    comment: str = ""  # the course staff's comment on the answer group this student's answer belongs to

    @property
    def full(self) -> bool:
        return self.score >= self.max_score - 1e-9

    @property
    def state(self) -> str:
        if self.full and self.cases:
            return "all passed"
        failing = len(self.failures) + self.hidden_failed
        return f"{failing} of {self.cases} failed" if self.cases else "not graded"


@dataclass
class FeedbackView:
    """What both page formats show, taken from one results dict."""

    name: str
    score: float
    max_score: float
    error: str | None
    summary: str
    questions: list[QuestionView]
    seed: object
    kit_version: str
    submission_hash: str
    graded_at: str
    final: Final  # after the late policy and the TA's adjustments
    submitted_at: str | None = None

    @property
    def command(self) -> str:
        return f"nnkit grade {shlex.quote(self.name)} --seed {self.seed} --out regrade"


def _cut(text: str) -> str:
    """A case's output as a page shows it: long lines and a long whole cut, saying what was left out."""
    lines = [line if len(line) <= MAX_LINE_CHARS else
             f"{line[:MAX_LINE_CHARS]}... ({len(line) - MAX_LINE_CHARS} more characters)" for line in text.split("\n")]
    shown = "\n".join(lines)
    if len(shown) <= MAX_OUTPUT_CHARS:
        return shown
    return shown[:MAX_OUTPUT_CHARS] + f"\n... ({len(text) - MAX_OUTPUT_CHARS} more characters in the results file)"


def feedback_view(result: Results, config: Config, final: Final | None = None, comments: dict[str, str] | None = None,
                  *, include_hidden: bool = False) -> FeedbackView:
    questions = {qid: QuestionView(qid, s, m) for qid, (s, m) in question_scores(result, config).items()}
    for test in result.tests:
        view = questions.get(test.question)
        if view is None:
            continue
        view.cases += 1
        if not test.failed:
            continue
        if test.visibility == "hidden" and not include_hidden:
            view.hidden_failed += 1
        else:
            entry = by_id(test.misconception)
            output = test.output.replace("\n" + entry.sentence, "") if entry else test.output  # said once, below
            view.failures.append(Failure(test.case or test.name, _cut(output), test.score, test.max_score,
                                         test.public))
    for view in questions.values():
        if not view.full:
            view.hints, view.nudges = hints_for(view.qid), hints_for(view.qid, "nudge")
            view.misconception = by_id(result.misconception(view.qid))
            view.comment = (comments or {}).get(view.qid, "")
    return FeedbackView(
        name=result.submission, score=result.score, max_score=result.max_score, error=result.error,
        summary=result.output, questions=list(questions.values()), seed=result.seed,
        kit_version=result.kit_version, submission_hash=result.submission_hash or "", graded_at=result.graded_at,
        final=final or final_grade(result, config, []), submitted_at=(result.student or {}).get("submitted_at"),
    )


def feedback_markdown(result: Results, config: Config, final: Final | None = None,
                      comments: dict[str, str] | None = None, *,
                      include_hidden: bool = False) -> str:
    """The Markdown page of one submission's results (final: its final grade, if adjusted)."""
    return render("feedback.md", v=feedback_view(result, config, final, comments, include_hidden=include_hidden))


def feedback_html(result: Results, config: Config, final: Final | None = None,
                  comments: dict[str, str] | None = None, *,
                  include_hidden: bool = False) -> str:
    """The HTML page of one submission's results: self-contained, no scripts, no external resources."""
    return render("feedback.html", v=feedback_view(result, config, final, comments, include_hidden=include_hidden))


def write_feedback(results: list[Results], out_dir: Path, config: Config, finals: dict[str, Final] | None = None,
                   group_comments: dict[str, str] | None = None, *, include_hidden: bool = False) -> list[Path]:
    """Both pages of every submission's results into OUT/feedback/; returns the paths written.

    group_comments: the TA's comment per answer group (`groups.py`), shown to each member under its question.
    """
    finals, group_comments = finals or {}, group_comments or {}
    folder = Path(out_dir) / FEEDBACK
    written = []
    for result in results:
        name = result.submission
        for suffix, page in ((".html", feedback_html), (".md", feedback_markdown)):
            path = folder / f"{name}{suffix}"
            comments = comments_for(result, list(config.questions), group_comments)
            write_text_atomic(path, page(result, config, finals.get(name), comments, include_hidden=include_hidden))
            written.append(path)
    return written
