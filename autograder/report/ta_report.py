"""The TA report: one self-contained HTML page about the whole class, `OUT/ta_report.html`.

It shows the score histogram, each question's mean score and pass rate, the most common failure messages
per question, the slowest submissions and the ones that could not be graded, with reasons. Charts are
matplotlib PNGs embedded as base64; the page loads nothing else and runs no script. It is built from the
results files alone and holds no clock time of its own, so the same results give the same page.
"""

from __future__ import annotations

import base64
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ..atomic import write_text_atomic
from ..config import Config
from ..results import Results
from .feedback import h
from .load import fmt_points, question_scores

TA_REPORT = "ta_report.html"
TOP_FAILURES = 5
TOP_SLOWEST = 10
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)


def failure_message(output: str) -> str:
    """The first line of a case's output with its numbers masked, so that failures group by kind."""
    first = next((line.strip() for line in str(output).splitlines() if line.strip()), "(no output)")
    return _NUMBER.sub("#", first)[:200]


@dataclass
class QuestionStats:
    qid: str
    points: float
    mean: float = 0.0  # mean score over graded submissions
    pass_rate: float = 0.0  # share of graded submissions with full points
    failures: list[tuple[str, str, int]] = field(default_factory=list)  # (case, message, count), commonest first


@dataclass
class ClassStats:
    """What the TA report shows, computed from a run's results dicts."""

    totals: dict[str, float]
    max_score: float
    questions: list[QuestionStats]
    slowest: list[tuple[str, float]]
    ungradable: list[tuple[str, str]]

    @property
    def graded(self) -> int:
        return len(self.totals) - len(self.ungradable)


def class_stats(results: list[Results], config: Config) -> ClassStats:
    results = sorted(results, key=lambda r: r.submission)
    graded = [r for r in results if not r.error]
    questions = []
    for qid, question in config.questions.items():
        scores = [question_scores(r, config)[qid] for r in graded]
        stats = QuestionStats(qid, question.points)
        if scores:
            stats.mean = statistics.fmean(s for s, _ in scores)
            stats.pass_rate = sum(s >= m - 1e-9 for s, m in scores) / len(scores)
        counts = Counter((t.case, failure_message(t.output)) for r in graded for t in r.tests
                         if t.question == qid and t.failed)
        # Ties break by case and message so that the page does not depend on the order of the files.
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        stats.failures = [(case, message, n) for (case, message), n in ranked[:TOP_FAILURES]]
        questions.append(stats)
    timed = sorted(((r.submission, r.execution_time) for r in results), key=lambda x: (-x[1], x[0]))
    return ClassStats(
        totals={r.submission: r.score for r in results},
        max_score=max((r.max_score for r in results), default=config.total_points),
        questions=questions,
        slowest=timed[:TOP_SLOWEST],
        ungradable=[(r.submission, str(r.error)) for r in results if r.error],
    )


def png_data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    # No Software metadata: the same figure gives the same bytes, so merged and single runs match.
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_figure(stats: ClassStats) -> Figure:
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax = fig.subplots()
    top = stats.max_score or 1.0
    ax.hist(list(stats.totals.values()), bins=np.linspace(0, top, 21), color="#3b6fb6", edgecolor="white")
    ax.set(xlim=(0, top), xlabel=f"total score (of {fmt_points(top)})", ylabel="submissions",
           title=f"Scores of {len(stats.totals)} submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return fig


def questions_figure(stats: ClassStats) -> Figure:
    qs = stats.questions
    fig = Figure(figsize=(8, 0.32 * len(qs) + 1.2), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(qs))
    ax.barh(y - 0.2, [100 * q.mean / q.points if q.points else 0 for q in qs], 0.4, color="#3b6fb6",
            label="mean score, % of points")
    ax.barh(y + 0.2, [100 * q.pass_rate for q in qs], 0.4, color="#e08a2c", label="pass rate, % with full points")
    ax.set(yticks=y, yticklabels=[q.qid for q in qs], xlim=(0, 100), xlabel="%",
           title=f"Per question, over {stats.graded} graded submissions")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize="small")
    return fig


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1rem; }
td, th { padding: .2rem .6rem; border-bottom: 1px solid #ddd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } img { max-width: 100%; }
code { font-size: 90%; } .none { color: #777; }
"""


def _summary(stats: ClassStats) -> str:
    totals = list(stats.totals.values())
    if not totals:
        return "<p>No results yet.</p>"
    return (f"<p>{len(totals)} submissions, {stats.graded} graded, {len(stats.ungradable)} could not be graded. "
            f"Total score (of {fmt_points(stats.max_score)}): mean {statistics.fmean(totals):.2f}, "
            f"median {statistics.median(totals):.2f}, min {fmt_points(min(totals))}, "
            f"max {fmt_points(max(totals))}.</p>")


def _question_table(stats: ClassStats) -> str:
    rows = "".join(f"<tr><td>{h(q.qid)}</td><td class=num>{q.mean:.2f} / {fmt_points(q.points)}</td>"
                   f"<td class=num>{100 * q.pass_rate:.0f}%</td></tr>" for q in stats.questions)
    return f"<table><tr><th>question</th><th>mean</th><th>pass rate</th></tr>{rows}</table>"


def _failures(stats: ClassStats) -> str:
    parts = []
    for q in stats.questions:
        if not q.failures:
            continue
        rows = "".join(f"<tr><td class=num>{n}</td><td>{h(case)}</td><td><code>{h(message)}</code></td></tr>"
                       for case, message, n in q.failures)
        parts.append(f"<h3>{h(q.qid)}</h3><table><tr><th>count</th><th>case</th><th>message</th></tr>{rows}</table>")
    return "".join(parts) or '<p class="none">No failures.</p>'


def _slowest(stats: ClassStats) -> str:
    rows = "".join(f"<tr><td>{h(name)}</td><td class=num>{seconds:.1f} s</td></tr>" for name, seconds in stats.slowest)
    return f"<table><tr><th>submission</th><th>grading time</th></tr>{rows}</table>"


def _ungradable(stats: ClassStats) -> str:
    if not stats.ungradable:
        return '<p class="none">Every submission was graded.</p>'
    rows = "".join(f"<tr><td>{h(name)}</td><td><code>{h(reason)}</code></td></tr>" for name, reason in stats.ungradable)
    return f"<table><tr><th>submission</th><th>reason</th></tr>{rows}</table>"


def ta_report_html(results: list[Results], config: Config) -> str:
    """The TA report of a run's results dicts."""
    stats = class_stats(results, config)
    histogram, per_question = histogram_figure(stats), questions_figure(stats)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"><title>nnkit: TA report</title>',
        f"<style>{STYLE}</style></head><body>", "<h1>TA report</h1>", _summary(stats),
        f'<h2>Scores</h2><img alt="histogram of total scores" src="{png_data_uri(histogram)}">',
        f'<h2>Questions</h2><img alt="mean score and pass rate per question" src="{png_data_uri(per_question)}">',
        _question_table(stats),
        f"<h2>Most common failures</h2><p>Per question, the {TOP_FAILURES} commonest (case, message) pairs; "
        "numbers in messages are shown as #.</p>", _failures(stats),
        "<h2>Slowest submissions</h2>", _slowest(stats),
        "<h2>Could not be graded</h2>", _ungradable(stats),
        "</body></html>", ""])


def write_ta_report(results: list[Results], out_dir: Path, config: Config) -> Path:
    path = Path(out_dir) / TA_REPORT
    write_text_atomic(path, ta_report_html(results, config))
    return path
