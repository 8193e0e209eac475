"""The TA report: its numbers, that it is one self-contained page, and that a real browser renders it cleanly."""

from __future__ import annotations

import re

import numpy as np
import pytest
from class_results import CONFIG, make_result, typed
from matplotlib.image import imread

from autograder.report.browser import find_chromium, render
from autograder.report.ta_report import Failure, class_stats, failure_message, ta_report_html, write_ta_report

CHROMIUM = find_chromium()
EVIL = '<script>alert("x")</script>'


def a_class() -> list[dict]:
    return [
        make_result("alice", seconds=3.0),
        make_result("bob", earned={"engine.mul": 0.5, "nn.mlp": 0.0}, seconds=12.5,
                    outputs={"engine.mul": "reused operand a*a: expected grad 6.0, got 3.0"}),
        make_result("carol", earned={"engine.mul": 0.5}, seconds=7.25,
                    outputs={"engine.mul": "reused operand a*a: expected grad 8.0, got 4.0"}),
        make_result("dave", error="the .zip cannot be read (BadZipFile: File is not a zip file)", seconds=0.1),
        make_result(f"eve{EVIL}", default=0.5, seconds=1.0, outputs={"cnn.net": EVIL}),
        make_result("frank", earned={"nn.neuron": 0.0}, seconds=2.0, outputs={"nn.neuron": "neuron: got 0.5"}),
    ]


def realistic_class(n: int = 40, seed: int = 0) -> list[dict]:
    """A class where later questions are harder, a few submissions are slow and two cannot be graded."""
    rng = np.random.default_rng(seed)
    difficulty = {qid: i / len(CONFIG.questions) for i, qid in enumerate(CONFIG.questions)}
    results = []
    for i in range(n):
        skill = rng.uniform(0.2, 1.0)
        earned = {qid: float(rng.choice([0.0, 0.5, 1.0], p=[d / 2, (1 - skill) / 2, (skill + 1 - d) / 2]))
                  for qid, d in difficulty.items()}
        results.append(make_result(f"student{i:02d}", earned=earned, seconds=float(rng.gamma(2.0, 20.0))))
    results.append(make_result("zipless", error="no package found: no folder holds any of engine.py, nn.py"))
    results.append(make_result("timeout", error="grading took longer than 900 s", seconds=900.0))
    return results


def test_failure_messages_group_by_kind():
    assert failure_message("\n  expected grad 6.0, got 3.0\nmore") == "expected grad #, got #"
    assert failure_message("") == "(no output)"


def test_class_stats():
    stats = class_stats(typed(a_class()), CONFIG)
    assert stats.graded == 5
    assert stats.ungradable == [("dave", "the .zip cannot be read (BadZipFile: File is not a zip file)")]
    mul = next(q for q in stats.questions if q.qid == "engine.mul")
    # Over the 5 graded: alice 2, bob 1, carol 1, eve 1, frank 2 -> mean 1.4; alice and frank have full points.
    assert mul.mean == pytest.approx(1.4) and mul.pass_rate == pytest.approx(0.4)
    # bob's and carol's messages differ only in numbers: one group of 2 students, then eve's (the default message).
    assert mul.failures[0] == Failure("reused operand a*a: expected grad #, got #", 2, ["public case"])
    assert mul.failures[1].students == 1
    # frank fails both cases of nn.neuron with one message: one student, two cases.
    neuron = next(q for q in stats.questions if q.qid == "nn.neuron")
    assert Failure("neuron: got #", 1, ["hidden case", "public case"]) in neuron.failures
    # Slow means more than twice the median time (3 s): a fast submission is never listed.
    assert stats.slowest == [("bob", 12.5), ("carol", 7.25)]
    assert stats.totals["dave"] == 0.0


def test_page_is_self_contained_and_escaped(tmp_path):
    page = ta_report_html(typed(a_class()), CONFIG)
    sources = re.findall(r'src\s*=\s*"([^"]*)"', page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    # Every student is linked to their feedback page, the name %-escaped into one relative path.
    links = re.findall(r'href\s*=\s*"([^"]*)"', page)
    assert links == ["feedback/alice.html", "feedback/bob.html", "feedback/carol.html", "feedback/dave.html",
                     "feedback/eve%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E.html",
                     "feedback/frank.html"]
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "<script" not in page and "&lt;script&gt;" in page
    for needle in ("6 submissions, 5 graded, 1 could not be graded", "dave", "BadZipFile", "12.5 s"):
        assert needle in page
    # The same results give the same bytes, whatever order the files were read in.
    assert ta_report_html(typed(list(reversed(a_class()))), CONFIG) == page


def test_an_empty_run_still_gives_a_page():
    page = ta_report_html(typed([]), CONFIG)
    assert "No results yet" in page


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium")
def test_the_console_check_catches_a_planted_error(tmp_path):
    page = tmp_path / "planted.html"
    page.write_text("<html><body><p>hi</p><script>undefinedFunction()</script></body></html>", encoding="utf-8")
    console = render(page, tmp_path / "planted.png")
    assert "Uncaught ReferenceError" in console


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium")
def test_chromium_renders_the_report_without_errors_and_shows_the_charts(tmp_path):
    path = write_ta_report(typed(realistic_class()), tmp_path, CONFIG)
    shot = tmp_path / "ta_report.png"
    console = render(path, shot)
    assert console == ""
    pixels = imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert pixels.std() > 0.05  # not a blank page
    # The charts' two bar colours (#3b6fb6 and #e08a2c) cover a real area of the screenshot.
    for colour in ((0x3B, 0x6F, 0xB6), (0xE0, 0x8A, 0x2C)):
        close = np.all(np.abs(pixels - np.array(colour) / 255) < 0.03, axis=-1)
        assert close.sum() > 2000, colour
