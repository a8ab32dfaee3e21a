# The two commands of the README: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODELS_STAMP := models/.cache/.fetched

.PHONY: serve test test-fast setup models system-packages doctor clean bench loadtest soak crnn

serve: setup
	RAY_DEDUP_LOGS=0 $(BIN)/serve run cluster/serve_local.yaml

test: setup doctor
	$(BIN)/python -m pytest

# The pure layer alone (no Ray cluster): parsing, contract, ops, in-process models; seconds.
test-fast: setup
	$(BIN)/python -m pytest -m unit

setup: system-packages $(STAMP) $(MODELS_STAMP)

# The Debian packages in system-packages.txt (the one list), installed where missing. Without root
# or apt-get this only warns; `make doctor` then names what is missing, and `make test` stops there.
SYSTEM_PACKAGES := $(shell sed -e 's/\#.*//' system-packages.txt | awk 'NF {print $$1}')

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make: installing system packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "make: missing system packages (not root, or no apt-get):" $$missing; fi

doctor:
	$(PYTHON) -m tests.doctor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(MODELS_STAMP): models/registry.json $(STAMP)
	$(BIN)/python -m models.fetch --all
	touch $@

models: $(MODELS_STAMP)

# Benchmarks (not part of the test suite). The peer runs in its own venv: RapidOCR pulls in the
# GUI build of OpenCV, which must never enter the project's environment.
PEER_VENV := .venv-bench

bench: setup $(PEER_VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m loadtest.bench $(BENCH_ARGS)

# Locust against a running service (start it with `make serve` in another terminal).
HOST ?= http://127.0.0.1:8000
USERS ?= 8
DURATION ?= 60s
LOAD_OUT ?= loadtest-results

loadtest: setup
	mkdir -p $(LOAD_OUT)
	OCR_LOAD_SUMMARY=$(LOAD_OUT)/locust_totals.json $(BIN)/locust -f loadtest/locustfile.py --headless \
		--host $(HOST) -u $(USERS) -r $(USERS) -t $(DURATION) --csv $(LOAD_OUT)/locust --csv-full-history \
		--only-summary --exit-code-on-error 0
	$(BIN)/python -m loadtest.summary $(LOAD_OUT)/locust

# Soak against a running service (`make serve` in another terminal): closed-loop load for MINUTES,
# the replicas' RSS every 30 s; fails on any failed request or RSS growth over 5% after warm-up.
MINUTES ?= 30
SOAK_OUT ?= $(LOAD_OUT)/soak

soak: setup
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m loadtest.soak --url $(HOST) --minutes $(MINUTES) --out $(SOAK_OUT)

$(PEER_VENV)/.installed:
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet rapidocr-onnxruntime==1.4.4
	touch $@
# Train, export, quantise and evaluate the project's CRNN into models/crnn/run/ (see
# models/crnn/MODEL_CARD.md); resumable: rerun after an interruption. Needs Debian's CJK fonts.
crnn: setup
	$(BIN)/python -m pip install --quiet -e ".[train]"
	OMP_NUM_THREADS=2 nice -n 5 $(BIN)/python -m models.crnn.train --threads 2
	$(BIN)/python -m models.crnn.export
	$(BIN)/python -m models.crnn.quantize
	OMP_NUM_THREADS=1 $(BIN)/python -m models.crnn.evaluate --registry-crnn --heldout 300 --speed-lines 100

clean:
	rm -rf $(VENV) $(PEER_VENV) models/.cache .pytest_cache
