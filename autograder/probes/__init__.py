"""Probes: small functions that exercise a student's package and report plain numbers.

This package runs on the untrusted side (inside the sandbox, next to the student's code) and in the
student bundle's public checks, so it imports nothing from the kit: only the standard library, numpy and
torch. A probe takes the package under test (`pkg`, with modules `pkg.engine`, `pkg.nn`, ...) and the
case's inputs, and returns a dict of plain values (floats, ints, bools, strings, lists of them). The
trusted judge runs the same probe on the reference and compares.
"""

from . import cnn, engine, nn, optim, train

PROBES = {
    f"{module.__name__.rsplit('.', 1)[-1]}.{name}": fn
    for module in (engine, nn, optim, train, cnn)
    for name, fn in vars(module).items()
    if callable(fn) and getattr(fn, "is_probe", False)
}


def run_probe(name: str, pkg, inputs: dict) -> dict:
    """Run probe `name` on pkg with inputs; the result is made plain (no objects of the student's)."""
    from .plain import plain

    return plain(PROBES[name](pkg, **inputs))
