"""Grading one submission, from its folder or .zip to its results file.

submission → (unpack) → per question: assemble the package, run the probes in a sandboxed child →
judge each case against the reference, here, in trusted code → results. Whatever happens to one question
(a syntax error, a missing module, a crash, a hang) costs that question only; whatever happens to the
submission as a whole still gives it a results file, with 0 and the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
import time
import traceback
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from .. import __version__
from ..atomic import write_text_atomic
from ..config import Config, Limits
from ..contract import QUESTION_IDS, module_of
from ..hidden import suite
from ..hidden.case import Case
from ..judge import MeasureError, Verdict, judge_case, measured, messages
from ..judge.answers import answer_key
from ..judge.compare import fmt
from ..judge.diagnose import CaseOutcome, diagnose
from ..misconceptions import by_id, catalogue
from ..results import QuestionScore, Results, TestResult, points, write_results
from ..sandbox import Launcher, launcher_for
from ..sandbox.preloaded import Children, children_of
from .assemble import assemble
from .child import GRADER_KINDS, CaseReport, Deadline, QuestionRun, run_question
from .imports import ScanFailed, forbidden_imports
from .misconception_outcomes import Outcomes, misconception_outcomes
from .reference import expected_outputs, reference_package, reference_redactor, stub_messages
from .run_cache import load_run, run_key, save_run
from .submission import Submission, SubmissionError, open_submission, submission_name
from .untrusted import Feedback, feedback, limit_quotes, quoted, read_source, shown_type, trusted_where


def describe_inputs(inputs: dict) -> str:
    return ", ".join(f"{k}={fmt(v.tolist() if hasattr(v, 'tolist') else v)}" for k, v in inputs.items())


UNUSABLE = "Unusable"  # a report the judge could not measure (see judge/measure.py)


def error_message(case: Case, report: CaseReport, submission: Submission | None = None) -> Feedback:
    """The message of a case that failed in the child: what student code claimed (type, message, place), made
    safe to show (see untrusted.py), the place's text read from the grader's copy of the student's module."""
    error = report.error or {}
    kind, message, claim = (str(error.get(key, "")) for key in ("type", "message", "where"))
    module = module_of(case.question)
    source = read_source(submission.module_path(module)) if submission else None
    where = trusted_where(claim, module, source)
    if kind == "NotImplementedError" and message in stub_messages():
        return Feedback("".join(messages.raised(case.checked, case.question, kind, message, where)))  # public text
    by_grader = kind in GRADER_KINDS
    shown = kind if by_grader or kind == "NotImplementedError" else shown_type(kind, source)
    quote = quoted(message, reference_redactor().redact)
    before, quote, after = messages.raised(case.checked, case.question, shown, quote, where, by_grader=by_grader)
    return feedback(before, quote, after, once=not by_grader)


MAX_MESSAGE = 3000  # characters of one case's message: the child is untrusted, and results files stay small


def bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + f"… [{len(message) - MAX_MESSAGE} more]"


def measure_reports(run: QuestionRun, indexed: list[tuple[int, Case]]) -> None:
    """Replace each measured case's report by the judge's measurement of it, made here with the reference's model.

    Done before the run is cached, so the cache keeps an accuracy, not a million trained parameters.
    """
    for i, case in indexed:
        report = run.reports[i]
        if case.measure and report.ok:
            try:
                report.output = measured(case, reference_package(), report.output)
            except MeasureError as e:
                run.reports[i] = CaseReport(False, error={"type": UNUSABLE, "message": str(e), "where": ""},
                                            seconds=report.seconds)
            except Exception as e:  # noqa: BLE001 - whatever the report holds, it fails its case only
                run.log += f"\n--- the judge could not measure {case.title} ---\n{traceback.format_exc()}"
                run.reports[i] = CaseReport(False, error={"type": UNUSABLE, "where": "",
                                                          "message": f"{CANNOT_USE}{type(e).__name__}: {e}"},
                                            seconds=report.seconds)


CANNOT_USE = "the grader could not use your result: "


