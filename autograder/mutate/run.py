"""`nnkit mutate`: how many small wrong variants of the reference the graded cases catch, question by question.

Each mutant (operators.py) is the reference with one change in one marked body. It is graded like a
submission, by the normal grader (a sandboxed child per question, the judge, the run's seed), on the cases
of its own question only: a mutant that fails one of them is killed, one that passes them all survived.
A survivor is either a hole in the cases or a change that makes no difference (an equivalent mutant);
the instructor names the second kind, with a reason, in `equivalent_mutants.toml` beside the configuration.
The score is killed / (killed + survivors not named equivalent).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
import tomllib
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ..atomic import write_json_atomic, write_text_atomic
from ..config import Config
from ..contract import MODULES, PROVIDED_MODULES, QUESTION_IDS, module_of
from ..errors import KitError
from ..paths import PACKAGE, SOLUTIONS
from .operators import Mutant, mutants_of

EQUIVALENTS = PACKAGE / "equivalent_mutants.toml"
KILLED, SURVIVED, STILLBORN, EQUIVALENT = "killed", "survived", "stillborn", "equivalent"


@dataclass
class MutantResult:
    mutant: Mutant
    verdict: str
    detail: str = ""  # killed: the first case that failed; stillborn: why; equivalent: the instructor's reason


@dataclass
class QuestionTally:
    question: str
    generated: int = 0
    tried: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys((KILLED, SURVIVED, EQUIVALENT, STILLBORN), 0))


@dataclass
class MutationReport:
    seed: int
    seconds: float
    tallies: list[QuestionTally]
    results: list[MutantResult]

    @property
    def score(self) -> float:
        killed = sum(t.counts[KILLED] for t in self.tallies)
        survived = sum(t.counts[SURVIVED] for t in self.tallies)
        return killed / (killed + survived) if killed + survived else 1.0

    def lines(self) -> list[str]:
        out = [f"{'question':26} {'generated':>9} {'tried':>5} {'killed':>6} {'survived':>8} {'equivalent':>10} "
               f"{'stillborn':>9}"]
        out += [f"{t.question:26} {t.generated:9} {t.tried:5} {t.counts[KILLED]:6} {t.counts[SURVIVED]:8} "
                f"{t.counts[EQUIVALENT]:10} {t.counts[STILLBORN]:9}" for t in self.tallies]
        out.append(f"score {self.score:.1%}: killed / (killed + survivors not marked equivalent); seed {self.seed}, "
                   f"{self.seconds:.0f} s")
        survivors = [r for r in self.results if r.verdict == SURVIVED]
        if survivors:
            out.append("survivors (a case missing, or an equivalent mutant to name in the equivalence file):")
            out += [f"  {r.mutant.question}: {r.mutant.diff}" for r in survivors]
        return out


class MutateError(KitError):
    """The mutation run cannot start as asked."""


def load_equivalents(path: Path) -> dict[str, str]:
    """{mutant id: reason} from the equivalence file ([[equivalent]] tables with `mutant` and `reason`)."""
    if not Path(path).exists():
        return {}
    with open(path, "rb") as f:
        entries = tomllib.load(f).get("equivalent", [])
    for entry in entries:
        if not entry.get("mutant") or not entry.get("reason"):
            raise MutateError(f"{path}: every [[equivalent]] needs a mutant and a reason: {entry}")
    return {entry["mutant"]: entry["reason"] for entry in entries}


def candidates(questions: Iterable[str], per_question: int | None, seed: int) -> tuple[list[Mutant], dict[str, int]]:
    """The mutants to grade (at most per_question a question, sampled with seed) and how many each had."""
    questions = list(questions)
    generated = {}
    chosen = []
    for module in MODULES:
        wanted = {q for q in questions if module_of(q) == module}
        if not wanted:
            continue
        found = mutants_of(module, (SOLUTIONS / f"{module}.py").read_text(), wanted)
        for qid in sorted(wanted):
            mine = [m for m in found if m.question == qid]
            generated[qid] = len(mine)
            if per_question is not None and len(mine) > per_question:
                mine = sorted(random.Random(f"{seed}:{qid}").sample(mine, per_question), key=lambda m: m.line)
            chosen += mine
    return chosen, generated


def write_package(mutant: Mutant, folder: Path) -> Path:
    """The reference as a submission folder, with the mutant's module in place of its own."""
    folder.mkdir(parents=True)
    for module in (*MODULES, *PROVIDED_MODULES, "__init__"):
        shutil.copyfile(SOLUTIONS / f"{module}.py", folder / f"{module}.py")
    (folder / f"{mutant.module}.py").write_text(mutant.source)
    return folder


