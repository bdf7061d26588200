# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The address in every link of the e-mails, the same for every process of one setup (web,
# worker, beat, shell): `make demo PORT=8080`, `make worker PORT=8080` and `make beat
# PORT=8080` all write links to port 8080. An environment variable of that name wins.
WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
BASE_URL := WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL)
STAMP := $(VENV)/.installed
# axe-core for the accessibility browser tests, pinned in tests/e2e/package-lock.json.
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: demo test venv lint format check run worker beat shell clean

# Install (again) only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

$(E2E_STAMP): tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	@touch $(E2E_STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo
	@echo "eConsultation is running at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BASE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) $(E2E_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: $(STAMP)
	$(BASE_URL) $(BIN)/celery -A econsult worker --loglevel=INFO

beat: $(STAMP)
	$(BASE_URL) $(BIN)/celery -A econsult beat --loglevel=INFO

# A Django shell whose e-mails link to the demo's port, e.g. to run a beat task by hand.
shell: $(STAMP)
	$(BASE_URL) $(BIN)/python manage.py shell

clean:
	rm -rf $(VENV) tests/e2e/node_modules .pytest_cache .ruff_cache .import_linter_cache .test-media
