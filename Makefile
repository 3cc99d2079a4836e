# Two commands on a fresh machine: `make run` and `make test`.
# The first interpreter that actually runs and is >= 3.11 (a pyenv shim can exist yet refuse to run).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Test processes: most tests wait on a fake clock, a socket or a child bot, so more workers than cores pay.
TEST_WORKERS ?= 3

.PHONY: run console test lint check-programme bench clean messages

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it and retry"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run: create the virtualenv, install, run the bot (the local console when no token is set)
run: $(STAMP)
	$(BIN)/python -m bot

## console: chat with the bot in this terminal, offline
console: $(STAMP)
	$(BIN)/python -m bot console

## test: lint, type-check and run the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check bot handlers tests bench
	$(BIN)/mypy bot handlers

## check-programme: validate the configured programme file
check-programme: $(STAMP)
	$(BIN)/python -m bot check $${PROGRAMME_PATH:-data/programme.yaml}

## messages: refresh the message catalogue template from the source
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location -k _ -k n_:1,2 -k N_ -o bot/locale/messages.pot bot handlers

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
