"""Hostile and broken submissions: each gets its grade and a clear reason, the batch finishes, no score rises.

Every attack is the starter's engine.py (which earns 0) made hostile, submitted alone (the other modules'
questions then fail at once, as missing): any point it earns is a point it stole. The whole set, with the
broken archives, an honest engine and the plain starter, is graded in one batch with two workers under
bubblewrap. A control run without the sandbox shows that the file-reading attack is real.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from filelock import FileLock
from forgery import forged_lines
from graded_class import class_fingerprint
from nnkit_cli import engine_only
from partial_expected import cache_expected

from autograder.config import DEFAULT_PATH, parse_config
from autograder.grade.grader import grade_submission
from autograder.grade.run import grade_run
from autograder.paths import REPO, SOLUTIONS, STARTER
from autograder.sandbox import bwrap_works, direct_launcher

pytestmark = [pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here: the attacks would succeed"),
              pytest.mark.slow]  # grading the class takes a minute or more; every test here waits for it

SEED = 7
MARK = "987.654321"  # a detached process sleeps this long: its command line gives it away
ENGINE_QUESTIONS = ("engine.add", "engine.mul", "engine.pow", "engine.relu", "engine.tanh", "engine.exp",
                    "engine.backward")

# Code inserted after `import math`, before the starter's definitions.
PRELUDE = {
    "float_that_always_equals": '''
class Liar(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __sub__(self, other): return Liar(0.0)
    def __rsub__(self, other): return Liar(0.0)
    def __abs__(self): return Liar(0.0)
    __hash__ = float.__hash__
''',
    "patched_comparisons": '''
import builtins
import numpy
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda a, b, *r, **k: numpy.ones_like(numpy.asarray(a), dtype=bool)
math.isclose = lambda *a, **k: True
builtins.abs = lambda x: 0.0
''',
    "fake_results_at_exit": '''
import atexit, json, os
def _fake():
    fake = {"score": 999, "tests": [], "execution_time": 0, "output": "hacked"}
    for folder in ["{out}/results", "../results", "{root}"]:
        try:
            os.makedirs(folder, exist_ok=True)
            open(os.path.join(folder, "planted_results.json"), "w").write(json.dumps(fake))
            open(os.path.join(folder, "planted.txt"), "w").write("x")
        except Exception:
            pass
_fake()
atexit.register(_fake)
''',
    "detaches_with_setsid": '''
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sh", ["sh", "-c", "sleep 2; echo escaped > {root}/escaped_marker; sleep {mark}"])
    os._exit(0)
''',
    "forges_result_lines": forged_lines('{"seconds": 1e999, "output": {"grad": "x" * 300_000, "data": float("nan"), '
                                        '"a.grad": [float("inf")] * 10_000}}'),
    "exits_at_import": "import os\nos._exit(0)\n",
    "segfaults": "import ctypes\nctypes.string_at(0)\n",
    "imports_torch": "import torch\n",
    "imports_torch_dynamically": "_t = __import__('tor' + 'ch')\n",
    "huge_output": "print('x' * (20 * 1024 * 1024))\n",
}

# Code appended to the module: it replaces the starter's Value with the reference's, if it can find it.
EPILOGUE = {
    "reads_the_reference": '''
import glob as _glob, itertools as _itertools
# Lazily, most likely place first: a recursive walk of a busy /tmp can outlast a case's time limit.
for _path in _itertools.chain(["{repo}/solutions/engine.py"], _glob.iglob("/*/*/solutions/engine.py"),
                              _glob.iglob("/tmp/**/_reference_engine.py", recursive=True),
                              _glob.iglob("/**/engine.py")):
    try:
        _source = open(_path).read()
        if "class Value" in _source and "not written yet" not in _source:
            exec(compile(_source, _path, "exec"), globals())
            break
    except Exception:
        pass
''',
    "imports_solutions": '''
import glob as _glob, sys as _sys
try:
    for _finder in _glob.glob(_sys.path[1] + "/__editable__*finder.py"):
        _mod = __import__(_finder.rsplit("/", 1)[1][:-3])
        _mod.install()
    import solutions.engine as _ref
    globals().update({k: v for k, v in vars(_ref).items() if not k.startswith("__")})
except Exception:
    pass
''',
}

# Attacks on a _backward: the body that replaces engine.add's stub.
BODIES = {
    "float_that_always_equals": "self.grad = Liar(123.0); other.grad = Liar(123.0)",
    "infinite_loop": "while True: pass",
    "eats_memory": "hog = bytearray(1 << 40)",
    "nan_gradients": "self.grad += float('nan'); other.grad += float('inf')",
    "raises_system_exit": "raise SystemExit(0)",
    "os_exit_in_backward": "import os; os._exit(3)",
    "segfaults_in_backward": "import ctypes; ctypes.string_at(0)",
    "huge_int_gradients": "self.grad = 10 ** 400; other.grad = -(10 ** 4000)",  # no float holds these
}

ADD_STUB = 'raise NotImplementedError(\n                "engine.add: Value.__add__._backward is not written yet.'


def hostile_engine(name: str, root: Path, out: Path) -> str:
    source = (STARTER / "engine.py").read_text()
    fill = {"{out}": str(out), "{root}": str(root), "{mark}": MARK, "{repo}": str(REPO)}
    prelude, epilogue = PRELUDE.get(name, ""), EPILOGUE.get(name, "")
    for key, value in fill.items():
        prelude, epilogue = prelude.replace(key, value), epilogue.replace(key, value)
    source = source.replace("import math\n", "import math\n" + prelude, 1) + epilogue
    if name in BODIES:
        start = source.index(ADD_STUB)
        end = source.index(")\n", source.index('"', start + len(ADD_STUB))) + 1
        source = source[:start] + BODIES[name] + source[end:]
    return source


def archive(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                zf.writestr(data, "engine.py")
            else:
                zf.writestr(name, data)
    return path


def encrypted(path: Path) -> Path:
    """Mark every member of the archive at path as encrypted (zipfile cannot write such archives itself)."""
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + flag_at] |= 0x1
            start += 4
    path.write_bytes(bytes(data))
    return path


def broken_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    link = zipfile.ZipInfo("nnlab/engine.py")
    link.external_attr = (0o120777 << 16)
    found = {
        "empty_zip": archive(folder / "empty_zip.zip", {}),
        "zip_with_parent_path": archive(folder / "zip_with_parent_path.zip", {"../../escaped.py": "x = 1\n"}),
        "zip_with_absolute_path": archive(folder / "zip_with_absolute_path.zip",
                                          {"/tmp/nnkit_escaped_abs.py": "x = 1\n"}),
        "zip_with_link": archive(folder / "zip_with_link.zip", {"link": link}),
        "zip_bomb": archive(folder / "zip_bomb.zip", {"nnlab/engine.py": b"#" * (3 * 1024 * 1024)}),
        "no_package": archive(folder / "no_package.zip", {"notes.txt": "I forgot the code"}),
    }
    corrupt = folder / "corrupt_zip.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    found["corrupt_zip"] = corrupt
    latin1 = (STARTER / "engine.py").read_text().replace('"""A scalar', '"""Un caf\u00e9: a scalar', 1)
    found["not_utf8"] = engine_only(folder / "not_utf8", latin1.encode("latin-1", errors="replace"))  # hints hold ∂
    found["encrypted_zip"] = encrypted(archive(folder / "encrypted_zip.zip", {"nnlab/engine.py": "x = 1\n"}))
    linked = folder / "folder_with_linked_reference"
    linked.mkdir()
    (linked / "engine.py").symlink_to(SOLUTIONS / "engine.py")
    found["folder_with_linked_reference"] = linked
    nn = (STARTER / "nn.py").read_text().replace("import random\n", "import random\nimport torch\n", 1)
    found["nn_imports_torch"] = engine_only(folder / "nn_imports_torch", nn, module="nn")
    return found


def limited_config():
    with open(DEFAULT_PATH, "rb") as f:
        settings = tomllib.load(f)
    settings["limits"].update(case_timeout_s=3.0, question_timeout_s=8.0, archive_mb=2, submission_timeout_s=120.0)
    return parse_config(settings, "test")


def grade_hostile_class(root: Path) -> list[str]:
    """Lay out every hostile and broken submission under root and grade them in one batch; their names."""
    out = root / "out"
    subs = root / "subs"
    names = list(PRELUDE) + list(EPILOGUE) + [b for b in BODIES if b not in PRELUDE]
    paths = {name: engine_only(subs / name, hostile_engine(name, root, out)) for name in names}
    paths.update(broken_inputs(root / "broken"))
    paths["starter"] = engine_only(subs / "starter", (STARTER / "engine.py").read_text())
    paths["honest"] = engine_only(subs / "honest", (SOLUTIONS / "engine.py").read_text())
    cache_expected(out, SEED, ("engine",))
    grade_run(list(paths.values()), out, config=limited_config(), seed=SEED, workers=2, progress=False)
    return list(paths)


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """(root, out dir, submission names, {name: results}, when grading finished): graded once for all workers."""
    digest = hashlib.sha256((class_fingerprint() + Path(__file__).read_text()).encode()).hexdigest()[:16]
    shared = tmp_path_factory.getbasetemp().parent / f"hostile-class-{digest}"
    shared.mkdir(parents=True, exist_ok=True)
    root = shared / "root"
    with FileLock(str(shared / "lock")):
        if not (shared / "done.json").exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            names = grade_hostile_class(root)
            (shared / "done.json").write_text(json.dumps({"names": names, "finished": time.time()}))
    done = json.loads((shared / "done.json").read_text())
    out = root / "out"
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    return root, out, done["names"], results, done["finished"]


def engine_score(result: dict) -> float:
    return sum(result["extra_data"]["questions"][q]["score"] for q in ENGINE_QUESTIONS)


def test_every_submission_gets_its_results_and_row(hostile_class):
    _, out, paths, results, _ = hostile_class
    assert set(results) == set(paths)
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == len(paths) + 1
    assert all((out / "feedback" / f"{name}.html").exists() for name in paths)
    for path in (out / "results").glob("*.json"):
        assert path.stat().st_size < 1_000_000
        json.loads(path.read_text(), parse_constant=refuse_nan)
    assert all(r["extra_data"]["sandbox"] == "bwrap" for r in results.values() if not r["extra_data"]["error"])
    assert not [name for name, r in results.items() if r["extra_data"]["grader_failed"]]  # e.g. NaN gradients


def refuse_nan(constant: str):
    pytest.fail(f"a results file holds {constant}, which is not JSON")


def test_the_honest_engine_earns_its_points_beside_the_attacks(hostile_class):
    _, _, _, results, _ = hostile_class
    honest = results["honest"]["extra_data"]["questions"]
    assert all(honest[q]["score"] == honest[q]["max_score"] > 0 for q in ENGINE_QUESTIONS), honest


def test_no_attack_earns_a_point(hostile_class):
    _, _, _, results, _ = hostile_class
    assert results["starter"]["score"] == 0  # what the honest equivalent of every attack earns
    for name, result in results.items():
        if name != "honest":
            assert result["score"] == 0, (name, [t["name"] for t in result["tests"] if t["status"] == "passed"])


def test_fake_results_and_files_do_not_appear(hostile_class):
    root, out, paths, results, _ = hostile_class
    assert not list(out.rglob("planted.txt")) and not list(out.rglob("planted_results.json"))
    assert not (root / "planted.txt").exists()
    assert not list(REPO.glob("*/planted.txt"))
    assert set(p.stem for p in (out / "results").glob("*.json")) == set(paths)
    assert not Path("/tmp/nnkit_escaped_abs.py").exists() and not (root.parent / "escaped.py").exists()


def test_no_process_outlives_grading(hostile_class):
    root, *_, finished = hostile_class
    time.sleep(max(0.0, finished + 3.0 - time.time()))  # a detached process would have written its marker by now
    assert not (root / "escaped_marker").exists()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert MARK.encode() not in cmdline, f"process {pid} outlived grading: {cmdline!r}"


def reasons(result) -> str:
    return result["output"] + "\n".join(t["output"] for t in result["tests"])


@pytest.mark.parametrize("name, words", [
    ("empty_zip", "empty"), ("corrupt_zip", "cannot be read"), ("zip_with_parent_path", "unsafe path"),
    ("zip_with_absolute_path", "unsafe path"), ("zip_with_link", "link"), ("zip_bomb", "expands to more"),
    ("no_package", "no package found"), ("encrypted_zip", "password-protected"),
    ("folder_with_linked_reference", "no package found"), ("imports_torch", "imports torch"),
    ("nn_imports_torch", "imports torch"),
    ("infinite_loop", "took longer than"), ("segfaults", "SIGSEGV"), ("exits_at_import", "exited"),
    ("raises_system_exit", "SystemExit"), ("not_utf8", "SyntaxError"), ("os_exit_in_backward", "exited with code 3"),
    ("segfaults_in_backward", "SIGSEGV"), ("eats_memory", "MemoryError"),
    ("imports_torch_dynamically", "not allowed"), ("huge_int_gradients", "too large for a float"),
])
def test_each_failure_says_why(hostile_class, name, words):
    _, _, _, results, _ = hostile_class
    assert words in reasons(results[name])


def test_an_endless_loop_costs_its_question_one_time_budget(hostile_class):
    """10 cases of engine.add meet the loop: 3 s each would be 30 s, the question's budget stops it at 8 s."""
    _, _, _, results, _ = hostile_class
    add = [t for t in results["infinite_loop"]["tests"] if t["extra_data"]["question"] == "engine.add"]
    messages = [t["output"] for t in add]
    assert len(add) == 10 and all(t["score"] == 0 for t in add)
    assert 2 <= sum("took longer than 3 s" in m for m in messages) <= 3, messages
    assert sum("this question's time limit (8 s) ran out" in m for m in messages) >= 6, messages
    assert sum(t["extra_data"]["seconds"] for t in add) < 12


