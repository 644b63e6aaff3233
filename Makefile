# trawl: the two commands a new user needs are `make demo` and `make test`.
# Each installs what is missing (Debian/Ubuntu packages through apt-get, Python packages
# through pip), so a fresh machine needs nothing else by hand.

SWIFT ?= swift
APT_PACKAGES := libpcre2-dev zlib1g-dev libsqlite3-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps test-deps build release bench clean patterns report-screenshot lint format

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# `make demo` and `make test` share one build configuration (debug; the scan path is compiled
# with -O in it, see Package.swift), so a fresh clone compiles the dependencies once.
build: deps
	$(SWIFT) build --product trawl

demo: build
	.build/debug/trawl estimate Corpus/buckets
	.build/debug/trawl scan Corpus/buckets --yes; test $$? -le 1

test: deps test-deps lint
	$(SWIFT) test

# The tree is formatted by swift-format (the toolchain's `swift format`, configured in .swift-format).
lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests

# The test suite also needs moto's S3 server (live S3 tests on loopback), headless Chromium (the HTML report is checked in a real browser) and
# Python's jsonschema (SARIF output is validated against the 2.1.0 schema). Where Chromium cannot
# be installed, the browser test is skipped with a loud warning rather than passing silently.
test-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || { \
	  echo "installing chromium (browser test of the HTML report)"; \
	  ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium ) \
	  || echo "WARNING: chromium could not be installed: the HTML report's browser test will be SKIPPED"; }
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema \
	  || echo "WARNING: python3 jsonschema could not be installed: the SARIF schema tests will FAIL"
	@# The S3 tests start moto's S3 server on loopback (PyPI's moto[server]).
	@command -v moto_server >/dev/null 2>&1 || python3 -m pip install --quiet 'moto[server]'

# Re-take docs/report.png, the README's screenshot of the HTML report (needs chromium).
report-screenshot:
	scripts/report-screenshot.sh

release: deps
	$(SWIFT) build -c release --product trawl

bench: deps
	scripts/bench.sh

clean:
	rm -rf .build

# Re-embed Patterns/*.json into the binary after editing them.
patterns:
	python3 scripts/embed-patterns.py
