# kiln's build, test and lint entry points. `make test` is what CI runs.
GO ?= go
FUZZTIME ?= 30s
# go test's limit per package binary. The longest packages (parity/corpus,
# parity/cover, translate) run the whole fixture corpus; the default 10
# minutes is too short for them on a loaded 2-core machine under -race.
TEST_TIMEOUT ?= 25m

.PHONY: all build test lint bench fuzz cover-builtins clean

all: build

build:
	$(GO) build -o bin/kiln ./cmd/kiln

# Every package under the race detector (pipeline stages, parity's
# parallel fixtures and gitapi's preloading run goroutines).
test:
	$(GO) vet ./...
	$(GO) test -race -timeout $(TEST_TIMEOUT) ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target in turn, FUZZTIME each (go test fuzzes one at a time).
FUZZ_TARGETS = ./shellparse:FuzzScan ./translate:FuzzTranslate ./gitapi/apply:FuzzApply ./gitapi/mailinfo:FuzzParse \
	./gitapi/gitdate:FuzzParseAt ./gitapi/index:FuzzParse ./gitapi:FuzzResolve \
	./gitapi:FuzzParseConfig ./gitapi:FuzzParseOptions \
	./shellrun/dash:FuzzFields ./shellrun/dash:FuzzMatch ./shellrun/dash:FuzzArith ./shellrun/dash:FuzzPrintf

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}" || exit 1; \
	done

# The builtins' statement coverage from their parity fixtures: kiln built
# with -cover runs as the new side of kiln parity.
cover-builtins:
	rm -rf bin/cover && mkdir -p bin/cover
	$(GO) build -cover -coverpkg=./... -o bin/kiln-cover ./cmd/kiln
	GOCOVERDIR=$(CURDIR)/bin/cover bin/kiln-cover parity quiltimport
	$(GO) tool covdata percent -i=bin/cover -pkg=github.com/kiln-dev/kiln/builtins/...

clean:
	rm -rf bin
