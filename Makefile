# trawl: the two commands a new user needs are `make demo` and `make test`.
# Each installs what is missing (Debian/Ubuntu packages through apt-get, Python packages
# through pip), so a fresh machine needs nothing else by hand.

SWIFT ?= swift
APT_PACKAGES := libpcre2-dev zlib1g-dev libsqlite3-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-deps deps build release bench clean patterns

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product trawl

demo: build
	.build/release/trawl estimate Corpus/buckets
	.build/release/trawl scan Corpus/buckets --yes; test $$? -le 1

# The S3 tests start moto's S3 server on loopback (PyPI's moto[server]).
test-deps: deps
	@command -v moto_server >/dev/null 2>&1 || python3 -m pip install --quiet 'moto[server]'

test: test-deps
	$(SWIFT) test

release: build

bench: build
	scripts/bench.sh

clean:
	rm -rf .build

# Re-embed Patterns/*.json into the binary after editing them.
patterns:
	python3 scripts/embed-patterns.py
