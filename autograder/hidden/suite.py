"""The whole suite of a grading run: every case drawn from the run's seed, public and hidden ones alike.

Three kinds of streams, one per module in each (adding a case to one module leaves the others' inputs alone):

- the published public cases, `public_cases()`: the student bundle's checks, drawn from the fixed PUBLIC_SEED
  with the notebooks' round constants (`published=True`);
- the graded public cases: the same checks (names, probes, what is checked) on inputs drawn from the run's
  seed, in a stream of their own, so the expected numbers shipped to students earn nothing when replayed;
- the hidden cases, from the run's seed.
"""

from __future__ import annotations

import numpy as np

from . import cnn, engine, nn, optim, train
from .case import Case

PUBLIC_SEED = 20_241_128
# The graded public cases of seed s draw from [s, module, PUBLIC_STREAM], the hidden ones from [s, module]. Not 0:
# numpy's SeedSequence gives [s, module, 0] the very stream of [s, module].
PUBLIC_STREAM = 1
GENERATORS = {"optim": optim.cases, "engine": engine.cases, "nn": nn.cases, "train": train.cases, "cnn": cnn.cases}


def module_rng(module: str, seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, list(GENERATORS).index(module), *stream])


def public_cases() -> list[Case]:
    """The public cases as the student bundle publishes them, with the reference's outputs alongside."""
    return [c for module, generate in GENERATORS.items()
            for c in generate(module_rng(module, PUBLIC_SEED), public=True, published=True)]


def graded_public_cases(seed: int) -> list[Case]:
    """The public cases a run with this seed grades: the published checks on inputs drawn from the seed."""
    return [c for module, generate in GENERATORS.items()
            for c in generate(module_rng(module, seed, PUBLIC_STREAM), public=True)]


def hidden_cases(seed: int) -> list[Case]:
    return [c for module, generate in GENERATORS.items() for c in generate(module_rng(module, seed), public=False)]


def suite(seed: int) -> list[Case]:
    """Every case of a grading run with this seed, public ones first within each question."""
    return graded_public_cases(seed) + hidden_cases(seed)
