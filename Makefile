# `make run` and `make test` are the two commands a newcomer needs; both install into .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast reliability load-test install clean-index

install: $(STAMP)

# Reinstall only when the dependency list changes. torch goes in first, pinned,
# so that sentence-transformers finds it and pip never pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -c 'from ingest.embedder import get_embedder; get_embedder()'  # exports the model to ONNX once, offline
	touch $(STAMP)

run: $(STAMP)
	$(PY) app.py

# Two workers, one per core, each given whole modules (their module-scoped apps stay one start each).
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

# The tests that need neither the model, nor a process, nor a browser: under a minute (docs/testing.md).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser"

# The reliability suite alone (load smoke, hostile input, faults, staff login); `make test` runs it too.
reliability: $(STAMP)
	$(PY) -m pytest -m reliability

# The full load bench: 20 users for 60 s against the app on the seed corpus; prints throughput and p95.
load-test: $(STAMP)
	$(PY) bench/load_test.py --users 20 --seconds 60

clean-index:
	rm -rf index
