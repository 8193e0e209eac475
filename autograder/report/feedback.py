"""One feedback page per submission, in HTML and in Markdown: `OUT/feedback/<submission>.html|.md`.

A page gives the score of each question, every failing case with what was checked and what came back,
the hint for each question that lost points, and the seed and kit version that reproduce the grade.
Everything taken from a results file is escaped: names, outputs and messages partly come from student
code. Cases whose visibility is "hidden" are counted, never shown.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_text_atomic
from ..config import Config
from ..results import Results
from .hints import hints_for
from .load import fmt_points, question_scores

FEEDBACK = "feedback"
MAX_OUTPUT_CHARS = 5000  # a case's output beyond this is cut on the page (the results file keeps it all)


@dataclass
class Failure:
    case: str
    output: str
    score: float
    max_score: float


@dataclass
class QuestionView:
    qid: str
    score: float
    max_score: float
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    hidden_failed: int = 0
    hints: tuple[str, ...] = ()

    @property
    def full(self) -> bool:
        return self.score >= self.max_score - 1e-9


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

    @property
    def command(self) -> str:
        return f"nnkit grade {shlex.quote(self.name)} --seed {self.seed} --out regrade"


def _cut(text: str) -> str:
    if len(text) <= MAX_OUTPUT_CHARS:
        return text
    return text[:MAX_OUTPUT_CHARS] + f"\n... ({len(text) - MAX_OUTPUT_CHARS} more characters in the results file)"


def feedback_view(result: Results, config: Config, *, include_hidden: bool = False) -> FeedbackView:
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
            view.failures.append(Failure(test.case or test.name, _cut(test.output), test.score, test.max_score))
    for view in questions.values():
        if not view.full:
            view.hints = hints_for(view.qid)
    return FeedbackView(
        name=result.submission, score=result.score, max_score=result.max_score, error=result.error,
        summary=result.output, questions=list(questions.values()), seed=result.seed,
        kit_version=result.kit_version, submission_hash=result.submission_hash or "", graded_at=result.graded_at,
    )


# --- Markdown ----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_text(text: str) -> str:
    """Text safe inside Markdown: no markup, no raw HTML, on one line."""
    text = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_hint(hint: str) -> str:
    """A kit-written hint: its `code` spans kept, the rest escaped (hints say things like **kwargs)."""
    parts = re.split(r"(`[^`]+`)", hint)
    return "".join(part if part.startswith("`") else md_text(part) for part in parts)


def md_block(text: str) -> str:
    """A fenced block that no backtick run in text can close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def feedback_markdown(result: dict, config: Config, *, include_hidden: bool = False) -> str:
    """The Markdown page of one results dict."""
    v = feedback_view(result, config, include_hidden=include_hidden)
    lines = [f"# Feedback for {md_text(v.name)}", "",
             f"**Score: {fmt_points(v.score)} / {fmt_points(v.max_score)}**", ""]
    if v.error:
        lines += ["**This submission could not be graded:**", "", md_block(v.error), ""]
    if v.summary.strip():
        lines += [md_block(v.summary), ""]
    lines += ["| question | score | cases |", "|---|---:|---|"]
    for q in v.questions:
        state = "all passed" if q.full and q.cases else _cases_note(q)
        lines.append(f"| `{q.qid}` | {fmt_points(q.score)} / {fmt_points(q.max_score)} | {state} |")
    for q in v.questions:
        if q.full:
            continue
        lines += ["", f"## `{q.qid}`: {fmt_points(q.score)} / {fmt_points(q.max_score)}"]
        for f in q.failures:
            lines += ["", f"**{md_text(f.case)}** ({fmt_points(f.score)} / {fmt_points(f.max_score)})", "",
                      md_block(f.output)]
        if q.hidden_failed:
            lines += ["", f"{q.hidden_failed} hidden case(s) failed; their details are not shown."]
        if q.hints:
            lines += ["", "Hint:", "", *(f"- {md_hint(hint)}" for hint in q.hints)]
    lines += ["", "---", "", f"Graded by nnkit {md_text(v.kit_version)} with seed {md_text(v.seed)} "
              f"at {md_text(v.graded_at)}; submission sha256 {md_text(v.submission_hash)}.",
              "The same kit version and seed reproduce this grade:", "", md_block(v.command), ""]
    return "\n".join(lines)


