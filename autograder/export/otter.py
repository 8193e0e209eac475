"""dist/otter_autograder.zip for otter-grader: one exception-based test file per question id.

Each test file (`tests/engine.mul.py`) has one `@test_case` per public and hidden case of the question,
worth the case's share of the question's points (as `nnkit grade` shares them), hidden as the
configuration says. A test runs the case's probe on the student's `nnlab` package and judges the outputs
against the reference's, computed here at export time with the configuration's tolerances. The probes, the
judge and the cases ride along in files/nnkit_otter/, which otter copies into the submission folder. The
zip itself is made by otter's own generator (`otter.generate.main`), so its setup.sh, run_autograder and
environment.yml are otter's.

A submission is a notebook whose cells write the package (`%%writefile nnlab/engine.py`);
`submission_notebook` makes one from a package folder.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import nbformat

from .. import __version__
from ..checks import write_case_support
from ..config import Config
from ..contract import QUESTION_IDS
from ..grade.grader import shares
from ..grade.reference import expected_outputs
from ..hidden import suite
from ..hidden.case import Case

SUPPORT = "nnkit_otter"
REQUIREMENTS = ("numpy>=1.24", "scikit-learn>=1.2", "torch>=2.2", "torchvision>=0.17", "graphviz>=0.20",
                "matplotlib>=3.7")


def hidden_flag(case: Case, config: Config) -> bool:
    """otter has only hidden or not: a case is shown to students only when its visibility is 'visible'."""
    question = config.question(case.question)
    return (question.public_visibility if case.public else question.visibility) != "visible"


def test_file_source(qid: str, cases: list[Case], points: list[float], config: Config) -> str:
    """The exception-based otter test file of question qid (cases are that question's, points their shares)."""
    lines = [
        f'"""nnkit question {qid}: {len(cases)} cases, {config.question(qid).points:g} points; from nnkit build."""',
        "",
        "OK_FORMAT = False",
        "",
        "import inspect",
        "import sys",
        "from pathlib import Path",
        "",
        "from otter.test_files import test_case",
        "",
        "# nnkit_otter/ sits in the submission folder, the parent of tests/.",
        "sys.path.insert(0, str(Path(inspect.currentframe().f_code.co_filename).resolve().parents[1]))",
        f"from {SUPPORT} import run_case  # noqa: E402",
        "",
        f"name = {qid!r}",
        f"points = {[float(p) for p in points]!r}",
    ]
    for i, case in enumerate(cases):
        lines += [
            "",
            "",
            f"@test_case(name={case.title!r}, hidden={hidden_flag(case, config)!r})",
            f"def case_{i}():",
            f"    run_case({qid!r}, {i})",
        ]
    return "\n".join(lines) + "\n"


def write_support(folder: Path, cases: list[Case], expected: list[dict], config: Config, seed: int) -> None:
    """folder/nnkit_otter/: the standalone code that runs cases, and each question's cases with expected outputs."""
    write_case_support(folder / SUPPORT, "export/otter_support.py", cases, expected, config, seed=seed,
                       kit_version=__version__)


def write_tests(folder: Path, cases: list[Case], config: Config) -> None:
    """folder/tests/<qid>.py for every question id."""
    (folder / "tests").mkdir()
    share = shares(cases, config)
    for qid in QUESTION_IDS:
        mine = [(c, s) for c, s in zip(cases, share) if c.question == qid]
        source = test_file_source(qid, [c for c, _ in mine], [s for _, s in mine], config)
        (folder / "tests" / f"{qid}.py").write_text(source)


def write_otter_bundle(config: Config, archive: Path, seed: int, cache: Path | None = None) -> Path:
    """Write otter-grader's autograder zip for the cases of seed to archive; cache holds the reference's outputs."""
    from otter.generate import main as otter_generate

    cases = suite(seed)
    expected = expected_outputs(cases, seed, cache)
    archive = Path(archive).resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nnkit-otter-") as scratch:
        folder = Path(scratch)
        write_tests(folder, cases, config)
        write_support(folder / "files", cases, expected, config, seed)
        (folder / "requirements.txt").write_text("\n".join(REQUIREMENTS) + "\n")
        (folder / "otter_config.json").write_text(json.dumps({"lang": "python"}))
        with contextlib.chdir(folder / "files"):
            # otter names files relative to the working folder: files/nnkit_otter/... in the zip.
            otter_generate(tests_dir=str(folder / "tests"), output_path=str(archive),
                           config=str(folder / "otter_config.json"), requirements=str(folder / "requirements.txt"),
                           no_environment=True, files=[SUPPORT])
    return archive


def submission_notebook(package: Path, name: str = "nnlab") -> nbformat.NotebookNode:
    """A notebook whose cells write each .py file of package into name/, as a student's notebook would."""
    cells = [nbformat.v4.new_code_cell(f"import os\n\nos.makedirs({name!r}, exist_ok=True)")]
    for path in sorted(Path(package).glob("*.py")):
        cells.append(nbformat.v4.new_code_cell(f"%%writefile {name}/{path.name}\n{path.read_text()}"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook

