# kiln's build, test and lint entry points. `make test` is what CI runs.
GO ?= go
FUZZTIME ?= 30s
# go test's limit per package binary. The longest packages (parity/corpus,
# parity/cover, translate) run the whole fixture corpus; the default 10
# minutes is too short for them on a loaded 2-core machine under -race.
TEST_TIMEOUT ?= 25m

.PHONY: all build test lint bench fuzz cover-builtins check-corpus2 check-idiomatic check-upstream clean

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
	./gitapi:FuzzParseConfig ./gitapi/parseopt:FuzzParseOptions \
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
	GOCOVERDIR=$(CURDIR)/bin/cover bin/kiln-cover parity quiltimport filter-branch subtree
	$(GO) tool covdata percent -i=bin/cover -pkg=github.com/kiln-dev/kiln/builtins/...

# The second corpus (docs/corpus.md): every parity fixture of git-extras,
# git-flow and topgit against the raw translations (STAGE=idiomatic: the
# lowered ones, kiln translate --idiomatic). make test runs a few.
STAGE ?= raw
check-corpus2:
	KILN_CORPUS2=full KILN_CORPUS2_STAGE=$(STAGE) $(GO) test -count=1 -timeout 20m -run 'TestCorpus2' -v ./translate
# Every parity fixture of the 13 scripts against their idiomatic stage
# (kiln translate --idiomatic); make test runs the fixtures of eight.
check-idiomatic:
	KILN_IDIOMATIC=full $(GO) test -count=1 -timeout 40m -run 'TestIdiomaticParity' -v ./translate

# git's own test files for each finished builtin (or, with TRANSLATIONS=
# a multi-call binary of kiln translate, each raw translation), through
# kiln parity --suite against the installed scripts. Not in CI: it needs
# git's source with t/helper/test-tool built (docs/parity.md, "git's own
# test suite"). NAMES picks scripts, JOBS runs files in parallel, OUT
# writes JUnit reports.
GIT_SRC ?= /tmp/git-2.39.5
NAMES ?=
check-upstream: build
	KILN=bin/kiln tests/upstream/check.sh "$(GIT_SRC)" $(NAMES)

clean:
	rm -rf bin
