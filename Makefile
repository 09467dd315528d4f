# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-dev
DEMO_DB = demo/storylens.db

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "storylens needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: its CPU build lies on these machines; an unpinned torch pulls CUDA (GBs).
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The sample corpus holds one malformed file on purpose: ingest names it and exits 1;
# anything worse (exit 2 and up) stops the demo.
demo: install
	rm -rf demo && mkdir -p demo
	status=0; $(BIN)/storylens ingest examples/corpus --db $(DEMO_DB) || status=$$?; \
	  [ $$status -le 1 ]
	$(BIN)/storylens stats --db $(DEMO_DB)
	$(BIN)/storylens articles --db $(DEMO_DB)
	$(BIN)/storylens entities --db $(DEMO_DB) --label PERSON --limit 8
	$(BIN)/storylens entity "Helena Marsk" --db $(DEMO_DB)
	$(BIN)/storylens stories --db $(DEMO_DB)
	$(BIN)/storylens brief --db $(DEMO_DB) "$$($(BIN)/storylens stories --db $(DEMO_DB) --json | \
	  $(BIN)/python -c 'import json, sys; print(max(json.load(sys.stdin), key=lambda s: len(s["article_ids"]))["id"])')"
	$(BIN)/storylens brief --all --format html -o demo/briefings --db $(DEMO_DB)
	@echo
	@echo "Briefings as HTML: demo/briefings/. To read the demo in a browser, run"
	@echo "    $(BIN)/storylens serve --db $(DEMO_DB)"
	@echo "and open http://127.0.0.1:8000/"

lint: install
	$(BIN)/ruff check src tests bench

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/copies.py
	for f in basil_dev newswcl50 ecbplus_dev; do $(BIN)/python bench/stories.py ../shared/eval/stories/$$f.jsonl; done
	$(BIN)/python bench/table.py

clean:
	rm -rf $(VENV) demo build src/*.egg-info .pytest_cache .ruff_cache
