"""What each question needs: its student module, the reference modules it depends on, and stand-ins."""

from __future__ import annotations

# Modules of the reference that the module under test imports (they stand in for the student's).
MODULE_DEPENDENCIES = {"engine": (), "nn": ("engine",), "optim": ("engine",), "train": ("engine", "nn"), "cnn": ()}

# Questions whose function calls another graded function of the same module: the reference's version of
# that module, minus the question's own definitions, is added as `_reference_<module>`.
NEEDS_SAME_MODULE_REFERENCE = {"nn.layer", "nn.mlp", "optim.ascend", "train.train", "cnn.train", "cnn.test"}

# Student modules that may import extra helper files of their own (copied beside them).
PROVIDED_MODULES = ("viz", "data", "plots")


def module_of(qid: str) -> str:
    return qid.split(".")[0]
