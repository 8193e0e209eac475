"""What `nnkit grade` was given, sorted out before any grading: the submissions, and the entries skipped.

A mistake on the command line must never become a grade. A path that does not exist, an empty folder named
alone, nothing left to grade, or two submissions that would share one name stop the run with a message
naming the path. Entries that are plainly not submissions (`__MACOSX`, dot-files, notes, PDFs, a roster),
named or found in a class folder, are listed as skipped and never graded.

A Canvas download or a Gradescope export folder is read as its LMS wrote it (`lms.py`). Any other folder is
a *class folder* when it holds a .zip, or two or more folders that hold the kit's modules; its entries are
then the submissions. Any other folder is one student's submission (their package may sit a few folders
down, as `find_package` looks for it).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..contract import MODULES
from ..errors import KitError
from .lms import (
    GRADESCOPE_METADATA,
    STAGING,
    Handed,
    canvas_download,
    gradescope_export,
    is_canvas_download,
    is_gradescope_export,
    safe_name,
)
from .submission import submission_name

PACKAGE_DEPTH = 3  # how far down find_package looks for the modules


class InputError(KitError):
    """The paths given to `nnkit grade` cannot be graded as they are; the message says which and what to do."""


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str

    def line(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Inputs:
    """The submissions to grade, in the order found, and the entries of class folders that are not submissions."""

    submissions: list[Path | Handed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def is_zip(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(".zip")


def not_a_submission(entry: Path) -> str | None:
    """Why an entry of a class folder is not a submission, or None if it may be one."""
    if entry.name == "__MACOSX":
        return "macOS archive metadata"
    if entry.name.startswith("."):
        return "a hidden file"
    if entry.is_symlink():
        return "a link"
    if entry.is_dir() or is_zip(entry):
        return None
    return "not a .zip or a folder"


def holds_modules(folder: Path) -> bool:
    """Whether one of the kit's modules sits in folder or up to PACKAGE_DEPTH folders below it."""
    layer = [folder]
    for _ in range(PACKAGE_DEPTH + 1):
        if any((f / f"{m}.py").is_file() for f in layer for m in MODULES):
            return True
        layer = [d for f in layer for d in f.iterdir()
                 if d.is_dir() and not d.is_symlink() and not_a_submission(d) is None]
    return False


def is_class_folder(folder: Path) -> bool:
    if any((folder / f"{m}.py").is_file() for m in MODULES):
        return False
    entries = [e for e in folder.iterdir() if not_a_submission(e) is None]
    return any(is_zip(e) for e in entries) or sum(e.is_dir() and holds_modules(e) for e in entries) >= 2


def find_submissions(paths: list[Path], *, out_dir: Path | None = None) -> Inputs:
    """The submissions among paths (class folders opened), or an InputError naming the first path at fault.

    An entry that is plainly not a submission is skipped whether it was named (by a shell's `subs/*`) or found
    in a class folder; so is out_dir, if it sits inside a class folder: a run's output is never a submission.
    """
    found = Inputs()
    seen: set[Path] = set()

    def consider(path: Path) -> None:
        reason = not_a_submission(path)
        if out_dir is not None and path.resolve() == Path(out_dir).resolve():
            reason = "the output folder of this run"
        if reason:
            found.skipped.append(Skipped(path, reason))
        elif path.resolve() not in seen:
            seen.add(path.resolve())
            found.submissions.append(path)

    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder. Give the submissions (.zip files or package "
                             "folders) or the folder that holds them.")
        export = read_export(path, out_dir)
        if export is not None:
            handed, others, why = export
            found.submissions += handed
            found.skipped += [Skipped(p, not_a_submission(p) or why) for p in others]
        elif path.is_dir() and is_class_folder(path):
            for entry in sorted(path.iterdir()):
                consider(entry)
        elif path.is_dir() and len(paths) == 1 and not any(path.iterdir()):
            raise InputError(f"{path}: an empty folder, with no submission in it")
        else:
            consider(path)
    if not found.submissions:
        skipped = "; ".join(s.line() for s in found.skipped)
        raise InputError(f"no submission to grade (skipped: {skipped}). A submission is a .zip or a folder; a "
                         "roster goes with --roster.")
    refuse_shared_names(found.submissions)
    return found


def read_export(path: Path, out_dir: Path | None) -> tuple[list[Handed], list[Path], str] | None:
    """The submissions of an LMS export folder, the entries that are not, and why; None if path is not one.

    Canvas's files are staged in OUT/.lms/ (a temporary folder without out_dir).
    """
    if not path.is_dir():
        return None
    if is_gradescope_export(path):
        return *gradescope_export(path), f"not listed in {GRADESCOPE_METADATA}"
    if is_canvas_download(path):
        staging = Path(out_dir or tempfile.mkdtemp(prefix="nnkit-")) / STAGING
        return *canvas_download(path, staging), "not named the way Canvas names a submission's files"
    return None


def refuse_shared_names(submissions: list[Path | Handed]) -> None:
    """Two submissions whose names are one (alice.zip and alice/) would write one results file: refuse them."""
    by_name: dict[str, Path] = {}
    for item in submissions:
        name, path = (item.name, item.path) if isinstance(item, Handed) else (submission_name(item), item)
        if not safe_name(name):
            raise InputError(f"{path}: a submission's name may not be empty, start with a dot or hold a separator; "
                             "rename it")
        if name in by_name:
            raise InputError(f"two submissions are both named {name!r}: {by_name[name]} and {path}. Keep one of "
                             "them, or rename the other.")
        by_name[name] = path
