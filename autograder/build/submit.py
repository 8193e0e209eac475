"""Make the archive you upload: the .py files of your package in a .zip, as nnlab/<module>.py.

    python submit.py                       # packs ./nnlab into submission.zip
    python submit.py path/to/nnlab -o my_submission.zip

Only the package's own .py files go in (no notebooks, data or caches), always under `nnlab/` whatever the
folder is called, so every submission looks the same to the grader. It refuses a folder with no code,
and lists what went in and which questions still raise NotImplementedError.

This file is standalone (standard library only): it is the student bundle's submit.py, and `nnkit submit`.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

PACKAGE = "nnlab"
STUB = re.compile(r"raise NotImplementedError\(\s*[\"'](\w+\.\w+): ")


class SubmissionError(Exception):
    """The package cannot be submitted; the message says why."""


def package_files(package_dir: Path) -> list[Path]:
    """The .py files at the top of the package folder, by name."""
    if not package_dir.is_dir():
        raise SubmissionError(f"{package_dir} is not a folder: give the folder of your package (e.g. nnlab)")
    files = sorted(p for p in package_dir.glob("*.py") if p.is_file())
    if not any(p.read_text(errors="replace").strip() for p in files):
        raise SubmissionError(f"{package_dir} has no Python code to submit")
    return files


def unwritten_questions(files: list[Path]) -> list[str]:
    """Question ids whose stubs are still in the files, in order of appearance, each once."""
    found = []
    for path in files:
        for qid in STUB.findall(path.read_text(errors="replace")):
            if qid not in found:
                found.append(qid)
    return found


def make_submission(package_dir: str | Path, out: str | Path = "submission.zip") -> list[str]:
    """Write the archive; returns the names inside it."""
    package_dir, out = Path(package_dir), Path(out)
    files = package_files(package_dir)
    names = [f"{PACKAGE}/{path.name}" for path in files]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in zip(files, names):
            archive.write(path, name)
    return names


def default_package() -> Path:
    """./nnlab if it exists, else the nnlab folder next to this file (the bundle's layout)."""
    here = Path(PACKAGE)
    return here if here.is_dir() else Path(__file__).resolve().parent / PACKAGE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", help=f"your package folder (default: {PACKAGE})")
    parser.add_argument("-o", "--out", default="submission.zip", help="the archive to write (default: submission.zip)")
    args = parser.parse_args(argv)
    package_dir = Path(args.package) if args.package else default_package()
    try:
        names = make_submission(package_dir, args.out)
    except SubmissionError as error:
        print(f"Nothing written: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out} from {package_dir}:")
    for name in names:
        print(f"  {name}")
    unwritten = unwritten_questions(package_files(package_dir))
    if unwritten:
        print(f"Still not written (these earn nothing yet): {', '.join(unwritten)}")
    print(f"Upload {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
