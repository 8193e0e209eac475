"""Answer groups, through the real `nnkit`: three students who share a mistake the catalogue does not know
(each writes it in their own way) form one group of three in the TA report, and a comment on the group
reaches all three feedback pages and nobody else's."""

from __future__ import annotations

import re

from nnkit_cli import engine_only, grade_engines, nnkit

from autograder.judge.answers import answer_key
from autograder.paths import SOLUTIONS, STARTER

SEED = 82
REFERENCE = (SOLUTIONS / "engine.py").read_text()
BODY = "            self.grad += other.data * out.grad\n            other.grad += self.data * out.grad\n"
# d(a*b)/da without the upstream gradient: right when out.grad is 1, wrong inside any larger expression.
FORGETS_UPSTREAM = {
    "ana": "            self.grad += other.data\n            other.grad += self.data\n",
    "ben": ("            # chain rule\n            self.grad = self.grad + other.data\n"
            "            other.grad = other.grad + self.data\n"),
    "cy": "            a, b = self, other\n            a.grad += b.data\n            b.grad += a.data\n",
}
# Another mistake: the local derivatives swapped.
SWAPPED = "            self.grad += self.data * out.grad\n            other.grad += other.data * out.grad\n"


def test_a_shared_unknown_mistake_forms_one_group_and_its_comment_reaches_each_member(tmp_path):
    assert REFERENCE.count(BODY) == 1
    for name, body in FORGETS_UPSTREAM.items():
        engine_only(tmp_path / "subs" / name, REFERENCE.replace(BODY, body))
    engine_only(tmp_path / "subs" / "dee", REFERENCE.replace(BODY, SWAPPED))
    engine_only(tmp_path / "subs" / "eve", REFERENCE)
    engine_only(tmp_path / "subs" / "fin", (STARTER / "engine.py").read_text())
    out = tmp_path / "graded"
    done = grade_engines("subs", out, SEED, "--workers", 2, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = (out / "ta_report.html").read_text()
    section = report.split("<h2>Answer groups</h2>")[1].split("<h2>")[0]
    mul = section.split("<h3>engine.mul</h3>")[1].split("</table>")[0]
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td><code>([^<]+)</code></td>.*?<td>([^<]*)</td></tr>', mul)
    assert [(n, who) for n, _, who in rows] == [("3", "ana, ben, cy")]  # dee's mistake is her own
    group = rows[0][1]
    (out / "group_comments.csv").write_text(f'group,comment\n{group},"You dropped out.grad: see the chain rule, '
                                            f'section 2 of the notebook."\n')
    done = nnkit("report", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("ana", "ben", "cy", "dee", "eve", "fin"):
        page = (out / "feedback" / f"{name}.html").read_text()
        said = "You dropped out.grad: see the chain rule" in page
        assert said == (name in FORGETS_UPSTREAM), name
        assert said == ("You dropped out.grad" in (out / "feedback" / f"{name}.md").read_text())


def test_a_fingerprint_never_fails_whatever_the_child_reported():
    def nested(depth):
        junk = [0.5]
        for _ in range(depth):
            junk = [junk]
        return junk

    for got in ({"w": [10 ** 400, {"deeper": [float("inf"), "x" * 10 ** 6]}]}, {"w": nested(10_000)},
                {"w": list(range(10 ** 6))}, {"w": {1: object()}}, {}):
        key = answer_key("case", got, ["w"])
        assert key is None or re.fullmatch(r"[0-9a-f]{12}", key)
    # Equal to five significant digits: one answer; beyond: another.
    assert answer_key("c", {"g": 1.2345678}, ["g"]) == answer_key("c", {"g": 1.2346}, ["g"])
    assert answer_key("c", {"g": 1.2345678}, ["g"]) != answer_key("c", {"g": 1.2344}, ["g"])
    assert answer_key("c", {"g": 1.0}, ["g"]) != answer_key("d", {"g": 1.0}, ["g"])
