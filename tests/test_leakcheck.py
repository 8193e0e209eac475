"""The leak check finds solution lines, hidden tests and hidden values planted in a copy of the student bundle."""

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.build import build, leakcheck, student_bundle
from autograder.build.leakcheck import collect, scan, squeeze
from autograder.config import QUESTION_IDS, load_config
from autograder.paths import ASSIGNMENTS, REPO, SOLUTIONS, STARTER


def placeholder_checks(dest: Path, config) -> bool:
    """Stands in for the public checks, which take seconds to compute and are not what these tests are about."""
    (dest / "nnkit_checks").mkdir()
    (dest / "nnkit_checks" / "__init__.py").write_text(student_bundle.PLACEHOLDER_CHECKS)
    return False


@pytest.fixture(scope="module")
def clean_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundle") / "student"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(student_bundle, "write_checks", placeholder_checks)
        student_bundle.build_bundle(folder, STARTER, ASSIGNMENTS, load_config())
    return folder


@pytest.fixture
def bundle(clean_bundle, tmp_path):
    """A copy of the bundle to plant things in."""
    return Path(shutil.copytree(clean_bundle, tmp_path / "student"))


@pytest.fixture(scope="module")
def secrets():
    return collect(REPO)


def plant(path: Path, after: str, line: str) -> int:
    """Insert line after the first line containing `after`; returns its line number."""
    lines = path.read_text().splitlines()
    index = next(i for i, text in enumerate(lines) if after in text) + 1
    lines.insert(index, line)
    path.write_text("\n".join(lines) + "\n")
    return index + 1


def add_cells(notebook: Path, *cells) -> int:
    """Append cells to a notebook; returns the number (from 1) of the first one added."""
    nb = nbformat.read(notebook, as_version=4)
    first = len(nb.cells) + 1
    nb.cells.extend(cells)
    nbformat.write(nb, notebook)
    return first


def test_the_bundle_as_built_is_clean(clean_bundle, secrets):
    assert scan(clean_bundle, secrets) == []


def test_a_solution_line_in_the_package_is_caught_with_file_and_line(bundle, secrets):
    engine = bundle / "nnlab" / "engine.py"
    line = plant(engine, "# TODO (engine.mul)", "            self.grad += other.data * out.grad")
    leaks = scan(bundle, secrets)
    assert [(leak.path, leak.where) for leak in leaks] == [("nnlab/engine.py", f"line {line}")]
    assert "engine.mul" in leaks[0].what and "solutions/engine.py:" in leaks[0].what
    assert str(leaks[0]).startswith(f"nnlab/engine.py (line {line}): a line of the solution to engine.mul")


def test_solution_lines_in_notebook_cells_are_caught_whatever_the_spacing(bundle, secrets):
    notebook = bundle / "04_cnn.ipynb"
    first = add_cells(
        notebook,
        nbformat.v4.new_markdown_cell("A hint, too generous:\n\n`x = F.relu(self.conv1(x))` then pool."),
        nbformat.v4.new_code_cell("def forward(self, x):\n    x=F.relu( self.conv2(x) )  # spaced out\n    return x"),
    )
    leaks = scan(bundle, secrets)
    assert [(leak.path, leak.where) for leak in leaks] == [
        ("04_cnn.ipynb", f"cell {first}, line 3"),
        ("04_cnn.ipynb", f"cell {first + 1}, line 2"),
    ]
    assert all("cnn.net" in leak.what for leak in leaks)


def test_trivial_or_hinted_lines_are_not_secrets(secrets):
    for line in ("return out", "else:", "return x", "]", "model.train()", "for p in model.parameters():",
                 "rng = np.random.default_rng() if rng is None else rng"):  # outside the blocks
        assert squeeze(line) not in secrets.lines, line
    # Hints, nudges and walkthroughs do not make a line public: a hint may not hold it, and the others are looked
    # in for it, wherever they are shipped.
    for line in ("self.grad = 1", "noise = rng.standard_normal((n_samples, 2))"):
        assert squeeze(line) in secrets.lines, line


def test_every_question_has_lines_that_would_be_caught(secrets):
    caught = {qid for qid in QUESTION_IDS for origin in secrets.lines.values() if f"solution to {qid} " in origin}
    assert caught == set(QUESTION_IDS)


