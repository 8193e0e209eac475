# One entry point per job. Each target sets up what it needs first (a .venv at the repository root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

demo: setup  ## the main job on the embedded defaults
	$(BIN)/nnkit demo

test: setup  ## the whole test suite
	$(BIN)/ruff check .
	$(BIN)/nnkit build --check
	$(BIN)/python -m pytest -n 2 -q

bench: setup  ## benchmark scripts (not part of the tests)
	$(BIN)/python benchmarks/bench_mlp_step.py

clean:
	rm -rf $(VENV) dist build *.egg-info
