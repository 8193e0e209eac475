"""Feedback pages: what a student reads about their grade, and that nothing from a results file runs as markup."""

from __future__ import annotations

from class_results import CONFIG, make_result, typed
from html_page import Page
from markdown_it import MarkdownIt

from autograder.report.feedback import feedback_html, feedback_markdown, write_feedback
from autograder.report.render import md_code, md_fence

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_shows_scores_failures_hints_and_how_to_reproduce():
    result = make_result("alice", earned={"engine.mul": 0.5, "nn.layer": 0.0}, seed=4321,
                         outputs={"engine.mul": "checked a*a with a=Value(3.0): expected a.grad == 6.0, got 3.0"})
    page = feedback_html(typed(result), CONFIG)
    text = " ".join(Page(page).text)
    assert "Score: 56 / 60" in text
    assert "engine.mul: 1 / 2" in text and "nn.layer: 0 / 3" in text
    assert "expected a.grad == 6.0, got 3.0" in text
    # The hint comes from the reference's marker for that question, with the function it belongs to.
    assert "∂(a·b)/∂a = b" in text and "engine.Value.__mul__" in text
    assert "What a layer computes" in text  # nn.layer's hints
    assert "Where to look:" in text and "p * p must give p a gradient" in text  # and the nudges
    assert "∂(a+b)/∂a" not in text  # no hint for a question with full marks
    assert "seed 4321" in text and "nnkit 0.1.0" in text
    assert "nnkit grade alice --seed 4321" in text


def test_hidden_cases_are_counted_but_not_shown():
    result = make_result("bob", earned={"engine.tanh": 0.0},
                         outputs={"engine.tanh": "SECRET INPUT 0.1234"})
    page = feedback_html(typed(result), CONFIG)
    # The public case's output is shown once; the hidden one (visibility after_published) is shown too,
    # while a case with visibility "hidden" is only counted.
    assert page.count("SECRET INPUT") == 2
    for test in result["tests"]:
        if test["name"] == "engine.tanh: hidden case":
            test["visibility"] = "hidden"
    page = feedback_html(typed(result), CONFIG)
    assert page.count("SECRET INPUT") == 1
    assert "1 hidden case(s) failed" in page
    assert feedback_html(typed(result), CONFIG, include_hidden=True).count("SECRET INPUT") == 2


def test_everything_from_the_results_is_escaped_in_html():
    result = make_result(f"eve{EVIL}", earned={"engine.exp": 0.5}, outputs={"engine.exp": EVIL},
                         summary=EVIL, error=None)
    result["tests"][0]["name"] = f"optim.estimate_gradient: {EVIL}"
    result["tests"][0]["extra_data"]["case"] = EVIL
    result["tests"][0]["status"] = "failed"
    result["tests"][0]["score"] = 0.0
    result["extra_data"]["seed"] = EVIL
    result["extra_data"]["kit_version"] = EVIL
    page = feedback_html(typed(result), CONFIG)
    tags = Page(page).tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;" in page


def test_an_ungradable_submission_says_why():
    result = make_result("dave", error=f"the .zip cannot be read {EVIL}")
    page = feedback_html(typed(result), CONFIG)
    assert "could not be graded" in page and "the .zip cannot be read" in page
    assert "<script>" not in page
    md = feedback_markdown(typed(result), CONFIG)
    assert "Score: 0 / 60" in md and "the .zip cannot be read" in md


def test_markdown_shows_student_text_as_text_and_keeps_outputs_in_unbreakable_fences():
    output = "got:\n```\n<b>bold</b> [link](http://x)\n````"
    result = make_result("*eve*_[x](y)<b>", earned={"engine.pow": 0.5}, outputs={"engine.pow": output},
                         summary=EVIL)
    md = feedback_markdown(typed(result), CONFIG)
    assert "# Feedback for \\*eve\\*\\_\\[x\\](y)\\<b\\>" in md
    assert "`````text\n" + output + "\n`````" in md
    assert "nnkit 0.1.0" in md and "&lt;" not in md  # kit text as written, nothing HTML-escaped twice
    # Rendered by a CommonMark renderer that lets raw HTML through, the student's text stays text.
    page = MarkdownIt("commonmark").render(md)
    tags = Page(page).tags
    assert not [t for t, _ in tags if t in ("script", "img", "b", "a", "iframe")]
    assert "*eve*_[x](y)<b>" in " ".join(Page(page).text)
    assert md_fence("a ` b") == "```text\na ` b\n```"
    assert md_code("a `b`") == "`` a `b` ``"


def test_cases_are_labelled_public_or_hidden_and_long_lines_are_cut():
    result = make_result("bob", earned={"engine.tanh": 0.0}, outputs={"engine.tanh": "x = [" + "0.5, " * 2000 + "]"})
    page = feedback_html(typed(result), CONFIG)
    # The after_published case is shown, labelled as hidden.
    assert '<span class="tag">public case</span>' in page and '<span class="tag hidden">hidden case</span>' in page
    assert "more characters)" in page and page.count("0.5, ") < 200
    md = feedback_markdown(typed(result), CONFIG)
    assert "(public case, 0 / " in md and "(hidden case, 0 / " in md


def test_write_feedback_writes_both_pages_per_submission_under_their_exact_names(tmp_path):
    results = [make_result("Zoë 王"), make_result("bob.smith")]
    paths = write_feedback(typed(results), tmp_path, CONFIG)
    names = sorted(p.name for p in paths)
    assert names == ["Zoë 王.html", "Zoë 王.md", "bob.smith.html", "bob.smith.md"]
    assert all(p.read_text(encoding="utf-8") for p in paths)


def test_a_number_that_should_be_zero_is_off_by_an_absolute_error():
    """A relative error means nothing where the expected number is 0 (it once printed 5.0e+12)."""
    from types import SimpleNamespace

    from autograder.judge.compare import judge_case

    case = SimpleNamespace(keys=("grad",), rules={}, checked="a gradient")
    hidden = judge_case(case, {"grad": 0.0}, {"grad": 0.005}, CONFIG.tolerances, show_expected=False).message
    assert "grad: off by an absolute error of 5.0e-03" in hidden and "relative" not in hidden
    public = judge_case(case, {"grad": 0.0}, {"grad": 0.005}, CONFIG.tolerances, show_expected=True).message
    assert "grad: expected 0, got 0.005 (absolute error 5.0e-03)" in public
    assert "relative error 5.0e-01" in judge_case(case, {"grad": 0.01}, {"grad": 0.005}, CONFIG.tolerances,
                                                  show_expected=True).message
