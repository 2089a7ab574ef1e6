# Two commands for a new user: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test test-unit lint bench fuzz translations extract-messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile -d saas/translations -D messages
	$(BIN)/pybabel compile -d saas/translations -D flask_security

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o saas/translations/messages.pot .
	$(BIN)/pybabel update -i saas/translations/messages.pot -d saas/translations --no-fuzzy-matching

demo: install
	SAAS_MAIL_PORT=$${SAAS_MAIL_PORT:-8025} $(BIN)/saas demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: install
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check saas workers tests migrations
	$(BIN)/ruff format --check saas workers tests migrations
	$(BIN)/mypy

bench: install
	$(BIN)/python -m tests.bench

# Schemathesis against /api/v1 in-process, on a fresh database (SAAS_FUZZ_EXAMPLES per operation),
# then the model-based lifecycle test over SAAS_LIFECYCLE_EXAMPLES random histories (default 300
# here, 25 in `make test`), each failure shrunk to its shortest history.
fuzz: install
	$(BIN)/python -m tests.fuzz
	SAAS_LIFECYCLE_EXAMPLES=$${SAAS_LIFECYCLE_EXAMPLES:-300} SAAS_LIFECYCLE_SHRINK=1 \
		$(BIN)/python -m pytest tests/integration/test_lifecycle_machine.py -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
