"""Shared fixtures: the graded class (reference, starter, mutations), computed once per test session."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    from graded_class import graded_class

    # The parent of the base temp folder is shared by pytest-xdist's workers.
    return graded_class(tmp_path_factory.getbasetemp().parent)
