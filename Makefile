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

# Exit code 1 means "finished, some items failed": the example feed has one
# summary-only entry on purpose (it is fetched only with --fetch).
run: setup
	$(BIN)/sitrep build examples/alaska-2025 --out out/examples; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo "open out/examples/report.html"

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf out $(VENV) .pytest_cache
