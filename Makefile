# kiln's build, test and lint entry points. `make test` is what CI runs.
GO ?= go
FUZZTIME ?= 30s

.PHONY: all build test lint bench fuzz clean

all: build

build:
	$(GO) build -o bin/kiln ./cmd/kiln

test:
	$(GO) vet ./...
	$(GO) test ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(FUZZTIME) ./shellparse

clean:
	rm -rf bin
