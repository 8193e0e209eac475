"""The check for similar code (autograder/similarity.py, autograder/grade/similar_code.py) on a class written for it.

tests/similarity_class/ holds one engine.py per student: eight written independently, each in a style of its
own (amara to hugo: a comment at the top of each says how), and two planted copies of dmitri's (ivo, jana),
disguised by renaming, reordering the methods and new comments. Both copies must be flagged and no
independent pair; code every student starts from (the starter's lines, the tutorial's code) must make no
pair similar. docs/grading.md ("Similar code") has the scores and times measured on this class.
"""

import csv
import importlib.util
import json
import math
import shutil
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pytest
from class_results import make_result
from markupsafe import escape

from autograder import similarity
from autograder.build.markers import find_blocks
from autograder.build.starter import stub_lines
from autograder.config import DEFAULT_PATH, ConfigError, describe, load_config, parse_config
from autograder.contract import QUESTION_IDS
from autograder.grade.similar_code import check_similarity, similar_pairs, student_code
from autograder.paths import SOLUTIONS, STARTER
from autograder.report.merge import merge
from autograder.report.ta_report import ta_report_html
from autograder.similarity import pair_scores, read_similarity, write_similarity_csv

CLASS = Path(__file__).parent / "similarity_class"
STUDENTS = sorted(p.name for p in CLASS.iterdir() if p.is_dir())
ORIGINAL, COPIES = "dmitri", ("ivo", "jana")
CONFIG = load_config()


