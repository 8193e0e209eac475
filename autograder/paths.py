"""Where the kit's pieces live in the repository (and so in an editable install)."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
SOLUTIONS = REPO / "solutions"
STARTER = REPO / "starter"
ASSIGNMENTS = REPO / "assignments"
EXAMPLES = REPO / "examples"
