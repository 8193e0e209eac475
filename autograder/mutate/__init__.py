"""Testing the tests: first-order mutants of the reference (operators.py), graded on their own question's
cases by the normal grader and counted (run.py). `nnkit mutate` is the instructor's command."""

from .run import MutationReport, mutate

__all__ = ["MutationReport", "mutate"]