def grade_mutant(mutant: Mutant, config: Config, seed: int, launcher_name: str, cache_dir: Path,
                 questions: tuple[str, ...]) -> MutantResult:
    """Grade one mutant on its own question's cases (in a worker process); questions are the run's."""
    from ..grade.grader import GradingRun, grade_questions
    from ..grade.submission import open_submission
    from ..sandbox import launcher_for

    try:
        compile(mutant.source, f"{mutant.module}.py", "exec")
    except (SyntaxError, ValueError) as e:
        return MutantResult(mutant, STILLBORN, f"{type(e).__name__}: {e}")
    run = GradingRun(config, seed, launcher_for(launcher_name, config.limits), cache_dir, questions)
    with tempfile.TemporaryDirectory(prefix="nnkit-mutant-") as scratch:
        package = write_package(mutant, Path(scratch) / "mutant")
        submission = open_submission(package, Path(scratch) / "graded", config.limits)
        deadline = time.monotonic() + config.limits.submission_timeout_s
        tests, _ = grade_questions(run, submission, Path(scratch) / "graded", deadline, questions=(mutant.question,))
    failed = [t for t in tests if t.failed]
    return MutantResult(mutant, KILLED, failed[0].name) if failed else MutantResult(mutant, SURVIVED)


def mutate(config: Config, out: Path, *, questions: Iterable[str] = QUESTION_IDS, per_question: int | None = None,
           seed: int = 0, workers: int = 1, launcher_name: str = "auto", equivalents: Path = EQUIVALENTS,
           mutants: list[Mutant] | None = None) -> MutationReport:
    """Grade the mutants of questions (or the mutants given), write OUT/mutation.md and .json, return the report."""
    started = time.monotonic()
    questions = list(questions)
    unknown = set(questions) - set(QUESTION_IDS)
    if unknown:
        raise MutateError(f"unknown question id(s): {', '.join(sorted(unknown))}")
    named = load_equivalents(equivalents)
    if mutants is None:
        mutants, generated = candidates(questions, per_question, seed)
    else:
        generated = {q: sum(m.question == q for m in mutants) for q in questions}
        strays = sorted({m.question for m in mutants} - set(questions))
        if strays:
            raise MutateError(f"mutants of question(s) not asked for: {', '.join(strays)}")
    out = Path(out)
    cache_dir = out / ".cache"
    from ..grade.grader import GradingRun
    from ..sandbox import launcher_for

    graded = tuple(q for q in QUESTION_IDS if q in questions)
    # The reference's outputs once, here, before the workers read them from the cache.
    GradingRun(config, seed, launcher_for(launcher_name, config.limits), cache_dir, graded).expected  # noqa: B018
    arguments = [(m, config, seed, launcher_name, cache_dir, graded) for m in mutants]
    if workers > 1 and len(mutants) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(grade_mutant, *zip(*arguments)))
    else:
        results = [grade_mutant(*a) for a in arguments]
    for result in results:
        if result.verdict == SURVIVED and result.mutant.id in named:
            result.verdict, result.detail = EQUIVALENT, named[result.mutant.id]
    tallies = []
    for qid in questions:
        tally = QuestionTally(qid, generated.get(qid, 0))
        for result in results:
            if result.mutant.question == qid:
                tally.tried += 1
                tally.counts[result.verdict] += 1
        tallies.append(tally)
    report = MutationReport(seed, time.monotonic() - started, tallies, results)
    write_report(report, out)
    return report


def write_report(report: MutationReport, out: Path) -> None:
    write_text_atomic(out / "mutation.md", "```\n" + "\n".join(report.lines()) + "\n```\n")
    write_json_atomic(out / "mutation.json", {
        "seed": report.seed, "seconds": round(report.seconds, 1), "score": report.score,
        "questions": [asdict(t) for t in report.tallies],
        "mutants": [{"question": r.mutant.question, "id": r.mutant.id, "operator": r.mutant.operator,
                     "diff": r.mutant.diff, "verdict": r.verdict, "detail": r.detail} for r in report.results],
    })
