# The two commands a fresh machine needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/setup.sh scripts/debian-packages.txt
	PY=$(PY) bash scripts/setup.sh
	touch $(STAMP)

run: setup
	$(BIN)/sitrep build examples --out out/examples --db out/examples/sitrep.db

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf out $(VENV) .pytest_cache
