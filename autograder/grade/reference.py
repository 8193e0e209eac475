"""The reference's outputs for every case of a run: computed by trusted code, in the grader's own process.

They depend only on the seed and the kit, so they are computed once per seed and kept on disk, keyed by the
seed and a hash of the reference, the probes and the case generators: beside a run's results (out/.cache)
and in the user's cache (`shared_cache`), where any later run with that seed finds them. Also here:
what of the reference's text students may not be shown (`reference_redactor`), and may (`stub_messages`).
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .. import __version__
from ..build import starter
from ..build.leakcheck import solution_lines
from ..build.markers import LEVEL, find_blocks
from ..contract import QUESTIONS
from ..hidden.case import Case
from ..judge import measured
from ..judge.redact import Redactor
from ..paths import PACKAGE, SOLUTIONS
from ..probes import run_probe
from .assemble import without_definitions_of

MIN_SECRET_LINE = 12  # characters, whitespace aside: a shorter solution line (`x = layer(x)`) tells nothing


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


@contextmanager
def children_gc() -> Iterator[None]:
    """The sandboxed children's garbage-collector settings (probes/runner.py): with the defaults, the full
    collections that the reference's training graphs set off rescan everything the grader has loaded."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def compute_expected(cases: list[Case]) -> list[dict]:
    """Run every case's probe on the reference, and measure what it reports where the case says so."""
    pkg = reference_package()
    with children_gc():
        return [measured(c, pkg, run_probe(c.probe, pkg, c.inputs)) for c in cases]


def shared_cache() -> Path:
    """The user's cache of the reference's outputs: $NNKIT_CACHE, else $XDG_CACHE_HOME/nnkit or ~/.cache/nnkit."""
    if os.environ.get("NNKIT_CACHE"):
        return Path(os.environ["NNKIT_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnkit"


def expected_outputs(cases: list[Case], seed: int, cache_dir: Path | None = None, part: str = "", *,
                     shared: bool = False) -> list[dict]:
    """compute_expected, cached in cache_dir as expected-<seed>-<fingerprint><part>.json when a folder is given
    (part names a subset of the run's cases, "" for all of them); with shared, also looked for in the shared
    cache, and kept there when computed here."""
    if cache_dir is None:
        return compute_expected(cases)
    return cached_json(f"expected-{seed}-{kit_fingerprint()}{part}.json", Path(cache_dir), shared,
                       lambda: compute_expected(cases))


def cached_json(name: str, cache_dir: Path, shared: bool, compute: Callable[[], Any]) -> Any:
    """What compute returns, kept as cache_dir/name; with shared, also looked for and kept in the shared cache.
    The batch's workers share cache_dir: one computes, under a lock, and the others wait for it and read."""
    own = cache_dir / name
    if own.exists():
        return json.loads(own.read_text())
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if own.exists():
            return json.loads(own.read_text())
        return computed_json(own, shared_cache() / "expected" / name if shared else None, compute)


def computed_json(own: Path, common: Path | None, compute: Callable[[], Any]) -> Any:
    from ..atomic import write_json_atomic

    if common and common.exists():
        value = json.loads(common.read_text())
    else:
        value = compute()
        if common:
            try:
                write_json_atomic(common, value)
            except OSError:
                pass  # the shared cache is a saving, not a need
    write_json_atomic(own, value)
    return value


@cache
def reference_redactor() -> Redactor:
    """What may not reach a student from the reference: any text of solutions/ (or of the stand-ins made from
    it) that neither the starter nor its stubs' messages show, and its solution lines."""
    sources = {path.stem: without_markers(path.read_text()) for path in sorted(SOLUTIONS.glob("*.py"))}
    standins = [without_definitions_of(sources[q.module], q.id) for q in sorted(QUESTIONS, key=lambda q: q.id)
                if q.stand_ins]
    public = [*starter.generate(SOLUTIONS).values(), *stub_messages()]
    lines, _ = solution_lines(SOLUTIONS.parent)
    return Redactor([*sources.values(), *standins], public=public,
                    lines=[line for line in lines if len(line) >= MIN_SECRET_LINE])


def without_markers(source: str) -> str:
    """source with its BEGIN/END SOLUTION lines, hints and nudges blank: question ids, hints and nudges are
    public (the stubs, the public checks and the feedback show them); a walkthrough is not."""
    lines = source.splitlines(True)
    public = set()
    for block in find_blocks(source):
        public |= {block.begin, block.end}
        level = None
        for number in block.header:
            label = LEVEL.match(lines[number - 1])
            level = label["level"] if label else level
            if level != "walkthrough":
                public.add(number)
    return "".join("\n" if number in public else line for number, line in enumerate(lines, start=1))


@cache
def stub_messages() -> frozenset[str]:
    """What the starter's stubs raise: public text, shown to students in full."""
    return frozenset(starter.stub_message(block) for path in sorted(SOLUTIONS.glob("*.py"))
                     for block in find_blocks(path.read_text(), str(path)))
