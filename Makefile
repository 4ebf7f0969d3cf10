# Two commands on a fresh machine (Python 3.11 and pip):
#   make book   create .venv from requirements.lock, execute the notebooks, build _build/html
#   make test   the same environment, then every test (unit, data, nbval over book/, browser)
# DATA=/path/to/folder builds against another data folder laid out like data/.
# make diff OLD=<git ref or folder> [NEW=...]: the figures that changed between two builds.
# make release-note [OLD=<previous edition>]: the same for readers, in releases/ (book/changes.md).

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= data
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
PARAMS ?=
OLD    ?= HEAD
NEW    ?=
DIFF_MD ?= _build/vintage-diff.md
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# The package is imported from this checkout's src/, also by the notebook kernels.
export PYTHONPATH := $(CURDIR)/src

.PHONY: book test venv validate curate diff release-note lock clean bench

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/rebook build --data $(DATA) --jobs $(JOBS) $(foreach p,$(PARAMS),--param $(p))

test: $(STAMP)
	$(BIN)/python -m pytest tests book --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

# Build times, a full-scale customs extract, page weight and Lighthouse, in a temporary copy (minutes).
# BENCH="--runs 5" or "--skip-build" or "--rows 1000000" passes options; see benchmarks/RESULTS.md.
# Lighthouse (pinned in benchmarks/lighthouse/package-lock.json) comes from npm ci, run with
# Debian's Chromium (CHROME_PATH, default /usr/bin/chromium); never by make test.
BENCH ?=
LIGHTHOUSE := benchmarks/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE): benchmarks/lighthouse/package.json benchmarks/lighthouse/package-lock.json
	npm ci --prefix benchmarks/lighthouse --ignore-scripts --no-audit --no-fund
	touch $@

bench: $(STAMP) $(LIGHTHOUSE)
	$(BIN)/python benchmarks/run.py $(BENCH)

validate: $(STAMP)
	$(BIN)/rebook validate $(DATA)

# data/ from the repository alone: the press vintages curation/inputs.yml lists, then every
# customs download of sources/customs/manifest.csv replayed (see sources/README.md).
curate: $(STAMP)
	$(BIN)/rebook curate --curation curation --out data

# Per chapter, the figures of book/results/metrics.csv that changed between two builds (OLD: a git
# ref, a folder holding a build, or a metrics.csv; NEW: the same, default this working tree), and
# the home page's glued values that changed; the Markdown copy is for a pull request description.
diff: $(STAMP)
	$(BIN)/rebook diff $(OLD) $(NEW) --markdown $(DIFF_MD)

# The release note: the same comparison in a reader's words (names, labels, months; no codes),
# written to releases/<newest month>.md, which book/changes.md includes. One command whenever the
# figures change: builds, writes the note, builds again (the site only). OLD is the previous
# edition (default: the December 2025 book, commit b92e9ae).
release-note: OLD = b92e9ae
release-note: book
	$(BIN)/rebook release-note $(OLD) $(NEW)
	$(BIN)/rebook build --data $(DATA) --jobs $(JOBS) $(foreach p,$(PARAMS),--param $(p))

# Re-pin every dependency from pyproject.toml (needs the registries).
lock:
	rm -rf /tmp/rebook-lock && $(PYTHON) -m venv /tmp/rebook-lock
	/tmp/rebook-lock/bin/pip install --quiet ".[test]"
	/tmp/rebook-lock/bin/pip freeze | grep -v -E '^(-e |rare-earth-exports)' > requirements.lock

clean:
	rm -rf _build .pytest_cache