def judged(case: Case, expected: dict, output: dict, config: Config, logs: list[str]) -> Verdict:
    """judge_case, except that a report the judge cannot handle fails its case (the traceback goes to logs)."""
    try:
        return judge_case(case, expected, output, config.tolerances, show_expected=case.public)
    except Exception as e:  # noqa: BLE001 - whatever the report holds, it fails its case only
        logs.append(f"--- the judge could not use {case.title} ---\n{traceback.format_exc()}")
        reason = quoted(f"{type(e).__name__}: {e}", reference_redactor().redact)
        return Verdict(False, messages.checked(case.checked, f"{CANNOT_USE}{reason}."))


def case_test(case: Case, share: float, passed: bool, message: str, seconds: float, config: Config,
              answer: str | None = None) -> TestResult:
    """The test of a case. Its message is redacted (judge/redact.py), unless it is Feedback, made safe part by
    part; the place of the text it quotes from student code is kept for limit_quotes."""
    question = config.question(case.question)
    quote = message.quote if isinstance(message, Feedback) else None
    message = bounded(message) if isinstance(message, Feedback) else reference_redactor().redact(bounded(message))
    if case.public:
        message += f"\nInput: {bounded(describe_inputs(case.inputs))}"
    return TestResult(
        name=case.title, score=share if passed else 0.0, max_score=share, passed=passed, output=message,
        visibility=question.public_visibility if case.public else question.visibility, question=case.question,
        case=case.name, public=case.public, seconds=round(seconds, 3), answer=None if passed else answer,
        quote=quote if quote and quote[1] <= min(len(message), MAX_MESSAGE) else None,
    )


def shares(cases: list[Case], config: Config) -> list[float]:
    """Each case's share of its question's points, by weight."""
    totals: dict[str, float] = {}
    for c in cases:
        totals[c.question] = totals.get(c.question, 0.0) + c.weight
    return [config.question(c.question).points * c.weight / totals[c.question] for c in cases]


def question_failure(submission: Submission, qid: str, config: Config, scans: dict[str, str | None]) -> str | None:
    """Why qid cannot run at all (missing module, forbidden import, unreadable source), or None.

    scans keeps each module's verdict, so that a module is scanned once per submission."""
    module = module_of(qid)
    if not submission.has(module):
        return messages.missing_module(module)
    if module in config.imports.autodiff_free_modules:
        if module not in scans:
            scans[module] = import_verdict(submission.module_path(module), config)
        return scans[module]
    return None


def import_verdict(path: Path, config: Config) -> str | None:
    """Why the module at path may earn nothing (an autodiff import, or source too large to scan), or None."""
    try:
        found = forbidden_imports(path, config.imports.forbidden)
    except ScanFailed as e:
        return str(e) + "."
    return messages.forbidden_imports(found, config.imports.autodiff_free_modules) if found else None


def question_deadline(submission_deadline: float, limits: Limits) -> Deadline:
    """The sooner of the submission's deadline and this question's own time limit, from now."""
    own = time.monotonic() + limits.question_timeout_s
    if own < submission_deadline:
        return Deadline(own, f"this question's time limit ({limits.question_timeout_s:g} s) ran out")
    return Deadline(submission_deadline, "the submission's time limit ran out")


@dataclass(frozen=True)
class GradingRun:
    """What every submission of a run is graded with: the configuration, the seed, the launcher of the
    children, the folder of the reference's outputs and the question runs' cache (None: no cache), and the
    questions graded (all of them, but for `nnkit mutate`)."""

    config: Config
    seed: int
    launcher: Launcher
    cache_dir: Path | None = None
    questions: tuple[str, ...] = QUESTION_IDS

    @cached_property
    def cases(self) -> list[Case]:
        return [c for c in suite(self.seed) if c.question in self.questions]

    @cached_property
    def expected(self) -> list[dict]:
        part = "" if self.questions == QUESTION_IDS else "-" + hashlib.sha256(" ".join(self.questions).encode()
                                                                              ).hexdigest()[:12]
        return expected_outputs(self.cases, self.seed, self.cache_dir, part)

    @cached_property
    def known_outcomes(self) -> dict[str, Outcomes]:
        """Each question's misconception outcomes, once computed or read from the cache."""
        return {}

    def diagnosis(self, qid: str, indexed: list[tuple[int, Case]], reports: list[CaseReport],
                  tests: list[TestResult | None], logs: list[str]) -> str | None:
        """The misconception that qid's outcomes are exactly, if one is (judge/diagnose.py); none when the
        configuration turns them off, or for `nnkit mutate`. It never fails a grade: should the catalogue's
        outcomes not be computable, the TA log says why and nothing is named."""
        if not self.config.misconceptions.enabled or self.questions != QUESTION_IDS:
            return None
        outcomes = [CaseOutcome(i, c, as_outcome(reports[i]), tests[i].passed) for i, c in indexed]
        failed = [o.got for o in outcomes if not o.passed]
        entries = [e for e in catalogue() if e.question == qid]
        # Only an entry that can give what the failed cases got is worth running: numbers, or its own error.
        errors = {e.raises for e in entries if e.raises}
        if not any(got.get("ok") or got.get("error") in errors for got in failed):
            return None
        if qid not in self.known_outcomes:
            try:
                self.known_outcomes[qid] = misconception_outcomes(self.cases, self.seed, self.cache_dir, qid)
            except Exception:  # noqa: BLE001 - a diagnosis is a help, never a condition of the grade
                logs.append(f"--- the misconceptions of {qid} could not be computed ---\n{traceback.format_exc()}")
                self.known_outcomes[qid] = {}
        return diagnose(outcomes, self.expected, self.known_outcomes[qid], self.config.tolerances)


