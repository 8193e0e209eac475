"""Finding imports of autodiff libraries in engine.py and nn.py, statically, with file and line.

The source is untrusted: a few kilobytes of archive can unpack to a nested expression that takes the
parser gigabytes. So the scan runs in a process of its own, under memory and CPU limits (run as a script:
`python -I -S imports.py FILE NAME...`, it needs nothing but the standard library), and a scan that does
not finish is a reason to fail the module's questions, never the grader's.
"""

from __future__ import annotations

import ast
import json
import resource
import subprocess
import sys
from pathlib import Path

SCAN_MEMORY = 512 * 1024 * 1024
SCAN_SECONDS = 20


class ScanFailed(Exception):
    """The scan could not finish within its limits; the message says so for the student."""


def scan(source: bytes, filename: str, forbidden: list[str]) -> list[str]:
    """'file.py, line N: imports torch' for each import of a forbidden library (also via __import__/importlib)."""
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError):
        return []  # the child reports the syntax error with its line
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        for name in names:
            if name.split(".")[0] in forbidden:
                found.append(f"{filename}, line {node.lineno}: imports {name}")
    return found


def scan_limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SCAN_MEMORY, SCAN_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SCAN_SECONDS, SCAN_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def forbidden_imports(path: Path, forbidden: list[str]) -> list[str]:
    """scan() of the file at path, in a limited process of its own; raises ScanFailed when it cannot finish."""
    try:
        done = subprocess.run([sys.executable, "-I", "-S", __file__, str(path), *forbidden], capture_output=True,
                              timeout=SCAN_SECONDS * 2, preexec_fn=scan_limits, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ScanFailed(f"{path.name} could not be read within {SCAN_SECONDS} s") from None
    if done.returncode != 0:
        raise ScanFailed(f"{path.name} is too large or too deeply nested to be read within "
                         f"{SCAN_MEMORY >> 20} MiB and {SCAN_SECONDS} s")
    return json.loads(done.stdout)


if __name__ == "__main__":
    print(json.dumps(scan(Path(sys.argv[1]).read_bytes(), Path(sys.argv[1]).name, sys.argv[2:])))
