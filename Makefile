# CrampCourse: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
WORKERS ?= 4

.PHONY: run test lint format install install-dev install-bench bench install-e2e e2e chromium nginx redis cluster cluster-stop faults migrate collectstatic serve-prod clean gettext messages compilemessages install-mutation mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"

# Stamp files re-run pip only when the requirement files change.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

$(VENV)/.bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

$(VENV)/.mutation: requirements.txt requirements-dev.txt requirements-mutation.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-mutation.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

$(VENV)/.e2e: requirements.txt requirements-dev.txt requirements-e2e.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-e2e.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

# axe-core for the accessibility checks, exactly as package-lock.json pins it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# Debian's Chromium; Playwright never downloads a browser here.
chromium:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium; }

# Debian's nginx, for the cluster; it runs unprivileged with its files under var/cluster.
nginx:
	@test -x /usr/sbin/nginx || { \
		echo "Installing Debian's nginx for the cluster"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq nginx; }

# Debian's Redis server, for the fault tests' private Redis.
redis:
	@test -x /usr/bin/redis-server || { \
		echo "Installing Debian's redis-server for the fault tests"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq redis-server; }

# GNU gettext (msgfmt, xgettext) for the translations; Debian's package.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq gettext; }

# Translations: the .po files are the source and are committed; the .mo files are compiled here.
compilemessages: install gettext
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

# After marking new strings: gather them into each language's .po files (LOCALES="ru xx"),
# then translate the new entries (README, "Adding a language").
LOCALES ?= ru
IGNORED := --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
messages: install gettext
	for locale in $(LOCALES); do \
		$(BIN)/python manage.py makemessages -l $$locale --no-obsolete $(IGNORED) -v 0 && \
		$(BIN)/python manage.py makemessages -d djangojs -l $$locale --no-obsolete $(IGNORED) -v 0 || exit 1; \
	done

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev
install-bench: $(VENV)/.bench
install-mutation: $(VENV)/.mutation
install-e2e: $(VENV)/.e2e node_modules/.package-lock.json chromium

migrate: install compilemessages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

# Static files into STATIC_ROOT (WhiteNoise serves them with hashed names when DEBUG is off).
collectstatic: install
	$(BIN)/python manage.py collectstatic --no-input

# Production settings on this machine, as README's "Deploying" section: export DEBUG=0,
# SECRET_KEY, ALLOWED_HOSTS (and DATABASE_URL) first; the deploy checks refuse to start otherwise.
serve-prod: migrate collectstatic
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/gunicorn crampcourse.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT)

run: migrate
	$(BIN)/python manage.py load_course
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint compilemessages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Browser tests: coach, trainee and admin flows in Chromium, axe on every page, screenshots of
# every page at phone and desktop size in var/screenshots/.
e2e: install-e2e compilemessages
	E2E=1 $(BIN)/pytest tests/e2e -p no:cacheprovider

# Mutation testing of the rules modules (bench/mutation.py), each against the tests that reach
# it; writes the scores and every surviving mutant to docs/mutation-report.md. Not in CI: it
# takes tens of minutes. MODULES=quizzes/scoring.py for one; MUTATION_JOBS=1 on a busy machine.
mutation: install-mutation compilemessages
	$(BIN)/python bench/mutation.py

# Synthetic data at 1x and 10x, gunicorn with production settings, Locust over HTTP;
# writes bench/results.md. DATABASE_URL=postgres://... measures PostgreSQL instead of SQLite.
bench: install-bench compilemessages
	$(BIN)/python bench/run.py

# nginx on 127.0.0.1:8080 (CLUSTER_PORT) balancing two gunicorn servers (8081, 8082) on a
# PostgreSQL primary (5441, CLUSTER_PG_PORT) and its synchronous streaming standby (5442), both
# under var/cluster/postgres (or the one server DATABASE_URL names), with Redis as the shared cache
# (CACHE_URL). Config, pids and logs in var/cluster/. deploy/ holds the files for real servers.
cluster: install nginx
	$(BIN)/python bench/cluster.py start

cluster-stop: install
	$(BIN)/python bench/cluster.py stop

# Fault tests (tests/faults): a server killed, PostgreSQL restarted, Redis stopped, a backup, the
# primary killed and its standby promoted (and back), the standby lost, and a point-in-time
# recovery, each under load through nginx. They run their own PostgreSQL pair and Redis on spare
# ports, so the machine's servers are never restarted. Writes the figures to bench/results.md
# and the README.
faults: install-dev nginx redis compilemessages
	FAULTS=1 $(BIN)/pytest tests/faults -p no:cacheprovider

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
