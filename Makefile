# Two commands on a fresh Debian machine with Python 3.11:
#   make run    install into .venv, build the model and the triage router, load the demo content, build
#               the index, serve :5000 with gunicorn as production does (gunicorn.conf.py, 2 workers)
#   make test   install what the tests need (chromium, meilisearch), build the model and the router, and
#               run lint, types and all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# links to the site (share links, the hulpkaart) use this address; on 0.0.0.0 this machine's own
PUBLIC_URL ?= $(or $(DICHTBIJ_PUBLIC_URL),http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT))
export FLASK_APP := webapp

.PHONY: run test install install-test lint check translations model clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs from the lock files (pip-compile from pyproject.toml; `make lock` writes them again). They carry
# the sha256 of every file of every pin, so pip runs in hash-checking mode: a download that differs from the
# locked one, or a dependency that is not in the lock, stops the install. torch is not in them: its CPU build
# comes first, from PyTorch's CPU index, so nothing pulls a multi-GB CUDA build (its dependencies are in the
# lock, with their hashes; `make lock` resolves against the same torch and index).
# A machine whose pip configuration already finds the CPU build (a mirror) may pass TORCH_INDEX= to skip it.
TORCH := torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PIP_TOOLS := pip-tools==7.6.2
LOCK_FLAGS := --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --unsafe-package torch \
	--no-allow-unsafe -c .cache/torch.txt \
	$(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX) --pip-args '--retries 1 --timeout 15')

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --no-deps --retries 1 --timeout 15 $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)) $(TORCH)
	$(BIN)/pip install -r requirements.lock
	$(BIN)/pip install --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install -r requirements-test.lock
	touch $@

# Write the lock files again after a change to the dependencies in pyproject.toml (pip-tools in its own venv):
# the pins already in them stay, every pin gets the hashes of its files, torch's dependencies are those of $(TORCH)
lock: export CUSTOM_COMPILE_COMMAND := make lock
lock: | $(BIN)/python
	$(PYTHON) -m venv .cache/pip-tools && .cache/pip-tools/bin/pip install -q $(PIP_TOOLS)
	echo '$(TORCH)' > .cache/torch.txt
	.cache/pip-tools/bin/pip-compile -q $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	.cache/pip-tools/bin/pip-compile -q $(LOCK_FLAGS) --extra test -c requirements.lock \
		-o requirements-test.lock pyproject.toml

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	bash scripts/system-deps.sh
	bash scripts/meilisearch.sh >/dev/null

translations: install
	bash scripts/translations.sh $(BIN)

model: install
	$(BIN)/flask model build

# `flask content load` stores the content once: the workers read it and do not race to store it again
run: install translations model
	$(BIN)/flask content load
	$(BIN)/flask index build
	GUNICORN_BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$(WORKERS) DICHTBIJ_PUBLIC_URL=$(PUBLIC_URL) \
		DICHTBIJ_LOAD_ON_START=false $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy webapp search bench

test: install-test translations lint model
	$(BIN)/pytest -q

check: install
	$(BIN)/flask content check

clean:
	rm -rf $(VENV) .cache instance
