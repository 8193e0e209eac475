"""Probes: small functions that exercise a student's package and report plain numbers.

This package runs on the untrusted side (inside the sandbox, next to the student's code) and in the
student bundle's public checks, so it imports nothing from the kit: only the standard library, numpy and
torch. A probe takes the package under test (`pkg`, with modules `pkg.engine`, `pkg.nn`, ...) and the
case's inputs, and returns a dict of plain values. The trusted judge runs the same probe on the reference
and compares. A probe is named `<module>.<function>`, e.g. `engine_ops.local_backward`; only the modules a
question's cases use are put beside the student's code, so no probe module answers the question graded.
"""

import importlib
import time

from .plain import plain
from .runner import describe, where

# Probe modules that import others of this package.
IMPORTS = {"engine_expression": ("engine_ops",), "train": ("nn",)}
SUPPORT = ("__init__", "plain", "runner")


def modules_for(probe_names) -> set[str]:
    """The files (module names) of this package needed to run the given probes."""
    needed = set(SUPPORT)
    for name in probe_names:
        module = name.split(".")[0]
        needed.add(module)
        needed.update(IMPORTS.get(module, ()))
    return needed


def run_probe(name: str, pkg, inputs: dict) -> dict:
    """Run probe `name` on pkg with inputs; the result is made plain (no objects of the student's)."""
    module_name, function = name.split(".")
    fn = getattr(importlib.import_module(f".{module_name}", __name__), function)
    if not getattr(fn, "is_probe", False):
        raise ValueError(f"{name} is not a probe")
    return plain(fn(pkg, **inputs))


def run_case(pkg, probe: str, inputs: dict, package_dir: str, locate=where) -> dict:
    """One case's report, {"ok": True, "output": ...} or {"ok": False, "error": {type, message, where}}, with the
    seconds it took. The one way a case is run: in the grader's sandboxed child and in the bundles' checks."""
    start = time.perf_counter()
    try:
        output = run_probe(probe, pkg, inputs)
        return {"ok": True, "output": output, "seconds": time.perf_counter() - start}
    except BaseException as error:  # noqa: BLE001 - SystemExit and friends count as the case failing
        return {"ok": False, "error": describe(error, package_dir, locate), "seconds": time.perf_counter() - start}
