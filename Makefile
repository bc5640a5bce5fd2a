# Two commands for a newcomer: `make run` and `make test`. Both build .venv from scratch if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kinsight-installed
HOME_DIR ?= kinsight-home
DEMO_DATA ?= $(HOME_DIR)/synthetic-returns
PORT ?= 8000

.PHONY: run test setup bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	@if [ -f scripts/build_assets.py ]; then $(BIN)/python scripts/build_assets.py; fi
	@# Byte-compile once: where PYTHONDONTWRITEBYTECODE is set, every process would recompile numpy,
	@# polars and the rest on import (seconds each); compileall writes the caches regardless.
	@$(BIN)/python -m compileall -q -j 0 $(VENV)/lib src >/dev/null 2>&1 || true
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/kinsight synth $(DEMO_DATA) --children 2000 --years 2017-2026 --seed 1 --faults 0.01
	$(BIN)/kinsight ingest $(DEMO_DATA) --home $(HOME_DIR)
	$(BIN)/kinsight catalogue --home $(HOME_DIR)
	$(BIN)/kinsight serve --home $(HOME_DIR) --port $(PORT) --demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache
