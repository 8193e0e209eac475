"""Hints in levels: the stub says what and why, never the code; the nudge and the walkthrough where they belong.

Level 1 (the hint) rides in every stub and may share no run of five tokens with its body; the build stops on
one that does. Level 2 (the nudge) is shown by the public check after a failed case and on the feedback
page. Level 3 (the walkthrough) reaches the stubs only of the questions assignment.toml releases it for.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from autograder.build import build
from autograder.build.hintcheck import check_hints, shared_run, tokens
from autograder.build.leakcheck import solution_lines, squeeze
from autograder.build.markers import find_blocks
from autograder.build.starter import generate
from autograder.config import QUESTION_IDS, load_config
from autograder.paths import REPO, SOLUTIONS

CONFIG = load_config()
BLOCKS = [(path, block) for path in sorted(SOLUTIONS.glob("*.py")) for block in find_blocks(path.read_text())]


def body(path, block) -> str:
    lines = path.read_text().splitlines()
    return "\n".join(lines[n - 1] for n in block.body)


@pytest.mark.parametrize(("path", "block"), BLOCKS, ids=lambda x: getattr(x, "qid", None) or getattr(x, "name", ""))
def test_no_hint_shares_five_tokens_with_its_body(path, block):
    assert len(tokens(block.hint)) >= 8, "a hint says what and why"
    assert shared_run(block.hint, body(path, block)) is None


def test_every_question_has_a_hint_a_nudge_and_a_walkthrough():
    for qid in QUESTION_IDS:
        mine = [b for _, b in BLOCKS if b.qid == qid]
        assert mine and all(b.hint for b in mine), qid
        assert any(b.nudge for b in mine) and any(b.walkthrough for b in mine), qid
    assert check_hints(SOLUTIONS) == []


def test_the_run_is_found_whatever_the_spacing():
    assert shared_run("call model . eval ( ) first", "    model.eval()\n") == "model . eval ( )"
    assert shared_run("put the model in evaluation mode", "    model.eval()\n") is None


def planted(tmp_path, qid: str, fragment: str):
    """A copy of the repository's solutions/ in which qid's first hint ends with fragment."""
    shutil.copytree(SOLUTIONS, tmp_path / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    path, block = next((p, b) for p, b in BLOCKS if b.qid == qid)
    target = tmp_path / "solutions" / path.name
    lines = target.read_text().splitlines(keepends=True)
    hint_line = block.begin  # the line after BEGIN, 0-based
    assert lines[hint_line].lstrip().startswith("# hint:")
    lines[hint_line] = lines[hint_line].rstrip("\n") + " " + fragment + "\n"
    target.write_text("".join(lines))
    return target


def test_the_build_stops_on_a_hint_that_gives_away_code(tmp_path):
    planted(tmp_path, "cnn.test", "(use model.eval() then torch.no_grad())")
    result = build(CONFIG, repo=tmp_path, dist=tmp_path / "dist")
    assert result.archive is None and len(result.hint_leaks) == 1
    leak = str(result.hint_leaks[0])
    assert "cnn.test" in leak and "solutions/cnn.py:" in leak and "`model . eval ( )`" in leak
    assert not (tmp_path / "starter").exists() and not (tmp_path / "dist").exists()  # nothing was built


def test_released_walkthrough_goes_to_its_stubs_and_nowhere_else():
    qid = "engine.backward"
    questions = {**CONFIG.questions, qid: dataclasses.replace(CONFIG.questions[qid], walkthrough=True)}
    released = generate(SOLUTIONS, dataclasses.replace(CONFIG, questions=questions))
    default = generate(SOLUTIONS, CONFIG)
    assert {name for name in default if default[name] != released[name]} == {"engine.py"}
    walkthrough = next(b for _, b in BLOCKS if b.qid == qid).walkthrough
    assert "Walkthrough:" in released["engine.py"] and "Walkthrough:" not in default["engine.py"]
    assert squeeze(walkthrough) in squeeze(released["engine.py"].replace("#", ""))
    # Only the stub of engine.backward grows: every other line of the module is as it was.
    added = [line for line in released["engine.py"].splitlines() if line not in default["engine.py"].splitlines()]
    assert added and all(line.lstrip().startswith("#") for line in added)
    # The leak check counts what the instructor released as public.
    secret, _ = solution_lines(REPO)
    secret_released, public = solution_lines(REPO, released={qid})
    assert squeeze(walkthrough) in public
    assert set(secret_released) <= set(secret)


def test_a_nudge_does_not_make_a_solution_line_public(tmp_path):
    """Hints and nudges are shipped, so the leak check looks in them for solution lines rather than trusting them:
    a nudge that spells out a line of the body leaves that line secret, and the bundle that carries it leaks."""
    line = "self.grad += other.data * out.grad"
    target = planted(tmp_path, "engine.add", "")
    lines = target.read_text().splitlines(keepends=True)
    mul = next(b for b in find_blocks(target.read_text()) if b.qid == "engine.mul")
    at = next(n for n in mul.header if lines[n - 1].lstrip().startswith("# nudge:"))
    lines[at - 1] = f"{mul.indent}# nudge: {line}\n"
    target.write_text("".join(lines))
    assert line in next(b for b in find_blocks(target.read_text()) if b.qid == "engine.mul").nudge
    secret, _ = solution_lines(tmp_path)
    assert squeeze(line) in secret
