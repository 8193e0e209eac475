"""Screenshot a graded run's TA report, or one feedback page, in headless Chromium (the pictures in docs/).

    .venv/bin/python scripts/report_screenshot.py GRADED_OUT docs/ta_report.png
    .venv/bin/python scripts/report_screenshot.py GRADED_OUT docs/feedback_page.png --page feedback/NAME.html

GRADED_OUT is the --out folder of a run (`nnkit grade`); its reports are rebuilt from its results first.
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
    parser.add_argument("--page", default="ta_report.html", help="the page, relative to GRADED_OUT")
    args = parser.parse_args()
    finish(args.out, load_config())
    console = render(args.out / args.page, args.png, height=args.height)
    if console:
        raise SystemExit(f"the browser's console said:\n{console}")
    print(f"{args.png}: {args.page} of a run of {len(list((args.out / 'results').glob('*.json')))} submissions")


if __name__ == "__main__":
    main()
