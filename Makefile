# Against Hate. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app againsthate.wsgi
# Every install takes these exact versions and files (hashes checked); pyproject.toml keeps
# the ranges they were chosen from. `make lock` / `make lock-upgrade` rewrite it.
LOCK := requirements/lock.txt
PIP_COMPILE := $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --no-strip-extras \
  --extra test --extra dev --no-emit-index-url --no-emit-find-links -o $(LOCK)
export AGAINSTHATE_ENV ?= development
LANGS := $(shell $(or $(wildcard $(PY)),python3) -c "import tomllib;print(' '.join(k for k in tomllib.load(open('translations/languages.toml','rb')) if k!='en'))")

.PHONY: help run install db pack-check test test-sqlite test-postgres test-tools translations translations-extract translations-update translations-check bench bench-scale lint lock lock-upgrade audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

# The locked packages first (pip, setuptools and the build tools are in the lock too), then
# the project itself without its dependencies and built with the locked setuptools, so
# nothing unpinned is fetched. `pip check` fails if pyproject.toml needs something the lock
# lacks (run `make lock`).
$(VENV)/.installed: pyproject.toml $(LOCK)
	python3 -m venv $(VENV)
	$(PIP) install -q --require-hashes -r $(LOCK)
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(PIP) check
	touch $@

install: $(VENV)/.installed translations ## Create the virtual environment and install

translations: $(VENV)/.installed ## Compile the message catalogues (.po -> .mo)
	@$(VENV)/bin/pybabel -q compile -d translations -D messages --use-fuzzy 2>/dev/null || $(VENV)/bin/pybabel -q compile -d translations -D messages

pack-check: install ## Check an area pack before using it: make pack-check PACK=areas/yours.toml (default: AREA_PACK)
	$(FLASK) pack check $(PACK)

db: install ## Create or upgrade the database and load the area pack's news and events
	$(FLASK) db upgrade
	$(FLASK) pack load

run: db ## Set up everything and serve the site on http://127.0.0.1:5000
	$(FLASK) run --host 127.0.0.1 --port 5000

test-tools: install ## Install what the tests need (chromium, Java, axe, vnu, PostgreSQL, Redis)
	bash scripts/install-test-tools.sh

test: test-sqlite test-postgres ## Run the whole suite on SQLite, then again on PostgreSQL and Redis

test-sqlite: test-tools ## The whole suite on SQLite with in-memory rate limits
	$(VENV)/bin/pytest

# The second pass leaves out the tests marked `looks` (what a page shows, the same on any
# database: axe, layout, keyboard, valid HTML); everything that writes or queries runs again.
test-postgres: test-tools ## The suite again on a private PostgreSQL and Redis (started and stopped here), without the `looks` tests
	bash scripts/with-services.sh $(VENV)/bin/pytest -m "not looks"

translations-extract: $(VENV)/.installed ## Regenerate translations/messages.pot from the code
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output -o translations/messages.pot .

translations-update: translations-extract ## Add new messages to every catalogue
	@for l in $(LANGS); do \
	  if [ -f translations/$$l/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l $$l; \
	  else $(VENV)/bin/pybabel -q init -i translations/messages.pot -d translations -l $$l; fi; done

translations-check: $(VENV)/.installed ## Fail when translations/messages.pot is stale or a catalogue is incomplete
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/test_translations.py

bench: install ## Page weight, speed and memory against targets (report: bench/results/latest.md)
	$(PY) bench/run.py

bench-scale: install ## The inbox and a search at 10,000 and 100,000 referrals alone (about a minute)
	$(PY) bench/scale.py

lint: $(VENV)/.installed ## ruff and mypy (CI runs this before the tests)
	$(VENV)/bin/ruff check site tests bench
	$(VENV)/bin/ruff format --check site tests bench
	$(VENV)/bin/mypy site

lock: $(VENV)/.installed ## Re-resolve requirements/lock.txt after a change to pyproject.toml's dependencies (keeps other pins)
	$(PIP_COMPILE) pyproject.toml

lock-upgrade: $(VENV)/.installed ## Move every pin in requirements/lock.txt to the newest release within pyproject.toml's ranges
	$(PIP_COMPILE) --upgrade pyproject.toml

audit: $(VENV)/.installed ## Known vulnerabilities in the dependencies (pip-audit, needs PyPI) and bandit on site/; not part of make test
	$(PY) scripts/audit.py

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) instance
