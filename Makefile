# Satu Pintu: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint format messages bench clean-data help

help:
	@echo "make run    - start PostgreSQL, Redis, web, worker and beat with demo data"
	@echo "make test   - ruff, migration check and the test suite with coverage"
	@echo "make lint / format / messages"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m config.devstack run

test: $(STAMP)
	$(PY) -m config.devstack test

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Extract and compile the translation catalogues (needs GNU gettext; the compiled .mo files
# are committed so that a fresh machine does not need it).
messages: $(STAMP)
	DATABASE_URL=postgres://unused/unused $(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=staticfiles
	DATABASE_URL=postgres://unused/unused $(PY) manage.py compilemessages --ignore=.venv

clean-data:
	rm -rf .data
