"""Named misconceptions: every catalogued mistake is named where it is made, and nothing else ever is.

The graded class (graded_class.py) holds one submission per catalogued mistake, the reference, the starter
and mistakes the catalogue does not know (mutations.UNCATALOGUED); the judge's matching is also tried on
its own, on outcomes made up for the purpose.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mutations import MUTATIONS, UNCATALOGUED_NAMES

from autograder.build.hintcheck import shared_run
from autograder.build.markers import find_blocks
from autograder.config import QUESTION_IDS, load_config
from autograder.judge.diagnose import CaseOutcome, diagnose
from autograder.misconceptions import by_id, catalogue
from autograder.paths import SOLUTIONS
from autograder.report.feedback import feedback_html, feedback_markdown
from autograder.report.render import code_spans, md_hint
from autograder.report.ta_report import ta_report_html
from autograder.results import Results

CONFIG = load_config()
TOLERANCES = CONFIG.tolerances


def bodies(qid: str) -> str:
    """The code of every solution block of qid."""
    text = []
    for path in sorted(SOLUTIONS.glob("*.py")):
        lines = path.read_text().splitlines()
        for block in find_blocks(path.read_text(), str(path)):
            if block.qid == qid:
                text += [lines[n - 1] for n in block.body]
    return "\n".join(text)


def test_the_catalogue_is_well_formed():
    ids = [e.id for e in catalogue()]
    assert len(ids) == len(set(ids)) >= 25
    for entry in catalogue():
        assert entry.question in QUESTION_IDS
        for module in entry.modules:
            assert entry.source(module) != (SOLUTIONS / f"{module}.py").read_text()  # each edit applies, once


@pytest.mark.parametrize("entry", catalogue(), ids=lambda e: e.id)
def test_an_explanation_tells_why_without_the_code(entry):
    """Held to the hint rule: no run of five tokens shared with the question's solution."""
    assert shared_run(f"{entry.title} {entry.explanation}", bodies(entry.question)) is None
    assert len(entry.explanation) > 60


# --- the judge's matching, on made-up outcomes ---------------------------------------------------------------

CLOSE = SimpleNamespace(keys=("grad",), rules={})
BAR = SimpleNamespace(keys=("accuracy",), rules={"accuracy": "at_least:moons_accuracy_margin"})


def ok(value: float, key: str = "grad") -> dict:
    return {"ok": True, "output": {key: value}}


def outcomes(*cases) -> list[CaseOutcome]:
    return [CaseOutcome(i, case, got, passed) for i, (case, got, passed) in enumerate(cases)]


EXPECTED = [{"grad": 1.0}, {"grad": 2.0}]


def test_the_one_entry_that_explains_every_case_is_named():
    entries = {"halves": {"0": ok(0.5), "1": ok(1.0)}, "doubles": {"0": ok(2.0), "1": ok(4.0)}}
    student = outcomes((CLOSE, ok(0.5 + 1e-9), False), (CLOSE, ok(1.0), False))
    assert diagnose(student, EXPECTED, entries, TOLERANCES) == "halves"


def test_a_case_the_entry_gets_right_must_be_right():
    """Where the entry's numbers are the reference's, a failed case is evidence against it."""
    entries = {"second_only": {"0": ok(1.0), "1": ok(3.0)}}
    assert diagnose(outcomes((CLOSE, ok(1.0), True), (CLOSE, ok(3.0), False)), EXPECTED, entries, TOLERANCES) \
        == "second_only"
    assert diagnose(outcomes((CLOSE, ok(7.0), False), (CLOSE, ok(3.0), False)), EXPECTED, entries, TOLERANCES) is None


def test_no_name_when_two_entries_agree_or_none_does():
    entries = {"a": {"0": ok(0.5), "1": ok(1.0)}, "b": {"0": ok(0.5), "1": ok(1.0)}}
    student = outcomes((CLOSE, ok(0.5), False), (CLOSE, ok(1.0), False))
    assert diagnose(student, EXPECTED, entries, TOLERANCES) is None
    assert diagnose(student, EXPECTED, {"c": {"0": ok(0.4), "1": ok(1.0)}}, TOLERANCES) is None


def test_an_accuracy_bar_tells_nothing():
    """A case judged against a bar is left out, whatever it got: alone it names nothing."""
    entries = {"weak": {"0": ok(0.6, "accuracy")}}
    student = outcomes((BAR, ok(0.6, "accuracy"), False))
    assert diagnose(student, [{"accuracy": 0.9}], entries, TOLERANCES) is None
    entries = {"halves": {"0": ok(0.5)}}  # not run on the bar's case
    student = outcomes((CLOSE, ok(0.5), False), (BAR, ok(0.2, "accuracy"), False))
    assert diagnose(student, [{"grad": 1.0}, {"accuracy": 0.9}], entries, TOLERANCES) == "halves"


def test_the_same_error_is_the_same_outcome():
    entries = {"recursive": {"0": ok(1.0), "1": {"ok": False, "error": "RecursionError"}}}
    student = outcomes((CLOSE, ok(1.0), True), (CLOSE, {"ok": False, "error": "RecursionError"}, False))
    assert diagnose(student, EXPECTED, entries, TOLERANCES) == "recursive"
    student = outcomes((CLOSE, ok(1.0), True), (CLOSE, {"ok": False, "error": "MemoryError"}, False))
    assert diagnose(student, EXPECTED, entries, TOLERANCES) is None


