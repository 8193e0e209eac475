"""Shared fixtures: the graded class (reference, starter, mutations), computed once per test session."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def own_shared_cache(tmp_path, monkeypatch):
    """Each test its own cache of the reference's outputs: some tests compute them for a few questions only, or
    with a patched reference, and none may hand those to another test (or to the user's real runs)."""
    monkeypatch.setenv("NNKIT_CACHE", str(tmp_path / "nnkit-cache"))


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    from graded_class import graded_class

    # This session's own folder: under pytest-xdist, the parent of each worker's base temp folder, which all of
    # the session's workers share; without it, the base temp folder itself (its parent outlives the session,
    # and a class graded by an older kit or catalogue must not be read again).
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    return graded_class(shared)