def as_outcome(report: CaseReport) -> dict:
    """A child's report in the shape of a misconception's outcome."""
    if report.ok:
        return {"ok": True, "output": report.output}
    error = report.error if isinstance(report.error, dict) else {}
    return {"ok": False, "error": str(error.get("type", ""))}


def named(tests: list[TestResult | None], indexed: list[tuple[int, Case]], misconception_id: str) -> None:
    """Mark the question's failed tests with the misconception, and say it once, in the first one's message."""
    entry = by_id(misconception_id)
    said = False
    for i, _ in indexed:
        test = tests[i]
        if test is not None and test.failed:
            text = test.output
            if not said:
                text += "\n" + entry.sentence
                said = True
            tests[i] = replace(test, output=text, misconception=misconception_id)


def grade_questions(run: GradingRun, submission: Submission, scratch: Path, deadline: float,
                    questions: Collection[str] = QUESTION_IDS) -> tuple[list[TestResult], str]:
    """One test per case of the run's questions (all, or those given), in the order of its cases; and the TA
    log of the children's output. The children of one submission come from one preloaded server per set of
    blocked imports, under bubblewrap (sandbox/preloaded.py)."""
    children = children_of(run.launcher)
    try:
        return grade_each_question(run, submission, scratch, deadline, questions, children)
    finally:
        children.close()


def grade_each_question(run: GradingRun, submission: Submission, scratch: Path, deadline: float,
                        questions: Collection[str], children: Children) -> tuple[list[TestResult], str]:
    cases, config = run.cases, run.config
    share = shares(cases, config)
    tests: list[TestResult | None] = [None] * len(cases)
    logs = []
    scans: dict[str, str | None] = {}
    for qid in (q for q in QUESTION_IDS if q in questions):
        indexed = [(i, c) for i, c in enumerate(cases) if c.question == qid]
        failure = question_failure(submission, qid, config, scans)
        if failure:
            for i, c in indexed:
                tests[i] = case_test(c, share[i], False, messages.checked(c.checked, failure), 0.0, config)
            continue
        workdir = scratch / qid
        blocked = config.imports.forbidden if module_of(qid) in config.imports.autodiff_free_modules else []
        assembled = assemble(submission, qid, workdir, {c.probe for _, c in indexed}, blocked)
        key = run_key(workdir, qid, run.seed, f"{run.launcher.name}\0{blocked}\0{config.limits}")
        question_run = load_run(run.cache_dir, key)
        if question_run is None:
            question_run = run_question(children, assembled, indexed, config.limits,
                                        question_deadline(deadline, config.limits))
            measure_reports(question_run, indexed)
            save_run(run.cache_dir, key, question_run)
        shutil.rmtree(workdir, ignore_errors=True)  # the stand-ins it held are of no use to a later question
        if question_run.log.strip():
            logs.append(f"--- {qid} ---\n{question_run.log}")
        for i, c in indexed:
            report = question_run.reports[i]
            if report.ok:
                verdict = judged(c, run.expected[i], report.output, config, logs)
                answer = answer_key(c.name, report.output, c.keys or list(run.expected[i]))
                tests[i] = case_test(c, share[i], verdict.passed, verdict.message, report.seconds, config, answer)
            else:
                tests[i] = case_test(c, share[i], False, error_message(c, report, submission), report.seconds, config)
        misconception = run.diagnosis(qid, indexed, question_run.reports, tests, logs)
        if misconception:
            named(tests, indexed, misconception)
    return [t for t in tests if t is not None], "\n".join(logs)


