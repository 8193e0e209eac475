"""nnkit's grading side: build the bundles, grade submissions in a sandbox, report to students and TAs.

Data flows one way: solutions → build → bundles; submission → sandbox → probes → judge → results →
gradebook and reports. Each stage is a subpackage; `autograder.cli` is the `nnkit` command.
"""

__version__ = "0.1.0"
