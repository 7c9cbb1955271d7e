# Guichet — everything a fresh clone needs is done by `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test setup static chromium lint typecheck demo messages clean

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/guichet/static/vendor/htmx.min.js: node_modules/.installed
	mkdir -p src/guichet/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

setup: $(BIN)/.installed src/guichet/static/vendor/htmx.min.js

static: setup
	GUICHET_DEMO=true $(BIN)/guichet collectstatic --noinput --verbosity 0

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium' and retry." >&2; exit 1; \
	  fi; }

demo: static
	GUICHET_DEMO=true $(BIN)/guichet demo

run: demo
	GUICHET_DEMO=true $(BIN)/guichet demo_logins
	GUICHET_DEMO=true $(BIN)/guichet serve --host $(HOST) --port $(PORT)

test: setup chromium
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	GUICHET_TESTING=true $(BIN)/mypy src/guichet

messages: setup
	cd src/guichet && ../../$(BIN)/guichet makemessages -l en --no-obsolete && ../../$(BIN)/guichet compilemessages

clean:
	rm -rf $(VENV) node_modules src/guichet/static/vendor staticfiles
