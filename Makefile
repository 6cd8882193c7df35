# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean

# Reinstall only when the requirements change, so a second `make run` starts at once.
$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	$(BIN)/python manage.py create_local_admin
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Two workers: the machines here have two cores. PYTEST_ARGS="-n0 -x tests/test_search.py" for one file.
PYTEST_ARGS ?= -n 2
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Full-page PNGs of each page type at 1280 and 375 px, and of the admin editing a page, into
# docs/screenshots/, from a throwaway database loaded with the fixtures. Needs Debian's Chromium
# (`bash .ci/install-browser` as root).
.PHONY: screenshots
screenshots: install
	$(BIN)/python tools/screenshots.py

# Lighthouse's performance, accessibility, best-practices and SEO scores and the layout shift of one
# page of each type, at mobile and desktop settings, with Debian's Chromium, from a throwaway database
# loaded with the fixtures: see tools/lighthouse.py. Fails when a page scores under 0.95 or shifts.
# Lighthouse 12: version 13 needs Node 22, the machines here have Node 20.
.PHONY: lighthouse
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP := .lighthouse/.installed-$(LIGHTHOUSE_VERSION)
$(LIGHTHOUSE_STAMP):
	npm install --prefix .lighthouse --no-audit --no-fund --save-exact lighthouse@$(LIGHTHOUSE_VERSION)
	touch $(LIGHTHOUSE_STAMP)

LIGHTHOUSE_ARGS ?=
lighthouse: install $(LIGHTHOUSE_STAMP)
	$(BIN)/python tools/lighthouse.py $(LIGHTHOUSE_ARGS)

# Requests per second of the production configuration (gunicorn, PostgreSQL, Redis on 127.0.0.1),
# page cache on and off, and through Varnish, against a static file: see tools/bench.py. Installs wrk
# and Varnish if it can.
.PHONY: bench
BENCH_ARGS ?=
bench: install
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .lighthouse
