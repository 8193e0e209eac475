"""Screenshot a graded run's TA report in headless Chromium (the picture in docs/ and the README).

    .venv/bin/python scripts/report_screenshot.py GRADED_OUT docs/ta_report.png

GRADED_OUT is the --out folder of a run (`nnkit grade`); its report is rebuilt from its results first.
Fails if the browser's console reports anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.config import load_config
from autograder.report.browser import render
from autograder.report.finish import finish


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the --out folder of a grading run")
    parser.add_argument("png", type=Path, help="where to save the screenshot")
    parser.add_argument("--height", type=int, default=2400, help="pixels of the page to show")
    args = parser.parse_args()
    finish(args.out, load_config())
    console = render(args.out / "ta_report.html", args.png, height=args.height)
    if console:
        raise SystemExit(f"the browser's console said:\n{console}")
    print(f"{args.png}: the report of {len(list((args.out / 'results').glob('*.json')))} submissions")


if __name__ == "__main__":
    main()
