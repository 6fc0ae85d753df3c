# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# `make run` is a trial on one machine: DevelopmentConfig keeps a random SECRET_KEY in instance/.
DEV := ENGAGEMENT_CONFIG=development
# Install state: redone when pyproject.toml changes, or when INSTALL_RECIPE is bumped (after a
# change to the recipe below, so that existing venvs redo it too).
INSTALL_RECIPE := 2
STAMP := $(VENV)/.installed-$(INSTALL_RECIPE)-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Debian packages: PDF reports with Chinese and Arabic text, the real-browser tests, nginx
# for the reverse-proxy tests (deploy/nginx.conf), and Java for the Nu HTML Checker.
PDF_PACKAGES := fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
SYSTEM_PACKAGES := chromium nginx openjdk-17-jre-headless $(PDF_PACKAGES)

.PHONY: run test install system-deps pdf-deps translations db lint bench clean

run: install translations db pdf-deps
	@echo "Serving the development server at http://127.0.0.1:5000 (for production use gunicorn, see README)"
	$(DEV) $(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

test: install translations lint system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Python 3.11's venv starts with setuptools 65.5, which has published advisories: upgrade it
# with pip before anything is installed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Installs missing Debian packages (a removed package whose config files remain counts as
# missing: dpkg -s would call it present). Needs root (CI and these machines run as root); elsewhere
# it prints what to install and goes on: the app runs without them, only PDF export, the
# browser tests and the proxy tests need them. `make test` installs them all; a test that needs
# a missing one fails naming the package (tests/system_deps.py), it never skips.
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "System packages present:$(1)"; \
	elif [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
	  (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null) || \
	  echo "Could not install:$$missing"; \
	else echo "Please install:$$missing (as root: apt-get install -y$$missing)"; fi
endef

system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES))

pdf-deps:
	$(call apt_install,$(PDF_PACKAGES))

translations: install
	$(BIN)/pybabel -q compile -d translations

db: install
	$(DEV) $(BIN)/flask --app wsgi db upgrade
	$(DEV) $(BIN)/flask --app wsgi seed
	$(DEV) $(BIN)/flask --app wsgi demo

# Re-extract user-visible strings and merge them into every catalog.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --project=engagement .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

LINT_PATHS := engagement tests bench migrations/env.py config.py wsgi.py gunicorn.conf.py

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/bandit -q -r engagement

bench: install
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/theme_eval.py
	$(BIN)/python bench/theme_speed.py
	$(BIN)/python bench/export_speed.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts

# Nothing has been released yet, so the schema is one initial migration, regenerated from
# the models. Once a database in use has it, add new revisions instead (flask db migrate).
regen-migration: install
	rm -f migrations/versions/0001_initial_schema.py /tmp/engagement-regen.sqlite
	DATABASE_URL=sqlite:////tmp/engagement-regen.sqlite $(DEV) $(BIN)/flask --app wsgi db revision --autogenerate -m "initial schema" --rev-id 0001
	rm -f /tmp/engagement-regen.sqlite
