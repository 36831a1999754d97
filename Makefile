# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/oppradar demo $(if $(PORT),--port $(PORT),)

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks print their figures; files benchmarks/bench_*.py, functions bench_*.
bench: $(STAMP)
	$(BIN)/python -m pytest benchmarks -s -q -o python_files='bench_*.py' -o python_functions='bench_*'


lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache
