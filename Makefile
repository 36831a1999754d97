# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean native
# The extraction modules features/native.py compiles; a build is used only while it matches them.
NATIVE_SOURCES := $(addprefix features/,$(addsuffix .py,text taxonomy lexicon negation prices nouns phrases sentiment extract))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# A failed compile (no C compiler) is reported and ignored: the plain modules give the same output.
build/native/manifest.json: $(NATIVE_SOURCES) $(STAMP)
	-OPPRADAR_NATIVE=0 $(BIN)/python -c 'import sys; from features.native import main; sys.exit(main())'

native: build/native/manifest.json

demo: $(STAMP) native
	$(BIN)/oppradar demo $(if $(PORT),--port $(PORT),)

test: $(STAMP) native
	$(BIN)/python -m pytest

# Benchmarks print their figures; files benchmarks/bench_*.py, functions bench_*.
bench: $(STAMP) native
	$(BIN)/python -m pytest benchmarks -s -q -o python_files='bench_*.py' -o python_functions='bench_*'


lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache build
