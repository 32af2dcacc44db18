# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run    set up, load the Nanhai demo when the database is empty, serve on 127.0.0.1:$(PORT)
#   make test   run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test format setup migrate demo worker beat bench stop-db clean-db messages

# The exact versions of requirements/test.txt (the lock), then the project itself without
# resolving anything again: what the tests run is what the lock says.
$(STAMP): pyproject.toml requirements/test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

run: demo
	$(BIN)/python manage.py demo_banner --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The linter and the formatter's check first (config in pyproject.toml): a finding fails the
# run like a failing test. `make format` fixes what the tools can.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The database and the private files into backups/<moment>/ (README, "Production deployment").
.PHONY: backup restore
backup: $(STAMP)
	$(BIN)/python manage.py backup --output $(or $(BACKUPS),backups)

# make restore BACKUP=backups/<moment> [REPLACE=1]: into an empty database and folder unless REPLACE.
restore: $(STAMP)
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<moment> [REPLACE=1]" && false)
	$(BIN)/python manage.py restore $(BACKUP) $(if $(REPLACE),--replace)

worker: $(STAMP)
	$(BIN)/celery -A governance worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A governance beat --loglevel=info

bench: migrate
	$(BIN)/python bench/import_country

# Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/14): the script starts its own worker.
.PHONY: bench-score
bench-score: migrate
	$(BIN)/python bench/score_period

.PHONY: bench-grids
bench-grids: migrate
	$(BIN)/python bench/grid_events

# Needs Debian's wrk: the API under gunicorn beside the bare-view floor (bench/README.md).
.PHONY: bench-api
bench-api: $(STAMP)
	$(BIN)/python bench/api_load

# Issue 19: SOAK_SECONDS (600) of mixed load by SOAK_USERS (50) users of every demo role, then every
# acknowledged write looked for in the database with its audit row (database gov_bench_soak).
.PHONY: bench-soak
bench-soak: migrate
	$(BIN)/python bench/soak

# Issue 19: PostgreSQL restarted, Redis killed, a gunicorn worker and the Celery worker killed under
# load, on a PostgreSQL 15 cluster and a Redis the script starts itself (/usr/lib/postgresql/15/bin,
# redis-server); the project's own database is not used.
.PHONY: bench-faults
bench-faults: $(STAMP)
	$(BIN)/python bench/faults

# Re-resolve pyproject.toml's ranges into requirements/prod.txt and requirements/test.txt (the
# newest versions they admit), without installing anything; then `make setup` installs them.
.PHONY: lock
lock:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/lock.py

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

# The embedded server keeps running between commands; this stops it (fast shutdown, as pg_ctl's
# default) and waits until its pid file is gone.
stop-db:
	@if [ -f .pgdata/postmaster.pid ]; then \
		kill -INT $$(head -n 1 .pgdata/postmaster.pid) 2>/dev/null || true; \
		for i in $$(seq 1 60); do [ -f .pgdata/postmaster.pid ] || break; sleep 0.5; done; \
		echo "embedded PostgreSQL stopped"; \
	fi

clean-db: stop-db
	rm -rf .pgdata
