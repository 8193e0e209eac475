"""The student bundle as `nnkit build` writes it, and the submission archive students make with submit.py."""

import ast
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.build import build, student_bundle
from autograder.build.submit import SubmissionError, main, make_submission
from autograder.cli import main as nnkit
from autograder.config import QUESTION_IDS, load_config
from autograder.paths import ASSIGNMENTS, REPO, SOLUTIONS, STARTER

NOTEBOOKS = sorted(p.name for p in ASSIGNMENTS.glob("*.ipynb"))
DISTRIBUTION = {"sklearn": "scikit-learn"}  # import name -> the name pip knows, where they differ


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`nnkit build` on a repository that links to this one's sources but has its own starter/ and dist/."""
    tmp = tmp_path_factory.mktemp("build")
    repo = tmp / "repo"
    repo.mkdir()
    for name in ("solutions", "autograder", "assignments"):
        (repo / name).symlink_to(REPO / name)
    return build(load_config(), repo=repo, dist=tmp / "dist")


@pytest.mark.slow
def test_the_build_uses_the_public_checks_and_finds_no_leak(built):
    assert built.public_checks, "autograder.checks.write_public_checks is missing"
    assert built.leaks == [], "\n".join(map(str, built.leaks))
    assert built.archive is not None and built.archive.is_file()


@pytest.mark.slow
def test_the_bundle_has_everything_a_student_needs(built):
    bundle = built.bundle
    top = {p.name for p in bundle.iterdir()}
    assert top == {"README.md", "requirements.txt", "submit.py", "nnlab", "nnkit_checks", *NOTEBOOKS}
    assert {p.name: p.read_text() for p in (bundle / "nnlab").iterdir()} == {
        p.name: p.read_text() for p in STARTER.glob("*.py")
    }
    assert (bundle / "nnkit_checks" / "__init__.py").is_file()
    assert (bundle / "nnkit_checks" / "friendly.py").read_text() == (REPO / "autograder/checks/friendly.py").read_text()
    assert not list(bundle.rglob("__pycache__"))
    for name in NOTEBOOKS:
        notebook = nbformat.read(bundle / name, as_version=4)
        assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in notebook.cells)


@pytest.mark.slow
def test_the_zip_holds_the_folder_under_one_name_and_is_reproducible(built, tmp_path):
    first = student_bundle.zip_bundle(built.bundle, tmp_path / "a.zip")
    second = student_bundle.zip_bundle(built.bundle, tmp_path / "b.zip")
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    names = zipfile.ZipFile(first).namelist()
    assert all(name.startswith("student/") for name in names)
    assert "student/nnlab/engine.py" in names and "student/02_engine.ipynb" in names


def test_the_readme_lists_every_question_with_its_points():
    config = load_config()
    readme = student_bundle.readme(config)
    for q in config.questions.values():
        assert f"| `{q.id}` | {q.points:g} |" in readme
    assert f"| total | {config.total_points:g} |" in readme
    assert "pip install -r requirements.txt" in readme and "python submit.py" in readme
    # A CPU-only torch first: requirements.txt alone would pull the CUDA build onto a student's laptop.
    cpu_torch = "pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu"
    assert cpu_torch in readme and readme.index(cpu_torch) < readme.index("pip install -r requirements.txt")


def imported_modules(source: str, module_level_only: bool) -> set[str]:
    tree = ast.parse(source)
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_requirements_cover_every_third_party_import_of_the_package_and_notebooks():
    imported = set()
    for path in STARTER.glob("*.py"):
        imported |= imported_modules(path.read_text(), module_level_only=True)
    for name in NOTEBOOKS:
        for cell in nbformat.read(ASSIGNMENTS / name, as_version=4).cells:
            if cell.cell_type == "code":
                code = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
                imported |= imported_modules(code, module_level_only=False)
    third_party = imported - set(sys.stdlib_module_names) - {"nnlab", "nnkit_checks"}
    required = {line.split(">")[0].split("=")[0] for line in student_bundle.requirements().splitlines()}
    assert {DISTRIBUTION.get(name, name) for name in third_party} <= required
    assert {"torch", "numpy", "jupyterlab"} <= required


def starter_copy(tmp_path: Path, name: str = "my_work") -> Path:
    folder = Path(shutil.copytree(STARTER, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")))
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"\0")
    (folder / "notes.ipynb").write_text("{}")
    (folder / "extra").mkdir()
    (folder / "extra" / "helper.py").write_text("x = 1\n")
    return folder


def test_a_submission_holds_the_package_modules_only_named_nnlab(tmp_path):
    folder = starter_copy(tmp_path)
    names = make_submission(folder, tmp_path / "out" / "submission.zip")
    expected = sorted(f"nnlab/{p.name}" for p in STARTER.glob("*.py"))
    assert names == expected
    assert sorted(zipfile.ZipFile(tmp_path / "out" / "submission.zip").namelist()) == expected


def test_submit_lists_what_went_in_and_what_is_still_unwritten(tmp_path, capsys):
    assert main([str(starter_copy(tmp_path)), "-o", str(tmp_path / "s.zip")]) == 0
    out = capsys.readouterr().out
    assert "nnlab/engine.py" in out and "Upload" in out
    unwritten = out.split("Still not written (these earn nothing yet): ")[1].splitlines()[0].split(", ")
    assert sorted(unwritten) == sorted(QUESTION_IDS)
    solved = Path(shutil.copytree(SOLUTIONS, tmp_path / "solved", ignore=shutil.ignore_patterns("__pycache__")))
    assert main([str(solved), "-o", str(tmp_path / "t.zip")]) == 0
    assert "Still not written" not in capsys.readouterr().out


@pytest.mark.parametrize("make", ["missing", "no code", "empty files"])
def test_submit_refuses_a_package_without_code(tmp_path, capsys, make):
    folder = tmp_path / "nnlab"
    if make != "missing":
        folder.mkdir()
        (folder / "readme.txt").write_text("notes")
    if make == "empty files":
        (folder / "engine.py").write_text("\n")
        (folder / "__init__.py").write_text("")
    with pytest.raises(SubmissionError):
        make_submission(folder, tmp_path / "submission.zip")
    assert main([str(folder), "-o", str(tmp_path / "submission.zip")]) == 1
    assert "Nothing written" in capsys.readouterr().err
    assert not (tmp_path / "submission.zip").exists()


def test_nnkit_submit_makes_an_archive_the_grader_opens(tmp_path):
    from autograder.contract import MODULES
    from autograder.grade.submission import open_submission

    out = tmp_path / "alice.zip"
    assert nnkit(["submit", str(starter_copy(tmp_path)), "-o", str(out)]) == 0
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    submission = open_submission(out, scratch, load_config().limits)
    assert submission.name == "alice"
    assert all(submission.has(module) for module in MODULES)


def test_the_bundles_submit_py_runs_with_the_standard_library_alone(tmp_path):
    bundle = tmp_path / "student"
    shutil.copytree(STARTER, bundle / "nnlab", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO / "autograder" / "build" / "submit.py", bundle / "submit.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # -S -I: no site-packages and no environment, so only the standard library is there to import.
    for cwd in (bundle, elsewhere):
        done = subprocess.run([sys.executable, "-S", "-I", str(bundle / "submit.py")], cwd=cwd,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert zipfile.ZipFile(cwd / "submission.zip").namelist()[0].startswith("nnlab/")
