"""First-order mutants of the bodies marked in solutions/: one small change each, made on the syntax tree.

The operators are the classic ones of mutation testing: an arithmetic operator swapped (`+` for `-`), the
operands of a non-commutative one swapped, `+=` made `=` or `-=`, a comparison flipped (`>` for `>=`), a
number changed by one (or a float doubled, zero made one), `and` for `or`, a statement deleted, `self` and
`other` swapped, a call's first two arguments swapped. Only nodes inside a marked body are changed, and a
mutant that unparses to the reference's own text is dropped, so every mutant differs from the reference.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..build.markers import SolutionBlock, find_blocks

BINARY_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
                ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.MatMult: ast.Mult}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod, ast.MatMult)
COMPARE_SWAPS = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
SWAPPED_NAMES = {"self": "other", "other": "self"}


@dataclass(frozen=True)
class Mutant:
    """One mutant of module.py: where it changes the reference, how, and the whole mutated source."""

    question: str
    module: str
    line: int
    operator: str
    before: str  # the reference's line
    after: str  # the mutated statement, on one line
    source: str

    @property
    def id(self) -> str:
        """How an instructor names the mutant (in the equivalence file): 'nn.py:29: <the mutated statement>'."""
        return f"{self.module}.py:{self.line}: {self.after}"

    @property
    def diff(self) -> str:
        return f"{self.module}.py:{self.line}: -{self.before.strip()}  +{self.after}"


def changes(node: ast.AST, names: set[str]) -> Iterator[tuple[str, ast.AST]]:
    """(operator name, replacement node) for each first-order change of node alone; names are those its
    function uses (self and other are swapped only where both are)."""
    if isinstance(node, ast.BinOp):
        swap = BINARY_SWAPS.get(type(node.op))
        if swap:
            yield "arithmetic operator", ast.BinOp(node.left, swap(), node.right)
        if isinstance(node.op, NON_COMMUTATIVE):
            yield "operands swapped", ast.BinOp(node.right, node.op, node.left)
    elif isinstance(node, ast.AugAssign):
        yield "augmented assignment made plain", ast.Assign([node.target], node.value)
        swap = BINARY_SWAPS.get(type(node.op))
        if swap:
            yield "augmented operator", ast.AugAssign(node.target, swap(), node.value)
    elif isinstance(node, ast.Compare) and len(node.ops) == 1:
        swap = COMPARE_SWAPS.get(type(node.ops[0]))
        if swap:
            yield "comparison", ast.Compare(node.left, [swap()], node.comparators)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if isinstance(node.value, int):
            yield "constant + 1", ast.Constant(node.value + 1)
            yield "constant - 1", ast.Constant(node.value - 1)
        else:
            yield "constant", ast.Constant(1.0 if node.value == 0 else node.value * 2)
    elif isinstance(node, ast.BoolOp):
        yield "boolean operator", ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
    elif isinstance(node, ast.Name) and node.id in SWAPPED_NAMES and set(SWAPPED_NAMES) <= names:
        yield "self and other swapped", ast.Name(SWAPPED_NAMES[node.id], node.ctx)
    elif isinstance(node, ast.Call) and len(node.args) >= 2 and not any(isinstance(a, ast.Starred) for a in node.args):
        yield "arguments swapped", ast.Call(node.func, [node.args[1], node.args[0], *node.args[2:]], node.keywords)
    if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Pass)):
        yield "statement deleted", ast.Pass()


def _inside(node: ast.AST, block: SolutionBlock) -> bool:
    return hasattr(node, "lineno") and block.begin < node.lineno and node.end_lineno < block.end


def _replace(tree: ast.Module, index: int, replacement: ast.AST) -> tuple[ast.Module, ast.AST]:
    """A copy of tree with the node at position index (of ast.walk) replaced; and the statement that holds it."""
    tree = copy.deepcopy(tree)
    nodes = list(ast.walk(tree))
    target = nodes[index]
    for parent in nodes:
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, replacement)
            elif isinstance(value, list) and any(v is target for v in value):
                value[[i for i, v in enumerate(value) if v is target][0]] = replacement
    ast.copy_location(replacement, target)
    ast.fix_missing_locations(tree)
    holding = [n for n in ast.walk(tree) if isinstance(n, ast.stmt) and any(m is replacement for m in ast.walk(n))]
    return tree, holding[-1]  # the innermost statement (ast.walk goes breadth first)


def mutants_of(module: str, source: str, questions: set[str] | None = None) -> list[Mutant]:
    """Every first-order mutant of the marked bodies of module's source (of questions, if given), each distinct."""
    tree = ast.parse(source)
    reference = ast.unparse(tree)
    lines = source.splitlines()
    blocks = [b for b in find_blocks(source, f"{module}.py") if questions is None or b.qid in questions]
    seen = {reference}
    found = []
    names = {b: set(re.findall(r"\w+", "\n".join(lines[b.begin:b.end - 1]))) for b in blocks}
    for index, node in enumerate(ast.walk(tree)):
        block = next((b for b in blocks if _inside(node, b)), None)
        if block is None:
            continue
        for operator, replacement in changes(node, names[block]):
            mutated, holder = _replace(tree, index, replacement)
            text = ast.unparse(mutated)
            if text in seen:
                continue
            seen.add(text)
            after = " ".join(ast.unparse(holder).split("\n")[0].split())
            found.append(Mutant(block.qid, module, node.lineno, operator, lines[node.lineno - 1], after, text))
    return found
