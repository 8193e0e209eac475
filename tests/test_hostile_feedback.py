"""Hostile feedback: student code that sends the reference back through its own messages, or crashes the judge.

Reading the reference out (attack 4). While a question is graded, the reference's other modules stand in for
the student's in the child's work folder: `engine.py` beside a student's `nn.py`, and `engine.py` and
`_reference_optim.py` (the reference's optim.py less `ascend`) beside a student's `optim.py`. The hostile
modules here are the starter's with code appended that reads those files and sends them back through what
the grader reports: an exception's message (all of it, or a piece per case), its type name, the strings its
functions return, and the place an exception is raised at (inside the stand-in's solution bodies). No line
of a solution body, and no WINDOW characters of solutions/ that the starter does not show, may reach a
results file or a feedback page.

Crashing the judge (attack 8). A train.py whose training leaves parameters no float holds (10**400), NaN,
strings or nested junk: the case fails and says why, the rest of the submission is graded as usual.

Both attacks succeed on the kit before its hardening (those tests fail there); the unit tests of the new
modules (redaction, budget, the judge's guards) are skipped there.
"""

from __future__ import annotations

import ast
import html
import json
from functools import cache
from pathlib import Path

import pytest
from partial_expected import cache_expected

from autograder.build.leakcheck import collect, squeeze
from autograder.config import load_config
from autograder.grade.reference import reference_package, without_markers
from autograder.grade.run import grade_run
from autograder.hidden import suite
from autograder.paths import REPO, SOLUTIONS, STARTER
from autograder.results import TestResult
from autograder.sandbox import bwrap_works

try:  # the modules of the hardening: absent from the kit before it
    from autograder.grade import grader, untrusted
    from autograder.grade.child import CaseReport
    from autograder.grade.reference import reference_redactor, stub_messages
    from autograder.grade.submission import Submission
    from autograder.judge import MeasureError, measured
    from autograder.judge.compare import fmt
    from autograder.judge.redact import REDACTED, Redactor

    HARDENED = True
except ImportError:
    HARDENED = False

hardened = pytest.mark.skipif(not HARDENED, reason="a unit of the hardening, which this kit does not have")
needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")

SEED = 5
CONFIG = load_config()
WINDOW = 24  # characters, whitespace aside
MIN_LINE = 12  # a shorter solution line (`x = layer(x)`) tells nothing

# --- what must not reach a student ------------------------------------------------------------------------


def windows(text: str) -> set[str]:
    s = squeeze(text)
    return {s[i : i + WINDOW] for i in range(len(s) - WINDOW + 1)}


