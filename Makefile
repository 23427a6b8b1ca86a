# entente — the targets a newcomer can guess. Run `make help` for the list.
GO        ?= go
BIN       := bin/entente
DATA      ?= ../shared/data
ENTENTE_DB ?= $(CURDIR)/.entente/entente.duckdb
export ENTENTE_DB
FUZZTIME  ?= 20s
ADDR      ?= 127.0.0.1:8080

CLUSTER_DIR ?= /tmp/entente-cluster

.PHONY: help build run demo test bench lint fuzz generate clean cluster-up cluster-down

help:
	@echo "make run       build, import every dataset from $(DATA) and the ledger, serve the dashboard at http://$(ADDR) (make run ADDR=:9000)"
	@echo "make demo      the same imports, then rankings in the terminal (no server)"
	@echo "make test      vet and run every test (tests needing $(DATA) skip when it is absent)"
	@echo "make bench     benchmarks: UN all-pairs and GDELT ingest vs DuckDB, stores, index, panel, API load, read"
	@echo "make lint      gofmt and go vet"
	@echo "make fuzz      run each fuzz target for $(FUZZTIME)"
	@echo "make generate  rebuild the country registry from $(DATA)/countrycodes"
	@echo "make cluster-up / cluster-down   a 2-shard ClickHouse cluster on loopback (docs/scale.md)"

build:
	$(GO) build -o $(BIN) ./cmd/entente

run: build
	@if [ -d "$(DATA)" ]; then $(BIN) up --mirror $(DATA) --addr $(ADDR); else $(BIN) up --addr $(ADDR); fi

demo: build
	@if [ ! -d "$(DATA)/unvotes" ]; then \
	  echo "make demo needs the public datasets in $(DATA) (see README: Data)"; exit 2; fi
	$(BIN) import unvotes $(DATA)/unvotes/
	$(BIN) import gdelt $(DATA)/gdelt/ $(DATA)/gdelt/v2/
	$(BIN) import aid $(DATA)/aid/kiel_ust_data_explorer.csv
	$(BIN) import atop $(DATA)/alliances/peacesciencer_atop_alliance.csv
	$(BIN) import igo $(DATA)/igo/manyigos_COW_MEM_memberships.csv
	$(BIN) import ledger data/ledger/
	$(BIN) import force $(DATA)/conflict/ $(DATA)/arms/
	$(BIN) import idealpoints $(DATA)/idealpoints/IdealpointsJuly2025.csv
	$(BIN) cache warm
	$(BIN) rank RUS --at 2025-06 --top 15 --bottom 10
	$(BIN) rank RUS --at 2019 --signal unvotes --metric kappa --top 20 --bottom 20

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench: build
	$(GO) run ./bench/unvotes_allpairs -data $(DATA)
	$(GO) run ./bench/gdelt_ingest -data $(DATA)
	$(GO) run ./bench/store_scale -data $(DATA)
	DATA=$(DATA) sh bench/index/run.sh
	DATA=$(DATA) sh bench/panel/run.sh
	DATA=$(DATA) sh bench/http_load/run.sh
	DATA=$(DATA) sh bench/http_saturation/run.sh
	sh bench/read/run.sh
	$(GO) run ./bench/idealpoints -data $(DATA)
	$(GO) test -run '^$$' -bench . -benchmem ./signal/ ./ingest/... ./duckdb/ ./read/

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

cluster-up:
	scripts/clickhouse/cluster.sh up $(CLUSTER_DIR) 19000

cluster-down:
	scripts/clickhouse/cluster.sh down $(CLUSTER_DIR)

clean:
	rm -rf bin .entente
