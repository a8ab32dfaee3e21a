# The two commands of the README: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODELS_STAMP := models/.cache/.fetched

.PHONY: serve test setup models browser clean

serve: setup
	RAY_DEDUP_LOGS=0 $(BIN)/serve run cluster/serve_local.yaml

test: setup browser
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

# The web page test drives Debian's chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "make: chromium is missing and cannot be installed here; the web page test will be skipped"

clean:
	rm -rf $(VENV) models/.cache .pytest_cache