@pytest.fixture
def fake_repo(tmp_path):
    """A repository with the real solutions, a hidden test, hidden probe data and a public check."""
    repo = tmp_path / "repo"
    (repo / "autograder" / "hidden").mkdir(parents=True)
    (repo / "autograder" / "probes").mkdir()
    (repo / "autograder" / "checks").mkdir()
    (repo / "solutions").symlink_to(SOLUTIONS)
    (repo / "autograder" / "hidden" / "cases.py").write_text(
        "import numpy as np\n"
        "SECRET_INPUTS = dict(alpha=0.123456789, program=[[0, 1], [2, 3]])\n"
        "E = 2.718281828\n"
    )
    hidden_data = {"case": "a hidden case", "expected": [3.14159265, 0.5]}
    (repo / "autograder" / "probes" / "hidden_data.json").write_text(json.dumps(hidden_data))
    (repo / "autograder" / "checks" / "public.py").write_text("E = 2.718281828  # public too\n")
    return repo


def test_hidden_lines_values_and_files_are_caught(bundle, fake_repo):
    secret = "SECRET_INPUTS = dict(alpha=0.123456789, program=[[0,1],[2,3]])"  # spaced otherwise
    readme_line = plant(bundle / "README.md", "## Submit", secret)
    plant(bundle / "submit.py", "import zipfile", "import numpy as np")  # a common line, not a secret
    cell = add_cells(bundle / "01_optimization.ipynb",
                     nbformat.v4.new_markdown_cell("The answer is 3.14159265, and e is 2.718281828 (public)."))
    shutil.copyfile(fake_repo / "autograder" / "probes" / "hidden_data.json", bundle / "nnkit_checks" / "data.json")
    found = {(leak.path, leak.where, leak.what.split(":")[0]) for leak in leakcheck.check(bundle, fake_repo)}
    cases, data = "autograder/hidden/cases.py", "autograder/probes/hidden_data.json"
    assert found == {
        ("README.md", f"line {readme_line}", f"a line of the hidden tests ({cases}"),
        ("README.md", f"line {readme_line}", f"a value from the hidden file {cases}"),
        ("01_optimization.ipynb", f"cell {cell}, line 1", f"a value from the hidden file {data}"),
        ("nnkit_checks/data.json", "whole file", f"a copy of the hidden file {data}"),
        ("nnkit_checks/data.json", "line 1", f"a value from the hidden file {data}"),
    }


def test_the_public_cases_file_may_hold_public_case_inputs_but_no_solution(bundle, fake_repo):
    public_cases = bundle / "nnkit_checks" / "cases" / "engine.add.json"
    public_cases.parent.mkdir(parents=True, exist_ok=True)
    public_cases.write_text('{"inputs": "SECRET_INPUTS = dict(alpha=0.123456789, program=[[0, 1], [2, 3]])"}\n')
    assert leakcheck.check(bundle, fake_repo) == []
    public_cases.write_text('{"note": "x = torch.flatten(x, 1)"}\n')
    assert [leak.path for leak in leakcheck.check(bundle, fake_repo)] == ["nnkit_checks/cases/engine.add.json"]


def test_notebook_outputs_are_refused(bundle, secrets):
    cell = nbformat.v4.new_code_cell("print(loss)")
    cell.outputs = [nbformat.v4.new_output("stream", text="0.172201\n")]
    number = add_cells(bundle / "03_mlp.ipynb", cell)
    leaks = scan(bundle, secrets)
    assert [(leak.path, leak.where) for leak in leaks] == [("03_mlp.ipynb", f"cell {number}")]
    assert "stored outputs" in leaks[0].what


def test_the_build_fails_and_zips_nothing_when_a_notebook_leaks(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("solutions", "autograder"):
        (repo / name).symlink_to(REPO / name)
    shutil.copytree(ASSIGNMENTS, repo / "assignments")
    cell = add_cells(repo / "assignments" / "02_engine.ipynb",
                     nbformat.v4.new_code_cell("# the answer\nself.grad += (1 - t**2) * out.grad"))
    monkeypatch.setattr(student_bundle, "write_checks", placeholder_checks)
    result = build(load_config(), repo=repo, dist=tmp_path / "dist")
    assert result.archive is None and not (tmp_path / "dist" / "student.zip").exists()
    engine = (SOLUTIONS / "engine.py").read_text().splitlines()
    origin = next(n for n, text in enumerate(engine, start=1)
                  if "(1 - t**2)" in text and not text.lstrip().startswith("#"))  # the body's line, not a hint's
    assert [str(leak) for leak in result.leaks] == [
        f"02_engine.ipynb (cell {cell}, line 2): a line of the solution to engine.tanh "
        f"(solutions/engine.py:{origin}): self.grad += (1 - t**2) * out.grad"
    ]
    assert (repo / "starter" / "engine.py").read_text() == (STARTER / "engine.py").read_text()
