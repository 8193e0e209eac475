"""Similar code: pairs of submissions whose code is more alike than independent work would be (for TAs only).

A run compares its class once, in the trusted grader, before grading it (so that the reports written at
the end find the result): `grade/similar_code.py` opens each submission again and hands the modules students
write (engine.py, nn.py, optim.py, train.py, cnn.py) to `compare_class`; they are compared module with
module, every pair of submissions, by copydetect, a winnowing detector like MOSS. It fingerprints the code's
tokens with names made placeholders and comments and layout dropped, so renaming, new comments and reordered
methods do not hide a copy. A fingerprint also found in the starter's modules (generated from solutions/,
as `nnkit build` does) or in the tutorial's code (`tutorial_code.md`) is boilerplate and never counts:
every student starts from them; nor does one that lies wholly in code such fingerprints cover (the seam
between a starter's line and the tutorial's body a student put after it).

A pair's score is the share of both submissions' own code (boilerplate aside) that the other holds too:
(tokens of A found in B + tokens of B found in A) / (tokens of A + tokens of B), from 0 to 1. A pair at or
above `[similarity] threshold` of assignment.toml is flagged if the code it shares is more than the few
common lines (MIN_SHARED) that two students who each wrote little may well have alike. `similarity.csv`
beside grades.csv lists the flagged pairs (the two submission names, then the score, highest first);
`similarity.json` keeps each with its modules side by side as plain segments (text, shared or not) for the
TA report (`read_similarity`). Students hear nothing.

Only a run that has the sources compares them. A run with `--shard K/N` is given every submission, so
shard 1 compares the whole class and writes both files into its own folder; the other shards skip the
step. `nnkit report OUT` reads OUT/similarity.json; a merged folder has it once copied from shard 1.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .atomic import write_json_atomic, write_text_atomic
from .config import Config
from .paths import SOLUTIONS

SIMILARITY_CSV = "similarity.csv"
SIMILARITY_JSON = "similarity.json"
TUTORIAL_CODE = Path(__file__).with_name("tutorial_code.md")
NOISE = 25  # copydetect's k: matches shorter than this many characters of filtered code are noise
MIN_SHARED = 100  # fewer shared characters of filtered code than this (about four lines) never make a pair
MAX_CHARS = 200_000  # a module is compared on its first 200 kB (students' modules are a few kB)


class Segment(NamedTuple):
    """A run of one module's text, shared with the other submission or not."""

    text: str
    shared: bool


@dataclass(frozen=True)
class SharedFile:
    """One module of a flagged pair, side by side: each side's text cut into segments."""

    name: str  # "engine.py"
    a: list[Segment]
    b: list[Segment]
    share_a: float  # the part of a's own code in this module that b holds too, 0-1
    share_b: float


@dataclass(frozen=True)
class Pair:
    """Two submissions whose code is similar: names in order, the score, the modules they share code in."""

    a: str
    b: str
    score: float
    files: list[SharedFile]


def tutorial_cells(path: Path = TUTORIAL_CODE) -> list[str]:
    """The tutorial's code cells: the python blocks of tutorial_code.md."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


def _fingerprint(name: str, text: str, boilerplate: np.ndarray | None = None):
    """copydetect's fingerprint of one module, less the boilerplate's (and, given it, the seams between them)."""
    from copydetect import CodeFingerprint  # imported here: it takes about a second

    # Window 1 (copydetect's default: guarantee = noise) keeps every k-gram, so scores do not depend on the
    # process's string-hash seed.
    fingerprint = CodeFingerprint(name, NOISE, 1, boilerplate, fp=io.StringIO(text[:MAX_CHARS]), language="python")
    if boilerplate is not None:
        _drop_seams(fingerprint, boilerplate)
    return fingerprint


def _drop_seams(fingerprint, boilerplate: np.ndarray) -> None:
    """Keep only the k-grams that hold some code no boilerplate k-gram covers.

    copydetect drops a k-gram found in the boilerplate; one that straddles a seam (the starter's line before a
    stub, then the tutorial's body the student put in its place) is found in neither, yet every student who
    did the same has it. Such a k-gram lies wholly in code the boilerplate covers, and goes too.
    """
    from copydetect.utils import get_token_coverage, hashed_kgrams

    code = fingerprint.filtered_code
    if len(code) < NOISE:
        return
    starts = np.isin(hashed_kgrams(code, NOISE), boilerplate).astype(int)
    covered = np.convolve(starts, np.ones(NOISE, dtype=int))[: len(code)] > 0  # char i lies in a boilerplate k-gram
    uncovered = np.concatenate([[0], np.cumsum(~covered)])
    own = uncovered[NOISE:] - uncovered[:-NOISE] > 0  # k-gram i holds an uncovered char
    kept = {h: [i for i in where if own[i]] for h, where in fingerprint.hash_idx.items()}
    fingerprint.hash_idx = {h: where for h, where in kept.items() if where}
    fingerprint.hashes = set(fingerprint.hash_idx)
    fingerprint.token_coverage = get_token_coverage(fingerprint.hash_idx, NOISE, len(code))


def boilerplate_hashes() -> np.ndarray:
    """The fingerprints every student starts from: the starter's modules and the tutorial's code."""
    from .build.starter import generate

    texts = [*generate(SOLUTIONS).values(), *tutorial_cells()]
    return np.unique(np.array([h for text in texts for h in _fingerprint("boilerplate.py", text).hashes]))


def _ranges(text: str, slices) -> list[list[int]]:
    """copydetect's slices of text (a 2×N array of starts and ends) as ordered, disjoint [start, end] ranges."""
    ranges, at = [], 0
    for start, end in zip(*(np.asarray(s, dtype=int) for s in slices)):
        start, end = max(int(start), at), min(int(end), len(text))
        if start < end:
            ranges.append([start, end])
            at = end
    return ranges


def _cut(text: str, ranges: list[list[int]]) -> list[Segment]:
    """text cut into segments, shared where the ranges say."""
    segments, at = [], 0
    for start, end in ranges:
        if start > at:
            segments.append(Segment(text[at:start], False))
        segments.append(Segment(text[start:end], True))
        at = end
    return segments + ([Segment(text[at:], False)] if at < len(text) else [])


def _compare_all(code: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, float, float, list]]:
    """Every pair of submissions with code of its own: (a, b, score, characters shared per side, matching modules)."""
    from copydetect import compare_files

    boilerplate = boilerplate_hashes()
    prints = {name: {f: _fingerprint(f, text, boilerplate) for f, text in files.items()}
              for name, files in code.items()}
    tokens = {name: sum(fp.token_coverage for fp in files.values()) for name, files in prints.items()}
    for a, b in itertools.combinations(sorted(name for name in prints if tokens[name]), 2):
        matches, shared = [], 0.0
        for name in sorted(prints[a].keys() & prints[b].keys()):
            fa, fb = prints[a][name], prints[b][name]
            overlap, (share_a, share_b), slices = compare_files(fa, fb)
            if overlap:
                shared += share_a * fa.token_coverage + share_b * fb.token_coverage
                matches.append((name, fa, fb, float(share_a), float(share_b), slices))
        yield a, b, float(shared / (tokens[a] + tokens[b])), float(shared / 2), matches