def starter_messages() -> list[str]:
    """What the starter's stubs raise, as a student sees it (the starter's source splits it over lines)."""
    found = []
    for path in sorted(STARTER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                if isinstance(node.exc.args[0], ast.Constant) and isinstance(node.exc.args[0].value, str):
                    found.append(node.exc.args[0].value)
    return found


@cache
def secret_windows() -> frozenset[str]:
    """Windows of solutions/ that the starter (its files, its stubs' messages) does not show. The markers, hints
    and nudges are left out: a question id, a hint and a nudge are public (stubs, checks and feedback show them)."""
    public = set().union(*(windows(p.read_text()) for p in STARTER.glob("*.py")), *map(windows, starter_messages()))
    secret = set()
    for path in SOLUTIONS.glob("*.py"):
        secret |= windows(without_markers(path.read_text()))
    return frozenset(secret - public)


@cache
def secret_lines() -> tuple[str, ...]:
    """The solution bodies' lines (whitespace removed) that say something and are not public (the leak check's)."""
    found = collect(REPO)
    return tuple(s for s in found.lines if s not in found.hidden_lines and len(s) >= MIN_LINE)


def leaks(text: str) -> list[str]:
    """The secret lines and windows found in text (whitespace ignored)."""
    s = squeeze(text)
    found = [line for line in secret_lines() if line in s]
    found += [s[i : i + WINDOW] for i in range(len(s) - WINDOW + 1) if s[i : i + WINDOW] in secret_windows()]
    return found


def strings_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_of(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return []


def student_facing(out: Path, name: str) -> dict[str, str]:
    """Every text of a submission's results file, and its feedback pages (with hidden cases), by where it is."""
    texts = {f"results string {i}": s for i, s in enumerate(strings_of(json.loads(
        (out / "results" / f"{name}.json").read_text())))}
    texts["feedback.html"] = html.unescape((out / "feedback" / f"{name}.html").read_text())
    texts["feedback.md"] = (out / "feedback" / f"{name}.md").read_text()
    return texts


# --- the hostile modules ----------------------------------------------------------------------------------

# Appended to the starter's module: what the child's package holds besides it, from the first solution body
# on, one line; and pieces of it, each slot (a class, a function) from its own part of the text.
STEAL = '''
import glob as _glob
import os as _os
import sys as _sys

_HERE = _os.path.dirname(_os.path.abspath(__file__))
_STOLEN = "".join(open(_p).read() for _p in sorted(_glob.glob(_os.path.join(_HERE, "*.py")))
                  if _os.path.basename(_p) not in (_os.path.basename(__file__), "__init__.py"))
_STOLEN = " ".join(_STOLEN[max(_STOLEN.find("# BEGIN SOLUTION"), 0):].splitlines())
print(f"stole {len(_STOLEN)} characters", file=_sys.stderr)
_CALLS = {}


def _piece(slot, size=150):
    """The next piece of the stolen text for slot: each call of a slot moves on."""
    k = _CALLS[slot] = _CALLS.get(slot, -1) + 1
    at = (slot * 11 + k) * size % max(len(_STOLEN), 1)
    return _STOLEN[at : at + size]
'''

# How each nn attack fails a slot: 0 for Neuron, 1 for Layer, 2 for MLP.
FAIL = {
    "nn_message_whole": "    raise ValueError(_STOLEN)\n",
    "nn_message_pieces": "    raise ValueError(_piece(slot))\n",
    "nn_type_name": "    raise type(_piece(slot), (Exception,), {})('see my name')\n",
    # An exception raised inside the stand-in's solution bodies: where it happens is their text.
    "nn_where": '''    k = _CALLS[slot] = _CALLS.get(slot, -1) + 1
    op = ("__add__", "__mul__", "__pow__", "relu", "tanh", "exp")[(slot * 2 + k) % 6]
    value = Value(0.5)
    result = getattr(value, op)(2) if op.startswith("__") else getattr(value, op)()
    result.grad = "not a number"
    result._backward()
''',
}

FAILING_CLASSES = '''

def _fail(slot):
{fail}

class Neuron(Module):
    def __init__(self, nin, activation="ReLU", **kwargs):
        _fail(0)


class Layer(Module):
    def __init__(self, nin, nout, **kwargs):
        _fail(1)


class MLP(Module):
    def __init__(self, nin, nouts, activations=None):
        _fail(2)
'''

# Classes that work, but whose outputs and activation name are pieces of the stolen text.
STRING_CLASSES = '''

class Neuron(Module):
    def __init__(self, nin, activation="ReLU", **kwargs):
        self.b = Value(0.25)
        self.w = list(map(Value, [0.5] * nin))
        self.activation = _piece(0)

    def __call__(self, x):
        return Value(_piece(0))

    def parameters(self):
        found = [*self.w, self.b]
        return found


class Layer(Module):
    def __init__(self, nin, nout, **kwargs):
        made = [Neuron(nin, **kwargs) for _ in range(nout)]
        self.neurons = made

    def __call__(self, x):
        stolen = [Value(_piece(1)) for _ in self.neurons]
        return stolen if len(stolen) > 1 else stolen[0]

    def parameters(self):
        found = sum((n.parameters() for n in self.neurons), [])
        return found


class MLP(Module):
    def __init__(self, nin, nouts, activations=None):
        dims = [nin, *nouts]
        self.layers = list(map(Layer, dims[:-1], dims[1:]))

    def __call__(self, x):
        stolen = [Value(_piece(2)) for _ in self.layers[-1].neurons]
        return stolen if len(stolen) > 1 else stolen[0]

    def parameters(self):
        found = sum((layer.parameters() for layer in self.layers), [])
        return found
'''

# optim.ascend's child also holds _reference_optim.py: a message, a type name, and a string that the probe's
# own float() quotes in its error.
OPTIM = '''

def estimate_gradient(G, w, sigma=3, n_samples=200, rng=None):
    raise ValueError(_piece(0))


def ascend(G, w0, n_iter=5, alpha=0.03, sigma=3, n_samples=200, rng=None):
    raise type(_piece(1), (Exception,), {})("see my name")


def gradient_descent(f, x0, alpha=0.3, num_iterations=10):
    return [[_piece(2)]]
'''


def hostile_sources() -> dict[str, tuple[str, str]]:
    """name -> (module, source) of every attack 4 submission."""
    nn, optim = (STARTER / "nn.py").read_text(), (STARTER / "optim.py").read_text()
    found = {name: ("nn", nn + STEAL + FAILING_CLASSES.format(fail=fail)) for name, fail in FAIL.items()}
    found["nn_strings"] = ("nn", nn + STEAL + STRING_CLASSES)
    found["optim_mixed"] = ("optim", optim + STEAL + OPTIM)
    return found


def write_submission(folder: Path, module: str, source: str) -> Path:
    folder.mkdir(parents=True)
    (folder / f"{module}.py").write_text(source)
    return folder


def grade_class(root: Path, sources: dict[str, tuple[str, str]], modules: tuple[str, ...]) -> dict[str, dict]:
    out = root / "out"
    paths = [write_submission(root / "subs" / name, module, source) for name, (module, source) in sources.items()]
    cache_expected(out, SEED, modules)
    grade_run(paths, out, config=CONFIG, seed=SEED, workers=2, progress=False, require_sandbox=True,
              include_hidden=True)
    return {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}


@pytest.fixture(scope="module")
def stealing_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("stealing")
    return root / "out", grade_class(root, hostile_sources(), ("nn", "optim"))


# --- attack 4: reading the reference out ------------------------------------------------------------------


def test_the_hostile_sources_hold_no_secret_themselves():
    """So that whatever secret a results file holds came from the stand-ins."""
    for name, (_, source) in hostile_sources().items():
        assert not leaks(source), name


@needs_bwrap
@pytest.mark.slow
@pytest.mark.parametrize("name", list(FAIL) + ["nn_strings", "optim_mixed"])
def test_no_reference_text_reaches_results_or_feedback(stealing_class, name):
    out, results = stealing_class
    result = results[name]
    assert not result["extra_data"]["grader_failed"]
    log = (out / "logs" / f"{name}.txt").read_text()
    assert "stole" in log and max(int(w) for w in log.split() if w.isdigit()) > 1000  # the attack did read them
    found = {where: leaks(text) for where, text in student_facing(out, name).items()}
    found = {where: pieces for where, pieces in found.items() if pieces}
    assert not found, f"{len(found)} texts carry the reference, e.g. {next(iter(found.items()))}"


@needs_bwrap
@pytest.mark.slow
def test_quoted_messages_are_short_and_a_repeated_one_is_said_once(stealing_class):
    _, results = stealing_class
    tests = [t for t in results["nn_message_whole"]["tests"] if t["extra_data"]["question"].startswith("nn.")]
    for test in tests:
        message = test["output"].split("\n  at ")[0]
        assert len(message) < 400, message  # "Checked ...: your code raised ValueError: " and 160 characters at most
    assert sum(len(t["output"].split("\n  at ")[0]) for t in tests) < 24 * 250


# --- attack 8: crashing the judge -------------------------------------------------------------------------

JUNK = {
    "huge_int": "10 ** 400",
    "nan": "float('nan')",
    "string": "'not a number'",
    "nested": "_nested(40)",
    "dict_of_junk": "{'w': [10 ** 400, {'deeper': [float('inf'), 'x' * 200]}]}",
}

TRAIN = '''

def _nested(depth):
    junk = [0.5]
    for _ in range(depth):
        junk = [junk, "junk"]
    return junk


def train(model, X, y, n_iter=20, learning_rate=1.0, batch_size=None, rng=None):
    for p in model.parameters():
        p.data = JUNK
    return []
'''


@pytest.fixture(scope="module")
def junk_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("junk")
    starter = (STARTER / "train.py").read_text()
    sources = {f"train_{name}": ("train", starter + TRAIN.replace("JUNK", junk)) for name, junk in JUNK.items()}
    return grade_class(root, sources, ("train",))


@needs_bwrap
@pytest.mark.slow
@pytest.mark.parametrize("name", list(JUNK))
def test_unusable_parameters_fail_their_case_not_the_submission(junk_class, name):
    result = junk_class[f"train_{name}"]
    assert result["extra_data"]["grader_failed"] is False and result["extra_data"]["error"] is None, result["output"]
    tests = {t["name"]: t for t in result["tests"]}
    for case in suite(SEED):
        if case.question != "train.train":
            continue
        test = tests[case.title]  # every case of the question: failed, and saying what was checked
        assert test["status"] == "failed" and test["output"].startswith(f"Checked {case.checked}"), test["output"]
        if case.measure:
            reasons = ("not a finite number", "could not use", "cannot be evaluated", "parameters")
            assert any(words in test["output"] for words in reasons), test["output"]
    # The other questions are graded as for any submission of train.py alone.
    for test in result["tests"]:
        if test["extra_data"]["question"] == "train.compute_loss":
            assert "is not written yet" in test["output"], test["output"]
        elif not test["extra_data"]["question"].startswith("train."):
            assert "is missing from the submission" in test["output"], test["output"]


# --- units: redaction -------------------------------------------------------------------------------------


@hardened
def test_a_redactor_hides_secret_windows_and_lines_whatever_the_whitespace():
    redactor = Redactor(["def f(x):\n    return x * secret_factor + offset_of_the_reference\n"],
                        public=["def f(x):\n    raise NotImplementedError\n"], lines=["y = x ** 2 + 1"])
    message = "got return   x*secret_factor +\toffset_of_the_reference, then y = x**2 + 1 !"
    assert redactor.redact(message) == f"got {REDACTED}, then {REDACTED} !"
    assert redactor.redact("def f(x): raise NotImplementedError") == "def f(x): raise NotImplementedError"
    assert redactor.redact("nothing to see") == "nothing to see"


@hardened
def test_the_reference_redactor_hides_every_solution_line():
    redact = reference_redactor().redact
    for line in secret_lines():
        assert not leaks(redact(f"oops {line} oops")), line
    for path in SOLUTIONS.glob("*.py"):
        assert not leaks(redact(path.read_text())), path.name


@hardened
def test_the_reference_redactor_spares_what_students_may_read():
    redact = reference_redactor().redact
    public = [*stub_messages(), *starter_messages(), "unsupported operand type(s) for +: 'Value' and 'str'",
              "module 'submission.nn' has no attribute 'MLP'", "invalid syntax (nn.py, line 12)"]
    for case in suite(SEED):
        public += [case.title, f"Checked {case.checked}: correct.", grader.describe_inputs(case.inputs)]
    for text in public:
        assert redact(text) == text


# --- units: what a student reads of a child's report ------------------------------------------------------


@hardened
def test_a_quoted_message_is_its_first_printable_line_cut_short():
    quoted = untrusted.quoted("\x1bred\u202e alert\x00 " + "x" * 500 + "\nsecond line", lambda s: s)
    assert quoted.startswith("red alert ") and "second" not in quoted
    assert len(quoted) == untrusted.MAX_QUOTE + 1 and quoted.endswith("…")


@hardened
def test_a_type_name_is_shown_only_if_builtin_or_the_students_own():
    assert untrusted.shown_type("ValueError", None) == "ValueError"
    assert untrusted.shown_type("ShapeMismatch", "class ShapeMismatch(Exception): pass") == "ShapeMismatch"
    assert untrusted.shown_type("self.grad += out.grad", "self.grad += out.grad") == "an exception"
    assert untrusted.shown_type("Shape", "class ShapeMismatch(Exception): pass") == "an exception"


SOURCE = "import math\n\n\nclass Neuron:\n    def __call__(self, x):\n        return math.sqrt(x)  # line 6\n"


@hardened
def test_where_comes_from_the_graders_copy_of_the_graded_module():
    claim = "engine.py, line 41, in _backward: self.grad += out.grad; nn.py, line 6, in __call__: FORGED"
    assert untrusted.trusted_where(claim, "nn", SOURCE) == (
        "nn.py, line 6, in Neuron.__call__: return math.sqrt(x)  # line 6")
    assert untrusted.trusted_where("nn.py, line 60, in f", "nn", SOURCE) == ""  # past the end of the file
    assert untrusted.trusted_where("engine.py, line 6, in f", "nn", SOURCE) == ""
    assert untrusted.trusted_where("nn.py, line 6: x", "nn", "def broken(:\n" * 6) == "nn.py, line 6: def broken(:"


def case_of(question: str):
    return next(c for c in suite(SEED) if c.question == question and not c.public)


@hardened
def test_an_error_message_keeps_its_honest_form(tmp_path):
    (tmp_path / "nn.py").write_text(SOURCE)
    submission = Submission("s", tmp_path, "")
    case = case_of("nn.neuron")
    report = CaseReport(False, error={"type": "TypeError", "message": "must be real number, not str",
                                      "where": "nn.py, line 6, in __call__"})
    assert grader.error_message(case, report, submission) == (
        f"Checked {case.checked}: your code raised TypeError: must be real number, not str\n"
        "  at nn.py, line 6, in Neuron.__call__: return math.sqrt(x)  # line 6")
    source = " ".join((SOLUTIONS / "nn.py").read_text().splitlines())
    stolen = source[source.index("self.w = ["):][:200]  # from the first solution body on
    assert leaks(stolen)
    for kind in ("Crash", "ValueError", "NotImplementedError"):
        forged = CaseReport(False, error={"type": kind, "message": stolen, "where": ""})
        assert not leaks(grader.error_message(case, forged, submission)), kind


def entry(question: str, case: str, output: str, quote: tuple[int, int, bool] | None) -> TestResult:
    return TestResult(name=f"{question}: {case}", score=0.0, max_score=1.0, passed=False, output=output,
                      visibility="visible", question=question, case=case, quote=quote)


@hardened
def test_a_message_is_quoted_once_per_question_and_within_the_budget():
    said = "raised ValueError: " + "m" * 100
    tests = [entry("q1", "a", said, (19, 119, True)), entry("q1", "b", said, (19, 119, True)),
             entry("q2", "c", said, (19, 119, True)), entry("q2", "d", said, (19, 119, False)),
             entry("q3", "e", said, (19, 119, True)), entry("q3", "f", "no quote", None)]
    out = untrusted.limit_quotes(tests, budget=300)
    assert [t.output for t in out] == [
        said, 'raised ValueError: (the same message as in case "a")', said, said,
        "raised ValueError: (message withheld: this results file quotes 300 characters of what your code said "
        "already)", "no quote"]
    assert not any(t.quote for t in out)


@hardened
def test_fmt_never_shows_more_than_a_short_piece_of_a_string():
    assert fmt("x" * 1000) == repr("x" * 40) + "… (1000 characters)"
    assert fmt({"k" * 100: 1.0}) == "{" + "k" * 40 + ": 1}"
    deep = [1.0]
    for _ in range(500):
        deep = [deep]
    assert len(fmt(deep)) < 100 and fmt([[1.0, 2.0]]) == "[[1, 2]]"


# --- units: the judge's guards ----------------------------------------------------------------------------


def measured_case(question: str):
    return next(c for c in suite(SEED) if c.question == question and c.measure)


@hardened
@pytest.mark.parametrize("parameters", [[10**400] * 337, [1e300] * 337, [[0.5]] * 337, ["0.5"] * 337,
                                        {"w": 1.0}, [True] * 337, 10**400])
def test_moons_measurement_raises_only_measure_errors(parameters):
    try:
        outputs = measured(measured_case("train.train"), reference_package(), {"trained parameters": parameters})
    except MeasureError:
        return
    assert 0.0 <= outputs["held-out accuracy"] <= 1.0


@hardened
@pytest.mark.parametrize("parameters", ["é" * 8, 10**400, ["AAAA"], {"x": 1}])
def test_cnn_measurement_raises_only_measure_errors(parameters):
    with pytest.raises(MeasureError):
        measured(measured_case("cnn.train"), reference_package(), {"trained parameters": parameters})


@hardened
def test_a_judge_that_fails_fails_the_case_only(monkeypatch):
    def broken(*args, **kwargs):
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(grader, "judge_case", broken)
    logs: list[str] = []
    case = case_of("engine.add")
    verdict = grader.judged(case, {}, {}, CONFIG, logs)
    assert not verdict.passed
    assert verdict.message == (f"Checked {case.checked}: the grader could not use your result: "
                               "OverflowError: int too large to convert to float.")
    assert "Traceback" in logs[0] and "OverflowError" in logs[0]
