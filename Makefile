# make demo   the whole DAG on the bundled sample corpora (2 cores, minutes)
# make test   the test suite
# Both set up their own virtual environment (.venv) on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CORES  ?= 2

.PHONY: install demo test dryrun clean test-elmo-compat

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

demo: install
	$(BIN)/snakemake --configfile demo/config.yaml --directory demo/run --cores $(CORES) --rerun-incomplete
	@echo
	@cat demo/run/results/tables/funnel.md
	@echo
	@cat demo/run/results/tables/languages.md
	@echo
	@cat demo/run/results/tables/corpus_stats.md
	@echo
	@cat demo/run/results/tables/vocab.md
	@echo
	@cat demo/run/results/tables/results.md
	$(BIN)/snakemake --configfile demo/config.yaml --directory demo/run --report $(CURDIR)/demo/run/report.html
	@echo
	@echo "demo results: demo/run/results, report: demo/run/report.html  (logs: demo/run/logs, benchmarks: demo/run/benchmarks)"

test: install
	$(BIN)/pytest

# simple_elmo (on TensorFlow) loading smie's ELMo exports. TensorFlow 2.21 needs
# h5py < 3.15 (the workflow pins 3.16) and Keras 2 (tf-keras, installed without its
# dependency on the GPU "tensorflow" package) for the TF1 layers simple_elmo builds,
# so they get an environment of their own, which tests/test_elmo_compat.py runs.
ELMO_COMPAT := $(VENV)/elmo-compat

test-elmo-compat: install
	test -x $(ELMO_COMPAT)/bin/python || $(PYTHON) -m venv $(ELMO_COMPAT)
	$(ELMO_COMPAT)/bin/pip install --quiet simple_elmo==0.9.2 tensorflow-cpu==2.21.0
	$(ELMO_COMPAT)/bin/pip install --quiet --no-deps tf-keras==2.21.0
	SMIE_ELMO_COMPAT_PYTHON=$(ELMO_COMPAT)/bin/python SMIE_ELMO_COMPAT_FULL=1 $(BIN)/pytest tests/test_elmo_compat.py

dryrun: install
	$(BIN)/snakemake -n

clean:
	rm -rf demo/run
