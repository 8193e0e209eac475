"""Opening a report in headless Chromium: a screenshot of the page and what the browser's console said, or the
document as the browser built it (after any script would have run).

The TA report must open anywhere, offline; the kit's tests and `scripts/report_screenshot.py` (which makes
the screenshot in docs/) load it in a real browser with this.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0", "--hide-scrollbars")


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _chromium(page: Path, *options: str) -> subprocess.CompletedProcess:
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("no chromium here: `apt-get install chromium`")
    with tempfile.TemporaryDirectory(prefix="nnkit-chromium-") as profile:
        return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *options, Path(page).resolve().as_uri()],
                              capture_output=True, text=True, timeout=120)


def render(page: Path, shot: Path, width: int = 1280, height: int = 2000) -> str:
    """Load page, save a screenshot of width×height pixels to shot; the console's messages and uncaught errors."""
    run = _chromium(page, f"--screenshot={shot}", f"--window-size={width},{height}")
    if not Path(shot).is_file():
        raise RuntimeError(f"chromium made no screenshot:\n{run.stderr[-2000:]}")
    return "\n".join(line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line)


def dump_dom(page: Path) -> str:
    """The page's document as the browser holds it once loaded: parsed, and changed by any script that ran."""
    run = _chromium(page, "--dump-dom")
    if run.returncode != 0 or "<html" not in run.stdout:
        raise RuntimeError(f"chromium dumped no document:\n{run.stderr[-2000:]}")
    return run.stdout
