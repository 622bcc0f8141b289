# Tierflow: `make run` serves the app, `make test` runs the whole suite (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app
VENDOR := app/static/vendor
# Tierflow's own editor and viewer bundles (app/static/src, ES modules bundled by esbuild: `npm run build`)
BUNDLES := $(VENDOR)/tierflow/.built

.PHONY: setup run test test-sqlite test-postgres lint bench db browser clean demo-reset screenshots

setup: $(VENV)/.installed $(VENDOR)/.installed $(BUNDLES) translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.installed: node_modules/.installed
	mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/dmn-js
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp node_modules/bpmn-js/dist/bpmn-modeler.production.min.js node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js \
	  node_modules/bpmn-js/dist/assets/diagram-js.css node_modules/bpmn-js/dist/assets/bpmn-js.css $(VENDOR)/bpmn-js/
	cp -R node_modules/bpmn-js/dist/assets/bpmn-font $(VENDOR)/bpmn-js/
	cp node_modules/dmn-js/dist/dmn-modeler.production.min.js node_modules/dmn-js/dist/assets/*.css $(VENDOR)/dmn-js/
	cp -R node_modules/dmn-js/dist/assets/dmn-font $(VENDOR)/dmn-js/
	cp node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css $(VENDOR)/bpmn-js/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	touch $@

$(BUNDLES): node_modules/.installed $(wildcard app/static/src/*)
	npm run --silent build
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d app/translations

db: setup
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask deploy-shipped --migrate

# `make run PORT=8080` serves on another port
PORT ?= 5000
run: db
	TIERFLOW_WORKER_IN_PROCESS=1 $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Start the demo again from scratch: deletes the SQLite demo database (instance/tierflow.db) and uploads, then
# migrates and seeds anew. With DATABASE_URL set it refuses: drop that database yourself.
demo-reset: setup
	@if [ -n "$$DATABASE_URL$$TIERFLOW_DATABASE_URL" ]; then echo "DATABASE_URL is set: drop and recreate that database yourself"; exit 1; fi
	rm -f instance/tierflow.db
	rm -rf instance/uploads
	$(MAKE) db

# The screenshots of the user guide (docs/screenshots/*.png): a throw-away demo database served on a free port,
# walked through in headless Chromium by docs/screenshots.py.
screenshots: setup browser
	$(BIN)/python docs/screenshots.py

# Headless Chromium for the browser tests (Playwright drives Debian's /usr/bin/chromium), and the CJK font
# that PDF certificates and ledgers embed (Debian's fonts-noto-cjk; see PDF_FONT_PATH in config.py).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -f $(CJK_FONT) ]; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium or fonts-noto-cjk missing: install Debian's chromium and fonts-noto-cjk packages for the tests"; exit 1; fi; }

test: setup browser test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest -q -p no:cacheprovider --db=sqlite

# Runs the suite again on PostgreSQL when TEST_DATABASE_URL is set.
test-postgres: setup
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest -q -p no:cacheprovider --db=postgres; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/decisions.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance/tierflow.db
