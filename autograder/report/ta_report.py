"""The TA report: one self-contained HTML page about the whole class, `OUT/ta_report.html`.

It shows the score histogram, each question's mean score and pass rate, the most common failure messages
per question (students counted once each), the submissions that took far longer than the rest, the ones that
could not be graded with reasons, the pairs of similar code with their modules side by side, and every
student with a link to their feedback page. Charts are
matplotlib PNGs embedded as base64; the page loads nothing else and runs no script. It is built from the
results files alone and holds no clock time of its own, so the same results give the same page. The page is
rendered from `templates/ta_report.html` with autoescaping (`render.py`).
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
from ..similarity import Pair, read_similarity
from .feedback import FEEDBACK
from .final import Final, final_grades
from .groups import TOP_GROUPS, answer_groups, named_misconceptions
from .load import fmt_points, question_scores
from .render import render

TA_REPORT = "ta_report.html"
TOP_FAILURES = 5
TOP_SLOWEST = 10
SLOW_FACTOR = 2.0  # a submission is listed as slow above this many times the class's median time
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.IGNORECASE)


def failure_message(output: str) -> str:
    """The first line of a case's output with its numbers masked, so that failures group by kind."""
    first = next((line.strip() for line in str(output).splitlines() if line.strip()), "(no output)")
    return _NUMBER.sub("#", first)[:200]


@dataclass(frozen=True)
class Failure:
    """One kind of failure of a question: its message (numbers masked), how many students, in which cases."""

    message: str
    students: int
    cases: list[str]


@dataclass
class QuestionStats:
    qid: str
    points: float
    mean: float = 0.0  # mean score over graded submissions
    pass_rate: float = 0.0  # share of graded submissions with full points
    failures: list[Failure] = field(default_factory=list)  # commonest first


@dataclass
class ClassStats:
    """What the TA report shows, computed from a run's results."""

    totals: dict[str, float]  # by submission name, sorted
    max_score: float
    questions: list[QuestionStats]
    slowest: list[tuple[str, float]]  # those that took more than SLOW_FACTOR times the median, slowest first
    median_seconds: float
    ungradable: list[tuple[str, str]]

    @property
    def graded(self) -> int:
        return len(self.totals) - len(self.ungradable)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals.values())

    @property
    def median(self) -> float:
        return statistics.median(self.totals.values())

    @property
    def lowest(self) -> float:
        return min(self.totals.values())

    @property
    def highest(self) -> float:
        return max(self.totals.values())


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
        students: Counter[str] = Counter()  # a student counts once per message, however many cases say it
        cases: dict[str, set[str]] = {}
        for r in graded:
            said = {(failure_message(t.output), t.case) for t in r.tests if t.question == qid and t.failed}
            students.update({message for message, _ in said})
            for message, case in said:
                cases.setdefault(message, set()).add(case)
        # Ties break by message so that the page does not depend on the order of the files.
        ranked = sorted(students.items(), key=lambda item: (-item[1], item[0]))
        stats.failures = [Failure(message, n, sorted(cases[message])) for message, n in ranked[:TOP_FAILURES]]
        questions.append(stats)
    median_seconds = statistics.median(r.execution_time for r in results) if results else 0.0
    # Only what stands out: a small class's "slowest ten" would list submissions graded from the cache in 0.1 s.
    slow = [(r.submission, r.execution_time) for r in results if r.execution_time > SLOW_FACTOR * median_seconds]
    return ClassStats(
        totals={r.submission: r.score for r in results},
        max_score=max((r.max_score for r in results), default=config.total_points),
        questions=questions,
        slowest=sorted(slow, key=lambda x: (-x[1], x[0]))[:TOP_SLOWEST],
        median_seconds=median_seconds,
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
    fig.legend(loc="outside upper center", ncols=2, fontsize="small", frameon=False)  # above the axes, clear of bars
    return fig


def ta_report_html(results: list[Results], config: Config, similar: list[Pair] | None = None,
                   finals: dict[str, Final] | None = None) -> str:
    """The TA report of a run's results; similar: the flagged pairs of similar code (None: not checked);
    finals: each submission's final grade (none given: as graded)."""
    stats = class_stats(results, config)
    finals = finals or final_grades(results, config, [])
    return render(TA_REPORT, s=stats, top_failures=TOP_FAILURES, feedback_dir=FEEDBACK, similar=similar,
                  finals=finals, adjusted=[finals[name] for name in stats.totals if finals[name].changed],
                  groups=answer_groups(results, list(config.questions)), top_groups=TOP_GROUPS,
                  named=named_misconceptions(results, list(config.questions)),
                  threshold=config.similarity.threshold, histogram=png_data_uri(histogram_figure(stats)),
                  per_question=png_data_uri(questions_figure(stats)))


def write_ta_report(results: list[Results], out_dir: Path, config: Config,
                    finals: dict[str, Final] | None = None) -> Path:
    path = Path(out_dir) / TA_REPORT
    write_text_atomic(path, ta_report_html(results, config, read_similarity(out_dir), finals))
    return path
