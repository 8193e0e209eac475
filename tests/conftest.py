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
def session_folder(tmp_path_factory) -> Path:
    """A folder of this test session that all its pytest-xdist workers share, for what they compute once (under
    a file lock): the parent of each worker's base temp folder; without xdist, the base temp folder itself (its
    parent outlives the session, and what an older kit or catalogue computed must not be read again)."""
    shared = tmp_path_factory.getbasetemp()
    return shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared


@pytest.fixture(scope="session")
def graded(session_folder):
    from graded_class import graded_class

    return graded_class(session_folder)
