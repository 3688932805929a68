# Two entry points (see README): `make run` (the dashboard) and `make test`.
# Each creates .venv with Python >= 3.12 on first use and keeps it up to date,
# and fills the dashboard's offline asset cache; `make test` also makes sure
# Chromium is there for the browser tests.

# The first Python >= 3.12 found: PATH first, then pyenv's versions (on Debian
# machines with pyenv the `python3.12` shim may exist without being enabled).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DAYS ?= 365
PORT ?= 8765
SCENARIO ?= baseline

# Solara's front-end (JS/CSS), normally fetched from a CDN by the browser: served from
# this cache instead, so the dashboard works without internet. The exact name@version
# strings solara 1.64 asks for (pinned in pyproject.toml); filled from the npm registry.
ASSETS := .cache/solara-cdn
ASSET_STAMP := $(ASSETS)/.complete
ASSET_PACKAGES := @widgetti/solara-vuetify-app@10.1.1 requirejs@2.3.6 font-awesome@4.5.0 \
	@widgetti/vue-grid-layout@2.3.13-alpha.2
export SOLARA_ASSETS_PROXY_CACHE_DIR := $(abspath $(ASSETS))
export SOLARA_TELEMETRY_MIXPANEL_ENABLE := false

.PHONY: install assets browser run simulate notebooks test install-check docs bundle clean

# An offline bundle (`make bundle`) carries its own wheels: install from them, without the dev tools.
WHEELS := $(wildcard wheels)
PIP_FROM := $(if $(WHEELS),--no-index --find-links wheels)
EXTRAS := $(if $(WHEELS),,[dev])

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (set PYTHON=/path/to/python3.12)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(if $(WHEELS),,$(BIN)/python -m pip install --quiet --upgrade pip)
	$(BIN)/python -m pip install --quiet $(PIP_FROM) -e '.$(EXTRAS)'
	touch $(STAMP)

install: $(STAMP) $(ASSET_STAMP)

$(ASSET_STAMP):
	@command -v npm >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && apt-get install -y -qq npm; } \
		|| { echo "error: npm is needed once to fetch the dashboard's assets (apt-get install npm)" >&2; exit 2; }
	rm -rf $(ASSETS).tmp && mkdir -p $(ASSETS).tmp/packs
	cd $(ASSETS).tmp/packs && npm pack --silent $(ASSET_PACKAGES) >/dev/null
	for spec in $(ASSET_PACKAGES); do \
		name=$${spec%@*}; version=$${spec##*@}; tgz=$$(echo "$${name#@}" | tr / -)-$$version.tgz; \
		mkdir -p "$(ASSETS).tmp/$$spec" && tar xzf "$(ASSETS).tmp/packs/$$tgz" -C "$(ASSETS).tmp/$$spec" --strip-components=1 || exit 1; \
	done
	rm -rf $(ASSETS).tmp/packs $(ASSETS) && mv $(ASSETS).tmp $(ASSETS) && touch $(ASSET_STAMP)

assets: $(ASSET_STAMP)

# The browser tests drive Debian's Chromium (Playwright's own download cannot work offline).
browser:
	@command -v chromium >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "warning: chromium is not installed (apt-get install chromium): the browser tests will be skipped" >&2

run: $(STAMP) $(ASSET_STAMP)
	$(BIN)/nodding dashboard --port $(PORT) --scenario $(SCENARIO)

simulate: $(STAMP)
	$(BIN)/nodding run scenarios/baseline.toml --days $(DAYS) --out runs/baseline

# The notebooks in JupyterLab. JupyterLab (about 100 MB) is not needed to run the model or the tests,
# so it is installed into .venv on first use only (the `notebooks` extra). Jupyter refuses to run
# as root unless told: root is the norm in containers.
notebooks: $(STAMP)
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/ $$(test "$$(id -u)" = 0 && echo --allow-root)

test: $(STAMP) $(ASSET_STAMP) browser
	# two test workers on two cores: one numba thread each, or they oversubscribe the machine;
	# loadgroup: the browser tests share one worker, one dashboard server and one browser
	NUMBA_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup -q

# Build the wheel (from a clean copy of the sources: no stale build/ in the checkout), install it
# with its dependencies into a fresh virtual environment outside the checkout, and run the
# shipped scenarios from there (CI runs this after `make test`).
SHIPPED = $(words $(wildcard scenarios/*.toml))

install-check: $(STAMP)
	@set -eu; \
	check=$$(mktemp -d); trap 'rm -rf "$$check"' EXIT; \
	mkdir "$$check/src"; cp -R pyproject.toml README.md LICENSE model nodding dashboards scenarios "$$check/src/"; \
	find "$$check/src" -name __pycache__ -prune -exec rm -rf {} +; \
	$(BIN)/python -m pip wheel --no-deps --quiet "$$check/src" -w "$$check/dist"; \
	$(PYTHON) -m venv "$$check/venv"; \
	"$$check/venv/bin/python" -m pip install --quiet "$$check"/dist/nodding_terms-*.whl; \
	cd "$$check"; \
	venv/bin/nodding scenarios > scenarios.txt; \
	test "$$(wc -l < scenarios.txt)" -eq $(SHIPPED) || { cat scenarios.txt; echo "install-check: expected $(SHIPPED) shipped scenarios" >&2; exit 1; }; \
	NUMBA_NUM_THREADS=1 venv/bin/nodding run classroom --days 2 --out classroom --quiet; \
	test -f classroom/daily.csv; \
	NUMBA_NUM_THREADS=1 venv/bin/nodding calibrate classroom --param decisions.fear_weight=2:4 --fit acceptance.predicted \
		--trials 1 --batch 1 --samples 0 --replicates 1 --days 60 --workers 1 --out calibration --quiet; \
	test -f calibration/calibrated.toml; \
	echo "install-check: the wheel installs outside the checkout with its $(SHIPPED) scenarios, runs classroom and calibrates it"

docs: $(STAMP)
	$(BIN)/python -c "from nodding.model.parameters import parameter_table; print(parameter_table())" > docs/parameters.md
	$(BIN)/python -m nodding.docs

# One archive for an air-gapped laptop with the same OS and Python (3.12+, Linux x86-64): the
# source, every wheel the dashboard needs and the front-end assets. There: unpack, `make run`.
bundle: $(STAMP) $(ASSET_STAMP)
	rm -rf dist/bundle && mkdir -p dist/bundle/nodding-terms/.cache
	git archive HEAD | tar x -C dist/bundle/nodding-terms
	$(BIN)/python -m pip download --quiet -d dist/bundle/nodding-terms/wheels . 'setuptools>=77' wheel
	cp -r $(ASSETS) dist/bundle/nodding-terms/.cache/
	tar czf dist/nodding-terms-offline.tar.gz -C dist/bundle nodding-terms
	rm -rf dist/bundle
	@echo "dist/nodding-terms-offline.tar.gz: copy it to the laptop, then: tar xzf nodding-terms-offline.tar.gz; cd nodding-terms; make run"

clean:
	rm -rf $(VENV) runs .pytest_cache .cache dist
