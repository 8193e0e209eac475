"""Hostile submissions that use what a student can know or send: shipped numbers, the run cache, a fixed seed.

- Replay: the student bundle ships every public case with the reference's outputs, and the probes run in
  the student's process. A starter engine.py and optim.py that replace the probes with a lookup in those
  numbers must earn nothing: graded public cases are drawn from the run's seed.
- Constants: a case whose answer is the same for every seed (zero_grad's zeros, a Net's shapes, test()'s flags,
  a chain's gradient of 1) pays a submission that patches the probes to claim it. Every graded case judges numbers
  that only working code makes of the seed's, and a trained-accuracy case's data are turned or renamed by the seed.
- Cache poisoning: a crafted submission whose files, joined with the old key's separators, read exactly as
  an honest submission's would share its run key; graded first, its failing run would be served to the
  honest one. The key is a hash of a manifest of per-file hashes, and oversized runs are not cached.
- Gradescope: one seed per bundle let a student learn the cases once and meet them again on every
  resubmission (and every classmate's). Each submission now gets a seed from a bundle secret and its files.

Only the modules an attack needs are submitted, and only their questions' reference outputs computed.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from fake_gradescope import lay_out, run_autograder

from autograder.atomic import write_json_atomic
from autograder.checks import jsonable
from autograder.config import load_config
from autograder.export import gradescope_run
from autograder.export.gradescope import write_gradescope_bundle
from autograder.grade import reference
from autograder.grade.child import CaseReport, QuestionRun
from autograder.grade.grader import grade_submission
from autograder.grade.reference import compute_expected, kit_fingerprint
from autograder.grade.run_cache import load_run, run_key, save_run
from autograder.hidden import public_cases, suite
from autograder.judge import measured
from autograder.paths import SOLUTIONS, STARTER
from autograder.probes import run_probe
from autograder.sandbox import bwrap_works

SEED = 5151
BUILD_SEED = 6161
CONFIG = load_config()
ENGINE = ("engine.add", "engine.mul", "engine.pow", "engine.relu", "engine.tanh", "engine.exp", "engine.backward")
OPTIM = ("optim.estimate_gradient", "optim.ascend", "optim.gradient_descent")

sandboxed = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here: grading would not be sandboxed")


def write_expected(cache_dir: Path, seed: int, questions: tuple[str, ...]) -> None:
    """The reference's outputs where grading looks for them, for these questions' cases only ({} for the rest)."""
    cases = suite(seed)
    wanted = iter(compute_expected([c for c in cases if c.question in questions]))
    expected = [next(wanted) if c.question in questions else {} for c in cases]
    write_json_atomic(cache_dir / f"expected-{seed}-{kit_fingerprint()}.json", expected)


def only_expected_for(questions: tuple[str, ...]):
    """compute_expected for these questions' cases, {} for the others (no CNN to train)."""
    def compute(cases):
        wanted = iter(compute_expected([c for c in cases if c.question in questions]))
        return [next(wanted) if c.question in questions else {} for c in cases]
    return compute


