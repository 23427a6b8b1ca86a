package duckdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/entente/entente"
	"github.com/entente/entente/storetest"
)

func TestConflictStoreContract(t *testing.T) {
	storetest.RunConflict(t, func(t *testing.T) entente.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "entente.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
