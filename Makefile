# Two commands do everything: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

.PHONY: build print courriers test serve edition lint lock clean system-deps

build: $(STAMP)
	$(PY) build.py build

# Lint, build the site, build it again as of every day of the next 400 on which something published changes
# (build.py calendrier), check every page of it (links, accessibility, HTML, privacy, weight), build the other
# edition (content/territoire.yml: edition) into build/site-collectivite/ and check a sample of its pages, write
# the images to look at (main pages at 390 and 1280 px, every PDF page, in build/artefacts/, the other edition's
# in build/artefacts/collectivite/), then the tests.
test: $(STAMP) system-deps node_modules/.installed
	$(PY) -m ruff check .
	$(PY) build.py build
	$(PY) build.py calendrier
	$(PY) build.py check
	$(PY) build.py check --edition collectivite --echantillon
	$(PY) build.py captures
	$(PY) build.py captures --edition collectivite
	$(PY) -m pytest

# The print documents alone (make build produces them too, under site/documents/).
print: $(STAMP)
	$(PY) build.py print

# Letters after each commandement de payer: make courriers REGISTRE=registre.csv [SORTIE=courriers] [DATE=AAAA-MM-JJ]
SORTIE ?= courriers
courriers: $(STAMP)
	@test -n "$(REGISTRE)" || { echo "Indiquez le registre : make courriers REGISTRE=chemin/du/registre.csv"; exit 2; }
	$(PY) build.py courriers "$(REGISTRE)" --sortie "$(SORTIE)" $(if $(DATE),--date $(DATE))

serve: $(STAMP)
	$(PY) build.py serve

# The browser editor for the content (http://127.0.0.1:8001), with the live preview beside it (port 8000).
edition: $(STAMP)
	$(PY) build.py edition

lint: $(STAMP)
	$(PY) -m ruff check .

# Creates the virtual environment and installs the pinned packages, once per lock file.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages for the browser and PDF checks (Chromium, poppler, Java), when missing.
system-deps:
	bash scripts/system-deps.sh

# Test-only JavaScript tools (axe-core, vnu.jar), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lock:
	$(PY) -m pip freeze --exclude-editable | sed '1i # Every Python package, pinned (pip freeze of a working install). Regenerate: make lock' > requirements.lock

clean:
	rm -rf site build
