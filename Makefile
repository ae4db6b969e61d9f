# Two commands: `make run` and `make test`. Both set up .venv on first use and are quick afterwards.
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: run test setup browser bench notebook clean

$(PY):
	python3 -m venv .venv

# torch first, pinned: the CPU build lies on this machine's disk; an unpinned torch pulls GBs of CUDA.
$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

# The service on 127.0.0.1:8000 with the bundled models, SQLite under ./data and a demo round; prints a token.
run: setup
	$(PY) -m api.cli serve --demo --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium (with CJK fonts for readable pages): installed here when missing, so
# `make test` on a fresh machine needs nothing else. Without apt-get the browser tests fail and say what to install.
browser:
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || \
		apt-get install -y -q chromium fonts-noto-cjk >/dev/null || echo "WARNING: could not install chromium" >&2

test: setup browser
	$(PY) -m pytest -q -n 2

bench: setup
	$(PY) benchmarks/bench_parse.py
	$(PY) benchmarks/bench_analyze.py
	$(PY) benchmarks/bench_round.py
	$(PY) benchmarks/bench_service.py

# JupyterLab on this machine only (127.0.0.1), on the reviewer notebooks.
notebook: setup
	$(PY) -m pip install -q -e ".[dev,notebook]"
	.venv/bin/jupyter lab --ip 127.0.0.1 --no-browser notebooks/

clean:
	rm -rf .venv .pytest_cache build *.egg-info
