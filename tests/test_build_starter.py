"""Starter generation: markers parsed, each block stubbed, every other line kept, starter/ committed up to date."""

import ast
import difflib
import importlib.util
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from autograder.build import check_starter
from autograder.build.markers import MarkerError, find_blocks
from autograder.build.starter import differences, generate, stub_message, write
from autograder.config import QUESTION_IDS
from autograder.paths import REPO, SOLUTIONS, STARTER

BLOCKS = {path.name: find_blocks(path.read_text(), str(path)) for path in sorted(SOLUTIONS.glob("*.py"))}
ALL_BLOCKS = [(name, block) for name, blocks in BLOCKS.items() for block in blocks]


def test_every_question_has_a_block_and_blocks_name_their_function():
    assert {block.qid for _, block in ALL_BLOCKS} == set(QUESTION_IDS)
    engine = {block.qid: block.qualname for block in BLOCKS["engine.py"]}
    assert engine == {
        "engine.add": "Value.__add__._backward",
        "engine.mul": "Value.__mul__._backward",
        "engine.pow": "Value.__pow__._backward",
        "engine.relu": "Value.relu._backward",
        "engine.tanh": "Value.tanh._backward",
        "engine.exp": "Value.exp._backward",
        "engine.backward": "Value.backward",
    }
    neuron = [block.qualname for block in BLOCKS["nn.py"] if block.qid == "nn.neuron"]
    assert neuron == ["Neuron.__init__", "Neuron.__call__", "Neuron.parameters"]
    assert [block.qualname for block in BLOCKS["cnn.py"]] == ["Net.__init__", "Net.forward", "train", "test"]


H = "    # hint: h\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f():\n    # BEGIN SOLUTION engine.add\n" + H + "    return 1\n", "never closed"),
        ("def f():\n    return 1\n    # END SOLUTION\n", "without a BEGIN"),
        (
            "def f():\n    # BEGIN SOLUTION engine.add\n" + H + "    # BEGIN SOLUTION engine.mul\n" + H +
            "    pass\n    # END SOLUTION\n",
            "inside the block opened at line 2",
        ),
        ("def f():\n    # BEGIN SOLUTION engine.nope\n" + H + "    pass\n    # END SOLUTION\n", "unknown question id"),
        ("# BEGIN SOLUTION engine.add\n# hint: h\nx = 1\n# END SOLUTION\n", "inside a function"),
        ("def f():\n    # BEGIN SOLUTION engine.add\n" + H + "    # END SOLUTION\n    pass\n", "has no code"),
        ("def f():\n    # BEGIN SOLUTION engine.add\n" + H + "    pass\n  # END SOLUTION\n", "not indented like"),
        ("def f():\n    # BEGIN SOLUTIONS engine.add\n" + H + "    pass\n", "a marker must read"),
        ("def f():\n    # BEGIN SOLUTION engine.add: the old form\n    pass\n    # END SOLUTION\n",
         "a marker must read"),
        ("def f():\n    # BEGIN SOLUTION engine.add\n    pass\n    # END SOLUTION\n", "has no '# hint:"),
        ("def f():\n    # BEGIN SOLUTION engine.add\n    # nudge: n\n" + H + "    pass\n    # END SOLUTION\n",
         "in the order hint, nudge, walkthrough"),
        ("def f():\n    # BEGIN SOLUTION engine.add\n" + H + H + "    pass\n    # END SOLUTION\n", "a second"),
    ],
)
def test_malformed_markers_are_refused_with_file_and_line(source, message):
    with pytest.raises(MarkerError, match=message) as error:
        find_blocks(source, "mod.py", known_ids=QUESTION_IDS)
    assert str(error.value).startswith("mod.py:")


def test_committed_starter_is_what_the_build_generates():
    assert check_starter() == []