def test_huge_output_is_cut(hostile_class):
    _, out, _, _, _ = hostile_class
    log = out / "logs" / "huge_output.txt"
    assert not log.exists() or log.stat().st_size < 1_000_000


@pytest.mark.slow
def test_the_file_reading_attack_works_without_the_sandbox(hostile_class, tmp_path, monkeypatch):
    """The control: the same attack under the direct child, run as the grader's own user (as for a grader that is not
    root, so no uid and mount namespace of the child's own), earns the engine's points: confinement is what stops it."""
    from autograder.sandbox import launch

    monkeypatch.setattr(launch, "lease_uid", lambda: None)
    out = hostile_class[1]
    (tmp_path / "out" / ".cache").mkdir(parents=True)
    for expected in (out / ".cache").glob("expected-*.json"):  # the reference's outputs: no need to compute them again
        shutil.copy(expected, tmp_path / "out" / ".cache" / expected.name)
    sub = engine_only(tmp_path / "reads_the_reference", hostile_engine("reads_the_reference", tmp_path, tmp_path))
    config = limited_config()
    result = grade_submission(sub, tmp_path / "out", config=config, seed=SEED,
                              launcher=direct_launcher(config.limits)).to_json()
    assert result["extra_data"]["sandbox"] == "direct"
    assert engine_score(result) == sum(config.question(q).points for q in ENGINE_QUESTIONS)
