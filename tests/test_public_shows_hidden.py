"""Every requirement that a hidden case checks is shown by a public one, so a student can see a hidden loss coming.

A case's kind is what it asks of the student's code: the question, the probe, the inputs it is given (by
name: a mini-batch seed, a second input after zero_grad), the outputs judged and how, and the judge's own
measurement. Every kind of hidden case must be among the kinds of the student bundle's published cases, and
of the public cases that a run grades, for any seed.
"""

from __future__ import annotations

import pytest

from autograder.hidden import public_cases
from autograder.hidden.case import Case
from autograder.hidden.suite import graded_public_cases, hidden_cases


def kind(case: Case) -> tuple:
    return (case.question, case.probe, frozenset(case.inputs), frozenset(case.keys),
            frozenset(case.rules.items()), case.measure)


def describe(case: Case) -> str:
    return f"{case.title} (probe {case.probe}, inputs {sorted(case.inputs)}, keys {list(case.keys)})"


@pytest.mark.parametrize("seed", [1, 4242, 2**31 - 1])
def test_every_hidden_kind_is_published_and_graded_in_public(seed):
    published = {kind(c) for c in public_cases()}
    graded = {kind(c) for c in graded_public_cases(seed)}
    hidden = hidden_cases(seed)
    assert hidden
    assert [describe(c) for c in hidden if kind(c) not in published] == []
    assert [describe(c) for c in hidden if kind(c) not in graded] == []


def test_the_deep_chain_is_public():
    deep = [c for c in public_cases() if c.probe == "engine_graph.backward_chain"]
    assert deep and len(deep[0].inputs["steps"]) > 1000  # deeper than Python's recursion limit