def _cases_note(q: QuestionView) -> str:
    failing = len(q.failures) + q.hidden_failed
    return f"{failing} of {q.cases} failed" if q.cases else "not graded"


# --- HTML --------------------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; } td, th { padding: .25rem .75rem; border-bottom: 1px solid #ddd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.lost td { background: #fff3f0; } .error { background: #fde8e8; padding: .5rem 1rem; border-left: 4px solid #c33; }
pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.hint { background: #eef6ff; padding: .5rem 1rem; border-left: 4px solid #36c; } footer { color: #555; }
"""


def h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _hint_html(hint: str) -> str:
    """A kit-written hint, escaped, with its `code` spans kept as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", h(hint))


def feedback_html(result: dict, config: Config, *, include_hidden: bool = False) -> str:
    """The HTML page of one results dict: self-contained, no scripts, no external resources."""
    v = feedback_view(result, config, include_hidden=include_hidden)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Feedback: {h(v.name)}</title><style>{STYLE}</style></head><body>",
             f"<h1>Feedback for {h(v.name)}</h1>",
             f'<p class="score"><strong>Score: {fmt_points(v.score)} / {fmt_points(v.max_score)}</strong></p>']
    if v.error:
        parts.append(f'<div class="error"><p>This submission could not be graded:</p><pre>{h(v.error)}</pre></div>')
    if v.summary.strip():
        parts.append(f"<pre>{h(v.summary)}</pre>")
    parts.append("<table><thead><tr><th>question</th><th>score</th><th>cases</th></tr></thead><tbody>")
    for q in v.questions:
        state = "all passed" if q.full and q.cases else _cases_note(q)
        row_class = "" if q.full else ' class="lost"'
        link = f'<a href="#{h(q.qid)}">{h(q.qid)}</a>' if not q.full else h(q.qid)
        parts.append(f"<tr{row_class}><td>{link}</td><td class=num>{fmt_points(q.score)} / "
                     f"{fmt_points(q.max_score)}</td><td>{h(state)}</td></tr>")
    parts.append("</tbody></table>")
    for q in v.questions:
        if q.full:
            continue
        parts.append(f'<section id="{h(q.qid)}"><h2>{h(q.qid)}: {fmt_points(q.score)} / {fmt_points(q.max_score)}</h2>')
        for f in q.failures:
            points = f"{fmt_points(f.score)} / {fmt_points(f.max_score)}"
            parts.append(f"<h3>{h(f.case)} ({points})</h3><pre>{h(f.output)}</pre>")
        if q.hidden_failed:
            parts.append(f"<p>{q.hidden_failed} hidden case(s) failed; their details are not shown.</p>")
        if q.hints:
            items = "".join(f"<li>{_hint_html(hint)}</li>" for hint in q.hints)
            parts.append(f'<div class="hint"><p>Hint:</p><ul>{items}</ul></div>')
        parts.append("</section>")
    parts.append(f"<footer><hr><p>Graded by nnkit {h(v.kit_version)} with seed {h(v.seed)} at {h(v.graded_at)}; "
                 f"submission sha256 <code>{h(v.submission_hash)}</code>. The same kit version and seed reproduce "
                 f"this grade:</p><pre>{h(v.command)}</pre></footer></body></html>")
    return "\n".join(parts) + "\n"


def write_feedback(results: list[Results], out_dir: Path, config: Config, *,
                   include_hidden: bool = False) -> list[Path]:
    """Both pages of every submission's results into OUT/feedback/; returns the paths written."""
    folder = Path(out_dir) / FEEDBACK
    written = []
    for result in results:
        name = result.submission
        for suffix, render in ((".html", feedback_html), (".md", feedback_markdown)):
            path = folder / f"{name}{suffix}"
            write_text_atomic(path, render(result, config, include_hidden=include_hidden))
            written.append(path)
    return written
