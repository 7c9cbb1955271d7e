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
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
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

LOCALE := src/guichet/locale
FR_PO := $(LOCALE)/fr/LC_MESSAGES/django.po
# French needs no translation, only its plural rule: msgstr[0]/[1] repeat msgid/msgid_plural.
FR_PLURALS := cat >/dev/null; if [ -n "$$MSGFILTER_MSGID_PLURAL" ]; then \
  if [ "$$MSGFILTER_PLURAL_FORM" = 0 ]; then printf %s "$$MSGFILTER_MSGID"; \
  else printf %s "$$MSGFILTER_MSGID_PLURAL"; fi; fi

messages: setup
	cd src/guichet && GUICHET_TESTING=true ../../$(BIN)/guichet makemessages -l en -l fr --no-obsolete --ignore 'static/vendor/*'
	msgfilter --keep-header -i $(FR_PO) -o $(FR_PO) sh -c '$(FR_PLURALS)'
	msgattrib --clear-fuzzy --clear-previous -o $(FR_PO) $(FR_PO)
	msgfmt --statistics -o /dev/null $(LOCALE)/en/LC_MESSAGES/django.po
	cd src/guichet && GUICHET_TESTING=true ../../$(BIN)/guichet compilemessages

clean:
	rm -rf $(VENV) node_modules src/guichet/static/vendor staticfiles
