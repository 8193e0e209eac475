"""The whole suite of a grading run: public cases from a fixed seed, hidden cases from the run's seed."""

from __future__ import annotations

import numpy as np

from . import cnn, engine, nn, optim, train
from .case import Case

PUBLIC_SEED = 20_241_128
GENERATORS = {"optim": optim.cases, "engine": engine.cases, "nn": nn.cases, "train": train.cases, "cnn": cnn.cases}


def module_cases(module: str, seed: int, public: bool) -> list[Case]:
    # Each module draws from its own stream, so adding a case to one module leaves the others' inputs alone.
    rng = np.random.default_rng([seed, list(GENERATORS).index(module)])
    return GENERATORS[module](rng, public)


def public_cases() -> list[Case]:
    return [c for module in GENERATORS for c in module_cases(module, PUBLIC_SEED, public=True)]


def suite(seed: int) -> list[Case]:
    """Every case of a grading run with this seed, public ones first within each question."""
    hidden = [c for module in GENERATORS for c in module_cases(module, seed, public=False)]
    return public_cases() + hidden
