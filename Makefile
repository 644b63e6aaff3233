# trawl: the two commands a new user needs are `make demo` and `make test`.
# Each installs what is missing (Debian/Ubuntu packages through apt-get, Python packages
# through pip), so a fresh machine needs nothing else by hand.

SWIFT ?= swift
APT_PACKAGES := libpcre2-dev zlib1g-dev libsqlite3-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test deps test-deps build release bench clean patterns report-screenshot lint format fuzz fuzz-build fuzz-smoke fuzz-replay

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
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests Fuzz

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests Fuzz

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

# Fuzzing the format readers with libFuzzer (Fuzz/README.md). `make fuzz SECONDS=N` builds
# the Fuzz* targets instrumented (ASan + coverage) in .build-fuzz and runs each for N
# seconds (default 60) over its seed corpus; a crash, a leak or a hang fails the target. New
# inputs go to .build-fuzz/corpus, crash files to .build-fuzz/crashes (replay one with
# `.build-fuzz/release/FuzzZip <file>`). `make fuzz-smoke` is the 10-second run for CI.
FUZZ_TARGETS := FuzzZip FuzzTar FuzzGzip FuzzOOXML FuzzCSV FuzzJSON FuzzPolicy FuzzDetector
SECONDS ?= 60
FUZZ_SCRATCH := .build-fuzz
FUZZ_RUNTIME = $(firstword $(wildcard $(dir $(shell command -v $(SWIFT)))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a))
FUZZ_BUILD_FLAGS = -c release --scratch-path $(FUZZ_SCRATCH) -Xswiftc -DFUZZING \
	-Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
	-Xlinker $(FUZZ_RUNTIME) -Xlinker -lstdc++

fuzz-build:
	@test -n "$(FUZZ_RUNTIME)" || { echo "libclang_rt.fuzzer_no_main-x86_64.a not found in the Swift toolchain"; exit 1; }
	@for t in $(FUZZ_TARGETS); do $(SWIFT) build $(FUZZ_BUILD_FLAGS) --product $$t || exit 1; done

fuzz: fuzz-build
	@mkdir -p $(FUZZ_SCRATCH)/crashes; failed=""; \
	for t in $(FUZZ_TARGETS); do \
	  name=$$(echo $$t | sed 's/^Fuzz//' | tr A-Z a-z); mkdir -p $(FUZZ_SCRATCH)/corpus/$$name; \
	  echo "== $$t for $(SECONDS)s"; \
	  SWIFT_BACKTRACE=enable=no $(FUZZ_SCRATCH)/release/$$t -max_total_time=$(SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_SCRATCH)/crashes/$$name- \
	    $(FUZZ_SCRATCH)/corpus/$$name Fuzz/corpus/$$name 2>$(FUZZ_SCRATCH)/$$name.log \
	  || { failed="$$failed $$t"; tail -40 $(FUZZ_SCRATCH)/$$name.log; }; \
	  grep -E "^stat::number_of_executed_units|^stat::average_exec_per_sec" $(FUZZ_SCRATCH)/$$name.log | tr '\n' ' '; echo; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzing found crashes in:$$failed (inputs in $(FUZZ_SCRATCH)/crashes)"; exit 1; fi

fuzz-smoke:
	$(MAKE) fuzz SECONDS=10

# Replays the committed corpora through plain (uninstrumented) builds of the fuzz targets.
fuzz-replay:
	@for t in $(FUZZ_TARGETS); do \
	  name=$$(echo $$t | sed 's/^Fuzz//' | tr A-Z a-z); \
	  $(SWIFT) build --product $$t >/dev/null && .build/debug/$$t Fuzz/corpus/$$name || exit 1; \
	done
