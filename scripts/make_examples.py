"""Write examples/submissions/: the reference, the starter and typical mistakes, as students would submit them.

    .venv/bin/python scripts/make_examples.py

The README's main job (`make demo`) grades these. The mistakes are named misconceptions of the kit's catalogue
(autograder/misconceptions.py), through the test suite's list of buggy submissions.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from mutations import BY_NAME  # noqa: E402

from autograder.paths import SOLUTIONS, STARTER  # noqa: E402

EXAMPLES = REPO / "examples" / "submissions"
MISTAKES = ("mul_assigns_instead_of_adding", "backward_recursive_like_the_tutorial", "neuron_without_bias",
            "train_without_zero_grad", "net_returns_logits")


def write_examples(dest: Path = EXAMPLES) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, source in (("reference", SOLUTIONS), ("starter", STARTER)):
        shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in MISTAKES:
        BY_NAME[name].write(dest)


def main() -> None:
    write_examples()
    print(f"{len(MISTAKES) + 2} example submissions in {EXAMPLES}")


if __name__ == "__main__":
    main()
