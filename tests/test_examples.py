"""examples/submissions/ is exactly what scripts/make_examples.py writes from solutions/ and starter/."""

import filecmp
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_examples_are_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("make_examples", REPO / "scripts" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_examples(tmp_path / "examples")
    committed = REPO / "examples" / "submissions"
    for generated in (tmp_path / "examples").rglob("*.py"):
        relative = generated.relative_to(tmp_path / "examples")
        assert filecmp.cmp(generated, committed / relative, shallow=False), \
            f"examples/submissions/{relative} is stale: run scripts/make_examples.py"
