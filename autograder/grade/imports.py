"""Finding imports of autodiff libraries in engine.py and nn.py, statically, with file and line."""

from __future__ import annotations

import ast
from pathlib import Path


def forbidden_imports(path: Path, forbidden: list[str]) -> list[str]:
    """'file.py, line N: imports torch' for each import of a forbidden library (also via __import__/importlib)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=path.name)
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
                found.append(f"{path.name}, line {node.lineno}: imports {name}")
    return found
