# The two commands of the README: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODELS_STAMP := models/.cache/.fetched

.PHONY: serve test setup models clean crnn

serve: setup
	RAY_DEDUP_LOGS=0 $(BIN)/serve run cluster/serve_local.yaml

test: setup
	$(BIN)/python -m pytest

setup: $(STAMP) $(MODELS_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(MODELS_STAMP): models/registry.json $(STAMP)
	$(BIN)/python -m models.fetch
	touch $@

models: $(MODELS_STAMP)

# Train (two stages, see models/crnn/MODEL_CARD.md), export, quantise and evaluate the project's
# CRNN into models/crnn/run/; resumable: rerun after an interruption. Needs Debian's CJK fonts.
crnn: setup
	$(BIN)/python -m pip install --quiet -e ".[train]"
	OMP_NUM_THREADS=1 nice -n 19 $(BIN)/python -m models.crnn.train --run-dir models/crnn/run/stage1 --stop-at 1200
	OMP_NUM_THREADS=1 nice -n 19 $(BIN)/python -m models.crnn.train --init-from models/crnn/run/stage1/checkpoint.pt \
		--seed 1 --steps 2400 --stop-at 2328
	$(BIN)/python -m models.crnn.export
	$(BIN)/python -m models.crnn.quantize
	OMP_NUM_THREADS=1 $(BIN)/python -m models.crnn.evaluate --registry-crnn --heldout 300 --speed-lines 100

clean:
	rm -rf $(VENV) models/.cache .pytest_cache
