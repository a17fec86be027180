# Cổng TTĐT Sở Nội vụ Hà Tĩnh — build, check and test.
# Every target bootstraps .venv from requirements.txt on first use, so a fresh
# machine needs only Python 3.11 and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

INPUTDIR := content
OUTPUTDIR := output
CONFFILE := pelicanconf.py
PUBLISHCONF := publishconf.py
PORT ?= 8000

PELICAN := $(BIN)/pelican --fatal errors --log-handler plain
PORTAL := $(BIN)/portal

.DEFAULT_GOAL := html
.PHONY: html serve devserver publish rsync_upload clean check test lint format venv encoding-report bench review codeowners bench-review royalties report bench-royalties bench-site

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cần Python 3.11 trở lên (Python 3.11+ required)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

check: $(STAMP)
	$(PORTAL) check $(INPUTDIR) $(if $(BASE),--base $(BASE))

# The build validates every item it reads (the same rules as `portal check`) and stops
# before writing anything if one is invalid; `make check` adds the review files
# (policy, CODEOWNERS) and `--base` for pull requests.
html: $(STAMP)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE)

serve: html
	$(BIN)/pelican --listen --port $(PORT) -o $(OUTPUTDIR) -s $(CONFFILE)

devserver: $(STAMP)
	$(BIN)/pelican --log-handler plain -e PORTAL_STRICT=false --autoreload --listen --port $(PORT) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE)

publish: $(STAMP)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF)

# Publish to a plain web server instead of GitHub Pages (Pelican's usual target name):
#   make rsync_upload SSH_TARGET=quantri@may-chu:/var/www/sonoivu
# --checksum: CI checkouts reset mtimes, so only files whose content changed are sent.
rsync_upload: publish
	@test -n "$(SSH_TARGET)" || (echo "Cần SSH_TARGET=người_dùng@máy_chủ:/thư_mục"; exit 2)
	rsync -rz --checksum --delete --itemize-changes $(OUTPUTDIR)/ $(SSH_TARGET)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/pytest -q $(PYTEST_ARGS)

# Precision and recall of the legacy-encoding detector on the labelled corpus.
encoding-report: $(STAMP)
	$(BIN)/python -m portal.vntext.report

# Build speed against stock Pelican (ARTICLES synthetic items; the last line has the ratios).
ARTICLES ?= 10000
bench: $(STAMP)
	$(BIN)/python -m portal.bench.site --articles $(ARTICLES)

# Month end (Điều 18): the royalty statement; the secretary's reports (Điều 13.3).
royalties: $(STAMP)
	@test -n "$(MONTH)" || (echo "Cần MONTH=YYYY-MM, ví dụ: make royalties MONTH=2026-11"; exit 2)
	$(PORTAL) royalties --month $(MONTH)

report: $(STAMP)
	@test -n "$(PERIOD)" || (echo "Cần PERIOD=2026-W47, 2026-11 hoặc 2026"; exit 2)
	$(PORTAL) report --period $(PERIOD)

bench-royalties: $(STAMP)
	$(BIN)/python -m portal.bench.royalties

# The review chain: the merge gate as CI runs it, CODEOWNERS from the roster, its benchmark.
# `make review` runs the BASE's own gate code, from a temporary worktree of the base, never
# the submission's (the editable .venv would run whatever the checked-out branch says).
# Run it from an up-to-date main: make review SUBMISSION=refs/remotes/origin/<nhánh gửi>.
# BASE is a full ref or a full commit id: a pushed tag cannot stand in for it.
REVIEW_BASE = $(or $(BASE),refs/remotes/origin/main)
SUBMISSION ?= HEAD
review: $(STAMP)
	@printf '%s\n' '$(REVIEW_BASE)' | grep -Eqx 'refs/[^[:space:]]+|[0-9a-f]{40}|[0-9a-f]{64}' \
	  || { echo "BASE phải là tên đầy đủ (refs/...) hoặc mã commit đầy đủ, không phải '$(REVIEW_BASE)'"; exit 2; }
	@base=$$(git rev-parse --verify --quiet '$(REVIEW_BASE)^{commit}') \
	  || { echo "Không tìm thấy nhánh gốc $(REVIEW_BASE); chạy git fetch origin"; exit 2; }; \
	gate=$$(mktemp -d); \
	trap 'git worktree remove --force "$$gate" >/dev/null 2>&1; rm -rf "$$gate"' EXIT; \
	git worktree add --quiet --detach "$$gate" "$$base" || exit 2; \
	echo "Cổng kiểm tra chạy mã của nhánh gốc $(REVIEW_BASE) ($$base)"; \
	PYTHONPATH="$$gate/plugins" PYTHONSAFEPATH=1 $(abspath $(BIN))/python -m portal.cli \
	  review verify --base "$$base" --head '$(SUBMISSION)'

codeowners: $(STAMP)
	$(PORTAL) review codeowners

bench-site: $(STAMP)
	$(BIN)/python -m tests.site.bench_build 2000

bench-review: $(STAMP)
	$(BIN)/python -m portal.bench.review

# The editorial desk (docs/desk.md). Node is needed only here, never by `make html`.
.PHONY: desk-bundle desk-config desk-local desk-screenshots
DESK_PORT ?= 8081

# Update the vendored Decap CMS bundle to the version pinned in package.json/package-lock.json.
desk-bundle: $(STAMP)
	npm ci --no-audit --no-fund
	$(BIN)/python -m portal.desk.bundle update node_modules/decap-cms
	$(BIN)/python -m portal.desk.bundle verify

# README's screenshots of the desk, taken by its browser tests (needs `npm ci`).
desk-screenshots: $(STAMP)
	DESK_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/desk/test_desk_browser.py

# Decap's config.yml as the build writes it (to read or compare; the build writes its own).
desk-config: $(STAMP)
	$(PORTAL) desk config

# Try the desk on this machine: decap-server on this repository (editorial workflow) and the
# site at http://127.0.0.1:$(PORT)/admin/. Install the guard first: `portal desk install-guard .`
desk-local: $(STAMP)
	@test -x node_modules/.bin/decap-server || (echo "Cần chạy npm ci trước (cần Node)"; exit 2)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE)
	$(PORTAL) desk admin $(OUTPUTDIR) --local-backend http://127.0.0.1:$(DESK_PORT)/api/v1
	MODE=git GIT_REPO_DIRECTORY=$(CURDIR) PORT=$(DESK_PORT) node_modules/.bin/decap-server & \
	  server=$$!; trap "kill $$server" EXIT INT TERM; \
	  $(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUTPUTDIR)

clean:
	rm -rf $(OUTPUTDIR) cache __pycache__ .pytest_cache
