# The two set-up commands of the README are `make run` and `make test`; the rest are for developers.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck unit bench

run:
	scripts/bootstrap.sh
	$(PY) -m openrcm.cli.main codes build
	$(PY) -m openrcm.cli.main serve --host $(HOST) --port $(PORT)

test:
	scripts/bootstrap.sh dev
	$(MAKE) lint typecheck unit

lint:
	.venv/bin/ruff check src tests benchmarks

typecheck:
	.venv/bin/mypy

unit:
	$(PY) -m pytest -q -n 2 --dist loadgroup

bench:
	scripts/bootstrap.sh dev
	$(PY) -m benchmarks
