"""Redaction: no fragment of the reference's source in a text that students read.

While a question is graded, the reference's other modules sit in the child's work folder as stand-ins, and
student code can read them and put them into what the grader reports back: an exception's message, a
string it returns. A `Redactor` knows the secret text as windows of WIDTH characters (whitespace removed,
as the build's leak check compares lines) that are not also in the public text (the starter), plus whole
secret lines shorter than a window; `redact` replaces every stretch of a text that such a window or line
covers, whitespace ignored, by REDACTED. It needs nothing but the standard library; what is secret is
decided by its caller (`autograder/grade/reference.py`).

Redaction catches the reference verbatim, not encoded or cut into pieces shorter than a window: what
bounds those is the per-file budget of quoted text (`autograder/grade/untrusted.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "[redacted]"
WIDTH = 24  # characters, whitespace aside: shorter runs are too common in honest messages to be secrets


def squeezed_with_positions(text: str) -> tuple[str, list[int]]:
    """text without whitespace, and where each of its characters is in text."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in positions), positions


def windows(text: str, width: int = WIDTH) -> set[str]:
    """Every run of width characters of text, whitespace removed."""
    squeezed = "".join(text.split())
    return {squeezed[i : i + width] for i in range(len(squeezed) - width + 1)}


def merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans apart by whitespace only, as one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and (start <= out[-1][1] or not text[out[-1][1] : start].strip()):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


class Redactor:
    """Replaces the secret fragments of texts by REDACTED."""

    def __init__(self, secret: Iterable[str], public: Iterable[str] = (), lines: Iterable[str] = (),
                 width: int = WIDTH):
        """secret and public are texts (sources); lines are secret lines, compared without whitespace."""
        self.width = width
        shown = set().union(*(windows(t, width) for t in public))
        self.windows = set().union(*(windows(t, width) for t in secret)) - shown
        self.lines = {squeezed for line in lines if (squeezed := "".join(line.split()))}

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in text the secret fragments are, as (start, end) spans."""
        squeezed, at = squeezed_with_positions(text)
        found = []
        for i in range(len(squeezed) - self.width + 1):
            if squeezed[i : i + self.width] in self.windows:
                found.append((at[i], at[i + self.width - 1] + 1))
        for line in self.lines:
            start = squeezed.find(line)
            while start >= 0:
                found.append((at[start], at[start + len(line) - 1] + 1))
                start = squeezed.find(line, start + 1)
        return merged(found, text)

    def redact(self, text: str) -> str:
        """text with every secret fragment replaced by REDACTED."""
        parts, last = [], 0
        for start, end in self.spans(text):
            parts += [text[last:start], REDACTED]
            last = end
        return "".join(parts) + text[last:] if parts else text
