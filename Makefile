# Two commands do everything: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

.PHONY: build test serve check lint lock clean

build: $(STAMP)
	$(PY) build.py build

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

serve: $(STAMP)
	$(PY) build.py serve

lint: $(STAMP)
	$(PY) -m ruff check .

# Creates the virtual environment and installs the pinned packages, once per lock file.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

lock:
	$(PY) -m pip freeze --exclude-editable | sed '1i # Every Python package, pinned (pip freeze of a working install). Regenerate: make lock' > requirements.lock

clean:
	rm -rf site build
