"""The student bundle, dist/student/: everything a student needs, and nothing of the answers.

    README.md  requirements.txt  submit.py
    nnlab/            a copy of starter/: the package the student writes
    nnkit_checks/     the public checks (written by autograder.checks.write_public_checks) and friendly.py
    01_optimization.ipynb ... 04_cnn.ipynb     the notebooks of assignments/, outputs cleared

`nnkit build` writes it, runs the leak check on it, and only then zips it into dist/student.zip.
"""

from __future__ import annotations

import importlib
import shutil
import tomllib
import zipfile
from pathlib import Path

from ..config import Config
from ..contract import PACKAGE
from ..paths import REPO

CHECKS = "nnkit_checks"
HERE = Path(__file__).resolve().parent
FRIENDLY = REPO / "autograder" / "checks" / "friendly.py"

# What the notebooks and the student package import, named as in pyproject.toml, plus Jupyter itself.
STUDENT_REQUIREMENTS = ("numpy", "matplotlib", "scikit-learn", "graphviz", "tqdm", "torch")
JUPYTER = ("jupyterlab>=4", "ipykernel>=6.20", "ipywidgets>=8")  # ipywidgets: tqdm's progress bars

PLACEHOLDER_CHECKS = '''"""Public checks: not in this build of the bundle."""


def check(question: str) -> None:
    print(f"{question}: the public checks are not in this bundle yet; ask for an updated bundle.")
'''


def requirements(pyproject: Path = REPO / "pyproject.toml") -> str:
    """requirements.txt: the kit's own version ranges for what students import, and Jupyter."""
    with open(pyproject, "rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    wanted = [d for d in dependencies if d.split(">")[0].split("=")[0].split("<")[0].strip() in STUDENT_REQUIREMENTS]
    return "\n".join([*wanted, *JUPYTER]) + "\n"


def readme(config: Config) -> str:
    """The students' README, with the question ids and points of the configuration."""
    rows = ["| question id | points |", "|---|---|"]
    rows += [f"| `{q.id}` | {q.points:g} |" for q in config.questions.values()]
    rows.append(f"| total | {config.total_points:g} |")
    return (HERE / "student_readme.md").read_text().replace("{questions}", "\n".join(rows))


def write_checks(dest: Path, config: Config) -> bool:
    """nnkit_checks/ in dest, with friendly.py; False if the public checks are missing (a placeholder then)."""
    try:
        write_public_checks = getattr(importlib.import_module("autograder.checks"), "write_public_checks", None)
    except ImportError:
        write_public_checks = None
    checks = dest / CHECKS
    if write_public_checks is not None:
        checks = Path(write_public_checks(dest, config))
    else:
        checks.mkdir(parents=True, exist_ok=True)
        (checks / "__init__.py").write_text(PLACEHOLDER_CHECKS)
    if not (checks / "friendly.py").exists():
        shutil.copyfile(FRIENDLY, checks / "friendly.py")
    return write_public_checks is not None


def clean_notebook(source: Path, dest: Path) -> None:
    """Copy a notebook without outputs, execution counts or execution timings."""
    import nbformat

    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(notebook, dest)


def build_bundle(dest: Path, starter: Path, assignments: Path, config: Config) -> bool:
    """Write the bundle into dest (emptied first); returns whether the public checks are real."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / PACKAGE).mkdir(parents=True)
    for module in sorted(starter.glob("*.py")):
        shutil.copyfile(module, dest / PACKAGE / module.name)
    for notebook in sorted(assignments.glob("*.ipynb")):
        clean_notebook(notebook, dest / notebook.name)
    shutil.copyfile(HERE / "submit.py", dest / "submit.py")
    (dest / "README.md").write_text(readme(config))
    (dest / "requirements.txt").write_text(requirements())
    return write_checks(dest, config)


def zip_bundle(folder: Path, archive: Path) -> Path:
    """archive (a .zip) holding folder under its own name, in a fixed order and with fixed dates."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            info = zipfile.ZipInfo(str(Path(folder.name) / path.relative_to(folder)), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, path.read_bytes())
    return archive