def test_build_check_command_is_fast_and_passes():
    start = time.perf_counter()
    command = [sys.executable, "-m", "autograder", "build", "--check"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout
    assert elapsed < 5


def test_check_lists_changed_missing_and_stale_files(tmp_path):
    starter = tmp_path / "starter"
    write(SOLUTIONS, starter)
    assert differences(SOLUTIONS, starter) == []
    (starter / "engine.py").write_text((starter / "engine.py").read_text() + "\n# a local edit\n")
    (starter / "viz.py").unlink()
    (starter / "old_module.py").write_text("")
    found = differences(SOLUTIONS, starter)
    assert len(found) == 3
    assert any("engine.py differs" in f for f in found)
    assert any("viz.py is missing" in f for f in found)
    assert any("old_module.py has no counterpart" in f for f in found)
    write(SOLUTIONS, starter)  # the build repairs all three
    assert differences(SOLUTIONS, starter) == []


STUB_LINE = r"^\s*(# TODO \(|#     |raise NotImplementedError\(|[\"'].*[\"']$|\)$)"


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_only_the_blocks_change(name):
    """Every difference between a solutions module and its starter is a whole block replaced by stub lines."""
    solution = (SOLUTIONS / name).read_text().splitlines()
    stub = generate(SOLUTIONS)[name].splitlines()
    block_ranges = {(block.begin - 1, block.end) for block in BLOCKS[name]}
    matcher = difflib.SequenceMatcher(a=solution, b=stub, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if name == "__init__.py":
        assert "BEGIN SOLUTION" not in "\n".join(stub) and "TODO" in "\n".join(stub)
        return
    assert len(changes) == len(block_ranges)
    for _, i1, i2, j1, j2 in changes:
        assert (i1, i2) in block_ranges
        stub_lines = stub[j1:j2]
        assert stub_lines and all(re.match(STUB_LINE, line) for line in stub_lines), stub_lines
        assert all(len(line) <= 120 for line in stub_lines)


def test_engine_starter_reads_like_micrograd_with_holes():
    engine = generate(SOLUTIONS)["engine.py"]
    assert "        def _backward():\n            # TODO (engine.add): The local derivative of a sum" in engine
    assert "self.grad += out.grad" not in engine
    assert "def __truediv__(self, other):  # self / other\n        return self * other**-1" in engine
    stubs = sorted((n for n in ast.walk(ast.parse(engine)) if isinstance(n, ast.Raise)), key=lambda n: n.lineno)
    messages = [ast.literal_eval(s.exc.args[0]) for s in stubs if getattr(s.exc, "func", None)
                and getattr(s.exc.func, "id", "") == "NotImplementedError"]
    assert messages == [stub_message(block) for block in BLOCKS["engine.py"]]


@pytest.fixture(scope="module")
def starter_package(tmp_path_factory):
    """starter/ imported as a package of its own (so it cannot be confused with solutions)."""
    folder = tmp_path_factory.mktemp("starter") / "starter_under_test"
    shutil.copytree(STARTER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    spec = importlib.util.spec_from_file_location(folder.name, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[folder.name] = package
    spec.loader.exec_module(package)
    modules = {m: importlib.import_module(f"{folder.name}.{m}") for m in ("engine", "nn", "optim", "train", "cnn")}
    yield modules
    for name in [n for n in sys.modules if n == folder.name or n.startswith(folder.name + ".")]:
        del sys.modules[name]


def stub_calls(m):
    """(module, qualified name) -> a call that reaches that stub."""
    Value, nn, optim, train, cnn = m["engine"].Value, m["nn"], m["optim"], m["train"], m["cnn"]
    G = optim.landscape(20)
    X, y = np.zeros((4, 2)), np.array([1, -1, 1, -1])
    return {
        ("engine.py", "Value.__add__._backward"): lambda: (Value(1.0) + Value(2.0))._backward(),
        ("engine.py", "Value.__mul__._backward"): lambda: (Value(1.0) * Value(2.0))._backward(),
        ("engine.py", "Value.__pow__._backward"): lambda: (Value(2.0) ** 2)._backward(),
        ("engine.py", "Value.relu._backward"): lambda: Value(1.0).relu()._backward(),
        ("engine.py", "Value.tanh._backward"): lambda: Value(1.0).tanh()._backward(),
        ("engine.py", "Value.exp._backward"): lambda: Value(1.0).exp()._backward(),
        ("engine.py", "Value.backward"): lambda: Value(1.0).backward(),
        ("nn.py", "Neuron.__init__"): lambda: nn.Neuron(2),
        ("nn.py", "Neuron.__call__"): lambda: nn.Neuron.__call__(None, [1.0, 2.0]),
        ("nn.py", "Neuron.parameters"): lambda: nn.Neuron.parameters(None),
        ("nn.py", "Layer.__init__"): lambda: nn.Layer(2, 3),
        ("nn.py", "Layer.__call__"): lambda: nn.Layer.__call__(None, [1.0, 2.0]),
        ("nn.py", "Layer.parameters"): lambda: nn.Layer.parameters(None),
        ("nn.py", "MLP.__init__"): lambda: nn.MLP(2, [3, 1]),
        ("nn.py", "MLP.__call__"): lambda: nn.MLP.__call__(None, [1.0, 2.0]),
        ("nn.py", "MLP.parameters"): lambda: nn.MLP.parameters(None),
        ("optim.py", "estimate_gradient"): lambda: optim.estimate_gradient(G, [5.0, 5.0]),
        ("optim.py", "ascend"): lambda: optim.ascend(G, [5.0, 5.0]),
        ("optim.py", "gradient_descent"): lambda: optim.gradient_descent(optim.cost_function, 1.0),
        ("train.py", "compute_loss"): lambda: train.compute_loss(None, X, y),
        ("train.py", "train"): lambda: train.train(None, X, y),
        ("train.py", "sgd_step"): lambda: train.sgd_step(None, X, y, 0.1),
        ("cnn.py", "Net.__init__"): lambda: cnn.Net(),
        ("cnn.py", "Net.forward"): lambda: cnn.Net.forward(None, None),
        ("cnn.py", "train"): lambda: cnn.train(None, "cpu", iter([]), None, None, 1),
        ("cnn.py", "test"): lambda: cnn.test(None, "cpu", []),
    }


def test_starter_imports_and_every_stub_raises_when_called(starter_package):
    calls = stub_calls(starter_package)
    assert set(calls) == {(name, block.qualname) for name, block in ALL_BLOCKS}
    for name, block in ALL_BLOCKS:
        with pytest.raises(NotImplementedError) as error:
            calls[(name, block.qualname)]()
        assert str(error.value) == stub_message(block)
        assert str(error.value).startswith(f"{block.qid}: {block.qualname} is not written yet.")


def test_long_messages_are_split_but_read_back_whole():
    module = generate(SOLUTIONS)["cnn.py"]
    raises = [n for n in ast.walk(ast.parse(module)) if isinstance(n, ast.Raise)]
    train_stub = next(r for r in raises if "cnn.train" in ast.literal_eval(r.exc.args[0]))
    assert train_stub.end_lineno > train_stub.lineno  # wrapped over several lines...
    block = next(b for b in BLOCKS["cnn.py"] if b.qid == "cnn.train")
    assert ast.literal_eval(train_stub.exc.args[0]) == stub_message(block)  # ...into one message
