# The two commands of README.md. Each creates .venv, installs what it needs and goes.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	bash scripts/system-deps.sh run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --households 2000 --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	bash scripts/system-deps.sh test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadfile -rfE
	# Again on the embedded database of `make run` (SQLite, no Redis): the tests marked sqlite.
	$(VENV)/bin/pytest -rfE -m sqlite --ds kaiyuan.settings_test_sqlite

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages -l zh_Hans --ignore '.venv/*'

benchmark: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) var
