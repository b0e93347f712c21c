# Talent Foundry: `make run` serves the demo, `make test` runs the suite.
# Needs only Python 3.11+; everything else is installed into .venv.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
PYTEST_ARGS ?=

export FLASK_APP := foundry

.PHONY: run test lint format i18n clean idp

# The virtualenv is made once: its interpreter is a real file target.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Compile the message catalogues when there are any.
i18n: $(VENV)/.installed
	@if [ -d translations ]; then $(BIN)/pybabel compile -d translations -f; fi

# The demo always runs the development configuration (SQLite, demo sign-in).
run: export FOUNDRY_CONFIG := development
run: i18n
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo
	@echo "  Talent Foundry: open http://127.0.0.1:5000"
	@echo "  Sign in by clicking a demo user at http://127.0.0.1:5000/demo/sign-in"
	@echo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# The local OpenID providers of HKUST and HKU, for university sign-in in the demo: run it
# in a second terminal beside `make run`. Needs Node.js 20+ and npm (only for this).
IDP_DIR := tests/oidc_provider
idp:
	@command -v node >/dev/null && command -v npm >/dev/null \
		|| { echo "make idp needs Node.js 20+ and npm (e.g. apt-get install nodejs npm)" >&2; exit 1; }
	@if [ ! $(IDP_DIR)/node_modules/.package-lock.json -nt $(IDP_DIR)/package-lock.json ]; then \
		cd $(IDP_DIR) && npm ci --no-audit --no-fund; fi
	cd $(IDP_DIR) && node server.mjs --config demo/config.json --list

# TEST_DATABASE_URL passes through from the environment (unset = SQLite).
test: i18n
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	@if [ -d translations ]; then find translations -name '*.mo' -delete; fi
