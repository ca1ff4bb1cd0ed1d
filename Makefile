# Threshold: `make demo` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and on certificates point at the address being served (unless SITE_URL is
# set in the environment).
export SITE_URL ?= http://$(HOST):$(PORT)
SSO_PORT ?= 9400

.PHONY: demo demo-sso test lint format serve setup assets migrate worker beat clean

demo: setup migrate
	$(MANAGE) load_library
	$(MANAGE) load_demo
	@echo
	@echo "Threshold is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	@echo "Emails are written to var/mail/."
	$(MANAGE) runserver $(HOST):$(PORT)

# The demo plus a second Northbridge login, sam@staff.northbridge.example, signed in by an
# OpenID Connect provider (oidc-provider-mock) served on localhost:$(SSO_PORT); Ctrl-C stops both.
demo-sso: setup migrate
	$(MANAGE) load_library
	$(MANAGE) load_demo
	$(MANAGE) load_demo_sso --issuer http://localhost:$(SSO_PORT)
	@echo
	@echo "Threshold is starting on http://$(HOST):$(PORT)/ and its demo provider on http://localhost:$(SSO_PORT)/."
	@$(MANAGE) demo_sso_provider --port $(SSO_PORT) & provider=$$!; \
	trap 'kill $$provider 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: setup migrate
	$(MANAGE) runserver $(HOST):$(PORT)

setup: $(VENV)/.installed assets var/mail

migrate: $(VENV)/.installed var/mail
	$(MANAGE) migrate --no-input

worker: setup
	$(BIN)/celery -A portal worker --loglevel=info

beat: setup
	$(BIN)/celery -A portal beat --loglevel=info

assets: static/vendor/.built

var/mail:
	mkdir -p var/mail

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# No install scripts: none of our packages needs one (sass's optional file watcher asks to
# build itself, and we never watch): skipping them runs no package code at install time.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

static/vendor/.built: node_modules/.installed static/build-assets.mjs static/scss/threshold.scss
	npm run --silent build
	touch $@

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