@pytest.mark.parametrize("got", [float("nan"), 10 ** 400, "0.5", [0.5] * 3, None, {"x": 1}])
def test_whatever_a_child_reports_gets_no_name_and_no_error(got):
    entries = {"halves": {"0": ok(0.5), "1": ok(1.0)}}
    student = outcomes((CLOSE, ok(got), False), (CLOSE, {"ok": True, "output": got}, False))
    assert diagnose(student, EXPECTED, entries, TOLERANCES) is None


# --- the graded class ----------------------------------------------------------------------------------------

def named_in(results: dict) -> dict[str, set[str]]:
    """{question: the misconceptions its tests carry}."""
    found: dict[str, set[str]] = {}
    for t in results["tests"]:
        if t["extra_data"].get("misconception"):
            found.setdefault(t["extra_data"]["question"], set()).add(t["extra_data"]["misconception"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("entry", catalogue(), ids=lambda e: e.id)
def test_every_catalogued_mistake_is_named_on_its_feedback_page(graded, entry):
    results = graded[1][entry.id]
    assert named_in(results) == {entry.question: {entry.id}}
    failed = [t for t in results["tests"] if t["extra_data"]["question"] == entry.question and t["status"] == "failed"]
    assert failed and all(t["extra_data"]["misconception"] == entry.id for t in failed)
    assert sum(entry.explanation in t["output"] for t in failed) == 1  # said once, in Gradescope's view too
    result = Results.from_json(results)
    page, markdown = feedback_html(result, CONFIG), feedback_markdown(result, CONFIG)
    assert page.count("A known mistake") == 1 and page.count("What your code gives") == 1  # said once
    assert str(code_spans(entry.explanation)) in page and str(code_spans(entry.title)) in page
    assert markdown.count("A known mistake") == 1 and md_hint(entry.explanation) in markdown


@pytest.mark.slow
@pytest.mark.parametrize("name", ["reference", "starter", *sorted(UNCATALOGUED_NAMES),
                                  *(m.name for m in MUTATIONS if not by_id(m.name) and m.name not in
                                    UNCATALOGUED_NAMES)])
def test_nothing_else_is_named(graded, name):
    results = graded[1][name]
    assert named_in(results) == {}
    assert "A known mistake" not in feedback_html(Results.from_json(results), CONFIG)


@pytest.mark.slow
def test_the_ta_report_counts_students_per_misconception(graded):
    report = ta_report_html([Results.from_json(r) for r in graded[1].values()], CONFIG)
    section = report[report.index("<h2>Named misconceptions</h2>"):report.index("<h2>Answer groups</h2>")]
    for entry in catalogue():
        at = section.index(f"<code>{entry.id}</code>")
        row = section[section.rindex("<tr>", 0, at):section.index("</tr>", at)]
        assert row.startswith('<tr><td class="num">1</td>') and f"<td>{entry.id}</td>" in row  # one student: its own
        assert section.rindex("<h3>", 0, at) == section.index(f"<h3>{entry.question}</h3>")


def test_a_catalogue_that_cannot_be_computed_names_nothing_and_costs_nothing(tmp_path, monkeypatch):
    """Should the catalogue's outcomes fail (an edit that no longer applies), the grade is as it would be without
    them, and the TA log says why."""
    from mutations import BY_NAME
    from nnkit_cli import engine_only
    from partial_expected import cache_expected

    from autograder.grade import grader

    def broken(*args, **kwargs):
        raise ValueError("misconception add_assigns_instead_of_adding: the edit no longer applies")

    monkeypatch.setattr(grader, "misconception_outcomes", broken)
    seed = 31
    cache_expected(tmp_path / "out", seed, ("engine",))
    submission = engine_only(tmp_path / "bob", BY_NAME["add_assigns_instead_of_adding"].source("engine"))
    result = grader.grade_submission(submission, tmp_path / "out", config=CONFIG, seed=seed).to_json()
    questions = result["extra_data"]["questions"]
    assert not result["extra_data"]["grader_failed"] and result["extra_data"]["error"] is None
    assert questions["engine.add"]["score"] < questions["engine.add"]["max_score"]
    assert all(questions[q]["score"] == questions[q]["max_score"] for q in ("engine.mul", "engine.backward"))
    assert named_in(result) == {}
    log = (tmp_path / "out" / "logs" / "bob.txt").read_text()
    assert "the misconceptions of engine.add could not be computed" in log


def test_turned_off_in_the_configuration_nothing_is_named(tmp_path):
    """`[misconceptions] enabled = false`: the same mistake, graded the same, named nowhere."""
    import dataclasses

    from mutations import BY_NAME
    from nnkit_cli import engine_only
    from partial_expected import cache_expected

    from autograder.grade.grader import grade_submission

    seed = 32
    submission = engine_only(tmp_path / "carol", BY_NAME["add_assigns_instead_of_adding"].source("engine"))
    scores = {}
    for enabled in (True, False):
        config = dataclasses.replace(CONFIG, misconceptions=dataclasses.replace(CONFIG.misconceptions, enabled=enabled))
        cache_expected(tmp_path / f"out-{enabled}", seed, ("engine",))
        result = grade_submission(submission, tmp_path / f"out-{enabled}", config=config, seed=seed).to_json()
        assert named_in(result) == ({"engine.add": {"add_assigns_instead_of_adding"}} if enabled else {})
        scores[enabled] = result["score"]
    assert scores[True] == scores[False]
