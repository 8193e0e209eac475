"""The report pages rendered from their Jinja2 templates (`report/templates/`).

HTML pages are rendered with autoescaping on: every value a template prints is escaped unless the kit marks
it safe, so no text from a results file (a submission's name, an exception's message, a printed value) can
become markup or script in a reader's browser. Markdown has no escaping of its own: its template prints
student-controlled text only through the `md_code` and `md_fence` filters (code spans and fenced blocks show
their text literally, HTML included) or `md_text`.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .load import fmt_points

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!#])")


def md_text(text: object) -> str:
    """Text on one line, its Markdown and HTML specials backslash-escaped, so it renders as itself."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def md_code(text: object) -> str:
    """An inline code span holding text on one line: no backtick run inside can end it early."""
    text = " ".join(str(text).split())
    ticks = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_fence(text: object) -> str:
    """A fenced block that no backtick run in text can close early."""
    text = str(text)
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{fence}text\n{text}\n{fence}"


def md_hint(hint: object) -> str:
    """A kit-written hint for Markdown: its `code` spans kept, the rest escaped (hints say things like **kwargs)."""
    parts = re.split(r"(`[^`]+`)", str(hint))
    return "".join(part if part.startswith("`") else md_text(part) for part in parts)


def code_spans(hint: object) -> Markup:
    """A kit-written hint for HTML: escaped, then its `code` spans shown as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(hint))))


def url_part(text: object) -> str:
    """text as one part of a relative URL: every character that could mean something else is %-escaped."""
    return quote(str(text), safe="")


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("autograder.report", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(points=fmt_points, md_text=md_text, md_code=md_code, md_fence=md_fence,
                       md_hint=md_hint, code_spans=code_spans, url_part=url_part)
    return env


def render(template: str, **context) -> str:
    """The page of template (a file name under templates/) for context."""
    return environment().get_template(template).render(**context)