def pair_scores(code: dict[str, dict[str, str]]) -> dict[tuple[str, str], float]:
    """The score of every pair (names in order), flagged or not: for measuring where the threshold should be."""
    return {(a, b): score for a, b, score, _, _ in _compare_all(code)}


def find_pairs(code: dict[str, dict[str, str]], threshold: float) -> list[Pair]:
    """The pairs scoring at least threshold that share at least MIN_SHARED characters of code, highest first.

    code: submission name -> {module file name: its text}. A module is compared with the module of the same
    name only.
    """
    pairs = []
    for a, b, score, shared, matches in _compare_all(code):
        if score >= threshold and shared >= MIN_SHARED:
            files = [SharedFile(name, _cut(fa.raw_code, _ranges(fa.raw_code, sa)),
                                _cut(fb.raw_code, _ranges(fb.raw_code, sb)), share_a, share_b)
                     for name, fa, fb, share_a, share_b, (sa, sb) in matches]
            pairs.append(Pair(a, b, score, files))
    return sorted(pairs, key=lambda p: (-p.score, p.a, p.b))


def write_similarity_csv(pairs: list[Pair], out_dir: Path) -> Path:
    """OUT/similarity.csv: a header, then submission_a, submission_b, score for each pair, highest score first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission_a", "submission_b", "score"])
    for pair in sorted(pairs, key=lambda p: (-p.score, p.a, p.b)):
        writer.writerow([pair.a, pair.b, f"{pair.score:.3f}"])
    path = Path(out_dir) / SIMILARITY_CSV
    write_text_atomic(path, buffer.getvalue())
    return path


def _shared_ranges(segments: list[Segment]) -> list[list[int]]:
    ranges, at = [], 0
    for text, shared in segments:
        if shared:
            ranges.append([at, at + len(text)])
        at += len(text)
    return ranges


def write_similarity_json(pairs: list[Pair], out_dir: Path) -> Path:
    """OUT/similarity.json: the pairs with their modules side by side, for the TA report (`read_similarity`).

    Each module's text is kept once ("sources"), and each side of a pair as the ranges of it that are shared.
    """
    sources: dict[str, dict[str, str]] = {}
    data = []
    for p in pairs:
        for f in p.files:
            sources.setdefault(p.a, {})[f.name] = "".join(s.text for s in f.a)
            sources.setdefault(p.b, {})[f.name] = "".join(s.text for s in f.b)
        data.append({"a": p.a, "b": p.b, "score": round(p.score, 4),
                     "files": [{"name": f.name, "share_a": round(f.share_a, 4), "share_b": round(f.share_b, 4),
                                "shared_a": _shared_ranges(f.a), "shared_b": _shared_ranges(f.b)} for f in p.files]})
    path = Path(out_dir) / SIMILARITY_JSON
    write_json_atomic(path, {"pairs": data, "sources": sources})
    return path


def read_similarity(out_dir: Path) -> list[Pair] | None:
    """The flagged pairs a run wrote into out_dir, or None if the check did not run there."""
    path = Path(out_dir) / SIMILARITY_JSON
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    sources = data["sources"]
    return [Pair(p["a"], p["b"], float(p["score"]),
                 [SharedFile(f["name"], _cut(sources[p["a"]][f["name"]], f["shared_a"]),
                             _cut(sources[p["b"]][f["name"]], f["shared_b"]), float(f["share_a"]), float(f["share_b"]))
                  for f in p["files"]])
            for p in data["pairs"]]


def compare_class(code: dict[str, dict[str, str]], out_dir: Path, config: Config) -> list[Pair]:
    """Compare a class's code ({submission: {module file: text}}); write similarity.csv and .json into out_dir."""
    pairs = find_pairs(code, config.similarity.threshold)
    write_similarity_csv(pairs, out_dir)
    write_similarity_json(pairs, out_dir)
    return pairs