def package(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def earned(result: dict, questions: tuple[str, ...]) -> float:
    return sum(result["extra_data"]["questions"][q]["score"] for q in questions)


def full_marks(questions: tuple[str, ...]) -> float:
    return sum(CONFIG.question(q).points for q in questions)


def passed(result: dict) -> list[str]:
    return [t["name"] for t in result["tests"] if t["status"] == "passed"]


# --- Replaying the public cases ------------------------------------------------------------------------------

# Appended to the starter's module: each probe the table knows becomes a lookup of the closest known inputs.
REPLAY = '''

import importlib as _importlib
import json as _json

_TABLE = _json.loads(TABLE_JSON)


def _likeness(known, given):
    if set(known) != set(given):
        return -1
    return sum(known[k] == given[k] for k in known)


def _replayer(rows):
    def _replay(pkg, **inputs):
        return max(rows, key=lambda row: _likeness(row["inputs"], inputs))["expected"]
    _replay.is_probe = True
    return _replay


for _name in sorted({row["probe"] for row in _TABLE}):
    _module, _function = _name.split(".")
    try:
        _probes = _importlib.import_module("nnkit_probes." + _module)
    except ImportError:
        continue
    setattr(_probes, _function, _replayer([row for row in _TABLE if row["probe"] == _name]))
'''


def replay_table(cases: list) -> str:
    """What a student can lift from the bundle: each case's probe, inputs and the reference's outputs."""
    expected = compute_expected(cases)
    rows = [{"probe": c.probe, "inputs": jsonable(dataclasses.asdict(c)["inputs"]), "expected": e}
            for c, e in zip(cases, expected)]
    return json.dumps(rows)


def replaying_package(folder: Path, table: str) -> Path:
    code = REPLAY.replace("TABLE_JSON", repr(table))
    return package(folder, {f"{m}.py": (STARTER / f"{m}.py").read_text() + code for m in ("engine", "optim")})


@pytest.fixture(scope="module")
def replay_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("replay") / "out"
    write_expected(out / ".cache", SEED, ENGINE + OPTIM)
    return out


@sandboxed
def test_replaying_the_published_public_cases_earns_nothing(replay_out, tmp_path):
    published = [c for c in public_cases() if c.question in ENGINE + OPTIM]
    sub = replaying_package(tmp_path / "replays_the_bundle", replay_table(published))
    result = grade_submission(sub, replay_out, config=CONFIG, seed=SEED).to_json()
    assert earned(result, ENGINE + OPTIM) == 0, passed(result)


@sandboxed
def test_the_replay_runs_and_only_the_numbers_stop_it(replay_out, tmp_path):
    """The control: the same patch fed the numbers this run grades earns the public cases' points."""
    graded = [c for c in suite(SEED) if c.public and c.question in ENGINE + OPTIM]
    sub = replaying_package(tmp_path / "replays_the_run", replay_table(graded))
    result = grade_submission(sub, replay_out, config=CONFIG, seed=SEED).to_json()
    if earned(result, ENGINE + OPTIM) == 0:
        pytest.skip("the child no longer lets a submission replace the probes: no replay can run at all")
    assert all(name.endswith("(public)") for name in passed(result))
    assert len(passed(result)) == len(graded)


def test_every_graded_public_case_changes_with_the_seed():
    """Same checks as the bundle's (names, probes, what is checked, which may gain a clause), other inputs."""
    published = public_cases()
    for seed in (SEED, SEED + 1):
        graded = [c for c in suite(seed) if c.public]
        assert [(c.title, c.probe) for c in graded] == [(c.title, c.probe) for c in published]
        assert [c.title for c, p in zip(graded, published) if not c.checked.startswith(p.checked)] == []
        assert [c.title for c, p in zip(graded, published) if not set(p.keys) <= set(c.keys)] == []
        same = [c.title for c, p in zip(graded, published) if jsonable(c.inputs) == jsonable(p.inputs)]
        assert same == [], same


def judged(case, expected: dict) -> dict:
    """The outputs of expected that the judge compares for this case."""
    return {key: expected[key] for key in case.keys or expected}


def test_no_graded_case_has_numbers_known_in_advance():
    """Every graded case's judged outputs differ between two seeds, public and hidden: a submission that answers
    for the probes has nothing to learn from one run (or from the bundle) for the next. The trained accuracies are
    bars, not numbers to match: see the next test."""
    graded = {seed: [c for c in suite(seed) if not c.measure] for seed in (SEED, SEED + 1)}
    assert [(c.question, c.probe, c.public) for c in graded[SEED]] == [
        (c.question, c.probe, c.public) for c in graded[SEED + 1]]
    assert {c.question for c in graded[SEED]} == set(CONFIG.questions)
    outputs = {seed: compute_expected(cases) for seed, cases in graded.items()}
    constant = [c.title for c, a, b in zip(graded[SEED], outputs[SEED], outputs[SEED + 1])
                if judged(c, a) == judged(c, b)]
    assert constant == [], constant


@pytest.mark.slow
def test_parameters_trained_for_one_run_fall_below_the_next_runs_bar():
    """A trained-accuracy case judges the parameters the probe reports, on data the child never sees. The moons and
    the digits are the same every run, so parameters trained once, in advance, would pass every run's bar; they are
    turned (moons) or have their classes renamed (digits) by the seed. The reference's parameters trained for one
    seed, reported for the next, fall below its bar, unless the two runs' turns of the moons happen to be close:
    about one pair in ten (4 of 40 measured). Here 4 pairs of runs, public and hidden cases: at most one in four
    of the moons' carried models passes, and none of the digits'."""
    pkg = reference.reference_package()
    seeds = range(SEED, SEED + 5)
    measuring = {seed: [c for c in suite(seed) if c.measure] for seed in seeds}
    assert {c.question for c in measuring[SEED]} == {"train.train", "cnn.train"}
    trained = {seed: [run_probe(c.probe, pkg, c.inputs) for c in cases] for seed, cases in measuring.items()}
    carried_passes = {"train.train": 0, "cnn.train": 0}
    for seed in seeds[1:]:
        for case, own, carried in zip(measuring[seed], trained[seed], trained[seed - 1]):
            [(key, rule)] = case.rules.items()
            bar = measured(case, pkg, own)[key] - getattr(CONFIG.tolerances, rule.split(":", 1)[1])
            carried_passes[case.question] += measured(case, pkg, carried)[key] >= bar
    assert carried_passes["cnn.train"] == 0
    assert carried_passes["train.train"] <= 2, carried_passes  # of 8: 4 pairs, a public and a hidden case each


# --- Poisoning the run cache ---------------------------------------------------------------------------------

HELPER = '"""My helpers."""\n'


def colliding_pair(folder: Path) -> tuple[Path, Path]:
    """A: the reference's engine.py and a helper utils.py. B: one engine.py that holds A's files joined as the
    old key joined them (path, NUL, bytes, NUL), so that both read alike to it. B cannot even be imported."""
    engine = (SOLUTIONS / "engine.py").read_bytes()
    honest = package(folder / "honest", {"engine.py": engine, "utils.py": HELPER})
    crafted = package(folder / "crafted", {"engine.py": engine + b"\0submission/utils.py\0" + HELPER.encode()})
    return honest, crafted


def test_files_that_join_alike_get_different_run_keys(tmp_path):
    honest, crafted = colliding_pair(tmp_path / "subs")
    keys = []
    for sub in (honest, crafted):
        work = tmp_path / "work" / sub.name
        shutil.copytree(sub, work / "submission")
        (work / "submission" / "__init__.py").write_text("")
        keys.append(run_key(work, "engine.add", SEED, "bwrap"))
    assert keys[0] != keys[1]


@sandboxed
def test_a_crafted_submission_cannot_poison_an_honest_one(tmp_path):
    honest, crafted = colliding_pair(tmp_path / "subs")
    out = tmp_path / "out"
    write_expected(out / ".cache", SEED, ENGINE)
    poisoner = grade_submission(crafted, out, config=CONFIG, seed=SEED).to_json()
    assert earned(poisoner, ENGINE) == 0
    victim = grade_submission(honest, out, config=CONFIG, seed=SEED).to_json()
    assert earned(victim, ENGINE) == full_marks(ENGINE), [t["output"] for t in victim["tests"]][:3]


def test_an_oversized_run_is_not_cached(tmp_path):
    huge = QuestionRun(reports={0: CaseReport(True, output={"grad": [0.5] * 400_000}, seconds=0.1)})
    save_run(tmp_path, "huge", huge)
    assert load_run(tmp_path, "huge") is None
    small = QuestionRun(reports={0: CaseReport(True, output={"grad": [0.5] * 10}, seconds=0.1)})
    save_run(tmp_path, "small", small)
    assert load_run(tmp_path, "small") == small


# --- One seed per Gradescope submission ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gradescope_bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gradescope")
    write_expected(folder / "cache", BUILD_SEED, ENGINE)  # the build's own seed: computed once, engine only
    return write_gradescope_bundle(CONFIG, folder / "autograder.zip", seed=BUILD_SEED, cache=folder / "cache")


def submit(root: Path, files: dict[str, str | bytes]) -> dict:
    """Grade files as /autograder/submission in this process (the kit's own gradescope_run); its results.json."""
    shutil.rmtree(root / "submission")
    package(root / "submission", files)
    assert gradescope_run.main(root) == 0
    return json.loads((root / "results" / "results.json").read_text())


@sandboxed
def test_each_gradescope_submission_meets_cases_of_its_own(gradescope_bundle, tmp_path, monkeypatch):
    monkeypatch.setattr(reference, "compute_expected", only_expected_for(ENGINE))
    root = lay_out(gradescope_bundle, tmp_path / "autograder")
    honest = {"engine.py": (SOLUTIONS / "engine.py").read_text()}
    first = submit(root, honest)
    other = submit(root, {"engine.py": (STARTER / "engine.py").read_text()})
    again = submit(root, honest)
    seeds = [r["extra_data"]["seed"] for r in (first, other, again)]
    assert seeds[0] == seeds[2] != seeds[1], seeds
    assert BUILD_SEED not in seeds
    assert first["extra_data"]["submission_hash"] != other["extra_data"]["submission_hash"]
    hidden = [[jsonable(c.inputs) for c in suite(seed) if c.question in ENGINE and not c.public] for seed in seeds[:2]]
    assert all(a != b for a, b in zip(*hidden))
    # The reference's outputs for a seed the bundle never saw are computed at grading: the reference earns it all.
    assert earned(first, ENGINE) == earned(again, ENGINE) == full_marks(ENGINE)
    assert earned(other, ENGINE) == 0


@sandboxed
def test_the_bundles_own_run_autograder_derives_the_same_seed(gradescope_bundle, tmp_path, monkeypatch):
    monkeypatch.setattr(reference, "compute_expected", only_expected_for(ENGINE))
    root = lay_out(gradescope_bundle, tmp_path / "autograder")
    in_process = submit(root, {"engine.py": (SOLUTIONS / "engine.py").read_text()})
    seed = in_process["extra_data"]["seed"]
    write_expected(root / "source" / "nnkit" / "cache", seed, ENGINE)  # so that its child need not train the CNN
    results = run_autograder(root)
    assert results["extra_data"]["seed"] == seed
    assert earned(results, ENGINE) == full_marks(ENGINE)


def test_each_build_draws_its_own_secret(gradescope_bundle):
    record = json.loads(zipfile.ZipFile(gradescope_bundle).read("nnkit/bundle.json"))
    assert record["seed"] == BUILD_SEED
    assert len(bytes.fromhex(record["seed_secret"])) == 32
    again = write_gradescope_bundle(CONFIG, gradescope_bundle.with_name("again.zip"), seed=BUILD_SEED,
                                    cache=gradescope_bundle.parent / "cache")
    assert json.loads(zipfile.ZipFile(again).read("nnkit/bundle.json"))["seed_secret"] != record["seed_secret"]


# --- Answering with constants --------------------------------------------------------------------------------

# Appended to the starter's modules: the probes of cases whose answers were once the same for every seed answer
# with those constants (the bundle's own numbers, or what anyone can work out), without running any student code.
CONSTANT = '''

import importlib as _importlib


def _answer_with(module, name, answer):
    try:
        probes = _importlib.import_module("nnkit_probes." + module)
    except ImportError:
        return
    original = getattr(probes, name)

    def _constant(pkg, **inputs):
        found = answer(inputs)
        return original(pkg, **inputs) if found is None else found

    _constant.is_probe = True
    setattr(probes, name, _constant)
'''

CONSTANT_ANSWERS = {
    "engine": '''
_answer_with("engine_graph", "backward_chain",
             lambda inputs: {"x.grad": 1.0, "root.grad": 1.0, "closures called": 3001})
''',
    "nn": '''
def _relu_at_rest(inputs):
    if inputs["activation"] != "ReLU":
        return None
    nin = inputs["nin"]
    return {"outputs": [0.0], "outputs are Values": True, "parameter grads": [0.0] * (nin + 1),
            "input grads": [0.0] * nin, "returns a list": False, "activation": "ReLU"}


def _all_zero(inputs):
    sizes = [inputs["nin"], *inputs["nouts"]]
    return {"grads after zero_grad": [0.0] * sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))}


_answer_with("nn", "neuron_forward", _relu_at_rest)
_answer_with("nn", "mlp_zero_grad", _all_zero)
''',
    "cnn": '''
_SHAPES = [[32, 1, 3, 3], [32], [64, 32, 3, 3], [64], [128, 9216], [128], [10, 128], [10]]
_answer_with("cnn", "net_structure",
             lambda inputs: {"parameter count": 1199882, "parameter shapes": _SHAPES,
                             "output shape": [len(inputs["images"]), 10], "log-probabilities": [],
                             "rows of exp(output) sum to 1": True})
_answer_with("cnn", "test_loop",
             lambda inputs: {"average loss": 0.0, "accuracy": 0.0, "gradients off during the forward passes": True,
                             "model in eval mode": True})
''',
}
# The questions of those cases: nn.neuron's ReLU case gave 0 and 0 when its pre-activation was negative.
CONSTANT_QUESTIONS = ("engine.backward", "nn.neuron", "nn.mlp", "cnn.net", "cnn.test")


@sandboxed
def test_answering_with_constants_earns_nothing(tmp_path):
    out = tmp_path / "out"
    write_expected(out / ".cache", SEED, CONSTANT_QUESTIONS)
    files = {f"{m}.py": (STARTER / f"{m}.py").read_text() + CONSTANT + code for m, code in CONSTANT_ANSWERS.items()}
    sub = package(tmp_path / "answers_with_constants", files)
    result = grade_submission(sub, out, config=CONFIG, seed=SEED).to_json()
    stubbed = [t for t in result["tests"] if "not written yet" in t["output"]]
    if len(stubbed) == len(result["tests"]):
        pytest.skip("the child no longer lets a submission replace the probes: no constant can be answered")
    assert earned(result, CONSTANT_QUESTIONS) == 0, passed(result)
