# Two entry points (see README): `make run` and `make test`.
# Each creates .venv with Python >= 3.12 on first use and keeps it up to date.

# The first Python >= 3.12 found: PATH first, then pyenv's versions (on Debian
# machines with pyenv the `python3.12` shim may exist without being enabled).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DAYS ?= 365

.PHONY: install run test install-check docs clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (set PYTHON=/path/to/python3.12)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/nodding run scenarios/baseline.toml --days $(DAYS) --out runs/baseline

test: $(STAMP)
	# two test workers on two cores: one numba thread each, or they oversubscribe the machine
	NUMBA_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q

# Build the wheel (from a clean copy of the sources: no stale build/ in the checkout), install it
# with its dependencies into a fresh virtual environment outside the checkout, and run the
# shipped scenarios from there (CI runs this after `make test`).
install-check: $(STAMP)
	@set -eu; \
	check=$$(mktemp -d); trap 'rm -rf "$$check"' EXIT; \
	mkdir "$$check/src"; cp -R pyproject.toml README.md model nodding scenarios "$$check/src/"; \
	find "$$check/src" -name __pycache__ -prune -exec rm -rf {} +; \
	$(BIN)/python -m pip wheel --no-deps --quiet "$$check/src" -w "$$check/dist"; \
	$(PYTHON) -m venv "$$check/venv"; \
	"$$check/venv/bin/python" -m pip install --quiet "$$check"/dist/nodding_terms-*.whl; \
	cd "$$check"; \
	venv/bin/nodding scenarios > scenarios.txt; \
	test "$$(wc -l < scenarios.txt)" -eq 13 || { cat scenarios.txt; echo "install-check: expected 13 shipped scenarios" >&2; exit 1; }; \
	NUMBA_NUM_THREADS=1 venv/bin/nodding run classroom --days 2 --out classroom --quiet; \
	test -f classroom/daily.csv; \
	echo "install-check: the wheel installs outside the checkout with its 13 scenarios and runs classroom"

docs: $(STAMP)
	$(BIN)/python -c "from model.parameters import parameter_table; print(parameter_table())" > docs/parameters.md
	$(BIN)/python -m nodding.docs

clean:
	rm -rf $(VENV) runs .pytest_cache
