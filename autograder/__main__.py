"""`python -m autograder` is the `nnkit` command."""

from .cli import console

console()
