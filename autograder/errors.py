"""The kit's own exceptions: what the library raises for a refusal a user can act on, and the CLI reports.

The library never exits the process; `nnkit` (cli.py) turns a KitError into its message and a non-zero exit.
"""


class KitError(Exception):
    """A refusal with a message for the person who ran the kit (a wrong option, a folder that is not a run)."""
