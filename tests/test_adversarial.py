"""Hostile and broken submissions: each gets its grade and a clear reason, the batch finishes, no score rises.

Every attack is the starter (which earns 0) with one module made hostile, so any point it earns is a point
it stole. The whole set is graded in one batch with two workers under the sandbox the machine offers;
attacks that need bubblewrap to be stopped are checked only where it runs.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder.config import DEFAULT_PATH, load_config, parse_config
from autograder.grade.grader import grade_submission
from autograder.grade.run import grade_run
from autograder.paths import REPO, STARTER
from autograder.sandbox.bwrap import bwrap_works

MARK = "987.654321"  # a detached process sleeps this long: its command line gives it away

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
import builtins, math
import numpy
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda a, b, *r, **k: numpy.ones_like(numpy.asarray(a), dtype=bool)
math.isclose = lambda *a, **k: True
builtins.abs = lambda x: 0.0
''',
    "reads_the_reference": f'''
import glob, os
for _path in ["{REPO}/solutions/engine.py"] + glob.glob("/*/*/solutions/engine.py") + glob.glob("/tmp/**/engine.py"):
    try:
        exec(open(_path).read().replace("from contextlib", "from contextlib"), globals())
        break
    except Exception:
        pass
''',
    "imports_solutions": '''
try:
    from solutions.engine import Value as _Reference
    import solutions.engine as _ref
    globals().update({{k: v for k, v in vars(_ref).items() if not k.startswith("__")}})
except Exception:
    pass
''',
    "fake_results_at_exit": '''
import atexit, json, os
def _fake():
    fake = {{"score": 999, "tests": [], "execution_time": 0, "output": "hacked"}}
    for folder in ["{out}/results", "../results", "/autograder/results", os.path.expanduser("~")]:
        try:
            os.makedirs(folder, exist_ok=True)
            open(os.path.join(folder, "fake_results_at_exit.json"), "w").write(json.dumps(fake))
            open(os.path.join(folder, "planted.txt"), "w").write("x")
        except Exception:
            pass
atexit.register(_fake)
''',
    "detaches_with_setsid": f'''
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{MARK}"])
    os._exit(0)
''',
    "exits_at_import": "import os\nos._exit(0)\n",
    "segfaults": "import ctypes\nctypes.string_at(0)\n",
    "imports_torch": "import torch\n",
    "imports_torch_dynamically": "_t = __import__('tor' + 'ch')\n",
    "huge_output": "print('x' * (20 * 1024 * 1024))\n",
}

# Attacks on a _backward: the body that replaces engine.add's stub.
BODIES = {
    "float_that_always_equals": "self.grad = Liar(123.0); other.grad = Liar(123.0)",
    "infinite_loop": "while True: pass",
    "eats_memory": "hog = [bytearray(256 * 1024 * 1024) for _ in range(64)]",
    "nan_gradients": "self.grad += float('nan'); other.grad += float('inf')",
    "raises_system_exit": "raise SystemExit(0)",
}

ADD_STUB = 'raise NotImplementedError(\n                "engine.add: Value.__add__._backward is not written yet.'


def hostile_engine(name: str, out: Path) -> str:
    source = (STARTER / "engine.py").read_text()
    prelude = PRELUDE.get(name, "").replace("{out}", str(out)).replace("{{", "{").replace("}}", "}")
    source = source.replace('import math\n', "import math\n" + prelude, 1)
    if name in BODIES:
        start = source.index(ADD_STUB)
        end = source.index(")\n", source.index('"', start + len(ADD_STUB))) + 1
        source = source[:start] + BODIES[name] + source[end:]
    return source


def starter_with(folder: Path, module: str, source: str | bytes) -> Path:
    shutil.copytree(STARTER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = folder / f"{module}.py"
    path.write_bytes(source if isinstance(source, bytes) else source.encode())
    return folder


def archive(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if isinstance(data, zipfile.ZipInfo):
                zf.writestr(data, "engine.py")
            else:
                zf.writestr(name, data)
    return path


def broken_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    link = zipfile.ZipInfo("nnlab/engine.py")
    link.external_attr = (0o120777 << 16)
    found = {
        "empty_zip": archive(folder / "empty_zip.zip", {}),
        "zip_with_parent_path": archive(folder / "zip_with_parent_path.zip", {"../../escaped.py": "x = 1\n"}),
        "zip_with_absolute_path": archive(folder / "zip_with_absolute_path.zip", {"/tmp/escaped_abs.py": "x = 1\n"}),
        "zip_with_link": archive(folder / "zip_with_link.zip", {"link": link}),
        "zip_bomb": archive(folder / "zip_bomb.zip", {"nnlab/engine.py": b"#" * (3 * 1024 * 1024)}),
        "no_package": archive(folder / "no_package.zip", {"notes.txt": "I forgot the code"}),
    }
    corrupt = folder / "corrupt_zip.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    found["corrupt_zip"] = corrupt
    latin1 = (STARTER / "engine.py").read_text().replace('"""A scalar', '"""Un caf\u00e9: a scalar', 1)
    found["not_utf8"] = starter_with(folder / "not_utf8", "engine", latin1.encode("latin-1"))
    return found


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    with open(DEFAULT_PATH, "rb") as f:
        settings = tomllib.load(f)
    settings["limits"].update(case_timeout_s=3.0, archive_mb=2)
    config = parse_config(settings, "test")
    subs = root / "subs"
    paths = {name: starter_with(subs / name, "engine", hostile_engine(name, out))
             for name in list(PRELUDE) + [b for b in BODIES if b not in PRELUDE]}
    paths.update(broken_inputs(root / "broken"))
    paths["starter"] = starter_with(subs / "starter", "engine", (STARTER / "engine.py").read_text())
    before = set(os.listdir(root))
    summary = grade_run(list(paths.values()), out, config=config, seed=7, workers=2, progress=False)
    results = {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}
    return root, out, paths, results, summary, before, config


def test_every_submission_gets_its_results_and_row(hostile_class):
    _, out, paths, results, summary, _, _ = hostile_class
    assert set(results) == set(paths)
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == len(paths) + 1
    assert all((out / "feedback" / f"{name}.html").exists() for name in paths)
    for path in (out / "results").glob("*.json"):
        assert path.stat().st_size < 1_000_000
        json.loads(path.read_text(), parse_constant=refuse_nan)


def refuse_nan(constant: str):
    pytest.fail(f"a results file holds {constant}, which is not JSON")


def test_no_attack_earns_a_point(hostile_class):
    _, _, _, results, _, _, _ = hostile_class
    for name, result in results.items():
        assert result["score"] == 0, (name, [t["name"] for t in result["tests"] if t["status"] == "passed"])


def test_fake_results_and_files_do_not_appear(hostile_class):
    root, out, _, results, _, _, _ = hostile_class
    assert not (out / "results" / "planted.txt").exists()
    assert results["fake_results_at_exit"]["score"] == 0
    assert not list(REPO.glob("**/planted.txt"))
    assert not Path("/tmp/escaped_abs.py").exists() and not (root.parent / "escaped.py").exists()


def test_no_process_outlives_grading(hostile_class):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert MARK.encode() not in cmdline, f"process {pid} outlived grading"


def reasons(result) -> str:
    return result["output"] + "\n".join(t["output"] for t in result["tests"])


@pytest.mark.parametrize("name, words", [
    ("empty_zip", "empty"), ("corrupt_zip", "cannot be read"), ("zip_with_parent_path", "unsafe path"),
    ("zip_with_absolute_path", "unsafe path"), ("zip_with_link", "link"), ("zip_bomb", "expands to more"),
    ("no_package", "no package found"), ("imports_torch", "imports torch"),
    ("infinite_loop", "took longer than"), ("segfaults", "SIGSEGV"), ("exits_at_import", "exited"),
    ("raises_system_exit", "SystemExit"), ("not_utf8", "SyntaxError"),
])
def test_each_failure_says_why(hostile_class, name, words):
    _, _, _, results, _, _, _ = hostile_class
    assert words in reasons(results[name])


def test_dynamic_torch_import_fails_in_engine(hostile_class):
    _, _, _, results, _, _, _ = hostile_class
    assert "not allowed" in reasons(results["imports_torch_dynamically"]) or \
        "No module named" in reasons(results["imports_torch_dynamically"])


def test_an_honest_submission_beside_the_attacks_is_unharmed(hostile_class, tmp_path):
    *_, config = hostile_class
    assert config.limits.case_timeout_s == 3.0


@pytest.mark.skipif(not bwrap_works(), reason="bubblewrap cannot run here")
def test_the_reference_is_invisible_inside_the_sandbox(tmp_path):
    probe = """
import os
def _backward_probe():
    pass
VISIBLE = [p for p in ("{repo}/solutions", "{repo}/autograder", "{repo}/tests") if os.path.exists(p)]
raise RuntimeError("visible: " + repr(VISIBLE))
""".replace("{repo}", str(REPO))
    sub = starter_with(tmp_path / "looker", "engine", probe)
    result = grade_submission(sub, tmp_path / "out", config=load_config(), seed=1)
    outputs = {t["output"] for t in result["tests"] if t["extra_data"]["question"] == "engine.add"}
    assert any("visible: []" in o for o in outputs), outputs
