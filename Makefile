# The README's two commands: `make demo` (the main job on the demo data) and `make test`.
# Each sets itself up: a .venv with the package, its test extras and JupyterLab (the notebooks extra).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,notebooks]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/llt-geo run data/demo --out out/demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	MPLBACKEND=Agg $(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider

# Re-execute the notebooks in place (committed with outputs; nbval compares against them), then
# drop nbconvert's execution timestamps and the widgets' saved state (random ids) so an unchanged
# notebook stays byte-identical. No progress bars are recorded (LLT_GEO_PROGRESS=0).
notebooks: $(STAMP)
	cd notebooks && env -u MPLBACKEND LLT_GEO_PROGRESS=0 ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace *.ipynb
	$(BIN)/python scripts/strip_notebook_metadata.py

clean:
	rm -rf $(VENV) out
