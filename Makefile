# make demo   the whole DAG on the bundled sample corpora (2 cores, minutes)
# make test   the test suite
# Both set up their own virtual environment (.venv) on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CORES  ?= 2

.PHONY: install demo test dryrun clean

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
	$(BIN)/snakemake --configfile demo/config.yaml --directory demo/run --report demo/run/report.html
	@echo
	@echo "demo results: demo/run/results, report: demo/run/report.html  (logs: demo/run/logs, benchmarks: demo/run/benchmarks)"

test: install
	$(BIN)/pytest

dryrun: install
	$(BIN)/snakemake -n

clean:
	rm -rf demo/run
