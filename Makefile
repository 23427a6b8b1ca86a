# entente — the targets a newcomer can guess. Run `make help` for the list.
GO        ?= go
BIN       := bin/entente
DATA      ?= ../shared/data
ENTENTE_DB ?= $(CURDIR)/.entente/entente.duckdb
export ENTENTE_DB
FUZZTIME  ?= 20s

.PHONY: help build run test bench lint fuzz generate clean

help:
	@echo "make run       build, import the UN votes from $(DATA) and rank Russia's voting partners in 2019"
	@echo "make test      vet and run every test (tests needing $(DATA) skip when it is absent)"
	@echo "make bench     benchmarks: entente vs DuckDB SQL on every dyad-year of UN votes"
	@echo "make lint      gofmt and go vet"
	@echo "make fuzz      run each fuzz target for $(FUZZTIME)"
	@echo "make generate  rebuild the country registry from $(DATA)/countrycodes"

build:
	$(GO) build -o $(BIN) ./cmd/entente

run: build
	@if [ ! -d "$(DATA)/unvotes" ]; then \
	  echo "make run needs the UN vote files in $(DATA)/unvotes (see README: Data)"; exit 2; fi
	$(BIN) import unvotes $(DATA)/unvotes/voeten_votes_1946_2024.csv \
	  $(DATA)/unvotes/un_roll_calls.csv $(DATA)/unvotes/un_votes.csv \
	  $(DATA)/unvotes/un_roll_call_issues.csv $(DATA)/unvotes/un_votes_2025_processed.csv
	$(BIN) rank RUS --at 2019 --signal unvotes --metric kappa --top 20 --bottom 20

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench: build
	$(GO) run ./bench/unvotes_allpairs -data $(DATA)
	$(GO) run ./bench/gdelt_ingest -data $(DATA)
	$(GO) test -run '^$$' -bench . -benchmem ./signal/ ./ingest/... ./duckdb/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; done

generate:
	$(GO) generate ./country/

clean:
	rm -rf bin .entente