def question_scores(tests: list[TestResult], config: Config) -> dict[str, QuestionScore]:
    earned = {qid: 0.0 for qid in QUESTION_IDS}
    for t in tests:
        earned[t.question] += t.score
    return {qid: QuestionScore(points(earned[qid]), points(config.question(qid).points)) for qid in QUESTION_IDS}


def summary(name: str, total: float, questions: dict[str, QuestionScore], config: Config, error: str | None) -> str:
    lines = [f"{name}: {total:g} / {config.total_points:g} points."]
    if error:
        lines.append(f"This submission could not be graded: {error}")
    lines += [f"  {qid}: {q.score:g} / {q.max_score:g}" for qid, q in questions.items()]
    return "\n".join(lines)


def results_for(run: GradingRun, name: str, tests: list[TestResult], *, files_hash: str, error: str | None,
                seconds: float, grader_failed: bool) -> Results:
    tests = limit_quotes(tests)  # what student code said: each message once per question, within a budget
    error = reference_redactor().redact(error) if error else error
    questions = question_scores(tests, run.config)
    total = points(sum(t.score for t in tests))
    return Results(
        submission=name, score=total, max_score=points(run.config.total_points), execution_time=round(seconds, 2),
        output=summary(name, total, questions, run.config, error), tests=tests, questions=questions,
        seed=run.seed, submission_hash=files_hash, kit_version=__version__, error=error, sandbox=run.launcher.name,
        graded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        grader_failed=grader_failed,  # --resume grades such a submission again
    )


def ungradable_tests(cases: list[Case], config: Config, reason: str) -> list[TestResult]:
    why = messages.not_graded(reason)
    return [case_test(c, s, False, why, 0.0, config) for c, s in zip(cases, shares(cases, config))]


def grade_submission(submission: Path, out_dir: Path, *, config: Config, seed: int, name: str | None = None,
                     launcher: Launcher | None = None, launcher_name: str = "auto") -> Results:
    """Grade one submission folder or .zip; writes out_dir/results/<name>.json and returns the results.

    launcher_name picks the launcher when none is given ("auto", "bwrap" (required) or "direct"); a batch
    passes the name, not the launcher, so that each worker process builds its own.
    """
    out_dir = Path(out_dir)
    run = GradingRun(config, seed, launcher or launcher_for(launcher_name, config.limits), out_dir / ".cache")
    results, log = grade_with(run, Path(submission), name)
    write_results(out_dir / "results" / f"{results.submission}.json", results)
    if log:
        write_text_atomic(out_dir / "logs" / f"{results.submission}.txt", log)
    return results


def grade_with(run: GradingRun, submission: Path, name: str | None = None) -> tuple[Results, str]:
    """The results of one submission, and the TA log; whatever happens, results (0 and the reason if need be)."""
    started = time.monotonic()
    name = name or submission_name(submission)
    files_hash, error, log, grader_failed = "", None, "", False
    try:
        run.expected  # noqa: B018 - computed (or read from the cache) before the clock of the submission starts
        with tempfile.TemporaryDirectory(prefix="nnkit-grade-") as scratch:
            try:
                opened = open_submission(submission, Path(scratch), run.config.limits)
            except SubmissionError as e:
                error = str(e)
                tests = ungradable_tests(run.cases, run.config, error)
            else:
                files_hash = opened.files_hash
                deadline = time.monotonic() + run.config.limits.submission_timeout_s
                tests, log = grade_questions(run, opened, Path(scratch), deadline)
    except Exception as e:  # noqa: BLE001 - one submission's grader failure must not stop a batch
        error = f"the grader failed on this submission ({type(e).__name__}: {e}); a TA has the details"
        log += traceback.format_exc()
        grader_failed = True
        tests = ungradable_tests(run.cases, run.config, error)
    results = results_for(run, name, tests, files_hash=files_hash, error=error,
                          seconds=time.monotonic() - started, grader_failed=grader_failed)
    return results, log
