"""The reference's outputs are computed once per seed: a later run with that seed, into any folder, reads them."""

from __future__ import annotations

import json

from autograder.grade import reference
from autograder.hidden import suite


def counting(monkeypatch) -> list[int]:
    calls: list[int] = []

    def compute(cases):
        calls.append(len(cases))
        return [{"case": i} for i in range(len(cases))]

    monkeypatch.setattr(reference, "compute_expected", compute)
    return calls


def test_a_seed_seen_before_is_read_from_the_shared_cache(tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    cases = [c for c in suite(5) if c.question == "engine.add"]
    first = reference.expected_outputs(cases, 5, tmp_path / "run1", shared=True)
    second = reference.expected_outputs(cases, 5, tmp_path / "run2", shared=True)
    assert calls == [len(cases)] and first == second
    assert list((reference.shared_cache() / "expected").glob("expected-5-*.json"))
    assert list((tmp_path / "run2").glob("expected-5-*.json")), "each run keeps its own copy beside its results"
    reference.expected_outputs(cases, 6, tmp_path / "run3", shared=True)
    assert calls == [len(cases)] * 2, "another seed is computed"


def test_only_what_was_computed_enters_the_shared_cache(tmp_path, monkeypatch):
    """A run folder's copy may be partial (tests write some) or edited: it is never taken for everyone's."""
    calls = counting(monkeypatch)
    cases = [c for c in suite(5) if c.question == "engine.add"]
    name = f"expected-5-{reference.kit_fingerprint()}.json"
    (tmp_path / "run1").mkdir()
    (tmp_path / "run1" / name).write_text(json.dumps([{}] * len(cases)))
    assert reference.expected_outputs(cases, 5, tmp_path / "run1", shared=True) == [{}] * len(cases)
    assert not (reference.shared_cache() / "expected" / name).exists()
    assert reference.expected_outputs(cases, 5, tmp_path / "run2", shared=True)[0] == {"case": 0}
    assert calls == [len(cases)]


def test_without_shared_the_shared_cache_is_neither_read_nor_written(tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    cases = [c for c in suite(5) if c.question == "engine.add"]
    reference.expected_outputs(cases, 5, tmp_path / "run1", shared=True)
    reference.expected_outputs(cases, 5, tmp_path / "run2")
    assert len(calls) == 2


def test_the_shared_cache_is_where_the_environment_says(tmp_path, monkeypatch):
    monkeypatch.setenv("NNKIT_CACHE", str(tmp_path / "here"))
    assert reference.shared_cache() == tmp_path / "here"
    monkeypatch.delenv("NNKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert reference.shared_cache() == tmp_path / "xdg" / "nnkit"
