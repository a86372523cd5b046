# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs,
# but for `make test-fast`, the developer's inner loop (docs/development/testing-fast.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The suite on every core (pytest-xdist; each process has its own test database, browser and
# job worker); PARALLEL= runs it in one process.
PARALLEL ?= -n auto --dist worksteal

.PHONY: run test test-fast setup seed check-migrations clean

$(BIN)/python:
	scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.requirements
	scripts/system-deps.sh run

seed: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py create_demo_users

run: seed
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.requirements
	scripts/system-deps.sh test
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

# Everything but the browser tests and the job tests on a real worker: `make test` runs those too.
test-fast: $(VENV)/.requirements
	scripts/system-deps.sh test
	$(BIN)/pytest $(PARALLEL) -m "not browser and not worker" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-output
