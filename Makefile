# r2pdesk: `make run` starts the app, `make test` runs every check and test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint typecheck layers cli system-deps clean dist test-dist bench

$(STAMP): pyproject.toml
	sh scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

system-deps:
	sh scripts/system-deps.sh

run: $(STAMP)
	$(BIN)/r2pdesk

cli: $(STAMP)
	$(BIN)/r2pdesk-cli --help

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck layers

test: check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Figures side by side in one JSON object (README, "Benchmarks"); databases kept in build/bench/.
bench: $(STAMP)
	@QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

DIST_STAMP := $(VENV)/.dist-installed

$(DIST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,dist]"
	touch $(DIST_STAMP)

# The Linux bundle (dist/r2pdesk/) and its package (dist/r2pdesk_<version>_amd64.deb).
dist: $(DIST_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installers/r2pdesk.spec
	sh installers/build-deb.sh

# Only the test of the bundle and the .deb (it runs `make dist`).
test-dist: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m dist tests/packaging

clean:
	rm -rf $(VENV) build dist *.egg-info test-output
