"""LMS exports read as they come: a Canvas "Download Submissions" folder and a Gradescope "Export Submissions"
folder become submissions, each with the student it belongs to and when it was handed in.

- **Canvas** names every file it hands back `<name>_<user id>_<attachment id>_<file>`, with `late` after the
  name when the submission came after the due date (`chenalice_late_101_5002_engine.py`), and all files of a
  class in one flat folder. A student's files are gathered into one submission named after them; the Canvas
  user id (the roster's `ID`) identifies them. The names carry no time: the kit takes the newest modification
  time of the student's files (keep it when you unzip: `unzip` does) and the late mark.
- **Gradescope** writes one folder per submission (`submission_<id>/`, holding the files as uploaded) and
  `submission_metadata.yml`, which maps each folder to its submitters (`:name:`, `:sid:`, `:email:`) and its
  time (`:created_at:`). A submission is named after its first submitter's student id (the roster's
  `SIS User ID`), else their e-mail's local part.

A Gradescope submission is graded from its folder (or its one .zip) where it is. Canvas's flat files are
staged (copied, never moved or changed) into OUT/.lms/<name>/ under the names the student gave them, so that
grading opens each student's files as one folder; a student whose only file is a .zip is graded from it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..contract import MODULES

CANVAS_FILE = re.compile(r"^(?P<login>[^_]+)_(?:(?P<late>late)_)?(?P<user_id>\d+)_(?P<attachment>\d+)_(?P<file>.+)$",
                         re.IGNORECASE)
GRADESCOPE_METADATA = "submission_metadata.yml"
STAGING = ".lms"


@dataclass(frozen=True)
class Student:
    """Who handed a submission in, as the LMS says."""

    source: str  # "canvas" or "gradescope"
    id: str  # Canvas user id, or Gradescope's student id (sid)
    name: str = ""
    email: str = ""
    submitted_at: str | None = None  # ISO 8601, UTC
    late: bool | None = None  # the LMS's own mark, where it gives one

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Handed:
    """One submission found in an export: its name, what to grade, and whose it is."""

    name: str
    path: Path
    student: Student


def _utc(value) -> str | None:
    """A time as ISO 8601 in UTC, from a datetime or a string YAML left as text; None if there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace(" UTC", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return None


def safe_name(text: str) -> bool:
    """Whether text can name a file in a folder and nothing else: no separator, not hidden, not . or .."""
    return bool(text) and not text.startswith(".") and not any(c in text for c in "/\\\0")


def _stage(files: dict[str, Path], dest: Path) -> Path:
    """The files (named as the student named them) copied into dest; a lone .zip is graded where it is."""
    if len(files) == 1 and next(iter(files)).lower().endswith(".zip"):
        return next(iter(files.values()))
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, source in files.items():
        shutil.copyfile(source, dest / name)
    return dest


# --- Canvas ---------------------------------------------------------------------------------------------

def is_canvas_download(folder: Path) -> bool:
    """Whether folder is a Canvas download: files only, and most of them named the way Canvas names them."""
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    named = [p for p in files if p.is_file() and CANVAS_FILE.match(p.name)]
    return bool(named) and len(named) * 2 > len(files) and not any(p.is_dir() for p in files
                                                                   if p.name != "__MACOSX")


def _module_name(file: str) -> str:
    """The name the student gave a file: Canvas adds -1, -2 to a file uploaded again under the same name."""
    stem, dot, suffix = file.rpartition(".")
    base = re.sub(r"-\d+$", "", stem)
    return f"{base}{dot}{suffix}" if dot and base in MODULES else file


def canvas_download(folder: Path, staging: Path) -> tuple[list[Handed], list[Path]]:
    """The submissions of a Canvas download folder, and the entries that are not Canvas's."""
    by_student: dict[str, list[tuple[re.Match, Path]]] = {}
    others = []
    for path in sorted(folder.iterdir()):
        match = CANVAS_FILE.match(path.name) if path.is_file() else None
        if match and safe_name(match["login"]) and safe_name(_module_name(match["file"])):
            by_student.setdefault(match["user_id"], []).append((match, path))
        else:
            others.append(path)
    found = []
    for user_id, files in sorted(by_student.items()):
        login = files[0][0]["login"]
        # The newest attachment wins when one name comes twice (Canvas's ids grow with time).
        newest: dict[str, tuple[int, Path]] = {}
        for match, path in files:
            file = _module_name(match["file"])
            if file not in newest or int(match["attachment"]) > newest[file][0]:
                newest[file] = (int(match["attachment"]), path)
        chosen = {file: path for file, (_, path) in newest.items()}
        stamp = max(path.stat().st_mtime for path in chosen.values())
        student = Student("canvas", user_id, name=login,
                          submitted_at=datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds"),
                          late=any(match["late"] for match, _ in files))
        found.append(Handed(login, _stage(chosen, staging / login), student))
    return found, others


# --- Gradescope -----------------------------------------------------------------------------------------

class _MetadataLoader(yaml.SafeLoader):
    """YAML's safe loader, reading the Ruby tags of Gradescope's file (a score as BigDecimal) as plain values."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_MetadataLoader.add_multi_constructor("!", _plain)


def is_gradescope_export(folder: Path) -> bool:
    return (folder / GRADESCOPE_METADATA).is_file()


def _field(record: dict, key: str):
    """A field of Gradescope's metadata, written `:key:` (a Ruby symbol) or `key:`."""
    return record.get(f":{key}", record.get(key))


def gradescope_export(folder: Path) -> tuple[list[Handed], list[Path]]:
    """The submissions of a Gradescope export folder, and the entries its metadata does not list.

    A group's submission is graded once per submitter, so that each has their own row and feedback page.
    """
    text = (folder / GRADESCOPE_METADATA).read_text(encoding="utf-8")
    metadata = yaml.load(text, Loader=_MetadataLoader) or {}  # a safe loader: Ruby's tags made plain values
    found, listed = [], {GRADESCOPE_METADATA}
    for key, record in sorted(metadata.items()):
        if not safe_name(str(key)) or not isinstance(record, dict):
            continue  # a record naming no folder of the export: its folder, if any, is listed as not the LMS's
        listed.add(str(key))
        path = folder / str(key)
        entries = [p for p in path.iterdir() if not p.name.startswith(".")] if path.is_dir() else []
        if len(entries) == 1 and entries[0].name.lower().endswith(".zip"):
            path = entries[0]  # one uploaded .zip: graded as it is
        for submitter in _field(record, "submitters") or [{}]:
            sid, email = str(_field(submitter, "sid") or "").strip(), str(_field(submitter, "email") or "").strip()
            student = Student("gradescope", sid, name=str(_field(submitter, "name") or ""), email=email,
                              submitted_at=_utc(_field(record, "created_at")))
            name = next((n for n in (sid, email.split("@")[0]) if safe_name(n)), str(key))
            found.append(Handed(name, path, student))
    return found, [p for p in sorted(folder.iterdir()) if p.name not in listed]