def load_engine(student: str):
    spec = importlib.util.spec_from_file_location(f"similarity_class_{student}", CLASS / student / "engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Value


def expression(Value, a, b, c):
    """Every operation of the contract, the reflected ones included, in one expression of three inputs."""
    x, y, z = Value(a, label="x"), Value(b), Value(c)
    out = ((x * y + z**2).tanh() - x / y + (z * 0.3).exp() + (x - 1.5).relu() + (y * x).relu()
           + 2 - x + 3 / y + 1 + 2 * z - (-y))
    return out, (x, y, z)


@pytest.mark.parametrize("student", STUDENTS)
def test_each_student_of_the_class_writes_a_working_engine(student):
    Value = load_engine(student)
    point = (0.7, -1.3, 0.4)
    out, inputs = expression(Value, *point)
    out.backward()
    for i, leaf in enumerate(inputs):
        step = np.eye(3)[i] * 1e-6
        numeric = (expression(Value, *(point + step))[0].data - expression(Value, *(point - step))[0].data) / 2e-6
        assert math.isclose(leaf.grad, numeric, rel_tol=1e-6, abs_tol=1e-8), (student, i, leaf.grad, numeric)
    a = Value(2.0)
    (a * a + a).backward()  # a node used twice, and twice by one operation
    assert a.grad == 5.0
    start = v = Value(1.0)
    for _ in range(3000):  # deeper than Python's default recursion limit
        v = v * 1.0 + 0.0
    v.backward()
    assert start.grad == 1.0
    assert (Value(2.0) ** 3).data == 8.0 and Value(-3.0).relu().data == 0.0
    assert repr(Value(1.0)) == "Value(data=1.0, grad=0.0)"
    assert repr(Value(1.0, label="q")) == "Value(node=q, data=1.0, grad=0.0)"


@pytest.fixture(scope="module")
def flagged():
    return similar_pairs(sorted(CLASS.iterdir()), CONFIG)


def test_both_planted_copies_are_flagged_and_no_independent_pair_is(flagged):
    assert {(p.a, p.b) for p in flagged} == {("dmitri", "ivo"), ("dmitri", "jana"), ("ivo", "jana")}
    for pair in flagged:
        assert CONFIG.similarity.threshold <= pair.score <= 1
        [engine] = pair.files
        assert engine.name == "engine.py"
        # The two files side by side: the segments are each file's whole text, most of it shared.
        assert "".join(s.text for s in engine.a) == (CLASS / pair.a / "engine.py").read_text()
        assert "".join(s.text for s in engine.b) == (CLASS / pair.b / "engine.py").read_text()
        for side in (engine.a, engine.b):
            shared = sum(len(s.text) for s in side if s.shared)
            assert shared > 0.7 * sum(len(s.text) for s in side)
    assert [p.score for p in flagged] == sorted((p.score for p in flagged), reverse=True)


def test_the_scores_alone_separate_copies_from_independent_work():
    scores = pair_scores({s: student_code(CLASS / s) for s in STUDENTS})
    copied = {pair: score for pair, score in scores.items() if set(pair) <= {ORIGINAL, *COPIES}}
    independent = {pair: score for pair, score in scores.items() if pair not in copied}
    assert len(copied) == 3 and len(independent) == len(STUDENTS) * (len(STUDENTS) - 1) // 2 - 3
    assert min(copied.values()) > 0.85
    assert max(independent.values()) < CONFIG.similarity.threshold / 2


def engine_with(bodies: dict[str, str]) -> str:
    """The starter's engine.py with the bodies given (question id -> code) in place of their stubs."""
    source = (SOLUTIONS / "engine.py").read_text()
    lines = source.splitlines()
    for block in reversed(find_blocks(source, "engine.py", known_ids=QUESTION_IDS)):
        body = bodies.get(block.qid)
        new = textwrap.indent(textwrap.dedent(body), block.indent).splitlines() if body else stub_lines(block)
        lines[block.begin - 1 : block.end] = new
    return "\n".join(lines) + "\n"


TUTORIAL_BODIES = {  # the tutorial's own bodies, as a student who follows it writes them
    "engine.add": "self.grad  += out.grad\nother.grad += out.grad\n",
    "engine.mul": "self.grad  += other.data * out.grad\nother.grad += self.data  * out.grad\n",
    "engine.pow": "self.grad += (other * self.data**(other-1)) * out.grad\n",
    "engine.relu": "self.grad += (out.data > 0) * out.grad\n",
    "engine.tanh": "self.grad += (1 - t**2) * out.grad\n",
    "engine.exp": "self.grad += out.data * out.grad\n",
    "engine.backward": """\
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()
        """,
}


HINTED_POW = "self.grad += other * self.data ** (other - 1) * out.grad"  # "d(a**n)/da = n * a**(n-1)"


def write_class(root: Path, engines: dict[str, str]) -> list[Path]:
    """One package per student: the starter's modules, with the engine.py given."""
    paths = []
    for name, engine in engines.items():
        shutil.copytree(STARTER, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        (root / name / "engine.py").write_text(engine)
        paths.append(root / name)
    return paths


def test_code_every_student_starts_from_makes_no_pair_similar(tmp_path, monkeypatch):
    starter = (STARTER / "engine.py").read_text()
    tutorial = engine_with(TUTORIAL_BODIES)
    engines = {
        "starter_1": starter, "starter_2": starter,  # two untouched starters: the very same files
        "tutorial_1": tutorial, "tutorial_2": tutorial,  # the tutorial's bodies in the starter, twice
        # two that wrote little, each something of their own, and kept the other stubs
        "little_a": engine_with({"engine.add": TUTORIAL_BODIES["engine.add"],
                                 "engine.mul": "g = out.grad\nself.grad += g * other.data\n"
                                               "other.grad += g * self.data"}),
        "little_b": engine_with({"engine.exp": "self.grad = self.grad + math.exp(self.data) * out.grad",
                                 "engine.relu": "if self.data > 0:\n    self.grad += out.grad"}),
        # two that wrote the same line, as the stub's hint has it, and kept the other stubs
        "same_line_1": engine_with({"engine.pow": HINTED_POW}), "same_line_2": engine_with({"engine.pow": HINTED_POW}),
    }
    paths = write_class(tmp_path, engines)
    assert similar_pairs(paths, CONFIG) == []
    # The control: with nothing set aside, the same starters and the same tutorial code would be flagged.
    monkeypatch.setattr(similarity, "boilerplate_hashes", lambda: np.array([], dtype=np.int64))
    assert {(p.a, p.b) for p in similar_pairs(paths, CONFIG)} >= {("starter_1", "starter_2"),
                                                                  ("tutorial_1", "tutorial_2")}


def test_similarity_csv_lists_the_flagged_pairs_highest_first(flagged, tmp_path):
    path = write_similarity_csv(flagged, tmp_path)
    assert path == tmp_path / "similarity.csv"
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["submission_a", "submission_b", "score"]
    assert [(a, b) for a, b, _ in rows[1:]] == [(p.a, p.b) for p in flagged]
    scores = [float(score) for _, _, score in rows[1:]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert scores == [round(p.score, 3) for p in flagged]


def test_the_run_step_writes_both_files_and_the_report_can_read_them_back(tmp_path):
    paths = [CLASS / name for name in ("amara", ORIGINAL, COPIES[0])]
    out = tmp_path / "out"
    pairs = check_similarity(paths, out, CONFIG)
    assert [(p.a, p.b) for p in pairs] == [(ORIGINAL, COPIES[0])]
    assert (out / "similarity.csv").read_text().splitlines()[1].startswith(f"{ORIGINAL},{COPIES[0]},0.9")
    [read] = read_similarity(out)
    assert (read.a, read.b, read.score) == (pairs[0].a, pairs[0].b, round(pairs[0].score, 4))
    assert read.files[0].a == pairs[0].files[0].a and read.files[0].b == pairs[0].files[0].b
    text, shared = read.files[0].a[1]  # a segment is a (text, shared) pair
    assert isinstance(text, str) and isinstance(shared, bool)
    # Shard 1 of a sharded run compares the whole class; the others, and a run with the check off, skip it.
    assert check_similarity(paths, tmp_path / "shard1", CONFIG, shard=(1, 3)) == pairs
    assert check_similarity(paths, tmp_path / "shard2", CONFIG, shard=(2, 3)) is None
    assert read_similarity(tmp_path / "shard2") is None and not (tmp_path / "shard2").exists()
    with open(DEFAULT_PATH, "rb") as f:
        settings = tomllib.load(f)
    settings["similarity"]["enabled"] = False
    assert check_similarity(paths, tmp_path / "off", parse_config(settings)) is None


def test_a_zip_is_opened_like_the_grader_opens_it_and_one_that_cannot_be_is_left_out(tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    zipped = shutil.make_archive(str(tmp_path / COPIES[1]), "zip", CLASS, COPIES[1])  # jana.zip, a folder inside
    pairs = similar_pairs([broken, CLASS / ORIGINAL, Path(zipped)], CONFIG)
    assert [(p.a, p.b) for p in pairs] == [(ORIGINAL, COPIES[1])]


def test_the_similarity_table_of_the_configuration():
    assert CONFIG.similarity.enabled is True and 0 < CONFIG.similarity.threshold < 1
    text = describe()
    assert "[similarity]" in text and "  threshold = " in text and "  enabled = " in text
    for bad in ({"threshold": 1.5}, {"threshold": -0.1}, {"enabled": "yes"}, {"limit": 3}):
        with pytest.raises(ConfigError, match="similarity"):
            parse_config({"similarity": bad})


def test_the_ta_report_shows_the_pairs_side_by_side_and_a_merge_keeps_them(tmp_path):
    shard = tmp_path / "shard1"
    pairs = check_similarity([CLASS / ORIGINAL, CLASS / COPIES[0], CLASS / "amara"], shard, CONFIG)
    page = ta_report_html([], CONFIG, read_similarity(shard))
    assert f"<strong>{ORIGINAL}</strong> and <strong>{COPIES[0]}</strong>: 0.9" in page
    shared = next(text for text, is_shared in pairs[0].files[0].a if is_shared and "<" not in text)
    assert f"<mark>{escape(shared)}</mark>" in page  # escaped as the template escapes
    assert "amara" not in page.split("Similar code")[1]
    assert "Not checked in this run" in ta_report_html([], CONFIG, None)
    # A merge carries shard 1's check into the joined folder, whose report shows it.
    (shard / "results").mkdir()
    (shard / "results" / "alice.json").write_text(json.dumps(make_result("alice")))
    merge([shard], tmp_path / "merged", CONFIG)
    assert (tmp_path / "merged" / "similarity.csv").read_text() == (shard / "similarity.csv").read_text()
    assert f"<strong>{ORIGINAL}</strong>" in (tmp_path / "merged" / "ta_report.html").read_text()
