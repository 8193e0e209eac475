"""A hostile name and a hostile exception message, graded through the real `nnkit`, then opened in headless
Chromium: the TA report and the feedback page run no script and show the text as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_page import Page
from nnkit_cli import engine_only, grade_engines

from autograder.paths import SOLUTIONS
from autograder.report.browser import dump_dom, find_chromium, render

SEED = 79
NAME = "<img src=x onerror=alert(1)>"
MESSAGE = "<script>document.title='pwned';alert(2)</script>"


def hostile_engine() -> str:
    source = (SOLUTIONS / "engine.py").read_text()
    marker = "    def __add__(self, other):\n"
    assert marker in source
    return source.replace(marker, marker + f"        raise ValueError({MESSAGE!r})\n", 1)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-pages")
    engine_only(root / "subs" / NAME, hostile_engine())
    engine_only(root / "subs" / "alice", (SOLUTIONS / "engine.py").read_text())
    out = root / "graded"
    done = grade_engines("subs", out, SEED, "--workers", 1, cwd=root)
    assert done.returncode == 0, done.stderr
    return out


def test_the_message_reaches_the_pages(graded):
    feedback = (graded / "feedback" / f"{NAME}.html").read_text()
    assert "&lt;script&gt;document.title=" in feedback and "<script" not in feedback
    assert "&lt;script&gt;document.title=" in (graded / "ta_report.html").read_text()


@pytest.mark.skipif(find_chromium() is None, reason="no chromium")
@pytest.mark.parametrize("page", ["ta_report.html", f"feedback/{NAME}.html"])
def test_chromium_runs_no_script_and_shows_the_text(graded, page, tmp_path):
    document = Page(dump_dom(graded / page))
    assert not [tag for tag, _ in document.tags if tag in ("script", "iframe", "object", "embed")]
    assert not [attrs for _, attrs in document.tags if any(key.startswith("on") for key in attrs)]
    assert all(attrs.get("src", "").startswith("data:image/png;base64,") for tag, attrs in document.tags
               if tag == "img")
    assert "pwned" not in document.title
    text = "".join(document.text)
    assert NAME in text and MESSAGE[:30] in text
    assert render(graded / page, tmp_path / "page.png") == ""  # nothing on the console: no alert, no error
