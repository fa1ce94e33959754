# tusach: `make demo` (set up, then the main job on samples/) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
TUSACH := $(VENV)/bin/tusach
DEMO_HOME ?= tusach-data
# What a fresh Debian/Ubuntu machine lacks: OCR engine and language, PDF tools, fonts for samples.
APT_PACKAGES := python3-venv recode tesseract-ocr tesseract-ocr-vie ghostscript poppler-utils unpaper pngquant qpdf jbig2dec \
	fonts-noto-core fonts-urw-base35 libreoffice-writer-nogui chromium
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages bytecode demo test test-postgres bench report-preview readme samples guide-images clean

setup: system-packages $(VENV)/.installed bytecode

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "tusach needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
		echo "Debian 12 and Ubuntu 24.04 have it as python3 (apt-get install python3 python3-venv). Elsewhere"; \
		echo "install Python 3.11+ (python.org, or the deadsnakes PPA on older Ubuntu) and run: make PYTHON=python3.11"; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# tusach's own modules compiled here, not in every command: an editable install's sources are compiled as
# they are imported and kept only where Python may write (PYTHONDONTWRITEBYTECODE=1 forbids it); the modules
# a run loads took 0.9-1.2 s against 0.7 s. Only files changed since are compiled again.
bytecode: $(VENV)/.installed
	@$(PY) -m compileall -q -j 0 pipeline catalog

demo: setup
	@echo "== ingest samples/ into $(DEMO_HOME)"
	$(TUSACH) --home $(DEMO_HOME) ingest samples/
	@echo "== run the processing stages"
	$(TUSACH) --home $(DEMO_HOME) run
	@echo "== catalog"
	$(TUSACH) --home $(DEMO_HOME) status
	$(TUSACH) --home $(DEMO_HOME) docs list
	@echo "== Phụ lục II: every processed sample selected for 2019"
	$(TUSACH) --home $(DEMO_HOME) select --all --year 2019
	$(TUSACH) --home $(DEMO_HOME) report phu-luc-ii --year 2019
	$(TUSACH) --home $(DEMO_HOME) report phu-luc-ii --year 2019 --format xlsx -o $(DEMO_HOME)/phu-luc-ii-2019.xlsx
	$(TUSACH) --home $(DEMO_HOME) report phu-luc-ii --year 2019 --format docx -o $(DEMO_HOME)/phu-luc-ii-2019.docx
	@echo "== approve (đối chiếu done) and export an upload bundle"
	for id in $$($(TUSACH) --home $(DEMO_HOME) docs list --status processed --json | $(PY) -c \
		'import json,sys; print(" ".join(str(d["id"]) for d in json.load(sys.stdin)))'); do \
		$(TUSACH) --home $(DEMO_HOME) review $$id --verified && $(TUSACH) --home $(DEMO_HOME) review $$id --approved; \
	done
	$(TUSACH) --home $(DEMO_HOME) export --out $(DEMO_HOME)/bundles --year 2019 --since-last
	$(TUSACH) --home $(DEMO_HOME) verify $$(ls -d $(DEMO_HOME)/bundles/tusach-* | tail -n 1)
	@echo "Results in $(DEMO_HOME)/: catalog.sqlite; store/<sha256>/ocr/document.pdf (searchable PDF/A);"
	@echo "  phu-luc-ii-2019.xlsx and .docx; bundles/ (BagIt). Try: $(TUSACH) --home $(DEMO_HOME) docs show 1"

test: setup
	$(PY) -m pytest -q

# The catalog suite against PostgreSQL too, as CI runs it.
test-postgres: setup
	TUSACH_TEST_DATABASE_URL=$$(bash .ci/postgres.sh) $(PY) -m pytest -q

# Rewrite the CLI reference (docs/cli.md) from the commands' --help.
readme: setup
	$(PY) -m pipeline.cli.reference docs/cli.md

# The user guide's pictures (catalog/web/static/guide), taken by its browser test from the pages themselves.
guide-images: setup
	TUSACH_GUIDE_IMAGES=catalog/web/static/guide $(PY) -m pytest -q tests/web/test_guide.py

# Render samples/ again from ../shared/corpus (the committed files are the reference).
samples: setup
	$(PY) samples/generate.py

clean:
	rm -rf $(DEMO_HOME) .pytest_cache build *.egg-info

# Speed, quality and size figures (printed tables; see docs/performance.md).
bench: setup
	$(PY) -m tests.bench.bench_devset
	$(PY) -m tests.bench.bench_realdocs
	$(PY) -m tests.bench.bench_ocr
	$(PY) -m tests.bench.bench_profile
	$(PY) -m tests.bench.bench_export --copies 100
	$(PY) -m tests.bench.bench_upload --files 200
	$(PY) -m tests.bench.bench_two_runs
	$(PY) -m tests.bench.bench_noop
	$(PY) -m tests.bench.bench_fields
	$(PY) -m tests.bench.bench_metadata
	$(PY) -m tests.bench.bench_duplicates --documents 100000
	$(PY) -m tests.bench.bench_catalog --documents 100000 --pages 20

# Phụ lục II rendered as staff will see it (xlsx and docx through LibreOffice, then PNG).
report-preview: setup
	@command -v libreoffice >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-writer libreoffice-calc; }
	$(PY) docs/render_report.py report-preview
