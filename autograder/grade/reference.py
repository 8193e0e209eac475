"""The reference's outputs for every case of a run: computed by trusted code, in the grader's own process.

They depend only on the seed and the kit, so a batch computes them once and caches them on disk next to
its results, keyed by the seed and a hash of the reference, the probes and the case generators.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

from .. import __version__
from ..hidden.case import Case
from ..judge import measured
from ..paths import PACKAGE, SOLUTIONS
from ..probes import run_probe


def reference_package() -> SimpleNamespace:
    from solutions import cnn, engine, nn, optim, train

    return SimpleNamespace(engine=engine, nn=nn, optim=optim, train=train, cnn=cnn)


def kit_fingerprint() -> str:
    """A hash of everything that decides the expected outputs."""
    digest = hashlib.sha256(__version__.encode())
    for folder in (SOLUTIONS, PACKAGE / "probes", PACKAGE / "hidden", PACKAGE / "judge"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def compute_expected(cases: list[Case]) -> list[dict]:
    """Run every case's probe on the reference, and measure what it reports where the case says so."""
    pkg = reference_package()
    return [measured(c, pkg, run_probe(c.probe, pkg, c.inputs)) for c in cases]


def expected_outputs(cases: list[Case], seed: int, cache_dir: Path | None = None) -> list[dict]:
    """compute_expected, cached in cache_dir/expected-<seed>-<fingerprint>.json when a folder is given."""
    if cache_dir is None:
        return compute_expected(cases)
    path = Path(cache_dir) / f"expected-{seed}-{kit_fingerprint()}.json"
    if path.exists():
        return json.loads(path.read_text())
    expected = compute_expected(cases)
    from .results import write_json_atomic

    write_json_atomic(path, expected)
    return expected
