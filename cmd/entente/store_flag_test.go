package main

import (
	"testing"
)

// TestStoreFlag checks --store: a duckdb:// URL names the same store as --db, and an
// unknown scheme is a usage error. (clickhouse:// is covered by package clickhouse's
// tests against a real server.)
func TestStoreFlag(t *testing.T) {
	db := excerptDB(t)
	viaDB := mustRun(t, db, "similarity", "RUS", "USA", "--format", "csv").stdout
	viaURL := mustRun(t, newDB(t), "similarity", "RUS", "USA", "--format", "csv", "--store", "duckdb://"+db).stdout
	if viaDB != viaURL || viaDB == "" {
		t.Errorf("--store duckdb://PATH gives\n%s\nwant, as --db PATH,\n%s", viaURL, viaDB)
	}
	wantExit(t, db, 2, []string{"--store", "clickhouse://"}, "rank", "RUS", "--store", "postgres://x/y")
}

// TestRankWeightsOnlyForIndex checks that --weights and --config are refused for a
// single signal, where they would silently do nothing.
func TestRankWeightsOnlyForIndex(t *testing.T) {
	db := excerptDB(t)
	wantExit(t, db, 2, []string{"--signal index"}, "rank", "RUS", "--signal", "unvotes", "--weights", "ledger=0")
	wantExit(t, db, 2, []string{"--signal index"}, "rank", "RUS", "--signal", "unvotes", "--config", "x.yaml")
}
