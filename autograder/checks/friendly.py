"""Friendly errors for notebooks: an unwritten body is reported in one line instead of a traceback.

The starter's stubs raise `NotImplementedError("engine.add: Value.__add__._backward is not written yet. <hint>")`.
After `friendly_errors()`, a notebook cell that reaches such a stub prints

    engine.add is not written yet: write the body of Value.__add__._backward (nnlab/engine.py, line 38). Hint: ...

and stops there. Any other NotImplementedError is shown in one line with the place it came from; every
other error keeps its usual traceback. This module is standalone (standard library only): the student
bundle carries a copy of it in `nnkit_checks/`.
"""

from __future__ import annotations

import os
import re
import traceback

STUB = re.compile(r"^(?P<qid>\w+\.\w+): (?P<where>[\w.]+) is not written yet\.\s*(?P<hint>.*)$", re.DOTALL)


def _place(tb) -> str:
    """'nnlab/engine.py, line 38': where the exception was raised, relative to the working folder if inside it."""
    frames = traceback.extract_tb(tb)
    if not frames:
        return ""
    frame = frames[-1]
    path = frame.filename
    try:
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    except ValueError:  # another drive, on Windows
        pass
    return f"{path}, line {frame.lineno}"


def describe(error: BaseException, tb=None) -> str:
    """One line that says what is missing and where, for a NotImplementedError."""
    message = str(error)
    place = _place(tb if tb is not None else error.__traceback__)
    stub = STUB.match(message)
    if stub:
        line = f"{stub['qid']} is not written yet: write the body of {stub['where']}"
        line += f" ({place})." if place else "."
        return f"{line} Hint: {stub['hint']}" if stub["hint"] else line
    line = f"NotImplementedError: {message}" if message else "NotImplementedError"
    return f"{line} ({place})" if place else line


def _handler(shell, etype, value, tb, tb_offset=None) -> list[str]:
    # IPython discards what a custom handler returns; showing the one line as the cell's traceback makes it
    # the cell's error output (Jupyter colours it and stops there), with nothing else in it.
    short = [describe(value, tb)]
    shell._showtraceback(etype, value, short)
    return short


def friendly_errors(on: bool = True) -> None:
    """Show unwritten bodies in one line in this notebook; on=False restores full tracebacks.

    Outside IPython and Jupyter there is nothing to change, and nothing happens.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    if on:
        shell.set_custom_exc((NotImplementedError,), _handler)
    else:
        shell.set_custom_exc((), None)
