"""The assignment notebooks: clean, checked question by question, and run top to bottom.

On the reference (a copy of solutions/ as `nnlab`) every cell succeeds and every check passes; on the
starter, each notebook stops at its first unwritten body with the one-line message of friendly.py.
Set NNKIT_FIGURES=folder to keep the figures the reference run draws (PNG, and SVG for draw_dot).
"""

import ast
import base64
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.build import student_bundle
from autograder.build.leakcheck import collect, scan
from autograder.checks import friendly
from autograder.config import QUESTION_IDS, load_config
from autograder.paths import ASSIGNMENTS, REPO, SOLUTIONS, STARTER

NOTEBOOKS = sorted(p.stem for p in ASSIGNMENTS.glob("*.ipynb"))
CHECK = re.compile(r"""check\(["']([\w.]+)["']\)""")
# Where each notebook stops on the untouched starter. 03 reaches backward() (part 2) before its own questions.
FIRST_STUB = {"01_optimization": "optim.estimate_gradient", "02_engine": "engine.add", "03_mlp": "engine.backward",
              "04_cnn": "cnn.net"}


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ASSIGNMENTS / f"{name}.ipynb", as_version=4)


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_there_is_one_notebook_per_part():
    assert NOTEBOOKS == ["01_optimization", "02_engine", "03_mlp", "04_cnn"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_committed_without_outputs(name):
    for cell in code_cells(read(name)):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]


def test_every_question_is_checked_once_in_the_order_of_the_course():
    checked = [qid for name in NOTEBOOKS for cell in code_cells(read(name)) for qid in CHECK.findall(cell.source)]
    assert checked == list(QUESTION_IDS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_first_code_cell_sets_up_checks_and_friendly_errors(name):
    first = code_cells(read(name))[0].source
    assert "from nnkit_checks import check" in first
    assert "friendly_errors()" in first and "%autoreload 2" in first


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_use_the_student_package_only(name):
    source = "\n".join(cell.source for cell in code_cells(read(name)))
    assert "nnlab" in source
    assert not re.search(r"^\s*(from|import)\s+(solutions|autograder)\b", source, re.MULTILINE)


def test_no_solution_line_is_in_the_notebooks():
    assert scan(ASSIGNMENTS, collect(REPO)) == []


def test_friendly_is_standalone():
    tree = ast.parse(Path(friendly.__file__).read_text())
    top = {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    top |= {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert top <= {"__future__", "os", "re", "traceback"}


def test_friendly_describes_a_stub_in_one_line(tmp_path, monkeypatch):
    shutil.copytree(STARTER, tmp_path / "nnlab_friendly", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    from nnlab_friendly.engine import Value

    with pytest.raises(NotImplementedError) as error:
        (Value(1.0) * Value(2.0))._backward()
    text = friendly.describe(error.value)
    assert "\n" not in text
    assert re.fullmatch(
        r"engine\.mul is not written yet: write the body of Value\.__mul__\._backward "
        r"\(nnlab_friendly/engine\.py, line \d+\)\. Hint: For a product, ∂\(a·b\)/∂a = b .*", text)
    try:
        raise NotImplementedError("complex powers")
    except NotImplementedError as other:
        assert friendly.describe(other).startswith("NotImplementedError: complex powers (")


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    """Two folders with the bundle's nnkit_checks: one where nnlab is the reference, one where it is the starter."""
    root = tmp_path_factory.mktemp("notebooks")
    student_bundle.write_checks(root / "checks", load_config())
    folders = {}
    for which, package in (("reference", SOLUTIONS), ("starter", STARTER)):
        folder = root / which
        shutil.copytree(package, folder / "nnlab", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(root / "checks" / "nnkit_checks", folder / "nnkit_checks")
        folders[which] = folder
    return folders


def execute(name: str, workdir: Path) -> tuple[nbformat.NotebookNode, CellExecutionError | None]:
    notebook = read(name)
    where = {"metadata": {"path": str(workdir)}}
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources=where)
    try:
        client.execute()
    except CellExecutionError as error:
        return notebook, error
    return notebook, None


def text_of(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts += output.get("traceback", [])
    return "".join(parts)


def save_figures(notebook, name: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    saved = 0
    for number, cell in enumerate(notebook.cells, start=1):
        for index, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if "image/png" in data:
                (folder / f"{name}-{number:02d}-{index}.png").write_bytes(base64.b64decode(data["image/png"]))
            elif "image/svg+xml" in data:
                (folder / f"{name}-{number:02d}-{index}.svg").write_text(data["image/svg+xml"])
            else:
                continue
            saved += 1
    return saved


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_runs_top_to_bottom_on_the_reference(name, workdirs, tmp_path):
    notebook, error = execute(name, workdirs["reference"])
    assert error is None, str(error)[-2000:]
    for cell in code_cells(notebook):
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        for qid in CHECK.findall(cell.source):
            summary = re.search(rf"<{re.escape(qid)}: (\d+)/(\d+) public cases passed>", text_of(cell))
            assert summary and summary[1] == summary[2] != "0", text_of(cell)
    figures = Path(os.environ.get("NNKIT_FIGURES", tmp_path))
    assert save_figures(notebook, name, figures) >= 2


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_on_the_starter_each_notebook_stops_at_its_first_stub_in_one_line(name, workdirs):
    notebook, error = execute(name, workdirs["starter"])
    assert error is not None, "the starter ran through: no stub was reached"
    cells = code_cells(notebook)
    failed = [(i, cell) for i, cell in enumerate(cells) if any(o.output_type == "error" for o in cell.outputs)]
    assert len(failed) == 1
    index, cell = failed[0]
    (output,) = [o for o in cell.outputs if o.output_type == "error"]
    assert output.ename == "NotImplementedError"
    assert len(output.traceback) == 1 and "\n" not in output.traceback[0]  # one line, no traceback wall
    qid = FIRST_STUB[name]
    assert output.traceback[0].startswith(f"{qid} is not written yet: write the body of ")
    assert "nnlab/" in output.traceback[0] and "Hint: " in output.traceback[0]
    assert all(c.execution_count is None for c in cells[index + 1 :])  # it stopped there
